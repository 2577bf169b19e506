CREATE TABLE "before_action_reviews" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"team_id" text NOT NULL,
	"enterprise_id" text,
	"channel_id" text NOT NULL,
	"author_id" text NOT NULL,
	"action" text NOT NULL,
	"intended_results" text NOT NULL,
	"anticipated_challenges" text NOT NULL,
	"lessons_from_before" text DEFAULT '' NOT NULL,
	"success_factors" text NOT NULL,
	"hypothesis_if" text NOT NULL,
	"hypothesis_then" text NOT NULL,
	"hypothesis_because" text,
	"look_back_on" date NOT NULL,
	"time_zone" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"source_view_id" text NOT NULL,
	"summary_ts" text,
	"summary_post_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "review_people" (
	"review_id" uuid NOT NULL,
	"team_id" text NOT NULL,
	"user_id" text NOT NULL,
	CONSTRAINT "review_people_review_id_user_id_pk" PRIMARY KEY("review_id","user_id")
);
--> statement-breakpoint
ALTER TABLE "review_people" ADD CONSTRAINT "review_people_review_id_before_action_reviews_id_fk" FOREIGN KEY ("review_id") REFERENCES "public"."before_action_reviews"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "before_action_reviews_source_view" ON "before_action_reviews" USING btree ("team_id","source_view_id");--> statement-breakpoint
CREATE INDEX "before_action_reviews_channel_status" ON "before_action_reviews" USING btree ("team_id","channel_id","status");--> statement-breakpoint
CREATE INDEX "before_action_reviews_author" ON "before_action_reviews" USING btree ("team_id","author_id");--> statement-breakpoint
CREATE INDEX "review_people_user" ON "review_people" USING btree ("team_id","user_id");