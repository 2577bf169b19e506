CREATE TABLE "history_canvases" (
	"team_id" text NOT NULL,
	"enterprise_id" text DEFAULT '' NOT NULL,
	"channel_id" text NOT NULL,
	"canvas_id" text,
	"turned_on_by" text NOT NULL,
	"turned_on_at" timestamp with time zone NOT NULL,
	"turned_off_at" timestamp with time zone,
	"refused_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "history_canvases_team_id_channel_id_pk" PRIMARY KEY("team_id","channel_id")
);
