import { and, desc, eq, inArray, isNotNull, notInArray } from 'drizzle-orm';
import type { ValidAar } from '../../domain/after-action.js';
import { isUuid } from '../../domain/ids.js';
import type { Database } from '../client.js';
import {
  type AfterActionReview,
  afterActionReviewPeople,
  afterActionReviews,
  beforeActionReviews,
  CHECK_IN_KINDS,
  type Occurrence,
  occurrences,
} from '../schema.js';
import { findSummaryEffect, recordSummaryEffect } from './occurrences.js';
import { inWorkspace, joinWithin, type WorkspaceScope, workspaceOf } from './scope.js';

/** Joins an after-action review to the before-action review it looked back on, in its own workspace. */
export const reviewLookedBackOn = joinWithin(
  beforeActionReviews,
  beforeActionReviews.id,
  afterActionReviews,
  afterActionReviews.reviewId,
);

/** The columns that hold what the reviewers wrote, the same for a new review and an edited one. */
function answerColumns(aar: ValidAar) {
  return {
    intended: aar.intended,
    whatHappened: aar.whatHappened,
    whyDifferent: aar.whyDifferent,
    sustain: aar.sustain,
    change: aar.change,
    verdict: aar.verdict,
    revisedHypothesis: aar.revisedHypothesis,
    questionId: aar.questionId,
  };
}

function peopleRows(scope: WorkspaceScope, aarId: string, people: readonly string[]) {
  return people.map((userId) => ({ afterActionReviewId: aarId, ...workspaceOf(scope), userId }));
}

export type AfterActionReviewWithPeople = AfterActionReview & { people: string[] };

export type AarCreation =
  | { outcome: 'created'; aar: AfterActionReviewWithPeople; summary: Occurrence }
  | { outcome: 'replayed'; aar: AfterActionReviewWithPeople; summary: Occurrence | undefined }
  | { outcome: 'already_reviewed'; aar: AfterActionReviewWithPeople };

async function peopleOf(db: Database, scope: WorkspaceScope, aarId: string): Promise<string[]> {
  const rows = await db
    .select({ userId: afterActionReviewPeople.userId })
    .from(afterActionReviewPeople)
    .where(
      and(
        inWorkspace(afterActionReviewPeople, scope),
        eq(afterActionReviewPeople.afterActionReviewId, aarId),
      ),
    );
  return rows.map((row) => row.userId);
}

/**
 * Stores an after-action review and closes its before-action review in one transaction. Only one review
 * can close a loop: when two people submit at once, the unique key lets the first in and the second
 * learns who did.
 */
export async function createAfterActionReview(
  db: Database,
  scope: WorkspaceScope,
  input: { reviewId: string | null; authorId: string; sourceViewId: string; aar: ValidAar; now: Date },
): Promise<AarCreation> {
  return db.transaction(async (tx) => {
    const [inserted] = await tx
      .insert(afterActionReviews)
      .values({
        ...workspaceOf(scope),
        channelId: input.aar.channelId,
        reviewId: input.reviewId,
        authorId: input.authorId,
        ...answerColumns(input.aar),
        sourceViewId: input.sourceViewId,
        createdAt: input.now,
        updatedAt: input.now,
      })
      .onConflictDoNothing()
      .returning();
    if (!inserted) {
      const [bySource] = await tx
        .select()
        .from(afterActionReviews)
        .where(
          and(
            inWorkspace(afterActionReviews, scope),
            eq(afterActionReviews.sourceViewId, input.sourceViewId),
          ),
        );
      if (bySource)
        return {
          outcome: 'replayed',
          aar: { ...bySource, people: await peopleOf(tx, scope, bySource.id) },
          summary: await findSummaryEffect(tx, scope, { kind: 'aar_summary', aarId: bySource.id }),
        };
      const [winner] = await tx
        .select()
        .from(afterActionReviews)
        .where(
          and(inWorkspace(afterActionReviews, scope), eq(afterActionReviews.reviewId, input.reviewId ?? '')),
        );
      if (!winner) throw new Error('after-action review conflict without a winner');
      return {
        outcome: 'already_reviewed',
        aar: { ...winner, people: await peopleOf(tx, scope, winner.id) },
      };
    }
    await tx.insert(afterActionReviewPeople).values(peopleRows(scope, inserted.id, input.aar.people));
    if (input.reviewId) {
      await tx
        .update(beforeActionReviews)
        .set({ status: 'closed', updatedAt: input.now })
        .where(and(inWorkspace(beforeActionReviews, scope), eq(beforeActionReviews.id, input.reviewId)));
      // The loop is closed: check-ins and the reminder not yet posted are no longer wanted; its summary
      // still is.
      await tx
        .update(occurrences)
        .set({
          status: 'cancelled',
          withdrawnReason: 'review_closed',
          leaseUntil: null,
          updatedAt: input.now,
        })
        .where(
          and(
            inWorkspace(occurrences, scope),
            eq(occurrences.reviewId, input.reviewId),
            inArray(occurrences.kind, CHECK_IN_KINDS),
            inArray(occurrences.status, ['pending']),
          ),
        );
    }
    const summary = await recordSummaryEffect(tx, scope, {
      kind: 'aar_summary',
      aarId: inserted.id,
      channelId: inserted.channelId,
      now: input.now,
    });
    return { outcome: 'created', aar: { ...inserted, people: input.aar.people }, summary };
  });
}

export async function findAfterActionReview(
  db: Database,
  scope: WorkspaceScope,
  id: string,
): Promise<AfterActionReviewWithPeople | undefined> {
  if (!isUuid(id)) return undefined;
  const [row] = await db
    .select()
    .from(afterActionReviews)
    .where(and(inWorkspace(afterActionReviews, scope), eq(afterActionReviews.id, id)));
  return row ? { ...row, people: await peopleOf(db, scope, row.id) } : undefined;
}

export async function updateAfterActionReview(
  db: Database,
  scope: WorkspaceScope,
  id: string,
  aar: ValidAar,
  now: Date,
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx
      .update(afterActionReviews)
      .set({
        ...answerColumns(aar),
        updatedAt: now,
      })
      .where(and(inWorkspace(afterActionReviews, scope), eq(afterActionReviews.id, id)));
    await tx
      .delete(afterActionReviewPeople)
      .where(
        and(inWorkspace(afterActionReviewPeople, scope), eq(afterActionReviewPeople.afterActionReviewId, id)),
      );
    await tx.insert(afterActionReviewPeople).values(peopleRows(scope, id, aar.people));
  });
}

/** Deleting an after-action review reopens its before-action review, so the loop can be closed again. */
export async function deleteAfterActionReview(
  db: Database,
  scope: WorkspaceScope,
  id: string,
  now: Date,
): Promise<void> {
  await db.transaction(async (tx) => {
    const [deleted] = await tx
      .delete(afterActionReviews)
      .where(and(inWorkspace(afterActionReviews, scope), eq(afterActionReviews.id, id)))
      .returning();
    if (deleted?.reviewId) {
      await tx
        .update(beforeActionReviews)
        .set({ status: 'open', updatedAt: now })
        .where(and(inWorkspace(beforeActionReviews, scope), eq(beforeActionReviews.id, deleted.reviewId)));
    }
  });
}

export async function recordAarSummary(
  db: Database,
  scope: WorkspaceScope,
  id: string,
  outcome: { ts: string } | { error: string },
  now: Date,
): Promise<void> {
  await db
    .update(afterActionReviews)
    .set(
      'ts' in outcome
        ? { summaryTs: outcome.ts, summaryPostError: null, updatedAt: now }
        : { summaryPostError: outcome.error, updatedAt: now },
    )
    .where(and(inWorkspace(afterActionReviews, scope), eq(afterActionReviews.id, id)));
}

/**
 * The newest revised hypothesis in a channel that no before-action review has started from yet: what
 * the next `/bar` there is offered as its starting point.
 */
export async function latestOpenRevisedHypothesis(
  db: Database,
  scope: WorkspaceScope,
  channelId: string,
): Promise<Pick<AfterActionReview, 'id' | 'revisedHypothesis'> | undefined> {
  const used = db
    .select({ id: beforeActionReviews.fromAfterActionReviewId })
    .from(beforeActionReviews)
    .where(
      and(inWorkspace(beforeActionReviews, scope), isNotNull(beforeActionReviews.fromAfterActionReviewId)),
    );
  const [row] = await db
    .select({ id: afterActionReviews.id, revisedHypothesis: afterActionReviews.revisedHypothesis })
    .from(afterActionReviews)
    .where(
      and(
        inWorkspace(afterActionReviews, scope),
        eq(afterActionReviews.channelId, channelId),
        isNotNull(afterActionReviews.revisedHypothesis),
        notInArray(afterActionReviews.id, used),
      ),
    )
    .orderBy(desc(afterActionReviews.createdAt))
    .limit(1);
  return row;
}
