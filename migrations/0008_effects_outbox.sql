ALTER TABLE "occurrences" ADD COLUMN "perspective_id" uuid;--> statement-breakpoint
ALTER TABLE "occurrences" ADD COLUMN "digest_id" uuid;--> statement-breakpoint
ALTER TABLE "occurrences" ADD COLUMN "payload" jsonb;--> statement-breakpoint
ALTER TABLE "occurrences" ADD COLUMN "effect_key" text;--> statement-breakpoint
ALTER TABLE "occurrences" ADD CONSTRAINT "occurrences_perspective_id_perspectives_id_fk" FOREIGN KEY ("perspective_id") REFERENCES "public"."perspectives"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "occurrences" ADD CONSTRAINT "occurrences_digest_id_digests_id_fk" FOREIGN KEY ("digest_id") REFERENCES "public"."digests"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "occurrences_effect_key" ON "occurrences" USING btree ("team_id","effect_key");--> statement-breakpoint
-- A digest's details or chart that never reached its thread becomes a failed effect, with Slack's code.
INSERT INTO "occurrences" ("team_id", "enterprise_id", "channel_id", "digest_id", "effect_key", "kind", "due_at", "status", "error", "created_at", "updated_at")
  SELECT "team_id", "enterprise_id", "channel_id", "id", 'digest_details:' || "id", 'digest_details', "updated_at", 'failed',
         substring("follow_up_error" from 'details:([^ ]+)'), "updated_at", "updated_at"
  FROM "digests" WHERE "follow_up_error" LIKE '%details:%';--> statement-breakpoint
INSERT INTO "occurrences" ("team_id", "enterprise_id", "channel_id", "digest_id", "effect_key", "kind", "due_at", "status", "error", "created_at", "updated_at")
  SELECT "team_id", "enterprise_id", "channel_id", "id", 'digest_chart:' || "id", 'digest_chart', "updated_at", 'failed',
         substring("follow_up_error" from 'chart:([^ ]+)'), "updated_at", "updated_at"
  FROM "digests" WHERE "follow_up_error" LIKE '%chart:%';--> statement-breakpoint
ALTER TABLE "digests" DROP COLUMN "follow_up_error";