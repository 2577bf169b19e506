import { and, asc, eq, gte, inArray, isNotNull, isNull, lt, or, sql } from 'drizzle-orm';
import type { PortraitReview } from '../../domain/portrait.js';
import { hypothesisSentence } from '../../domain/review.js';
import type { Database } from '../client.js';
import {
  beforeActionReviews,
  CHECK_IN_KINDS,
  channelSettings,
  learningQuestions,
  occurrences,
  RHYTHM_KINDS,
  WORKFLOW_PROMPT_KINDS,
} from '../schema.js';
import { inWorkspace, type WorkspaceScope } from './scope.js';

/**
 * Before-action reviews a portrait reads: those started since `since`, and any older ones still open.
 * Reviews older than `since` that a revised-hypothesis chain runs through are left out: a chain is
 * followed back as far as `since`.
 */
export async function portraitReviews(
  db: Database,
  scope: WorkspaceScope,
  channelId: string,
  since: Date,
): Promise<PortraitReview[]> {
  const rows = await db
    .select()
    .from(beforeActionReviews)
    .where(
      and(
        inWorkspace(beforeActionReviews, scope),
        eq(beforeActionReviews.channelId, channelId),
        or(gte(beforeActionReviews.createdAt, since), eq(beforeActionReviews.status, 'open')),
      ),
    )
    .orderBy(asc(beforeActionReviews.createdAt));
  return rows.map((row) => ({
    id: row.id,
    action: row.action,
    anticipatedChallenges: row.anticipatedChallenges,
    hypothesis: hypothesisSentence({
      action: row.hypothesisIf,
      expectation: row.hypothesisThen,
      because: row.hypothesisBecause,
    }),
    status: row.status,
    lookBackOn: row.lookBackOn,
    questionId: row.questionId,
    fromAfterActionReviewId: row.fromAfterActionReviewId,
    createdAt: row.createdAt,
    link: row.summaryTs ? { channelId, ts: row.summaryTs } : null,
  }));
}

/** Posts that ask the team something: rhythm prompts, check-ins, digests and what workflows ask. */
const ASKING_KINDS = [
  ...RHYTHM_KINDS,
  ...CHECK_IN_KINDS,
  // A workflow asking the team to start a review, or asking it a question, prompts it as much as a rhythm.
  'workflow_review',
  ...WORKFLOW_PROMPT_KINDS,
] as const;

/** When the app asked the channel something between `from` and `to`. */
export async function promptTimes(
  db: Database,
  scope: WorkspaceScope,
  channelId: string,
  window: { start: Date; end: Date },
): Promise<Date[]> {
  const rows = await db
    .select({ postedAt: occurrences.postedAt })
    .from(occurrences)
    .where(
      and(
        inWorkspace(occurrences, scope),
        eq(occurrences.channelId, channelId),
        inArray(occurrences.kind, ASKING_KINDS),
        isNotNull(occurrences.postedAt),
        gte(occurrences.postedAt, window.start),
        lt(occurrences.postedAt, window.end),
      ),
    );
  return rows.flatMap((row) => (row.postedAt ? [row.postedAt] : []));
}

/** A channel's learning questions that were live at some time after `since`, retired ones too. */
export async function portraitQuestions(
  db: Database,
  scope: WorkspaceScope,
  channelId: string,
  since: Date,
): Promise<{ id: string; text: string; createdAt: Date; retiredAt: Date | null }[]> {
  return db
    .select({
      id: learningQuestions.id,
      text: learningQuestions.text,
      createdAt: learningQuestions.createdAt,
      retiredAt: learningQuestions.retiredAt,
    })
    .from(learningQuestions)
    .where(
      and(
        inWorkspace(learningQuestions, scope),
        eq(learningQuestions.channelId, channelId),
        or(isNull(learningQuestions.retiredAt), gte(learningQuestions.retiredAt, since)),
      ),
    )
    .orderBy(asc(learningQuestions.createdAt), asc(learningQuestions.id));
}

/**
 * The channels the app knows in a workspace, with their time zone: those with settings (rhythms), and
 * those with reviews, which keep the zone their latest review was written in.
 */
export async function knownChannels(
  db: Database,
  scope: WorkspaceScope,
): Promise<{ channelId: string; timeZone: string }[]> {
  const [settled, reviewed] = await Promise.all([
    db
      .select({ channelId: channelSettings.channelId, timeZone: channelSettings.timeZone })
      .from(channelSettings)
      .where(inWorkspace(channelSettings, scope)),
    db
      .selectDistinctOn([beforeActionReviews.channelId], {
        channelId: beforeActionReviews.channelId,
        timeZone: beforeActionReviews.timeZone,
      })
      .from(beforeActionReviews)
      .where(inWorkspace(beforeActionReviews, scope))
      .orderBy(beforeActionReviews.channelId, sql`${beforeActionReviews.createdAt} desc`),
  ]);
  const channels = new Map<string, string>();
  for (const row of reviewed) channels.set(row.channelId, row.timeZone);
  for (const row of settled) channels.set(row.channelId, row.timeZone);
  return [...channels]
    .map(([channelId, timeZone]) => ({ channelId, timeZone }))
    .sort((a, b) => (a.channelId < b.channelId ? -1 : 1));
}
