import type { WebClient } from '@slack/web-api';
import type { Database } from '../db/client.js';
import { findAfterActionReview } from '../db/queries/after-action.js';
import { recordEffect } from '../db/queries/occurrences.js';
import {
  createPerspective,
  deletePerspective,
  findPerspective,
  listPerspectives,
  type PerspectiveOf,
  updatePerspective,
} from '../db/queries/perspectives.js';
import { findReview } from '../db/queries/reviews.js';
import type { WorkspaceScope } from '../db/queries/scope.js';
import type { Perspective } from '../db/schema.js';
import { MAX_ANSWER_LENGTH } from '../domain/review.js';
import type { PerspectiveDraft, PerspectiveMetadata } from '../slack/forms/perspective.js';
import { buildPerspectiveModal, PERSPECTIVE_QUESTIONS } from '../slack/views/perspectives.js';
import { recordMessageRemoval } from './compose.js';
import type { ServiceDeps } from './deps.js';
import { recordSummaryUpdate } from './voices.js';

export interface PerspectiveSlack {
  views: Pick<WebClient['views'], 'open'>;
}

/** Where a review's summary is posted, and what it is about, so a perspective can thread under it. */
async function reviewOf(deps: ServiceDeps, scope: WorkspaceScope, of: PerspectiveOf) {
  if (of.target === 'before') {
    const review = await findReview(deps.db, scope, of.id);
    return review && { channelId: review.channelId, summaryTs: review.summaryTs, subject: review.action };
  }
  const aar = await findAfterActionReview(deps.db, scope, of.id);
  if (!aar) return undefined;
  const before = aar.reviewId ? await findReview(deps.db, scope, aar.reviewId) : undefined;
  return { channelId: aar.channelId, summaryTs: aar.summaryTs, subject: before?.action ?? aar.intended };
}

/** Opens the perspective form; someone who already gave theirs gets it back to edit. */
export async function openPerspectiveModal(
  deps: ServiceDeps,
  slack: PerspectiveSlack,
  scope: WorkspaceScope,
  request: { triggerId: string; userId: string; of: PerspectiveOf },
): Promise<boolean> {
  const review = await reviewOf(deps, scope, request.of);
  if (!review) return false;
  const own = (await listPerspectives(deps.db, scope, request.of)).find(
    (perspective) => perspective.userId === request.userId,
  );
  await slack.views.open({
    trigger_id: request.triggerId,
    view: buildPerspectiveModal({
      metadata: { target: request.of.target, id: request.of.id, ...(own ? { editId: own.id } : {}) },
      subject: review.subject,
      allowAnonymous: request.of.target === 'after',
      ...(own ? { initial: own.answers } : {}),
    }),
  });
  return true;
}

export async function openPerspectiveEdit(
  deps: ServiceDeps,
  slack: PerspectiveSlack,
  scope: WorkspaceScope,
  request: { triggerId: string; perspective: Perspective },
): Promise<void> {
  const { perspective } = request;
  const id = perspective.beforeActionReviewId ?? perspective.afterActionReviewId;
  if (!id) return;
  const review = await reviewOf(deps, scope, { target: perspective.target, id });
  await slack.views.open({
    trigger_id: request.triggerId,
    view: buildPerspectiveModal({
      metadata: { target: perspective.target, id, editId: perspective.id },
      subject: review?.subject ?? 'this review',
      allowAnonymous: false,
      initial: perspective.answers,
    }),
  });
}

export type PerspectiveSubmission =
  | { outcome: 'invalid'; errors: Record<string, string> }
  | { outcome: 'saved'; perspective: Perspective; created: boolean; effects: string[] };

export async function savePerspective(
  deps: ServiceDeps,
  scope: WorkspaceScope,
  submission: {
    userId: string;
    viewId: string;
    metadata: PerspectiveMetadata;
    draft: PerspectiveDraft;
  },
): Promise<PerspectiveSubmission> {
  const { metadata } = submission;
  const firstQuestion = PERSPECTIVE_QUESTIONS[metadata.target][0]?.[0] ?? '';
  const { answers, anonymous } = submission.draft;
  if (Object.keys(answers).length === 0) {
    return {
      outcome: 'invalid',
      errors: { [firstQuestion]: 'Answer at least one question, in a sentence or two.' },
    };
  }
  const tooLong = Object.entries(answers).find(([, text]) => [...text].length > MAX_ANSWER_LENGTH);
  if (tooLong) {
    return {
      outcome: 'invalid',
      errors: { [tooLong[0]]: `Please keep this under ${MAX_ANSWER_LENGTH} characters.` },
    };
  }
  const review = await reviewOf(deps, scope, metadata);
  if (!review) return { outcome: 'invalid', errors: { [firstQuestion]: 'That review has been deleted.' } };

  if (metadata.editId) {
    const own = await findPerspective(deps.db, scope, metadata.editId);
    if (!own || own.userId !== submission.userId) {
      return {
        outcome: 'invalid',
        errors: { [firstQuestion]: 'Only the person who wrote this perspective can edit it.' },
      };
    }
    const now = deps.clock();
    const effects = await deps.db.transaction(async (tx) => {
      await updatePerspective(tx, scope, own.id, answers, now);
      return recordPerspectiveEffects(tx, scope, own, { cause: `edit:${now.getTime()}`, now });
    });
    deps.log.info({ team: scope.teamId, perspective: own.id }, 'perspective edited');
    return { outcome: 'saved', perspective: { ...own, answers }, created: false, effects };
  }
  const now = deps.clock();
  const saved = await deps.db.transaction(async (tx) => {
    const stored = await createPerspective(tx, scope, {
      of: metadata,
      channelId: review.channelId,
      userId: submission.userId,
      anonymous: anonymous && metadata.target === 'after',
      answers,
      viewId: submission.viewId,
      now,
    });
    return (
      stored && {
        stored,
        effects: await recordPerspectiveEffects(tx, scope, stored, { cause: 'added', now }),
      }
    );
  });
  if (!saved) return { outcome: 'invalid', errors: {} };
  const { stored, effects } = saved;
  // No user on this line: an anonymous perspective must not be traceable through logs.
  deps.log.info(
    { team: scope.teamId, perspective: stored.id, anonymous: !stored.userId },
    'perspective added',
  );
  return { outcome: 'saved', perspective: stored, created: true, effects };
}

/**
 * The effects of a perspective written or changed, in its transaction: its message in the review's
 * thread (posted, or rewritten in place), and the review's summary showing who has added theirs.
 */
async function recordPerspectiveEffects(
  db: Database,
  scope: WorkspaceScope,
  perspective: Perspective,
  change: { cause: string; now: Date },
): Promise<string[]> {
  const id = perspective.beforeActionReviewId ?? perspective.afterActionReviewId;
  if (!id) return [];
  const message = await recordEffect(db, scope, {
    kind: 'perspective',
    channelId: perspective.channelId,
    key: `perspective:${perspective.id}:${change.cause}`,
    perspectiveId: perspective.id,
    now: change.now,
  });
  const summary = await recordSummaryUpdate(db, scope, {
    of: { target: perspective.target, id },
    cause: `perspective:${perspective.id}:${change.cause}`,
    now: change.now,
  });
  return [message, summary].filter((effect): effect is string => effect !== undefined);
}

/**
 * Deletes a perspective and, in the same transaction, writes the removal of its message and the
 * rewrite of its review's summary. Returns those effects, to deliver at once.
 */
export async function removePerspective(
  deps: ServiceDeps,
  scope: WorkspaceScope,
  perspective: Perspective,
): Promise<string[]> {
  const id = perspective.beforeActionReviewId ?? perspective.afterActionReviewId;
  const now = deps.clock();
  const effects = await deps.db.transaction(async (tx) => {
    await deletePerspective(tx, scope, perspective.id);
    const removal = perspective.messageTs
      ? await recordMessageRemoval(tx, scope, {
          channelId: perspective.channelId,
          ts: perspective.messageTs,
          replaceWith: null,
          now,
        })
      : undefined;
    const summary = id
      ? await recordSummaryUpdate(tx, scope, {
          of: { target: perspective.target, id },
          cause: `perspective:${perspective.id}:removed`,
          now,
        })
      : undefined;
    return [removal, summary].filter((effect): effect is string => effect !== undefined);
  });
  deps.log.info({ team: scope.teamId, perspective: perspective.id }, 'perspective deleted');
  return effects;
}
