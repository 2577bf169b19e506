import type { Database } from '../db/client.js';
import { type AfterActionReviewWithPeople, findAfterActionReview } from '../db/queries/after-action.js';
import { recordEffect } from '../db/queries/occurrences.js';
import { listPerspectives, type PerspectiveOf } from '../db/queries/perspectives.js';
import { findReview, type ReviewWithPeople } from '../db/queries/reviews.js';
import type { WorkspaceScope } from '../db/queries/scope.js';
import { hypothesisSentence } from '../domain/review.js';
import { type BeforeReviewContext, buildAarSummary } from '../slack/views/after-action.js';
import { buildBarSummary } from '../slack/views/bar-summary.js';
import type { Voices } from '../slack/views/review-controls.js';
import type { ServiceDeps } from './deps.js';

/** How many of the people involved have given their view; the author's is the review itself. */
export async function voicesOf(
  deps: ServiceDeps,
  scope: WorkspaceScope,
  of: PerspectiveOf,
  review: { authorId: string; people: readonly string[] },
): Promise<Voices> {
  const perspectives = await listPerspectives(deps.db, scope, of);
  const contributors = new Set([
    review.authorId,
    ...perspectives.flatMap((perspective) => perspective.userId ?? []),
  ]);
  return {
    added: review.people.filter((person) => contributors.has(person)).length,
    involved: review.people.length,
    anonymous: perspectives.filter((perspective) => !perspective.userId).length,
  };
}

export function beforeContext(review: ReviewWithPeople): BeforeReviewContext {
  return {
    action: review.action,
    intendedResults: review.intendedResults,
    hypothesis: hypothesisSentence({
      action: review.hypothesisIf,
      expectation: review.hypothesisThen,
      because: review.hypothesisBecause,
    }),
    lookBackOn: review.lookBackOn,
  };
}

export async function beforeSummary(deps: ServiceDeps, scope: WorkspaceScope, review: ReviewWithPeople) {
  return buildBarSummary(review, await voicesOf(deps, scope, { target: 'before', id: review.id }, review));
}

export async function afterSummary(
  deps: ServiceDeps,
  scope: WorkspaceScope,
  aar: AfterActionReviewWithPeople,
) {
  const before = aar.reviewId ? await findReview(deps.db, scope, aar.reviewId) : undefined;
  const voices = await voicesOf(deps, scope, { target: 'after', id: aar.id }, aar);
  return buildAarSummary(aar, before ? beforeContext(before) : undefined, voices);
}

/**
 * Writes the effect that rewrites a review's summary in place, in the transaction of the change that
 * alters it (an edit, a perspective added, changed or removed, someone forgotten). `cause` names that
 * change; the summary is drawn as it stands when the effect is delivered.
 */
export async function recordSummaryUpdate(
  db: Database,
  scope: WorkspaceScope,
  change: { of: PerspectiveOf; cause: string; now: Date },
): Promise<string | undefined> {
  const { of } = change;
  const place =
    of.target === 'before'
      ? await findReview(db, scope, of.id)
      : await findAfterActionReview(db, scope, of.id);
  if (!place) return undefined;
  return recordEffect(db, scope, {
    kind: 'summary_update',
    channelId: place.channelId,
    key: `summary_update:${of.target}:${of.id}:${change.cause}`,
    payload: { summaryOf: of },
    now: change.now,
  });
}
