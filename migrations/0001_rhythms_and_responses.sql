CREATE TABLE "channel_settings" (
	"team_id" text NOT NULL,
	"enterprise_id" text,
	"channel_id" text NOT NULL,
	"time_zone" text NOT NULL,
	"work_days" integer[] NOT NULL,
	"pause_until" date,
	"skip_dates" text[] DEFAULT '{}' NOT NULL,
	"steward_id" text NOT NULL,
	"paused_reason" text,
	"paused_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "channel_settings_team_id_channel_id_pk" PRIMARY KEY("team_id","channel_id")
);
--> statement-breakpoint
CREATE TABLE "channel_welcomes" (
	"team_id" text NOT NULL,
	"channel_id" text NOT NULL,
	"welcomed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "channel_welcomes_team_id_channel_id_pk" PRIMARY KEY("team_id","channel_id")
);
--> statement-breakpoint
CREATE TABLE "custom_prompts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"team_id" text NOT NULL,
	"channel_id" text NOT NULL,
	"text" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"retired_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "occurrences" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"team_id" text NOT NULL,
	"channel_id" text NOT NULL,
	"rhythm_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"status" text NOT NULL,
	"lease_until" timestamp with time zone,
	"claim_token" uuid,
	"attempts" integer DEFAULT 0 NOT NULL,
	"prompt_key" text,
	"prompt_text" text,
	"message_ts" text,
	"error" text,
	"posted_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "processed_events" (
	"event_id" text PRIMARY KEY NOT NULL,
	"team_id" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "responses" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"team_id" text NOT NULL,
	"channel_id" text NOT NULL,
	"occurrence_id" uuid NOT NULL,
	"user_id" text,
	"kind" text NOT NULL,
	"text" text NOT NULL,
	"source_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rhythms" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"team_id" text NOT NULL,
	"enterprise_id" text,
	"channel_id" text NOT NULL,
	"kind" text NOT NULL,
	"enabled" boolean NOT NULL,
	"days" integer[] NOT NULL,
	"local_time" text NOT NULL,
	"next_due_at" timestamp with time zone,
	"updated_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "skips" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"team_id" text NOT NULL,
	"channel_id" text NOT NULL,
	"occurrence_id" uuid NOT NULL,
	"user_id" text NOT NULL,
	"reason" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "occurrences" ADD CONSTRAINT "occurrences_rhythm_id_rhythms_id_fk" FOREIGN KEY ("rhythm_id") REFERENCES "public"."rhythms"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "responses" ADD CONSTRAINT "responses_occurrence_id_occurrences_id_fk" FOREIGN KEY ("occurrence_id") REFERENCES "public"."occurrences"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "skips" ADD CONSTRAINT "skips_occurrence_id_occurrences_id_fk" FOREIGN KEY ("occurrence_id") REFERENCES "public"."occurrences"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "custom_prompts_channel" ON "custom_prompts" USING btree ("team_id","channel_id");--> statement-breakpoint
CREATE UNIQUE INDEX "occurrences_rhythm_due" ON "occurrences" USING btree ("rhythm_id","due_at");--> statement-breakpoint
CREATE INDEX "occurrences_status_due" ON "occurrences" USING btree ("status","due_at");--> statement-breakpoint
CREATE INDEX "occurrences_message" ON "occurrences" USING btree ("team_id","channel_id","message_ts");--> statement-breakpoint
CREATE INDEX "processed_events_received" ON "processed_events" USING btree ("received_at");--> statement-breakpoint
CREATE UNIQUE INDEX "responses_source" ON "responses" USING btree ("team_id","channel_id","source_key");--> statement-breakpoint
CREATE INDEX "responses_occurrence" ON "responses" USING btree ("occurrence_id");--> statement-breakpoint
CREATE UNIQUE INDEX "rhythms_channel_kind" ON "rhythms" USING btree ("team_id","channel_id","kind");--> statement-breakpoint
CREATE INDEX "rhythms_next_due" ON "rhythms" USING btree ("next_due_at");--> statement-breakpoint
CREATE UNIQUE INDEX "skips_person" ON "skips" USING btree ("occurrence_id","user_id");