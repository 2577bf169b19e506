import type { WebClient } from '@slack/web-api';
import { type AfterActionReviewWithPeople, findAfterActionReview } from '../db/queries/after-action.js';
import { listPerspectives, type PerspectiveOf } from '../db/queries/perspectives.js';
import { findReview, type ReviewWithPeople } from '../db/queries/reviews.js';
import type { WorkspaceScope } from '../db/queries/scope.js';
import { hypothesisSentence } from '../domain/review.js';
import { describeError } from '../logger.js';
import { type BeforeReviewContext, buildAarSummary } from '../slack/views/after-action.js';
import { buildBarSummary } from '../slack/views/bar-summary.js';
import type { Voices } from '../slack/views/review-controls.js';
import type { ServiceDeps } from './deps.js';

export interface SummarySlack {
  chat: Pick<WebClient['chat'], 'update'>;
}

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

/** Rewrites a posted summary in place after an edit or a new perspective; a failure is logged, not thrown. */
export async function refreshSummary(
  deps: ServiceDeps,
  slack: SummarySlack,
  scope: WorkspaceScope,
  of: PerspectiveOf,
): Promise<void> {
  try {
    if (of.target === 'before') {
      const review = await findReview(deps.db, scope, of.id);
      if (!review?.summaryTs) return;
      const summary = await beforeSummary(deps, scope, review);
      await slack.chat.update({ channel: review.channelId, ts: review.summaryTs, ...summary });
    } else {
      const aar = await findAfterActionReview(deps.db, scope, of.id);
      if (!aar?.summaryTs) return;
      const summary = await afterSummary(deps, scope, aar);
      await slack.chat.update({ channel: aar.channelId, ts: aar.summaryTs, ...summary });
    }
  } catch (error) {
    deps.log.warn({ team: scope.teamId, review: of.id, err: describeError(error) }, 'summary not refreshed');
  }
}
