CREATE TABLE "digests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"team_id" text NOT NULL,
	"channel_id" text NOT NULL,
	"week_key" text NOT NULL,
	"edition" integer DEFAULT 0 NOT NULL,
	"occurrence_id" uuid,
	"requested_by" text,
	"window_start" timestamp with time zone NOT NULL,
	"window_end" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'posting' NOT NULL,
	"message_ts" text,
	"details_ts" text,
	"chart_file_id" text,
	"follow_up_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "learning_notes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"team_id" text NOT NULL,
	"channel_id" text NOT NULL,
	"digest_id" uuid NOT NULL,
	"user_id" text NOT NULL,
	"text" text NOT NULL,
	"message_ts" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "responses" ADD COLUMN "terms" text[];--> statement-breakpoint
ALTER TABLE "responses" ADD COLUMN "sentiment" real;--> statement-breakpoint
ALTER TABLE "responses" ADD COLUMN "quotable" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "digests" ADD CONSTRAINT "digests_occurrence_id_occurrences_id_fk" FOREIGN KEY ("occurrence_id") REFERENCES "public"."occurrences"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "learning_notes" ADD CONSTRAINT "learning_notes_digest_id_digests_id_fk" FOREIGN KEY ("digest_id") REFERENCES "public"."digests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "digests_week_edition" ON "digests" USING btree ("team_id","channel_id","week_key","edition");--> statement-breakpoint
CREATE INDEX "digests_message" ON "digests" USING btree ("team_id","channel_id","message_ts");--> statement-breakpoint
CREATE UNIQUE INDEX "learning_notes_message" ON "learning_notes" USING btree ("team_id","channel_id","message_ts");--> statement-breakpoint
CREATE INDEX "learning_notes_channel_created" ON "learning_notes" USING btree ("team_id","channel_id","created_at");--> statement-breakpoint
CREATE INDEX "responses_channel_created" ON "responses" USING btree ("team_id","channel_id","created_at");