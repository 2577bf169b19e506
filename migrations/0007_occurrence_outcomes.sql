ALTER TABLE "occurrences" ADD COLUMN "withdrawn_reason" text;--> statement-breakpoint
ALTER TABLE "occurrences" ADD COLUMN "given_up" boolean DEFAULT false NOT NULL;--> statement-breakpoint
-- A withdrawal's reason moves out of the error column.
UPDATE "occurrences" SET "withdrawn_reason" = "error"
  WHERE "status" = 'cancelled'
    AND "error" IN ('review_deleted', 'review_closed', 'check_in_turned_off', 'quiet_week',
                    'digest_already_posted', 'app_uninstalled', 'tokens_revoked');--> statement-breakpoint
-- Withdrawn without a word: by closing the review's loop, or by turning its pre-action check-in off.
UPDATE "occurrences" SET "withdrawn_reason" = 'review_closed'
  WHERE "status" = 'cancelled' AND "withdrawn_reason" IS NULL AND "error" IS NULL
    AND "review_id" IN (SELECT "id" FROM "before_action_reviews" WHERE "status" = 'closed');--> statement-breakpoint
UPDATE "occurrences" SET "withdrawn_reason" = 'check_in_turned_off'
  WHERE "status" = 'cancelled' AND "withdrawn_reason" IS NULL AND "error" IS NULL
    AND "kind" = 'pre_check_in';--> statement-breakpoint
UPDATE "occurrences" SET "error" = NULL WHERE "status" = 'cancelled';--> statement-breakpoint
-- Given up after the last attempt: Slack's last code stays, and the flag says so.
UPDATE "occurrences" SET "error" = substr("error", length('gave_up:') + 1), "given_up" = true
  WHERE "error" LIKE 'gave\_up:%';--> statement-breakpoint
-- Missed and postponed rows say so by their status alone.
UPDATE "occurrences" SET "error" = NULL WHERE "error" IN ('past_grace_window', 'summary_pending');--> statement-breakpoint
UPDATE "before_action_reviews" SET "summary_post_error" = substr("summary_post_error", length('gave_up:') + 1)
  WHERE "summary_post_error" LIKE 'gave\_up:%';--> statement-breakpoint
UPDATE "after_action_reviews" SET "summary_post_error" = substr("summary_post_error", length('gave_up:') + 1)
  WHERE "summary_post_error" LIKE 'gave\_up:%';
