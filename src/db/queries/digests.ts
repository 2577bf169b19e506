import { and, asc, desc, eq, gte, isNotNull, isNull, lt, ne, or, sql } from 'drizzle-orm';
import type {
  AnswerRecord,
  NoteRecord,
  ReviewRecord,
  SkipCounts,
  WeekSummary,
} from '../../domain/digest/analyse.js';
import type { PortraitAfterAction } from '../../domain/portrait.js';
import type { Database } from '../client.js';
import {
  afterActionReviews,
  beforeActionReviews,
  type Digest,
  digests,
  learningNotes,
  occurrences,
  responses,
  type SkipReason,
  skips,
} from '../schema.js';
import { reviewLookedBackOn } from './after-action.js';
import { lockPersonInChannel } from './responses.js';
import { inWorkspace, joinWithin, type WorkspaceScope, workspaceOf } from './scope.js';

const WEEK_MS = 7 * 86_400_000;

export interface Window {
  start: Date;
  end: Date;
}

/** A digest's window, and where it stops counting anonymous answers when that is earlier than its end. */
export interface AnswerWindow extends Window {
  anonymousBefore?: Date;
}

/** Written answers in a channel (a check-in's confidence is a number, not words, and is left out). */
function answersIn(scope: WorkspaceScope, channelId: string, from: Date, to: Date) {
  return and(
    inWorkspace(responses, scope),
    eq(responses.channelId, channelId),
    gte(responses.createdAt, from),
    lt(responses.createdAt, to),
    isNull(responses.confidence),
  );
}

/** The week's answers, with what each quote should link to. */
export async function digestAnswers(
  db: Database,
  scope: WorkspaceScope,
  channelId: string,
  window: AnswerWindow,
): Promise<AnswerRecord[]> {
  const anonymousBefore = window.anonymousBefore;
  const rows = await db
    .select({
      id: responses.id,
      kind: responses.kind,
      userId: responses.userId,
      text: responses.text,
      terms: responses.terms,
      sentiment: responses.sentiment,
      createdAt: responses.createdAt,
      questionId: responses.questionId,
      quotable: responses.quotable,
      sourceKey: responses.sourceKey,
      promptTs: occurrences.messageTs,
    })
    .from(responses)
    .innerJoin(occurrences, joinWithin(occurrences, occurrences.id, responses, responses.occurrenceId))
    .where(
      and(
        answersIn(scope, channelId, window.start, window.end),
        anonymousBefore
          ? or(isNotNull(responses.userId), lt(responses.createdAt, anonymousBefore))
          : undefined,
      ),
    );
  return rows.map(({ sourceKey, promptTs, ...row }) => {
    // A thread reply links to itself; an answer given in a modal links to the prompt it answered.
    const ts = sourceKey?.startsWith('message:') ? sourceKey.slice('message:'.length) : promptTs;
    return { ...row, link: ts ? { channelId, ts } : null };
  });
}

/** Answers saved before terms were stored with them; a digest works them out once and keeps them. */
export async function answersWithoutTerms(
  db: Database,
  scope: WorkspaceScope,
  channelId: string,
  window: Window,
  limit: number,
): Promise<{ id: string; text: string }[]> {
  return db
    .select({ id: responses.id, text: responses.text })
    .from(responses)
    .where(and(answersIn(scope, channelId, window.start, window.end), isNull(responses.terms)))
    .limit(limit);
}

export async function storeAnswerTerms(
  db: Database,
  scope: WorkspaceScope,
  answer: { id: string; terms: string[]; sentiment: number },
): Promise<void> {
  await db
    .update(responses)
    .set({ terms: answer.terms, sentiment: answer.sentiment })
    .where(and(inWorkspace(responses, scope), eq(responses.id, answer.id)));
}

/**
 * The `weeks` weeks before `end`'s own week, summarised by the database: counts per week and, per
 * term, how many answers used it. Texts never leave the database, so a long history stays cheap.
 * Oldest week first; weeks without answers are included with zeros.
 */
export async function weeklyHistory(
  db: Database,
  scope: WorkspaceScope,
  channelId: string,
  end: Date,
  weeks: number,
): Promise<WeekSummary[]> {
  const from = new Date(end.getTime() - (weeks + 1) * WEEK_MS);
  const to = new Date(end.getTime() - WEEK_MS);
  const fromIso = from.toISOString();
  // Counted up from the oldest edge, so each week is half-open like the window: a row exactly on a
  // boundary (anonymous answers keep only the hour) falls in the later week, as it would in the window.
  const weeksAgo = (column: typeof responses.createdAt | typeof skips.createdAt) =>
    sql<number>`(${weeks} - floor(extract(epoch from (${column} - ${fromIso}::timestamptz)) / 604800))::int`.mapWith(
      Number,
    );
  const where = answersIn(scope, channelId, from, to);
  const [totals, terms, skipped] = await Promise.all([
    db
      .select({
        weeksAgo: weeksAgo(responses.createdAt),
        answers: sql<number>`count(*)::int`.mapWith(Number),
        voices: sql<number>`count(distinct ${responses.userId})::int`.mapWith(Number),
        anonymous: sql<number>`(count(*) filter (where ${responses.userId} is null))::int`.mapWith(Number),
      })
      .from(responses)
      .where(where)
      .groupBy(sql`1`),
    db
      .select({
        weeksAgo: weeksAgo(responses.createdAt),
        term: sql<string>`unnest(${responses.terms})`,
        answers: sql<number>`count(*)::int`.mapWith(Number),
      })
      .from(responses)
      .where(and(where, isNotNull(responses.terms)))
      .groupBy(sql`1`, sql`2`),
    db
      .select({
        weeksAgo: weeksAgo(skips.createdAt),
        reason: skips.reason,
        count: sql<number>`count(*)::int`.mapWith(Number),
      })
      .from(skips)
      .where(
        and(
          inWorkspace(skips, scope),
          eq(skips.channelId, channelId),
          gte(skips.createdAt, from),
          lt(skips.createdAt, to),
        ),
      )
      .groupBy(sql`1`, skips.reason),
  ]);
  const summaries: WeekSummary[] = [];
  for (let ago = weeks; ago >= 1; ago -= 1) {
    const total = totals.find((row) => row.weeksAgo === ago);
    const termAnswers = new Map<string, number>();
    for (const row of terms) if (row.weeksAgo === ago) termAnswers.set(row.term, row.answers);
    const skipCounts: SkipCounts = {};
    for (const row of skipped) if (row.weeksAgo === ago) skipCounts[row.reason] = row.count;
    summaries.push({
      start: new Date(end.getTime() - (ago + 1) * WEEK_MS),
      answers: total?.answers ?? 0,
      voices: total?.voices ?? 0,
      anonymous: total?.anonymous ?? 0,
      termAnswers,
      skips: skipCounts,
    });
  }
  return summaries;
}

export async function skipCounts(
  db: Database,
  scope: WorkspaceScope,
  channelId: string,
  window: Window,
): Promise<SkipCounts> {
  const rows = await db
    .select({ reason: skips.reason, count: sql<number>`count(*)::int`.mapWith(Number) })
    .from(skips)
    .where(
      and(
        inWorkspace(skips, scope),
        eq(skips.channelId, channelId),
        gte(skips.createdAt, window.start),
        lt(skips.createdAt, window.end),
      ),
    )
    .groupBy(skips.reason);
  return Object.fromEntries(rows.map((row) => [row.reason as SkipReason, row.count]));
}

/** Before-action reviews created since `since`, and any older ones still open. */
export async function digestReviews(
  db: Database,
  scope: WorkspaceScope,
  channelId: string,
  since: Date,
): Promise<ReviewRecord[]> {
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
    intendedResults: row.intendedResults,
    anticipatedChallenges: row.anticipatedChallenges,
    successFactors: row.successFactors,
    hypothesis: [row.hypothesisIf, row.hypothesisThen, row.hypothesisBecause ?? ''].join(' '),
    status: row.status,
    lookBackOn: row.lookBackOn,
    questionId: row.questionId,
    createdAt: row.createdAt,
    link: row.summaryTs ? { channelId, ts: row.summaryTs } : null,
  }));
}

/**
 * After-action reviews created since `since`, with what the team revised and changed: the digest reads the
 * record, a portrait all of it.
 */
export async function digestAfterActions(
  db: Database,
  scope: WorkspaceScope,
  channelId: string,
  since: Date,
): Promise<PortraitAfterAction[]> {
  const rows = await db
    .select({ after: afterActionReviews, action: beforeActionReviews.action })
    .from(afterActionReviews)
    .leftJoin(beforeActionReviews, reviewLookedBackOn)
    .where(
      and(
        inWorkspace(afterActionReviews, scope),
        eq(afterActionReviews.channelId, channelId),
        gte(afterActionReviews.createdAt, since),
      ),
    )
    .orderBy(asc(afterActionReviews.createdAt));
  return rows.map(({ after, action }) => ({
    id: after.id,
    reviewId: after.reviewId,
    action: action ?? after.intended,
    whyDifferent: after.whyDifferent,
    verdict: after.verdict,
    revisedHypothesis: after.revisedHypothesis,
    change: after.change,
    questionId: after.questionId,
    createdAt: after.createdAt,
    link: after.summaryTs ? { channelId, ts: after.summaryTs } : null,
  }));
}

export async function notesIn(
  db: Database,
  scope: WorkspaceScope,
  channelId: string,
  window: Window,
): Promise<NoteRecord[]> {
  const rows = await db
    .select()
    .from(learningNotes)
    .where(
      and(
        inWorkspace(learningNotes, scope),
        eq(learningNotes.channelId, channelId),
        gte(learningNotes.createdAt, window.start),
        lt(learningNotes.createdAt, window.end),
      ),
    )
    .orderBy(asc(learningNotes.createdAt));
  return rows.map((row) => ({
    id: row.id,
    text: row.text,
    createdAt: row.createdAt,
    link: { channelId, ts: row.messageTs },
  }));
}

/**
 * Reserves a digest edition for a channel's week by its unique key, not by a lease: whoever reserves it
 * owes its post, written as an effect in the same transaction (a scheduled digest's occurrence is that
 * effect). Returns the row when this caller holds it: just created, or created for the same scheduled
 * occurrence by an earlier try that did not finish.
 */
export async function reserveDigestEdition(
  db: Database,
  scope: WorkspaceScope,
  claim: {
    channelId: string;
    weekKey: string;
    edition: number;
    window: Window;
    occurrenceId?: string;
    requestedBy?: string;
    now: Date;
  },
): Promise<Digest | undefined> {
  const owner = {
    windowStart: claim.window.start,
    windowEnd: claim.window.end,
    occurrenceId: claim.occurrenceId ?? null,
    requestedBy: claim.requestedBy ?? null,
    updatedAt: claim.now,
  };
  const [created] = await db
    .insert(digests)
    .values({
      ...workspaceOf(scope),
      channelId: claim.channelId,
      weekKey: claim.weekKey,
      edition: claim.edition,
      ...owner,
      createdAt: claim.now,
    })
    .onConflictDoNothing()
    .returning();
  if (created || !claim.occurrenceId) return created;
  const [earlier] = await db
    .select()
    .from(digests)
    .where(
      and(
        inWorkspace(digests, scope),
        eq(digests.channelId, claim.channelId),
        eq(digests.weekKey, claim.weekKey),
        eq(digests.edition, claim.edition),
        eq(digests.occurrenceId, claim.occurrenceId),
        eq(digests.status, 'posting'),
      ),
    );
  return earlier;
}

/** The newest edition of a channel's digest for a week, if any. */
export async function latestDigestOfWeek(
  db: Database,
  scope: WorkspaceScope,
  channelId: string,
  weekKey: string,
): Promise<Digest | undefined> {
  const [latest] = await db
    .select()
    .from(digests)
    .where(and(inWorkspace(digests, scope), eq(digests.channelId, channelId), eq(digests.weekKey, weekKey)))
    .orderBy(desc(digests.edition))
    .limit(1);
  return latest;
}

export async function markDigestPosted(
  db: Database,
  digest: Digest,
  posted: { messageTs: string; now: Date },
): Promise<void> {
  await db
    .update(digests)
    .set({ status: 'posted', messageTs: posted.messageTs, updatedAt: posted.now })
    .where(eq(digests.id, digest.id));
}

/** What reached a digest's thread: its evidence (the message's ts) or its chart (the file's id). */
export async function recordDigestThreadPart(
  db: Database,
  digestId: string,
  part: { detailsTs: string | null } | { chartFileId: string | null },
  now: Date,
): Promise<void> {
  await db
    .update(digests)
    .set({ ...part, updatedAt: now })
    .where(eq(digests.id, digestId));
}

/** A digest by id, for the effects that follow it. */
export async function findDigest(
  db: Database,
  scope: WorkspaceScope,
  digestId: string,
): Promise<Digest | undefined> {
  const [row] = await db
    .select()
    .from(digests)
    .where(and(inWorkspace(digests, scope), eq(digests.id, digestId)));
  return row;
}

/** A digest this posting process gave up on leaves its edition free for the next try. */
export async function releaseDigest(db: Database, digest: Digest): Promise<void> {
  await db.delete(digests).where(and(eq(digests.id, digest.id), eq(digests.status, 'posting')));
}

export async function findDigestByMessage(
  db: Database,
  scope: WorkspaceScope,
  channelId: string,
  messageTs: string,
): Promise<Digest | undefined> {
  const [found] = await db
    .select()
    .from(digests)
    .where(
      and(inWorkspace(digests, scope), eq(digests.channelId, channelId), eq(digests.messageTs, messageTs)),
    );
  return found;
}

/** Stores a reply in a digest's thread once; a replayed message finds the first copy. */
export async function recordLearningNote(
  db: Database,
  scope: WorkspaceScope,
  note: { digestId: string; channelId: string; userId: string; text: string; messageTs: string; now: Date },
): Promise<string | undefined> {
  const { now, ...row } = note;
  const inserted = await db
    .insert(learningNotes)
    .values({ ...workspaceOf(scope), ...row, createdAt: now, updatedAt: now })
    .onConflictDoNothing()
    .returning({ id: learningNotes.id });
  return inserted[0]?.id;
}

/** Whether a learning note just stored is its author's first in the channel, as with thread replies. */
export async function isFirstLearningNoteInChannel(
  tx: Database,
  scope: WorkspaceScope,
  note: { noteId: string; channelId: string; userId: string },
): Promise<boolean> {
  await lockPersonInChannel(tx, scope, { purpose: 'first-learning-note', ...note });
  const earlier = await tx
    .select({ id: learningNotes.id })
    .from(learningNotes)
    .where(
      and(
        inWorkspace(learningNotes, scope),
        eq(learningNotes.channelId, note.channelId),
        eq(learningNotes.userId, note.userId),
        ne(learningNotes.id, note.noteId),
      ),
    )
    .limit(1);
  return earlier.length === 0;
}

/** A learning note follows its message: edited with it, and gone when it is deleted. */
export async function changeLearningNote(
  db: Database,
  scope: WorkspaceScope,
  change: { channelId: string; messageTs: string; text: string | null; now: Date },
): Promise<boolean> {
  const where = and(
    inWorkspace(learningNotes, scope),
    eq(learningNotes.channelId, change.channelId),
    eq(learningNotes.messageTs, change.messageTs),
  );
  const changed =
    change.text === null
      ? await db.delete(learningNotes).where(where).returning({ id: learningNotes.id })
      : await db
          .update(learningNotes)
          .set({ text: change.text, updatedAt: change.now })
          .where(where)
          .returning({ id: learningNotes.id });
  return changed.length > 0;
}
