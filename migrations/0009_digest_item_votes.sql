CREATE TABLE "digest_item_votes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"team_id" text NOT NULL,
	"enterprise_id" text DEFAULT '' NOT NULL,
	"channel_id" text NOT NULL,
	"digest_id" uuid NOT NULL,
	"item_key" text NOT NULL,
	"user_id" text NOT NULL,
	"vote" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "digest_item_votes" ADD CONSTRAINT "digest_item_votes_digest_id_digests_id_fk" FOREIGN KEY ("digest_id") REFERENCES "public"."digests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "digest_item_votes_person" ON "digest_item_votes" USING btree ("team_id","digest_id","item_key","user_id");--> statement-breakpoint
CREATE INDEX "digest_item_votes_user" ON "digest_item_votes" USING btree ("team_id","user_id");