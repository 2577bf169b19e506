CREATE TABLE "after_action_review_people" (
	"after_action_review_id" uuid NOT NULL,
	"team_id" text NOT NULL,
	"user_id" text NOT NULL,
	CONSTRAINT "after_action_review_people_after_action_review_id_user_id_pk" PRIMARY KEY("after_action_review_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "after_action_reviews" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"team_id" text NOT NULL,
	"enterprise_id" text,
	"channel_id" text NOT NULL,
	"review_id" uuid,
	"author_id" text NOT NULL,
	"intended" text DEFAULT '' NOT NULL,
	"what_happened" text NOT NULL,
	"why_different" text NOT NULL,
	"sustain" text NOT NULL,
	"change" text NOT NULL,
	"verdict" text,
	"revised_hypothesis" text,
	"question_id" uuid,
	"source_view_id" text NOT NULL,
	"summary_ts" text,
	"summary_post_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "learning_questions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"team_id" text NOT NULL,
	"channel_id" text NOT NULL,
	"text" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"retired_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "perspectives" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"team_id" text NOT NULL,
	"channel_id" text NOT NULL,
	"target" text NOT NULL,
	"before_action_review_id" uuid,
	"after_action_review_id" uuid,
	"user_id" text,
	"answers" jsonb NOT NULL,
	"source_view_id" text,
	"message_ts" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "occurrences" ALTER COLUMN "rhythm_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "before_action_reviews" ADD COLUMN "question_id" uuid;--> statement-breakpoint
ALTER TABLE "before_action_reviews" ADD COLUMN "check_in_on" date;--> statement-breakpoint
ALTER TABLE "before_action_reviews" ADD COLUMN "from_after_action_review_id" uuid;--> statement-breakpoint
ALTER TABLE "occurrences" ADD COLUMN "review_id" uuid;--> statement-breakpoint
ALTER TABLE "responses" ADD COLUMN "confidence" integer;--> statement-breakpoint
ALTER TABLE "responses" ADD COLUMN "question_id" uuid;--> statement-breakpoint
ALTER TABLE "after_action_review_people" ADD CONSTRAINT "after_action_review_people_after_action_review_id_after_action_reviews_id_fk" FOREIGN KEY ("after_action_review_id") REFERENCES "public"."after_action_reviews"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "after_action_reviews" ADD CONSTRAINT "after_action_reviews_review_id_before_action_reviews_id_fk" FOREIGN KEY ("review_id") REFERENCES "public"."before_action_reviews"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "perspectives" ADD CONSTRAINT "perspectives_before_action_review_id_before_action_reviews_id_fk" FOREIGN KEY ("before_action_review_id") REFERENCES "public"."before_action_reviews"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "perspectives" ADD CONSTRAINT "perspectives_after_action_review_id_after_action_reviews_id_fk" FOREIGN KEY ("after_action_review_id") REFERENCES "public"."after_action_reviews"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "after_action_review_people_user" ON "after_action_review_people" USING btree ("team_id","user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "after_action_reviews_review" ON "after_action_reviews" USING btree ("review_id");--> statement-breakpoint
CREATE UNIQUE INDEX "after_action_reviews_source_view" ON "after_action_reviews" USING btree ("team_id","source_view_id");--> statement-breakpoint
CREATE INDEX "after_action_reviews_channel" ON "after_action_reviews" USING btree ("team_id","channel_id");--> statement-breakpoint
CREATE INDEX "learning_questions_channel" ON "learning_questions" USING btree ("team_id","channel_id");--> statement-breakpoint
CREATE UNIQUE INDEX "perspectives_source_view" ON "perspectives" USING btree ("team_id","source_view_id");--> statement-breakpoint
CREATE INDEX "perspectives_before" ON "perspectives" USING btree ("before_action_review_id");--> statement-breakpoint
CREATE INDEX "perspectives_after" ON "perspectives" USING btree ("after_action_review_id");--> statement-breakpoint
ALTER TABLE "occurrences" ADD CONSTRAINT "occurrences_review_id_before_action_reviews_id_fk" FOREIGN KEY ("review_id") REFERENCES "public"."before_action_reviews"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "occurrences_review_kind" ON "occurrences" USING btree ("review_id","kind");