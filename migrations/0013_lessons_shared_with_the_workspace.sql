CREATE TABLE "lesson_sharing" (
	"team_id" text NOT NULL,
	"enterprise_id" text DEFAULT '' NOT NULL,
	"channel_id" text NOT NULL,
	"shared_by" text NOT NULL,
	"shared_at" timestamp with time zone NOT NULL,
	CONSTRAINT "lesson_sharing_team_id_channel_id_pk" PRIMARY KEY("team_id","channel_id")
);
