import { and, desc, eq, inArray, or, sql } from 'drizzle-orm';
import { isUuid } from '../../domain/ids.js';
import type { ValidBar } from '../../domain/review.js';
import type { Database } from '../client.js';
import {
  afterActionReviews,
  type BeforeActionReview,
  beforeActionReviews,
  type Occurrence,
  reviewPeople,
} from '../schema.js';
import { findSummaryEffect, recordSummaryEffect } from './occurrences.js';
import { inWorkspace, type WorkspaceScope, workspaceOf } from './scope.js';

export type { WorkspaceScope };

export type ReviewWithPeople = BeforeActionReview & { people: string[] };

export interface NewReview {
  authorId: string;
  sourceViewId: string;
  timeZone: string;
  bar: ValidBar;
  questionId?: string | null;
  checkInOn?: string | null;
  fromAfterActionReviewId?: string | null;
  now: Date;
}

/** The columns that hold what the author wrote, the same for a new review and an edited one. */
function answerColumns(bar: ValidBar) {
  return {
    action: bar.action,
    intendedResults: bar.intendedResults,
    anticipatedChallenges: bar.anticipatedChallenges,
    lessonsFromBefore: bar.lessonsFromBefore,
    successFactors: bar.successFactors,
    hypothesisIf: bar.hypothesisIf,
    hypothesisThen: bar.hypothesisThen,
    hypothesisBecause: bar.hypothesisBecause,
    lookBackOn: bar.lookBackOn,
  };
}

function peopleRows(scope: WorkspaceScope, reviewId: string, people: readonly string[]) {
  return people.map((userId) => ({ reviewId, ...workspaceOf(scope), userId }));
}

/**
 * Stores a review, its people and the effect that posts its summary in one transaction. A replay of the
 * same modal submission returns the review stored the first time, with `created: false`, and its effect.
 */
export async function createBeforeActionReview(
  db: Database,
  scope: WorkspaceScope,
  review: NewReview,
): Promise<{ review: ReviewWithPeople; created: boolean; summary: Occurrence | undefined }> {
  return db.transaction(async (tx) => {
    const { bar } = review;
    const [inserted] = await tx
      .insert(beforeActionReviews)
      .values({
        ...workspaceOf(scope),
        channelId: bar.channelId,
        authorId: review.authorId,
        ...answerColumns(bar),
        timeZone: review.timeZone,
        sourceViewId: review.sourceViewId,
        questionId: review.questionId ?? null,
        checkInOn: review.checkInOn ?? null,
        fromAfterActionReviewId: review.fromAfterActionReviewId ?? null,
        createdAt: review.now,
        updatedAt: review.now,
      })
      .onConflictDoNothing({ target: [beforeActionReviews.teamId, beforeActionReviews.sourceViewId] })
      .returning();
    if (!inserted) {
      const [existing] = await tx
        .select()
        .from(beforeActionReviews)
        .where(
          and(
            inWorkspace(beforeActionReviews, scope),
            eq(beforeActionReviews.sourceViewId, review.sourceViewId),
          ),
        );
      if (!existing) throw new Error('review vanished between conflict and read');
      // Found, never written again: a review saved before summaries were effects has none, and its
      // summary was already dealt with.
      const summary = await findSummaryEffect(tx, scope, { kind: 'summary', reviewId: existing.id });
      return {
        review: { ...existing, people: await peopleOf(tx, scope, existing.id) },
        created: false,
        summary,
      };
    }
    await tx.insert(reviewPeople).values(peopleRows(scope, inserted.id, bar.people));
    const summary = await recordSummaryEffect(tx, scope, {
      kind: 'summary',
      reviewId: inserted.id,
      channelId: inserted.channelId,
      now: review.now,
    });
    return { review: { ...inserted, people: bar.people }, created: true, summary };
  });
}

async function peopleOf(db: Database, scope: WorkspaceScope, reviewId: string): Promise<string[]> {
  const rows = await db
    .select({ userId: reviewPeople.userId })
    .from(reviewPeople)
    .where(and(inWorkspace(reviewPeople, scope), eq(reviewPeople.reviewId, reviewId)));
  return rows.map((row) => row.userId);
}

export async function findReview(
  db: Database,
  scope: WorkspaceScope,
  reviewId: string,
): Promise<ReviewWithPeople | undefined> {
  if (!isUuid(reviewId)) return undefined;
  const [review] = await db
    .select()
    .from(beforeActionReviews)
    .where(and(inWorkspace(beforeActionReviews, scope), eq(beforeActionReviews.id, reviewId)));
  if (!review) return undefined;
  return { ...review, people: await peopleOf(db, scope, review.id) };
}

export async function recordSummaryPosted(
  db: Database,
  scope: WorkspaceScope,
  reviewId: string,
  summaryTs: string,
  now: Date,
): Promise<void> {
  await db
    .update(beforeActionReviews)
    .set({ summaryTs, summaryPostError: null, updatedAt: now })
    .where(and(inWorkspace(beforeActionReviews, scope), eq(beforeActionReviews.id, reviewId)));
}

export async function recordSummaryFailed(
  db: Database,
  scope: WorkspaceScope,
  reviewId: string,
  error: string,
  now: Date,
): Promise<void> {
  await db
    .update(beforeActionReviews)
    .set({ summaryPostError: error, updatedAt: now })
    .where(and(inWorkspace(beforeActionReviews, scope), eq(beforeActionReviews.id, reviewId)));
}

function openInChannel(scope: WorkspaceScope, channelId: string) {
  return and(
    inWorkspace(beforeActionReviews, scope),
    eq(beforeActionReviews.channelId, channelId),
    eq(beforeActionReviews.status, 'open'),
  );
}

export async function listOpenReviews(
  db: Database,
  scope: WorkspaceScope,
  channelId: string,
  limit: number,
): Promise<BeforeActionReview[]> {
  return db
    .select()
    .from(beforeActionReviews)
    .where(openInChannel(scope, channelId))
    .orderBy(desc(beforeActionReviews.createdAt))
    .limit(limit);
}

export async function countOpenReviews(
  db: Database,
  scope: WorkspaceScope,
  channelId: string,
): Promise<number> {
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(beforeActionReviews)
    .where(openInChannel(scope, channelId));
  return row?.count ?? 0;
}

/** Reviews a person wrote or was named in, newest first. */
export async function listReviewsForPerson(
  db: Database,
  scope: WorkspaceScope,
  userId: string,
  limit: number,
): Promise<BeforeActionReview[]> {
  const involved = db
    .select({ reviewId: reviewPeople.reviewId })
    .from(reviewPeople)
    .where(and(inWorkspace(reviewPeople, scope), eq(reviewPeople.userId, userId)));
  return db
    .select()
    .from(beforeActionReviews)
    .where(
      and(
        inWorkspace(beforeActionReviews, scope),
        or(eq(beforeActionReviews.authorId, userId), inArray(beforeActionReviews.id, involved)),
      ),
    )
    .orderBy(desc(beforeActionReviews.createdAt))
    .limit(limit);
}

/** Rewrites a review's answers and people after its author edited it. */
export async function updateBeforeActionReview(
  db: Database,
  scope: WorkspaceScope,
  reviewId: string,
  bar: ValidBar,
  extra: { questionId: string | null; checkInOn: string | null; now: Date },
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx
      .update(beforeActionReviews)
      .set({
        ...answerColumns(bar),
        questionId: extra.questionId,
        checkInOn: extra.checkInOn,
        updatedAt: extra.now,
      })
      .where(and(inWorkspace(beforeActionReviews, scope), eq(beforeActionReviews.id, reviewId)));
    await tx
      .delete(reviewPeople)
      .where(and(inWorkspace(reviewPeople, scope), eq(reviewPeople.reviewId, reviewId)));
    await tx.insert(reviewPeople).values(peopleRows(scope, reviewId, bar.people));
  });
}

/**
 * Deletes a review. An after-action review that looked back on it keeps the intentions it was judged
 * against, copied onto it, since its link to this review is about to go.
 */
export async function deleteBeforeActionReview(
  db: Database,
  scope: WorkspaceScope,
  reviewId: string,
  now: Date,
): Promise<void> {
  await db.transaction(async (tx) => {
    const [review] = await tx
      .select({ intendedResults: beforeActionReviews.intendedResults })
      .from(beforeActionReviews)
      .where(and(inWorkspace(beforeActionReviews, scope), eq(beforeActionReviews.id, reviewId)));
    if (!review) return;
    await tx
      .update(afterActionReviews)
      .set({ intended: review.intendedResults, updatedAt: now })
      .where(and(inWorkspace(afterActionReviews, scope), eq(afterActionReviews.reviewId, reviewId)));
    await tx
      .delete(beforeActionReviews)
      .where(and(inWorkspace(beforeActionReviews, scope), eq(beforeActionReviews.id, reviewId)));
  });
}

/** The review a thread belongs to, found from its summary's ts. */
export async function findReviewBySummary(
  db: Database,
  scope: WorkspaceScope,
  channelId: string,
  summaryTs: string,
): Promise<BeforeActionReview | undefined> {
  const [row] = await db
    .select()
    .from(beforeActionReviews)
    .where(
      and(
        inWorkspace(beforeActionReviews, scope),
        eq(beforeActionReviews.channelId, channelId),
        eq(beforeActionReviews.summaryTs, summaryTs),
      ),
    );
  return row;
}

export async function countReviewsInChannel(
  db: Database,
  scope: WorkspaceScope,
  channelId: string,
): Promise<number> {
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(beforeActionReviews)
    .where(and(inWorkspace(beforeActionReviews, scope), eq(beforeActionReviews.channelId, channelId)));
  return row?.count ?? 0;
}
