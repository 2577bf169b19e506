import { date, index, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

export const REVIEW_STATUSES = ['open', 'closed'] as const;

export const beforeActionReviews = pgTable(
  'before_action_reviews',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    teamId: text('team_id').notNull(),
    enterpriseId: text('enterprise_id'),
    channelId: text('channel_id').notNull(),
    authorId: text('author_id').notNull(),
    action: text('action').notNull(),
    intendedResults: text('intended_results').notNull(),
    anticipatedChallenges: text('anticipated_challenges').notNull(),
    lessonsFromBefore: text('lessons_from_before').notNull().default(''),
    successFactors: text('success_factors').notNull(),
    hypothesisIf: text('hypothesis_if').notNull(),
    hypothesisThen: text('hypothesis_then').notNull(),
    hypothesisBecause: text('hypothesis_because'),
    lookBackOn: date('look_back_on', { mode: 'string' }).notNull(),
    timeZone: text('time_zone').notNull(),
    status: text('status', { enum: REVIEW_STATUSES }).notNull().default('open'),
    // The modal's view id: a replayed submission of the same modal finds this row instead of storing twice.
    sourceViewId: text('source_view_id').notNull(),
    summaryTs: text('summary_ts'),
    summaryPostError: text('summary_post_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('before_action_reviews_source_view').on(table.teamId, table.sourceViewId),
    index('before_action_reviews_channel_status').on(table.teamId, table.channelId, table.status),
    index('before_action_reviews_author').on(table.teamId, table.authorId),
  ],
);

export const reviewPeople = pgTable(
  'review_people',
  {
    reviewId: uuid('review_id')
      .notNull()
      .references(() => beforeActionReviews.id, { onDelete: 'cascade' }),
    teamId: text('team_id').notNull(),
    userId: text('user_id').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.reviewId, table.userId] }),
    index('review_people_user').on(table.teamId, table.userId),
  ],
);

export type BeforeActionReview = typeof beforeActionReviews.$inferSelect;
export type NewBeforeActionReview = typeof beforeActionReviews.$inferInsert;
