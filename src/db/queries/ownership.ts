import {
  and,
  asc,
  eq,
  gte,
  inArray,
  isNotNull,
  isNull,
  lt,
  ne,
  notInArray,
  or,
  type SQL,
  sql,
} from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { ExportAnswer, StoredHistory, StoredWords } from '../../domain/export-format.js';
import type { Database } from '../client.js';
import {
  afterActionReviewPeople,
  afterActionReviews,
  beforeActionReviews,
  channelSettings,
  channelStewards,
  channelWelcomes,
  customPrompts,
  digests,
  EFFECT_KINDS,
  historyCanvases,
  installations,
  learningNotes,
  learningQuestions,
  lessonSharing,
  occurrences,
  perspectives,
  responses,
  reviewPeople,
  rhythms,
  skips,
} from '../schema.js';
import { reviewLookedBackOn } from './after-action.js';
import { channelDigestTallies, countDigestItemVotesBy, deleteDigestItemVotesBy } from './digest-feedback.js';
import { inWorkspace, joinWithin, type WorkspaceScope } from './scope.js';

/** A review's summary effect goes with its review (and its message with the review's summary ts). */
const notAnEffect = notInArray(occurrences.kind, [...EFFECT_KINDS]);

/**
 * What replaces a forgotten person's id in a row that belongs to the team rather than to them: a
 * channel's settings (its steward), its rhythms, learning questions and prompts, a digest someone asked
 * for, a steward someone added, the installation. Slack user ids are never empty, so '' names nobody
 * and cannot be mistaken for anyone; the stewards' rules already read an empty founder as "none".
 */
export const FORGOTTEN_PERSON = '';

/** Everything a person wrote in one workspace; deleted when they ask the app to forget them. */
export interface PersonalWords {
  beforeActionReviews: number;
  afterActionReviews: number;
  perspectives: number;
  answers: number;
  confidence: number;
  skips: number;
  learningNotes: number;
  /** "Useful" or "Not useful" on an item of a digest. */
  digestVotes: number;
}

/** Rows that only name a person. The first three are deleted; the rest stay as the team's, unnamed. */
export interface PersonalMentions {
  reviewPeople: number;
  afterActionReviewPeople: number;
  stewardedChannels: number;
  learningQuestions: number;
  prompts: number;
  /** Rhythms last saved, digests asked for, stewards added and the installation. */
  settings: number;
}

export interface PersonalData {
  words: PersonalWords;
  mentions: PersonalMentions;
  /** What other people wrote under this person's reviews: it stays theirs, detached from the review. */
  othersUnderTheirReviews: number;
}

async function countWhere(db: Database, table: PgTable, where: SQL | undefined): Promise<number> {
  const [row] = await db.select({ count: sql<number>`count(*)::int` }).from(table).where(where);
  return row?.count ?? 0;
}

function theirReviews(db: Database, scope: WorkspaceScope, userId: string) {
  return db
    .select({ id: beforeActionReviews.id })
    .from(beforeActionReviews)
    .where(and(inWorkspace(beforeActionReviews, scope), eq(beforeActionReviews.authorId, userId)));
}

function theirAfterActions(db: Database, scope: WorkspaceScope, userId: string) {
  return db
    .select({ id: afterActionReviews.id })
    .from(afterActionReviews)
    .where(and(inWorkspace(afterActionReviews, scope), eq(afterActionReviews.authorId, userId)));
}

/** Anyone's but this person's, anonymous included (an anonymous row cannot be told apart, so it stays). */
function notBy(column: PgColumn, userId: string) {
  return or(isNull(column), ne(column, userId));
}

/** What forgetting a person would delete and change, counted the way `forgetPerson` acts. */
export async function countPersonalData(
  db: Database,
  scope: WorkspaceScope,
  userId: string,
): Promise<PersonalData> {
  const theirCheckIns = db
    .select({ id: occurrences.id })
    .from(occurrences)
    .where(
      and(
        inWorkspace(occurrences, scope),
        inArray(occurrences.reviewId, theirReviews(db, scope, userId)),
        notAnEffect,
      ),
    );
  const written = and(inWorkspace(responses, scope), eq(responses.userId, userId));
  const stewarded = await Promise.all([
    db
      .select({ channelId: channelStewards.channelId })
      .from(channelStewards)
      .where(and(inWorkspace(channelStewards, scope), eq(channelStewards.userId, userId))),
    db
      .select({ channelId: channelSettings.channelId })
      .from(channelSettings)
      .where(and(inWorkspace(channelSettings, scope), eq(channelSettings.stewardId, userId))),
  ]);
  const [
    bars,
    aars,
    ownPerspectives,
    answers,
    confidence,
    skipped,
    notes,
    named,
    namedAfter,
    questions,
    prompts,
    rhythmRows,
    digestRows,
    stewardsAdded,
    canvasesTurnedOn,
    lessonsShared,
    installed,
    othersPerspectives,
    othersAnswers,
    votes,
  ] = await Promise.all([
    countWhere(
      db,
      beforeActionReviews,
      and(inWorkspace(beforeActionReviews, scope), eq(beforeActionReviews.authorId, userId)),
    ),
    countWhere(
      db,
      afterActionReviews,
      and(inWorkspace(afterActionReviews, scope), eq(afterActionReviews.authorId, userId)),
    ),
    countWhere(db, perspectives, and(inWorkspace(perspectives, scope), eq(perspectives.userId, userId))),
    countWhere(db, responses, and(written, isNull(responses.confidence))),
    countWhere(db, responses, and(written, isNotNull(responses.confidence))),
    countWhere(db, skips, and(inWorkspace(skips, scope), eq(skips.userId, userId))),
    countWhere(db, learningNotes, and(inWorkspace(learningNotes, scope), eq(learningNotes.userId, userId))),
    countWhere(db, reviewPeople, and(inWorkspace(reviewPeople, scope), eq(reviewPeople.userId, userId))),
    countWhere(
      db,
      afterActionReviewPeople,
      and(inWorkspace(afterActionReviewPeople, scope), eq(afterActionReviewPeople.userId, userId)),
    ),
    countWhere(
      db,
      learningQuestions,
      and(inWorkspace(learningQuestions, scope), eq(learningQuestions.createdBy, userId)),
    ),
    countWhere(
      db,
      customPrompts,
      and(inWorkspace(customPrompts, scope), eq(customPrompts.createdBy, userId)),
    ),
    countWhere(db, rhythms, and(inWorkspace(rhythms, scope), eq(rhythms.updatedBy, userId))),
    countWhere(db, digests, and(inWorkspace(digests, scope), eq(digests.requestedBy, userId))),
    countWhere(
      db,
      channelStewards,
      and(inWorkspace(channelStewards, scope), eq(channelStewards.addedBy, userId)),
    ),
    countWhere(
      db,
      historyCanvases,
      and(inWorkspace(historyCanvases, scope), eq(historyCanvases.turnedOnBy, userId)),
    ),
    countWhere(db, lessonSharing, and(inWorkspace(lessonSharing, scope), eq(lessonSharing.sharedBy, userId))),
    countWhere(
      db,
      installations,
      and(inWorkspace(installations, scope), eq(installations.installedBy, userId)),
    ),
    countWhere(
      db,
      perspectives,
      and(
        inWorkspace(perspectives, scope),
        notBy(perspectives.userId, userId),
        or(
          inArray(perspectives.beforeActionReviewId, theirReviews(db, scope, userId)),
          inArray(perspectives.afterActionReviewId, theirAfterActions(db, scope, userId)),
        ),
      ),
    ),
    countWhere(
      db,
      responses,
      and(
        inWorkspace(responses, scope),
        notBy(responses.userId, userId),
        inArray(responses.occurrenceId, theirCheckIns),
      ),
    ),
    countDigestItemVotesBy(db, { scope, userId }),
  ]);
  return {
    words: {
      beforeActionReviews: bars,
      afterActionReviews: aars,
      perspectives: ownPerspectives,
      answers,
      confidence,
      skips: skipped,
      learningNotes: notes,
      digestVotes: votes,
    },
    mentions: {
      reviewPeople: named,
      afterActionReviewPeople: namedAfter,
      stewardedChannels: new Set(stewarded.flat().map((row) => row.channelId)).size,
      learningQuestions: questions,
      prompts,
      settings: rhythmRows + digestRows + stewardsAdded + canvasesTurnedOn + lessonsShared + installed,
    },
    othersUnderTheirReviews: othersPerspectives + othersAnswers,
  };
}

/** A message the app posted that carried a forgotten person's words. */
export interface PostedMessage {
  channelId: string;
  ts: string;
}

/** A review whose posted summary named or counted the forgotten person, to be drawn again without them. */
export interface ReviewToRefresh {
  target: 'before' | 'after';
  id: string;
}

export interface Forgotten {
  data: PersonalData;
  messages: PostedMessage[];
  refresh: ReviewToRefresh[];
  /** Other people's before-action reviews that this person's after-action reviews had closed. */
  reopened: string[];
}

function posted(rows: ReadonlyArray<{ channelId: string; ts: string | null }>): PostedMessage[] {
  return rows.flatMap((row) => (row.ts ? [{ channelId: row.channelId, ts: row.ts }] : []));
}

function unique(ids: Iterable<string | null>, leaving: readonly string[] = []): string[] {
  const gone = new Set(leaving);
  return [...new Set([...ids].filter((id): id is string => Boolean(id) && !gone.has(id as string)))];
}

/**
 * Deletes everything a person wrote in one workspace and takes their id off every row that names them,
 * in one transaction. What others wrote under their reviews (perspectives, answers to check-ins,
 * anonymous ones included) is detached from the review and kept: it is not theirs to delete.
 */
export async function forgetPerson(
  db: Database,
  scope: WorkspaceScope,
  person: { userId: string; now: Date },
): Promise<Forgotten> {
  const { userId, now } = person;
  return db.transaction(async (tx) => {
    const bars = await tx
      .select({
        id: beforeActionReviews.id,
        channelId: beforeActionReviews.channelId,
        ts: beforeActionReviews.summaryTs,
      })
      .from(beforeActionReviews)
      .where(and(inWorkspace(beforeActionReviews, scope), eq(beforeActionReviews.authorId, userId)));
    const aars = await tx
      .select({
        id: afterActionReviews.id,
        channelId: afterActionReviews.channelId,
        ts: afterActionReviews.summaryTs,
        reviewId: afterActionReviews.reviewId,
      })
      .from(afterActionReviews)
      .where(and(inWorkspace(afterActionReviews, scope), eq(afterActionReviews.authorId, userId)));
    const barIds = bars.map((row) => row.id);
    const aarIds = aars.map((row) => row.id);
    const checkIns =
      barIds.length === 0
        ? []
        : await tx
            .select({ id: occurrences.id, channelId: occurrences.channelId, ts: occurrences.messageTs })
            .from(occurrences)
            .where(and(inWorkspace(occurrences, scope), inArray(occurrences.reviewId, barIds), notAnEffect));
    // Other people's after-action reviews showed this person's intentions: they are drawn again without.
    const judgedOnTheirs =
      barIds.length === 0
        ? []
        : await tx
            .select({ id: afterActionReviews.id })
            .from(afterActionReviews)
            .where(and(inWorkspace(afterActionReviews, scope), inArray(afterActionReviews.reviewId, barIds)));

    const answers = await tx
      .delete(responses)
      .where(and(inWorkspace(responses, scope), eq(responses.userId, userId)))
      .returning({ confidence: responses.confidence });
    const skipped = await tx
      .delete(skips)
      .where(and(inWorkspace(skips, scope), eq(skips.userId, userId)))
      .returning({ id: skips.id });
    const notes = await tx
      .delete(learningNotes)
      .where(and(inWorkspace(learningNotes, scope), eq(learningNotes.userId, userId)))
      .returning({ id: learningNotes.id });
    const votes = await deleteDigestItemVotesBy(tx, { scope, userId });
    // The direct messages telling this person something failed are addressed to them by id.
    await tx
      .delete(occurrences)
      .where(
        and(
          inWorkspace(occurrences, scope),
          eq(occurrences.kind, 'notice'),
          eq(occurrences.channelId, userId),
        ),
      );
    const ownPerspectives = await tx
      .delete(perspectives)
      .where(and(inWorkspace(perspectives, scope), eq(perspectives.userId, userId)))
      .returning({
        channelId: perspectives.channelId,
        ts: perspectives.messageTs,
        beforeId: perspectives.beforeActionReviewId,
        afterId: perspectives.afterActionReviewId,
      });

    // Left alone, the reviews' cascades would delete these with them. updated_at is not touched: an
    // anonymous perspective keeps only the hour it arrived.
    const keptPerspectives = [
      ...(barIds.length === 0
        ? []
        : await tx
            .update(perspectives)
            .set({ beforeActionReviewId: null })
            .where(and(inWorkspace(perspectives, scope), inArray(perspectives.beforeActionReviewId, barIds)))
            .returning({ id: perspectives.id })),
      ...(aarIds.length === 0
        ? []
        : await tx
            .update(perspectives)
            .set({ afterActionReviewId: null })
            .where(and(inWorkspace(perspectives, scope), inArray(perspectives.afterActionReviewId, aarIds)))
            .returning({ id: perspectives.id })),
    ];
    const checkInIds = checkIns.map((row) => row.id);
    let keptAnswers = 0;
    if (checkInIds.length > 0) {
      const answered = await tx
        .select({ occurrenceId: responses.occurrenceId })
        .from(responses)
        .where(and(inWorkspace(responses, scope), inArray(responses.occurrenceId, checkInIds)));
      const skippedCheckIns = await tx
        .select({ occurrenceId: skips.occurrenceId })
        .from(skips)
        .where(and(inWorkspace(skips, scope), inArray(skips.occurrenceId, checkInIds)));
      keptAnswers = answered.length;
      const keep = unique([...answered, ...skippedCheckIns].map((row) => row.occurrenceId));
      if (keep.length > 0) {
        await tx
          .update(occurrences)
          .set({ reviewId: null, updatedAt: now })
          .where(and(inWorkspace(occurrences, scope), inArray(occurrences.id, keep)));
      }
    }

    const reopened = unique(
      aars.map((row) => row.reviewId),
      barIds,
    );
    if (reopened.length > 0) {
      await tx
        .update(beforeActionReviews)
        .set({ status: 'open', updatedAt: now })
        .where(and(inWorkspace(beforeActionReviews, scope), inArray(beforeActionReviews.id, reopened)));
    }
    if (aarIds.length > 0) {
      await tx
        .update(beforeActionReviews)
        .set({ fromAfterActionReviewId: null })
        .where(
          and(
            inWorkspace(beforeActionReviews, scope),
            inArray(beforeActionReviews.fromAfterActionReviewId, aarIds),
          ),
        );
    }

    const named = await tx
      .delete(reviewPeople)
      .where(and(inWorkspace(reviewPeople, scope), eq(reviewPeople.userId, userId)))
      .returning({ id: reviewPeople.reviewId });
    const namedAfter = await tx
      .delete(afterActionReviewPeople)
      .where(and(inWorkspace(afterActionReviewPeople, scope), eq(afterActionReviewPeople.userId, userId)))
      .returning({ id: afterActionReviewPeople.afterActionReviewId });
    const stewardRows = await tx
      .delete(channelStewards)
      .where(and(inWorkspace(channelStewards, scope), eq(channelStewards.userId, userId)))
      .returning({ channelId: channelStewards.channelId });
    const founded = await tx
      .update(channelSettings)
      .set({ stewardId: FORGOTTEN_PERSON, updatedAt: now })
      .where(and(inWorkspace(channelSettings, scope), eq(channelSettings.stewardId, userId)))
      .returning({ channelId: channelSettings.channelId });
    const questions = await tx
      .update(learningQuestions)
      .set({ createdBy: FORGOTTEN_PERSON })
      .where(and(inWorkspace(learningQuestions, scope), eq(learningQuestions.createdBy, userId)))
      .returning({ id: learningQuestions.id });
    const prompts = await tx
      .update(customPrompts)
      .set({ createdBy: FORGOTTEN_PERSON })
      .where(and(inWorkspace(customPrompts, scope), eq(customPrompts.createdBy, userId)))
      .returning({ id: customPrompts.id });
    const settings = [
      ...(await tx
        .update(rhythms)
        .set({ updatedBy: FORGOTTEN_PERSON })
        .where(and(inWorkspace(rhythms, scope), eq(rhythms.updatedBy, userId)))
        .returning({ id: rhythms.id })),
      ...(await tx
        .update(digests)
        .set({ requestedBy: FORGOTTEN_PERSON })
        .where(and(inWorkspace(digests, scope), eq(digests.requestedBy, userId)))
        .returning({ id: digests.id })),
      ...(await tx
        .update(channelStewards)
        .set({ addedBy: FORGOTTEN_PERSON })
        .where(and(inWorkspace(channelStewards, scope), eq(channelStewards.addedBy, userId)))
        .returning({ id: channelStewards.userId })),
      ...(await tx
        .update(historyCanvases)
        .set({ turnedOnBy: FORGOTTEN_PERSON })
        .where(and(inWorkspace(historyCanvases, scope), eq(historyCanvases.turnedOnBy, userId)))
        .returning({ id: historyCanvases.channelId })),
      ...(await tx
        .update(lessonSharing)
        .set({ sharedBy: FORGOTTEN_PERSON })
        .where(and(inWorkspace(lessonSharing, scope), eq(lessonSharing.sharedBy, userId)))
        .returning({ id: lessonSharing.channelId })),
      ...(await tx
        .update(installations)
        .set({ installedBy: FORGOTTEN_PERSON })
        .where(and(inWorkspace(installations, scope), eq(installations.installedBy, userId)))
        .returning({ id: installations.id })),
    ];

    // Last, once nothing anyone else wrote hangs off them. Their people rows and unanswered check-ins
    // go with them; other people's after-action reviews of them keep nothing of theirs (no copied intentions).
    if (aarIds.length > 0) {
      await tx
        .delete(afterActionReviews)
        .where(and(inWorkspace(afterActionReviews, scope), inArray(afterActionReviews.id, aarIds)));
    }
    if (barIds.length > 0) {
      await tx
        .delete(beforeActionReviews)
        .where(and(inWorkspace(beforeActionReviews, scope), inArray(beforeActionReviews.id, barIds)));
    }

    const refresh: ReviewToRefresh[] = [
      ...unique(
        [...named.map((row) => row.id), ...ownPerspectives.map((row) => row.beforeId), ...reopened],
        barIds,
      ).map((id) => ({ target: 'before' as const, id })),
      ...unique(
        [
          ...namedAfter.map((row) => row.id),
          ...ownPerspectives.map((row) => row.afterId),
          ...judgedOnTheirs.map((row) => row.id),
        ],
        aarIds,
      ).map((id) => ({ target: 'after' as const, id })),
    ];
    return {
      data: {
        words: {
          beforeActionReviews: bars.length,
          afterActionReviews: aars.length,
          perspectives: ownPerspectives.length,
          answers: answers.filter((row) => row.confidence === null).length,
          confidence: answers.filter((row) => row.confidence !== null).length,
          skips: skipped.length,
          learningNotes: notes.length,
          digestVotes: votes,
        },
        mentions: {
          reviewPeople: named.length,
          afterActionReviewPeople: namedAfter.length,
          stewardedChannels: new Set([...stewardRows, ...founded].map((row) => row.channelId)).size,
          learningQuestions: questions.length,
          prompts: prompts.length,
          settings: settings.length,
        },
        othersUnderTheirReviews: keptPerspectives.length + keptAnswers,
      },
      messages: [...posted(bars), ...posted(aars), ...posted(ownPerspectives), ...posted(checkIns)],
      refresh,
      reopened,
    };
  });
}

/** A channel's rows in every table, by table. */
export interface ChannelData {
  beforeActionReviews: number;
  reviewPeople: number;
  afterActionReviews: number;
  afterActionReviewPeople: number;
  perspectives: number;
  occurrences: number;
  responses: number;
  skips: number;
  learningQuestions: number;
  customPrompts: number;
  rhythms: number;
  channelSettings: number;
  channelWelcomes: number;
  historyCanvases: number;
  lessonSharing: number;
  digests: number;
  learningNotes: number;
  channelStewards: number;
}

function channelTables(scope: WorkspaceScope, channelId: string, db: Database) {
  const barsHere = db
    .select({ id: beforeActionReviews.id })
    .from(beforeActionReviews)
    .where(and(inWorkspace(beforeActionReviews, scope), eq(beforeActionReviews.channelId, channelId)));
  const aarsHere = db
    .select({ id: afterActionReviews.id })
    .from(afterActionReviews)
    .where(and(inWorkspace(afterActionReviews, scope), eq(afterActionReviews.channelId, channelId)));
  const here = (table: { teamId: PgColumn; enterpriseId: PgColumn; channelId: PgColumn }) =>
    and(inWorkspace(table, scope), eq(table.channelId, channelId));
  // Children before the rows they point at, so every count is of rows this channel held.
  return [
    ['learningNotes', learningNotes, here(learningNotes)],
    ['digests', digests, here(digests)],
    ['skips', skips, here(skips)],
    ['responses', responses, here(responses)],
    ['perspectives', perspectives, here(perspectives)],
    [
      'afterActionReviewPeople',
      afterActionReviewPeople,
      and(
        inWorkspace(afterActionReviewPeople, scope),
        inArray(afterActionReviewPeople.afterActionReviewId, aarsHere),
      ),
    ],
    ['afterActionReviews', afterActionReviews, here(afterActionReviews)],
    [
      'reviewPeople',
      reviewPeople,
      and(inWorkspace(reviewPeople, scope), inArray(reviewPeople.reviewId, barsHere)),
    ],
    ['occurrences', occurrences, and(here(occurrences), notAnEffect)],
    ['beforeActionReviews', beforeActionReviews, here(beforeActionReviews)],
    ['rhythms', rhythms, here(rhythms)],
    ['customPrompts', customPrompts, here(customPrompts)],
    ['learningQuestions', learningQuestions, here(learningQuestions)],
    ['channelStewards', channelStewards, here(channelStewards)],
    ['channelWelcomes', channelWelcomes, here(channelWelcomes)],
    ['historyCanvases', historyCanvases, here(historyCanvases)],
    ['lessonSharing', lessonSharing, here(lessonSharing)],
    ['channelSettings', channelSettings, here(channelSettings)],
  ] as const satisfies ReadonlyArray<readonly [keyof ChannelData, PgTable, SQL | undefined]>;
}

export async function countChannelData(
  db: Database,
  scope: WorkspaceScope,
  channelId: string,
): Promise<ChannelData> {
  const counted = await Promise.all(
    channelTables(scope, channelId, db).map(
      async ([name, table, where]) => [name, await countWhere(db, table, where)] as const,
    ),
  );
  return Object.fromEntries(counted) as unknown as ChannelData;
}

/** Deletes every row a channel holds, in every table, in one transaction; returns what went. */
export async function deleteChannelData(
  db: Database,
  scope: WorkspaceScope,
  channelId: string,
): Promise<ChannelData> {
  return db.transaction(async (tx) => {
    const removed: Partial<Record<keyof ChannelData, number>> = {};
    for (const [name, table, where] of channelTables(scope, channelId, tx)) {
      removed[name] = (await tx.delete(table).where(where).returning()).length;
    }
    // What the app still owed or did in this channel (welcomes, rewrites, removals) goes too, uncounted:
    // it is the app's bookkeeping of its own messages, not what anyone stored.
    await tx
      .delete(occurrences)
      .where(and(inWorkspace(occurrences, scope), eq(occurrences.channelId, channelId)));
    return removed as ChannelData;
  });
}

/**
 * A channel's learning history for an export. Private answers, confidence and skips leave the database
 * without their author: the digest never names them, and an admin's export keeps that promise too.
 */
export async function channelHistory(
  db: Database,
  scope: WorkspaceScope,
  params: { channelId: string; from?: Date; until?: Date },
): Promise<StoredHistory> {
  const { channelId } = params;
  // A range keeps what was written from its first instant up to, not including, its last; a review's
  // people and a digest's votes come with their review or digest.
  const written = (column: PgColumn) =>
    and(
      params.from ? gte(column, params.from) : undefined,
      params.until ? lt(column, params.until) : undefined,
    );
  const bars = await db
    .select()
    .from(beforeActionReviews)
    .where(
      and(
        inWorkspace(beforeActionReviews, scope),
        eq(beforeActionReviews.channelId, channelId),
        written(beforeActionReviews.createdAt),
      ),
    )
    .orderBy(asc(beforeActionReviews.createdAt));
  const barPeople = await db
    .select({ reviewId: reviewPeople.reviewId, userId: reviewPeople.userId })
    .from(reviewPeople)
    .innerJoin(
      beforeActionReviews,
      joinWithin(beforeActionReviews, beforeActionReviews.id, reviewPeople, reviewPeople.reviewId),
    )
    .where(
      and(
        inWorkspace(reviewPeople, scope),
        eq(beforeActionReviews.channelId, channelId),
        written(beforeActionReviews.createdAt),
      ),
    );
  const aars = await db
    .select({ aar: afterActionReviews, action: beforeActionReviews.action })
    .from(afterActionReviews)
    .leftJoin(beforeActionReviews, reviewLookedBackOn)
    .where(
      and(
        inWorkspace(afterActionReviews, scope),
        eq(afterActionReviews.channelId, channelId),
        written(afterActionReviews.createdAt),
      ),
    )
    .orderBy(asc(afterActionReviews.createdAt));
  const aarPeople = await db
    .select({ reviewId: afterActionReviewPeople.afterActionReviewId, userId: afterActionReviewPeople.userId })
    .from(afterActionReviewPeople)
    .innerJoin(
      afterActionReviews,
      joinWithin(
        afterActionReviews,
        afterActionReviews.id,
        afterActionReviewPeople,
        afterActionReviewPeople.afterActionReviewId,
      ),
    )
    .where(
      and(
        inWorkspace(afterActionReviewPeople, scope),
        eq(afterActionReviews.channelId, channelId),
        written(afterActionReviews.createdAt),
      ),
    );
  const peopleOf = (rows: ReadonlyArray<{ reviewId: string; userId: string }>, id: string) =>
    rows.filter((row) => row.reviewId === id).map((row) => row.userId);
  const perspectiveRows = await db
    .select()
    .from(perspectives)
    .where(
      and(
        inWorkspace(perspectives, scope),
        eq(perspectives.channelId, channelId),
        written(perspectives.createdAt),
      ),
    )
    .orderBy(asc(perspectives.createdAt));
  const answerRows = await db
    .select({
      id: responses.id,
      createdAt: responses.createdAt,
      kind: responses.kind,
      userId: responses.userId,
      text: responses.text,
      confidence: responses.confidence,
      occurrenceKind: occurrences.kind,
      prompt: occurrences.promptText,
    })
    .from(responses)
    .innerJoin(occurrences, joinWithin(occurrences, occurrences.id, responses, responses.occurrenceId))
    .where(
      and(inWorkspace(responses, scope), eq(responses.channelId, channelId), written(responses.createdAt)),
    )
    .orderBy(asc(responses.createdAt));
  const skipRows = await db
    .select({ id: skips.id, createdAt: skips.createdAt, reason: skips.reason })
    .from(skips)
    .where(and(inWorkspace(skips, scope), eq(skips.channelId, channelId), written(skips.createdAt)))
    .orderBy(asc(skips.createdAt));
  const notes = await db
    .select({
      id: learningNotes.id,
      createdAt: learningNotes.createdAt,
      userId: learningNotes.userId,
      text: learningNotes.text,
    })
    .from(learningNotes)
    .where(
      and(
        inWorkspace(learningNotes, scope),
        eq(learningNotes.channelId, channelId),
        written(learningNotes.createdAt),
      ),
    )
    .orderBy(asc(learningNotes.createdAt));
  const digestRows = await db
    .select({
      id: digests.id,
      createdAt: digests.createdAt,
      weekKey: digests.weekKey,
      edition: digests.edition,
      status: digests.status,
    })
    .from(digests)
    .where(and(inWorkspace(digests, scope), eq(digests.channelId, channelId), written(digests.createdAt)))
    .orderBy(asc(digests.createdAt));
  const tallies = new Map(
    (await channelDigestTallies(db, { scope, channelId })).map((digest) => [digest.digestId, digest.items]),
  );
  const questions = await db
    .select({
      id: learningQuestions.id,
      createdAt: learningQuestions.createdAt,
      createdBy: learningQuestions.createdBy,
      text: learningQuestions.text,
      retiredAt: learningQuestions.retiredAt,
    })
    .from(learningQuestions)
    .where(
      and(
        inWorkspace(learningQuestions, scope),
        eq(learningQuestions.channelId, channelId),
        written(learningQuestions.createdAt),
      ),
    )
    .orderBy(asc(learningQuestions.createdAt));
  return {
    reviews: bars.map((bar) => ({ ...bar, people: peopleOf(barPeople, bar.id) })),
    afterActionReviews: aars.map(({ aar, action }) => ({
      ...aar,
      action,
      people: peopleOf(aarPeople, aar.id),
    })),
    perspectives: perspectiveRows.map((row) => ({
      id: row.id,
      createdAt: row.createdAt,
      userId: row.userId,
      target: row.target,
      reviewId: row.beforeActionReviewId ?? row.afterActionReviewId,
      answers: row.answers,
    })),
    answers: answerRows.map(
      (row): ExportAnswer => ({
        id: row.id,
        createdAt: row.createdAt,
        kind: row.kind,
        // Only a reply in the channel's thread was ever shown with its author's name.
        authorId: row.kind === 'thread' && row.confidence === null ? row.userId : null,
        text: row.text,
        confidence: row.confidence,
        occurrenceKind: row.occurrenceKind,
        prompt: row.prompt,
      }),
    ),
    skips: skipRows,
    notes,
    digests: digestRows.map((digest) => ({ ...digest, items: tallies.get(digest.id) ?? [] })),
    questions,
  };
}

/**
 * Everything one person wrote in a workspace, every channel, for their own export: their reviews (with
 * whom they named), their after-action reviews, their perspectives, the answers with their name on them
 * (in a thread, private, and confidence), their skips with reasons and their learning notes. Anonymous
 * rows carry no id, so they are never among them.
 */
export async function personWords(db: Database, scope: WorkspaceScope, userId: string): Promise<StoredWords> {
  const bars = await db
    .select()
    .from(beforeActionReviews)
    .where(and(inWorkspace(beforeActionReviews, scope), eq(beforeActionReviews.authorId, userId)))
    .orderBy(asc(beforeActionReviews.createdAt));
  const barPeople = await db
    .select({ reviewId: reviewPeople.reviewId, userId: reviewPeople.userId })
    .from(reviewPeople)
    .innerJoin(
      beforeActionReviews,
      joinWithin(beforeActionReviews, beforeActionReviews.id, reviewPeople, reviewPeople.reviewId),
    )
    .where(and(inWorkspace(reviewPeople, scope), eq(beforeActionReviews.authorId, userId)));
  const aars = await db
    .select({ aar: afterActionReviews, action: beforeActionReviews.action })
    .from(afterActionReviews)
    .leftJoin(beforeActionReviews, reviewLookedBackOn)
    .where(and(inWorkspace(afterActionReviews, scope), eq(afterActionReviews.authorId, userId)))
    .orderBy(asc(afterActionReviews.createdAt));
  const aarPeople = await db
    .select({ reviewId: afterActionReviewPeople.afterActionReviewId, userId: afterActionReviewPeople.userId })
    .from(afterActionReviewPeople)
    .innerJoin(
      afterActionReviews,
      joinWithin(
        afterActionReviews,
        afterActionReviews.id,
        afterActionReviewPeople,
        afterActionReviewPeople.afterActionReviewId,
      ),
    )
    .where(and(inWorkspace(afterActionReviewPeople, scope), eq(afterActionReviews.authorId, userId)));
  const peopleOf = (rows: ReadonlyArray<{ reviewId: string; userId: string }>, id: string) =>
    rows.filter((row) => row.reviewId === id).map((row) => row.userId);

  const perspectiveRows = await db
    .select()
    .from(perspectives)
    .where(and(inWorkspace(perspectives, scope), eq(perspectives.userId, userId)))
    .orderBy(asc(perspectives.createdAt));
  // Their perspectives are mostly on other people's reviews: each names the action it answered.
  const beforeIds = unique(perspectiveRows.map((row) => row.beforeActionReviewId));
  const afterIds = unique(perspectiveRows.map((row) => row.afterActionReviewId));
  const actionsBefore =
    beforeIds.length === 0
      ? []
      : await db
          .select({ id: beforeActionReviews.id, action: beforeActionReviews.action })
          .from(beforeActionReviews)
          .where(and(inWorkspace(beforeActionReviews, scope), inArray(beforeActionReviews.id, beforeIds)));
  const actionsAfter =
    afterIds.length === 0
      ? []
      : await db
          .select({
            id: afterActionReviews.id,
            intended: afterActionReviews.intended,
            action: beforeActionReviews.action,
          })
          .from(afterActionReviews)
          .leftJoin(beforeActionReviews, reviewLookedBackOn)
          .where(and(inWorkspace(afterActionReviews, scope), inArray(afterActionReviews.id, afterIds)));
  const actionOf = new Map<string, string>([
    ...actionsBefore.map((row): [string, string] => [row.id, row.action]),
    ...actionsAfter.map((row): [string, string] => [row.id, row.action ?? row.intended]),
  ]);

  const answerRows = await db
    .select({
      id: responses.id,
      channelId: responses.channelId,
      createdAt: responses.createdAt,
      kind: responses.kind,
      text: responses.text,
      confidence: responses.confidence,
      occurrenceKind: occurrences.kind,
      prompt: occurrences.promptText,
    })
    .from(responses)
    .innerJoin(occurrences, joinWithin(occurrences, occurrences.id, responses, responses.occurrenceId))
    .where(and(inWorkspace(responses, scope), eq(responses.userId, userId)))
    .orderBy(asc(responses.createdAt));
  const skipRows = await db
    .select({ id: skips.id, channelId: skips.channelId, createdAt: skips.createdAt, reason: skips.reason })
    .from(skips)
    .where(and(inWorkspace(skips, scope), eq(skips.userId, userId)))
    .orderBy(asc(skips.createdAt));
  const notes = await db
    .select({
      id: learningNotes.id,
      channelId: learningNotes.channelId,
      createdAt: learningNotes.createdAt,
      userId: learningNotes.userId,
      text: learningNotes.text,
    })
    .from(learningNotes)
    .where(and(inWorkspace(learningNotes, scope), eq(learningNotes.userId, userId)))
    .orderBy(asc(learningNotes.createdAt));
  return {
    reviews: bars.map((bar) => ({ ...bar, people: peopleOf(barPeople, bar.id) })),
    afterActionReviews: aars.map(({ aar, action }) => ({
      ...aar,
      action,
      people: peopleOf(aarPeople, aar.id),
    })),
    perspectives: perspectiveRows.map((row) => {
      const reviewId = row.beforeActionReviewId ?? row.afterActionReviewId;
      return {
        id: row.id,
        channelId: row.channelId,
        createdAt: row.createdAt,
        userId: row.userId,
        target: row.target,
        reviewId,
        answers: row.answers,
        action: reviewId ? (actionOf.get(reviewId) ?? null) : null,
      };
    }),
    // Their own: each answer carries their id, however it was given.
    answers: answerRows.map((row) => ({ ...row, authorId: userId })),
    skips: skipRows,
    notes,
  };
}
