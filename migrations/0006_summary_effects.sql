ALTER TABLE "occurrences" ADD COLUMN "after_action_review_id" uuid;--> statement-breakpoint
ALTER TABLE "occurrences" ADD CONSTRAINT "occurrences_after_action_review_id_after_action_reviews_id_fk" FOREIGN KEY ("after_action_review_id") REFERENCES "public"."after_action_reviews"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "occurrences_after_action_review_kind" ON "occurrences" USING btree ("after_action_review_id","kind");--> statement-breakpoint
-- A summary whose share was claimed but never recorded (its process died mid-post) becomes a pending
-- summary effect, due when it was claimed; the pipeline looks in the channel's history before posting.
INSERT INTO "occurrences" ("team_id", "enterprise_id", "channel_id", "review_id", "kind", "due_at", "status", "created_at", "updated_at")
SELECT "team_id", "enterprise_id", "channel_id", "id", 'summary', "updated_at", 'pending', "updated_at", "updated_at"
FROM "before_action_reviews"
WHERE "summary_post_error" = 'sharing' AND "summary_ts" IS NULL
ON CONFLICT DO NOTHING;--> statement-breakpoint
UPDATE "before_action_reviews" SET "summary_post_error" = NULL WHERE "summary_post_error" = 'sharing';
