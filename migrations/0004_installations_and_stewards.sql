CREATE TABLE "channel_stewards" (
	"team_id" text NOT NULL,
	"channel_id" text NOT NULL,
	"user_id" text NOT NULL,
	"added_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "channel_stewards_team_id_channel_id_user_id_pk" PRIMARY KEY("team_id","channel_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "installations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"team_id" text DEFAULT '' NOT NULL,
	"enterprise_id" text DEFAULT '' NOT NULL,
	"is_enterprise_install" boolean DEFAULT false NOT NULL,
	"bot_user_id" text,
	"key_id" text,
	"sealed_installation" text,
	"bot_token_expires_at" timestamp with time zone,
	"installed_by" text,
	"uninstalled_at" timestamp with time zone,
	"purge_after" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "installations_workspace" ON "installations" USING btree ("enterprise_id","team_id");