import {
  type AnyPgColumn,
  boolean,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  real,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { WITHDRAWN_REASONS } from '../domain/occurrence-outcome.js';

export const REVIEW_STATUSES = ['open', 'closed'] as const;

/**
 * The Enterprise Grid organisation a workspace belongs to, or '' for a workspace outside one. Never null,
 * so that one equality test scopes a query to (team, enterprise).
 */
function enterpriseColumn() {
  return text('enterprise_id').notNull().default('');
}

/** When a row was made and last changed; fresh builders for each table that spreads them in. */
function timestamps() {
  return {
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  };
}

export const beforeActionReviews = pgTable(
  'before_action_reviews',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    teamId: text('team_id').notNull(),
    enterpriseId: enterpriseColumn(),
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
    // The learning question this review serves, if the channel has any.
    questionId: uuid('question_id'),
    // The day of the action itself, when the team asked for a pre-action check-in on it.
    checkInOn: date('check_in_on', { mode: 'string' }),
    // The after-action review whose revised hypothesis this review started from.
    fromAfterActionReviewId: uuid('from_after_action_review_id'),
    ...timestamps(),
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
    enterpriseId: enterpriseColumn(),
    userId: text('user_id').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.reviewId, table.userId] }),
    index('review_people_user').on(table.teamId, table.userId),
  ],
);

export type BeforeActionReview = typeof beforeActionReviews.$inferSelect;
export type NewBeforeActionReview = typeof beforeActionReviews.$inferInsert;

/** A message as it is stored for later delivery: Block Kit blocks as Slack takes them. */
export interface StoredMessage {
  text: string;
  blocks?: unknown[];
}

/** The voices chart of a digest, as it is drawn when its effect is delivered. */
export interface StoredChart {
  weeks: Array<{ label: string; voices: number; anonymous: number }>;
  members: number | null;
  filename: string;
  title: string;
  altText: string;
}

/** A digest as composed: its top message, and what follows in its thread. */
export interface StoredDigest {
  top: StoredMessage;
  details: StoredMessage;
  chart: StoredChart;
}

/** What an effect carries besides its columns, by kind. */
export type EffectPayload =
  | { summaryOf: { target: 'before' | 'after'; id: string } }
  | { removal: { ts: string; replaceWith: 'before' | 'after' | null } }
  | { notice: StoredMessage }
  | { details: StoredMessage }
  | { chart: StoredChart }
  | { requestedDigest: StoredDigest }
  | { reaction: { ts: string } }
  /** The quarter to bring up to date (null: every one), and the digest thread a file goes in. */
  | { history: { quarterKey: string | null; threadTs: string | null } }
  /** What a workflow step asked for: the review its message offers to start, as the workflow filled it in. */
  | { workflowReview: WorkflowReviewInvitation }
  /**
   * How a workflow run ends: completed (its outputs; the link to the step's message is looked up as it is
   * sent) or failed with the sentence Slackbot gives the person who ran the workflow.
   */
  | { completion: { executionId: string; outputs?: Record<string, string>; error?: string } };

/** A review a workflow step invites the channel to start; the button on its message opens the form. */
export type WorkflowReviewInvitation =
  | { target: 'before'; action: string; people: string[]; lookBackOn: string | null }
  | { target: 'after'; reviewId: string | null };

export const RHYTHM_KINDS = ['week_ahead', 'mid_week', 'look_back', 'digest'] as const;
export type RhythmKind = (typeof RHYTHM_KINDS)[number];
export const OCCURRENCE_STATUSES = ['pending', 'claimed', 'posted', 'missed', 'failed', 'cancelled'] as const;
/** Check-ins belong to a before-action review rather than to a rhythm. */
export const CHECK_IN_KINDS = ['pre_check_in', 'post_check_in', 'aar_reminder'] as const;
export type CheckInKind = (typeof CHECK_IN_KINDS)[number];
/** A review's summary in its channel, posted through the same pipeline as every other message. */
export const SUMMARY_KINDS = ['summary', 'aar_summary'] as const;
export type SummaryKind = (typeof SUMMARY_KINDS)[number];
/**
 * What follows from something a person did, written in the transaction that stored it: delivered
 * however late, never missed, and never a prompt or check-in that replies answer.
 */
export const EFFECT_KINDS = [
  ...SUMMARY_KINDS,
  // A perspective's message in its review's thread, posted or rewritten as it now stands.
  'perspective',
  // A review's summary rewritten in place (an edit, a perspective added, changed or removed).
  'summary_update',
  // A message whose row is gone: deleted, or replaced by a note that it was deleted.
  'message_removal',
  // A direct message telling a person that something they own could not be posted.
  'notice',
  // The one welcome a channel gets when the app is added to it.
  'welcome',
  // A digest someone asked for by hand, composed when they asked.
  'requested_digest',
  // A posted digest's evidence and voices chart, in its thread.
  'digest_details',
  'digest_chart',
  // The reaction on a person's thread reply that says it was saved as a reflection.
  'reply_reaction',
  // The channel's learning history canvas, made when a steward turns it on and brought up to date
  // after each digest.
  'history_canvas',
  // The same learning history as a Markdown file in the channel, where Slack refuses canvases.
  'history_file',
  // A workflow's message inviting the channel to start a before- or after-action review.
  'workflow_review',
  // The end of a workflow run, sent once its step's message was posted or refused, or its inputs read.
  'workflow_completion',
] as const;
export type EffectKind = (typeof EFFECT_KINDS)[number];
/**
 * A reflection question a workflow asked: a prompt like a rhythm's, so replies, private and anonymous
 * answers and skips attach to it and the digest counts them, but posted because a workflow ran.
 */
export const WORKFLOW_PROMPT_KINDS = ['workflow_prompt'] as const;
export const OCCURRENCE_KINDS = [
  ...RHYTHM_KINDS,
  ...CHECK_IN_KINDS,
  ...EFFECT_KINDS,
  ...WORKFLOW_PROMPT_KINDS,
] as const;
export type OccurrenceKind = (typeof OCCURRENCE_KINDS)[number];
export const RESPONSE_KINDS = ['thread', 'private', 'anonymous'] as const;
export const SKIP_REASONS = ['not_relevant', 'no_capacity', 'not_safe', 'other'] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

/** A channel's calendar: the zone and days its rhythms keep, and who looks after them. */
export const channelSettings = pgTable(
  'channel_settings',
  {
    teamId: text('team_id').notNull(),
    enterpriseId: enterpriseColumn(),
    channelId: text('channel_id').notNull(),
    timeZone: text('time_zone').notNull(),
    workDays: integer('work_days').array().notNull(),
    pauseUntil: date('pause_until', { mode: 'string' }),
    skipDates: text('skip_dates').array().notNull().default([]),
    stewardId: text('steward_id').notNull(),
    // Set when Slack refused a post (archived, removed): rhythms stop until someone saves them again.
    pausedReason: text('paused_reason'),
    pausedAt: timestamp('paused_at', { withTimezone: true }),
    ...timestamps(),
  },
  (table) => [primaryKey({ columns: [table.teamId, table.channelId] })],
);

/**
 * The app's own standing in a channel it has been in: one welcome per channel, ever (the primary key is
 * the guard), and whether it has since been removed.
 */
export const channelWelcomes = pgTable(
  'channel_welcomes',
  {
    teamId: text('team_id').notNull(),
    enterpriseId: enterpriseColumn(),
    channelId: text('channel_id').notNull(),
    welcomedAt: timestamp('welcomed_at', { withTimezone: true }).notNull().defaultNow(),
    // Set when the app is removed from the channel, cleared when it is back: while set, nothing of the
    // app's own is posted there, though Slack would take it in a public channel.
    appRemovedAt: timestamp('app_removed_at', { withTimezone: true }),
  },
  (table) => [primaryKey({ columns: [table.teamId, table.channelId] })],
);

export const rhythms = pgTable(
  'rhythms',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    teamId: text('team_id').notNull(),
    enterpriseId: enterpriseColumn(),
    channelId: text('channel_id').notNull(),
    kind: text('kind', { enum: RHYTHM_KINDS }).notNull(),
    enabled: boolean('enabled').notNull(),
    days: integer('days').array().notNull(),
    localTime: text('local_time').notNull(),
    // The next instant this rhythm falls due; null when off or paused. The scheduler reads only this.
    nextDueAt: timestamp('next_due_at', { withTimezone: true }),
    updatedBy: text('updated_by').notNull(),
    ...timestamps(),
  },
  (table) => [
    uniqueIndex('rhythms_channel_kind').on(table.teamId, table.channelId, table.kind),
    index('rhythms_next_due').on(table.nextDueAt),
  ],
);

/** One row per (rhythm, due instant): the unique key is what makes every prompt post at most once. */
export const occurrences = pgTable(
  'occurrences',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    teamId: text('team_id').notNull(),
    enterpriseId: enterpriseColumn(),
    channelId: text('channel_id').notNull(),
    rhythmId: uuid('rhythm_id').references(() => rhythms.id, { onDelete: 'cascade' }),
    reviewId: uuid('review_id').references(() => beforeActionReviews.id, { onDelete: 'cascade' }),
    // Set only for an after-action review's summary: such a review may have no before-action review.
    afterActionReviewId: uuid('after_action_review_id').references(() => afterActionReviews.id, {
      onDelete: 'cascade',
    }),
    // Kept when the perspective or digest goes, so its effect is withdrawn with a reason, not lost.
    perspectiveId: uuid('perspective_id').references((): AnyPgColumn => perspectives.id, {
      onDelete: 'set null',
    }),
    digestId: uuid('digest_id').references((): AnyPgColumn => digests.id, { onDelete: 'set null' }),
    // What an effect delivers when it cannot be read again at delivery time (its row is gone, or it
    // was fixed when the state changed): see EffectPayload.
    payload: jsonb('payload').$type<EffectPayload>(),
    // The effect's identity, from the state change that wrote it: a replayed change writes nothing new.
    effectKey: text('effect_key'),
    kind: text('kind', { enum: OCCURRENCE_KINDS }).notNull(),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    status: text('status', { enum: OCCURRENCE_STATUSES }).notNull(),
    leaseUntil: timestamp('lease_until', { withTimezone: true }),
    // New on every claim: only the current holder's updates match, so a process whose lease lapsed
    // (paused, partitioned) can neither post nor record over the one that took over.
    claimToken: uuid('claim_token'),
    attempts: integer('attempts').notNull().default(0),
    promptKey: text('prompt_key'),
    promptText: text('prompt_text'),
    messageTs: text('message_ts'),
    // Only the code Slack answered with (the last one, when it is still to be retried or was given up).
    error: text('error'),
    // Set with status `cancelled`: why it was withdrawn rather than posted.
    withdrawnReason: text('withdrawn_reason', { enum: WITHDRAWN_REASONS }),
    // Set with status `failed` when Slack kept answering with something worth retrying until the
    // attempts ran out, as opposed to refusing it outright.
    givenUp: boolean('given_up').notNull().default(false),
    postedAt: timestamp('posted_at', { withTimezone: true }),
    ...timestamps(),
  },
  (table) => [
    uniqueIndex('occurrences_rhythm_due').on(table.rhythmId, table.dueAt),
    // Each review gets each kind of check-in, and its summary, at most once.
    uniqueIndex('occurrences_review_kind').on(table.reviewId, table.kind),
    uniqueIndex('occurrences_after_action_review_kind').on(table.afterActionReviewId, table.kind),
    uniqueIndex('occurrences_effect_key').on(table.teamId, table.effectKey),
    index('occurrences_status_due').on(table.status, table.dueAt),
    index('occurrences_message').on(table.teamId, table.channelId, table.messageTs),
  ],
);

/** Prompts a channel's stewards wrote themselves; retired ones keep their history. */
export const customPrompts = pgTable(
  'custom_prompts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    teamId: text('team_id').notNull(),
    enterpriseId: enterpriseColumn(),
    channelId: text('channel_id').notNull(),
    text: text('text').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    retiredAt: timestamp('retired_at', { withTimezone: true }),
  },
  (table) => [index('custom_prompts_channel').on(table.teamId, table.channelId)],
);

export const responses = pgTable(
  'responses',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    teamId: text('team_id').notNull(),
    enterpriseId: enterpriseColumn(),
    channelId: text('channel_id').notNull(),
    occurrenceId: uuid('occurrence_id')
      .notNull()
      .references(() => occurrences.id, { onDelete: 'cascade' }),
    // Null for anonymous answers, which keep nothing that could lead back to a person.
    userId: text('user_id'),
    kind: text('kind', { enum: RESPONSE_KINDS }).notNull(),
    // A pre-action check-in's "how confident are we, 1 to 5?"; null for written answers.
    confidence: integer('confidence'),
    questionId: uuid('question_id'),
    text: text('text').notNull(),
    // Where a response came from, so a replay finds the first copy: "message:<ts>" for a thread reply,
    // and "private:<occurrence id>:<user id>" for a private answer, one per person per prompt, which
    // answering again edits. Null for anonymous answers for the same reason as user_id.
    sourceKey: text('source_key'),
    // What the answer is about (lemmas and noun phrases) and its tone, worked out once when it is saved,
    // so a digest counts a channel's history without reading every text again. Null for older rows.
    terms: text('terms').array(),
    sentiment: real('sentiment'),
    // A private answer may be quoted (never with a name) in the digest only when its author said so.
    quotable: boolean('quotable').notNull().default(false),
    ...timestamps(),
  },
  (table) => [
    uniqueIndex('responses_source').on(table.teamId, table.channelId, table.sourceKey),
    index('responses_occurrence').on(table.occurrenceId),
    index('responses_channel_created').on(table.teamId, table.channelId, table.createdAt),
  ],
);

export const skips = pgTable(
  'skips',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    teamId: text('team_id').notNull(),
    enterpriseId: enterpriseColumn(),
    channelId: text('channel_id').notNull(),
    occurrenceId: uuid('occurrence_id')
      .notNull()
      .references(() => occurrences.id, { onDelete: 'cascade' }),
    userId: text('user_id').notNull(),
    reason: text('reason', { enum: SKIP_REASONS }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex('skips_person').on(table.occurrenceId, table.userId)],
);

/** Event ids already handled: Slack re-delivers events it thinks failed, with the same id. */
export const processedEvents = pgTable(
  'processed_events',
  {
    eventId: text('event_id').primaryKey(),
    teamId: text('team_id').notNull(),
    enterpriseId: enterpriseColumn(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('processed_events_received').on(table.receivedAt)],
);

export type ChannelSettings = typeof channelSettings.$inferSelect;
export type Rhythm = typeof rhythms.$inferSelect;
export type Occurrence = typeof occurrences.$inferSelect;
export type Response = typeof responses.$inferSelect;

/** A team's live "What will it take to …?" questions: one to five active per channel. */
export const learningQuestions = pgTable(
  'learning_questions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    teamId: text('team_id').notNull(),
    enterpriseId: enterpriseColumn(),
    channelId: text('channel_id').notNull(),
    text: text('text').notNull(),
    createdBy: text('created_by').notNull(),
    ...timestamps(),
    retiredAt: timestamp('retired_at', { withTimezone: true }),
  },
  (table) => [index('learning_questions_channel').on(table.teamId, table.channelId)],
);

export const VERDICTS = ['borne_out', 'partly', 'not_borne_out', 'too_early'] as const;
export type Verdict = (typeof VERDICTS)[number];

export const afterActionReviews = pgTable(
  'after_action_reviews',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    teamId: text('team_id').notNull(),
    enterpriseId: enterpriseColumn(),
    channelId: text('channel_id').notNull(),
    // Null for a review without a before-action review. Unique: the first to submit closes the loop.
    reviewId: uuid('review_id').references(() => beforeActionReviews.id, { onDelete: 'set null' }),
    authorId: text('author_id').notNull(),
    intended: text('intended').notNull().default(''),
    whatHappened: text('what_happened').notNull(),
    whyDifferent: text('why_different').notNull(),
    sustain: text('sustain').notNull(),
    change: text('change').notNull(),
    verdict: text('verdict', { enum: VERDICTS }),
    revisedHypothesis: text('revised_hypothesis'),
    questionId: uuid('question_id'),
    sourceViewId: text('source_view_id').notNull(),
    summaryTs: text('summary_ts'),
    summaryPostError: text('summary_post_error'),
    ...timestamps(),
  },
  (table) => [
    uniqueIndex('after_action_reviews_review').on(table.reviewId),
    uniqueIndex('after_action_reviews_source_view').on(table.teamId, table.sourceViewId),
    index('after_action_reviews_channel').on(table.teamId, table.channelId),
  ],
);

export const afterActionReviewPeople = pgTable(
  'after_action_review_people',
  {
    afterActionReviewId: uuid('after_action_review_id')
      .notNull()
      .references(() => afterActionReviews.id, { onDelete: 'cascade' }),
    teamId: text('team_id').notNull(),
    enterpriseId: enterpriseColumn(),
    userId: text('user_id').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.afterActionReviewId, table.userId] }),
    index('after_action_review_people_user').on(table.teamId, table.userId),
  ],
);

export const PERSPECTIVE_TARGETS = ['before', 'after'] as const;
export type PerspectiveTarget = (typeof PERSPECTIVE_TARGETS)[number];

/** Someone's own answers to a review's questions ("speak in rounds"), threaded under its summary. */
export const perspectives = pgTable(
  'perspectives',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    teamId: text('team_id').notNull(),
    enterpriseId: enterpriseColumn(),
    channelId: text('channel_id').notNull(),
    target: text('target', { enum: PERSPECTIVE_TARGETS }).notNull(),
    beforeActionReviewId: uuid('before_action_review_id').references(() => beforeActionReviews.id, {
      onDelete: 'cascade',
    }),
    afterActionReviewId: uuid('after_action_review_id').references(() => afterActionReviews.id, {
      onDelete: 'cascade',
    }),
    // Null for anonymous perspectives, which keep nothing that could lead back to a person.
    userId: text('user_id'),
    answers: jsonb('answers').$type<Record<string, string>>().notNull(),
    sourceViewId: text('source_view_id'),
    messageTs: text('message_ts'),
    ...timestamps(),
  },
  (table) => [
    uniqueIndex('perspectives_source_view').on(table.teamId, table.sourceViewId),
    index('perspectives_before').on(table.beforeActionReviewId),
    index('perspectives_after').on(table.afterActionReviewId),
  ],
);

export type LearningQuestion = typeof learningQuestions.$inferSelect;
export type AfterActionReview = typeof afterActionReviews.$inferSelect;
export type Perspective = typeof perspectives.$inferSelect;

export const DIGEST_STATUSES = ['posting', 'posted'] as const;

/**
 * One row per channel, digest week and edition. Edition 0 is the week's digest, whoever posts it
 * first (the schedule or someone asking for it now); further editions are posted only when a person
 * confirms. The unique key is what keeps a second tick or replica from posting the week twice.
 */
export const digests = pgTable(
  'digests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    teamId: text('team_id').notNull(),
    enterpriseId: enterpriseColumn(),
    channelId: text('channel_id').notNull(),
    // The ISO week, in the channel's time zone, the digest was posted in: "2026-W47".
    weekKey: text('week_key').notNull(),
    edition: integer('edition').notNull().default(0),
    // The scheduled occurrence that posts it, or the person who asked for it.
    occurrenceId: uuid('occurrence_id').references(() => occurrences.id, { onDelete: 'set null' }),
    requestedBy: text('requested_by'),
    windowStart: timestamp('window_start', { withTimezone: true }).notNull(),
    windowEnd: timestamp('window_end', { withTimezone: true }).notNull(),
    status: text('status', { enum: DIGEST_STATUSES }).notNull().default('posting'),
    messageTs: text('message_ts'),
    detailsTs: text('details_ts'),
    chartFileId: text('chart_file_id'),
    ...timestamps(),
  },
  (table) => [
    uniqueIndex('digests_week_edition').on(table.teamId, table.channelId, table.weekKey, table.edition),
    index('digests_message').on(table.teamId, table.channelId, table.messageTs),
  ],
);

/** The team's replies in a digest's thread: what they noticed, brought back in the next digest. */
export const learningNotes = pgTable(
  'learning_notes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    teamId: text('team_id').notNull(),
    enterpriseId: enterpriseColumn(),
    channelId: text('channel_id').notNull(),
    digestId: uuid('digest_id')
      .notNull()
      .references(() => digests.id, { onDelete: 'cascade' }),
    userId: text('user_id').notNull(),
    text: text('text').notNull(),
    messageTs: text('message_ts').notNull(),
    ...timestamps(),
  },
  (table) => [
    uniqueIndex('learning_notes_message').on(table.teamId, table.channelId, table.messageTs),
    index('learning_notes_channel_created').on(table.teamId, table.channelId, table.createdAt),
  ],
);

export const DIGEST_ITEM_VOTES = ['useful', 'not_useful'] as const;
export type DigestItemVote = (typeof DIGEST_ITEM_VOTES)[number];

/**
 * Whether an item of a digest's details helped: one vote per person per item, which they may change.
 * Votes are only ever counted; the person's id is kept so a second click changes their vote rather than
 * adding one, and so forgetting them takes their votes.
 */
export const digestItemVotes = pgTable(
  'digest_item_votes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    teamId: text('team_id').notNull(),
    enterpriseId: enterpriseColumn(),
    channelId: text('channel_id').notNull(),
    digestId: uuid('digest_id')
      .notNull()
      .references(() => digests.id, { onDelete: 'cascade' }),
    // Built from the analysis by digestItemKey: "theme:handover", "voices", "skips:not_safe".
    itemKey: text('item_key').notNull(),
    userId: text('user_id').notNull(),
    vote: text('vote', { enum: DIGEST_ITEM_VOTES }).notNull(),
    ...timestamps(),
  },
  (table) => [
    uniqueIndex('digest_item_votes_person').on(table.teamId, table.digestId, table.itemKey, table.userId),
    index('digest_item_votes_user').on(table.teamId, table.userId),
  ],
);

export type Digest = typeof digests.$inferSelect;
export type LearningNote = typeof learningNotes.$inferSelect;
export type DigestItemVoteRow = typeof digestItemVotes.$inferSelect;

/**
 * One row per installation: a workspace, or an Enterprise Grid organisation installed org-wide. The
 * installation Bolt hands over (tokens included) is kept only encrypted, with the id of the key that
 * sealed it so keys can be rotated. Uninstalling clears the secret and starts the retention clock.
 */
export const installations = pgTable(
  'installations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    // '' rather than null, so the unique key below also holds for org-wide installs (no team) and plain workspaces (no org).
    teamId: text('team_id').notNull().default(''),
    enterpriseId: text('enterprise_id').notNull().default(''),
    isEnterpriseInstall: boolean('is_enterprise_install').notNull().default(false),
    botUserId: text('bot_user_id'),
    keyId: text('key_id'),
    sealedInstallation: text('sealed_installation'),
    // When the bot token stops working and must be refreshed (token rotation); null when it does not expire.
    botTokenExpiresAt: timestamp('bot_token_expires_at', { withTimezone: true }),
    installedBy: text('installed_by'),
    uninstalledAt: timestamp('uninstalled_at', { withTimezone: true }),
    // After this instant the workspace's data is deleted, unless it installs the app again first.
    purgeAfter: timestamp('purge_after', { withTimezone: true }),
    ...timestamps(),
  },
  (table) => [uniqueIndex('installations_workspace').on(table.enterpriseId, table.teamId)],
);

/** Who may change a channel's rhythm, prompts and learning questions, besides workspace admins and owners. */
export const channelStewards = pgTable(
  'channel_stewards',
  {
    teamId: text('team_id').notNull(),
    enterpriseId: enterpriseColumn(),
    channelId: text('channel_id').notNull(),
    userId: text('user_id').notNull(),
    addedBy: text('added_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.teamId, table.channelId, table.userId] })],
);

export type Installation = typeof installations.$inferSelect;

/**
 * A channel's living learning history: the canvas the app keeps once a steward turns it on. One per
 * channel, as Slack allows one channel canvas.
 */
export const historyCanvases = pgTable(
  'history_canvases',
  {
    teamId: text('team_id').notNull(),
    enterpriseId: enterpriseColumn(),
    channelId: text('channel_id').notNull(),
    // Slack's id for the channel canvas, once made (or found, when the channel already had one).
    canvasId: text('canvas_id'),
    turnedOnBy: text('turned_on_by').notNull(),
    turnedOnAt: timestamp('turned_on_at', { withTimezone: true }).notNull(),
    // Set when a steward turns it off, or when people deleted the canvas: nothing more is written to it.
    turnedOffAt: timestamp('turned_off_at', { withTimezone: true }),
    // The code Slack refused canvases with (the workspace's plan, its permissions): while set, the
    // history goes to the channel as a Markdown file instead. Turning it on again tries the canvas again.
    refusedError: text('refused_error'),
    ...timestamps(),
  },
  (table) => [primaryKey({ columns: [table.teamId, table.channelId] })],
);

export type HistoryCanvas = typeof historyCanvases.$inferSelect;

/**
 * A channel whose stewards share its after-action reviews' lessons with the workspace: they are then
 * offered in other channels' before-action review forms, labelled with this channel. No row, not shared.
 */
export const lessonSharing = pgTable(
  'lesson_sharing',
  {
    teamId: text('team_id').notNull(),
    enterpriseId: enterpriseColumn(),
    channelId: text('channel_id').notNull(),
    sharedBy: text('shared_by').notNull(),
    sharedAt: timestamp('shared_at', { withTimezone: true }).notNull(),
  },
  (table) => [primaryKey({ columns: [table.teamId, table.channelId] })],
);
