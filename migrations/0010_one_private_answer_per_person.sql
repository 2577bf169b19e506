-- A person keeps one private answer per prompt, found again (to edit or withdraw) under the source key
-- 'private:<occurrence id>:<user id>', which the unique index responses_source already guards.
-- Before, answering privately again stored another answer. Those answers are kept as one: the first
-- one's row, with every answer's words in the order they were given, quoted only if each of them
-- allowed it, and tagged with the newest learning question any of them named. Its terms and tone are
-- cleared, so they are worked out again from the joined words before the next digest reads them.
WITH given_again AS (
	SELECT
		(array_agg("id" ORDER BY "created_at", "id"))[1] AS "kept_id",
		string_agg("text", E'\n\n' ORDER BY "created_at", "id") AS "text",
		bool_and("quotable") AS "quotable",
		(array_agg("question_id" ORDER BY "created_at" DESC, "id" DESC) FILTER (WHERE "question_id" IS NOT NULL))[1] AS "question_id",
		max("updated_at") AS "updated_at"
	FROM "responses"
	WHERE "kind" = 'private' AND "confidence" IS NULL AND "user_id" IS NOT NULL
	GROUP BY "team_id", "enterprise_id", "channel_id", "occurrence_id", "user_id"
	HAVING count(*) > 1
)
UPDATE "responses"
SET
	"text" = given_again."text",
	"quotable" = given_again."quotable",
	"question_id" = given_again."question_id",
	"terms" = NULL,
	"sentiment" = NULL,
	"updated_at" = given_again."updated_at"
FROM given_again
WHERE "responses"."id" = given_again."kept_id";
--> statement-breakpoint
DELETE FROM "responses" AS later
WHERE later."kind" = 'private' AND later."confidence" IS NULL AND later."user_id" IS NOT NULL
	AND EXISTS (
		SELECT 1 FROM "responses" AS earlier
		WHERE earlier."kind" = 'private' AND earlier."confidence" IS NULL
			AND earlier."team_id" = later."team_id"
			AND earlier."enterprise_id" = later."enterprise_id"
			AND earlier."channel_id" = later."channel_id"
			AND earlier."occurrence_id" = later."occurrence_id"
			AND earlier."user_id" = later."user_id"
			AND (earlier."created_at", earlier."id") < (later."created_at", later."id")
	);
--> statement-breakpoint
UPDATE "responses"
SET "source_key" = 'private:' || "occurrence_id" || ':' || "user_id"
WHERE "kind" = 'private' AND "confidence" IS NULL AND "user_id" IS NOT NULL;
