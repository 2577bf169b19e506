CREATE TEMPORARY TABLE "known_enterprises" AS SELECT DISTINCT "team_id", "enterprise_id" FROM (SELECT "team_id", "enterprise_id" FROM "after_action_reviews" UNION SELECT "team_id", "enterprise_id" FROM "before_action_reviews" UNION SELECT "team_id", "enterprise_id" FROM "channel_settings" UNION SELECT "team_id", "enterprise_id" FROM "rhythms") AS "recorded" WHERE "enterprise_id" IS NOT NULL AND "enterprise_id" <> '';--> statement-breakpoint
UPDATE "after_action_reviews" SET "enterprise_id" = '' WHERE "enterprise_id" IS NULL;--> statement-breakpoint
UPDATE "before_action_reviews" SET "enterprise_id" = '' WHERE "enterprise_id" IS NULL;--> statement-breakpoint
UPDATE "channel_settings" SET "enterprise_id" = '' WHERE "enterprise_id" IS NULL;--> statement-breakpoint
UPDATE "rhythms" SET "enterprise_id" = '' WHERE "enterprise_id" IS NULL;--> statement-breakpoint
ALTER TABLE "after_action_reviews" ALTER COLUMN "enterprise_id" SET DEFAULT '';--> statement-breakpoint
ALTER TABLE "after_action_reviews" ALTER COLUMN "enterprise_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "before_action_reviews" ALTER COLUMN "enterprise_id" SET DEFAULT '';--> statement-breakpoint
ALTER TABLE "before_action_reviews" ALTER COLUMN "enterprise_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "channel_settings" ALTER COLUMN "enterprise_id" SET DEFAULT '';--> statement-breakpoint
ALTER TABLE "channel_settings" ALTER COLUMN "enterprise_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "rhythms" ALTER COLUMN "enterprise_id" SET DEFAULT '';--> statement-breakpoint
ALTER TABLE "rhythms" ALTER COLUMN "enterprise_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "after_action_review_people" ADD COLUMN "enterprise_id" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "channel_stewards" ADD COLUMN "enterprise_id" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "channel_welcomes" ADD COLUMN "enterprise_id" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "custom_prompts" ADD COLUMN "enterprise_id" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "digests" ADD COLUMN "enterprise_id" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "learning_notes" ADD COLUMN "enterprise_id" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "learning_questions" ADD COLUMN "enterprise_id" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "occurrences" ADD COLUMN "enterprise_id" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "perspectives" ADD COLUMN "enterprise_id" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "processed_events" ADD COLUMN "enterprise_id" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "responses" ADD COLUMN "enterprise_id" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "review_people" ADD COLUMN "enterprise_id" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "skips" ADD COLUMN "enterprise_id" text DEFAULT '' NOT NULL;--> statement-breakpoint
UPDATE "after_action_review_people" SET "enterprise_id" = "known_enterprises"."enterprise_id" FROM "known_enterprises" WHERE "after_action_review_people"."team_id" = "known_enterprises"."team_id";--> statement-breakpoint
UPDATE "channel_stewards" SET "enterprise_id" = "known_enterprises"."enterprise_id" FROM "known_enterprises" WHERE "channel_stewards"."team_id" = "known_enterprises"."team_id";--> statement-breakpoint
UPDATE "channel_welcomes" SET "enterprise_id" = "known_enterprises"."enterprise_id" FROM "known_enterprises" WHERE "channel_welcomes"."team_id" = "known_enterprises"."team_id";--> statement-breakpoint
UPDATE "custom_prompts" SET "enterprise_id" = "known_enterprises"."enterprise_id" FROM "known_enterprises" WHERE "custom_prompts"."team_id" = "known_enterprises"."team_id";--> statement-breakpoint
UPDATE "digests" SET "enterprise_id" = "known_enterprises"."enterprise_id" FROM "known_enterprises" WHERE "digests"."team_id" = "known_enterprises"."team_id";--> statement-breakpoint
UPDATE "learning_notes" SET "enterprise_id" = "known_enterprises"."enterprise_id" FROM "known_enterprises" WHERE "learning_notes"."team_id" = "known_enterprises"."team_id";--> statement-breakpoint
UPDATE "learning_questions" SET "enterprise_id" = "known_enterprises"."enterprise_id" FROM "known_enterprises" WHERE "learning_questions"."team_id" = "known_enterprises"."team_id";--> statement-breakpoint
UPDATE "occurrences" SET "enterprise_id" = "known_enterprises"."enterprise_id" FROM "known_enterprises" WHERE "occurrences"."team_id" = "known_enterprises"."team_id";--> statement-breakpoint
UPDATE "perspectives" SET "enterprise_id" = "known_enterprises"."enterprise_id" FROM "known_enterprises" WHERE "perspectives"."team_id" = "known_enterprises"."team_id";--> statement-breakpoint
UPDATE "processed_events" SET "enterprise_id" = "known_enterprises"."enterprise_id" FROM "known_enterprises" WHERE "processed_events"."team_id" = "known_enterprises"."team_id";--> statement-breakpoint
UPDATE "responses" SET "enterprise_id" = "known_enterprises"."enterprise_id" FROM "known_enterprises" WHERE "responses"."team_id" = "known_enterprises"."team_id";--> statement-breakpoint
UPDATE "review_people" SET "enterprise_id" = "known_enterprises"."enterprise_id" FROM "known_enterprises" WHERE "review_people"."team_id" = "known_enterprises"."team_id";--> statement-breakpoint
UPDATE "skips" SET "enterprise_id" = "known_enterprises"."enterprise_id" FROM "known_enterprises" WHERE "skips"."team_id" = "known_enterprises"."team_id";--> statement-breakpoint
DROP TABLE "known_enterprises";
