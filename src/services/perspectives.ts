import type { WebClient } from '@slack/web-api';
import { findAfterActionReview } from '../db/queries/after-action.js';
import {
  createPerspective,
  deletePerspective,
  findPerspective,
  listPerspectives,
  type PerspectiveOf,
  recordPerspectiveMessage,
  updatePerspective,
} from '../db/queries/perspectives.js';
import { findReview } from '../db/queries/reviews.js';
import type { WorkspaceScope } from '../db/queries/scope.js';
import type { Perspective } from '../db/schema.js';
import { MAX_ANSWER_LENGTH } from '../domain/review.js';
import { describeError } from '../logger.js';
import { PERSPECTIVE_INPUTS } from '../slack/ids.js';
import {
  buildPerspectiveMessage,
  buildPerspectiveModal,
  PERSPECTIVE_QUESTIONS,
  type PerspectiveMetadata,
  readPerspectiveModal,
} from '../slack/views/perspectives.js';
import type { ServiceDeps } from './deps.js';
import { refreshSummary } from './voices.js';

export interface PerspectiveSlack {
  views: Pick<WebClient['views'], 'open'>;
  chat: Pick<WebClient['chat'], 'postMessage' | 'update' | 'delete'>;
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
  | { outcome: 'saved'; perspective: Perspective; created: boolean };

export async function savePerspective(
  deps: ServiceDeps,
  scope: WorkspaceScope,
  submission: {
    userId: string;
    viewId: string;
    metadata: PerspectiveMetadata;
    values: Parameters<typeof readPerspectiveModal>[0];
  },
): Promise<PerspectiveSubmission> {
  const { metadata } = submission;
  const firstBlock = PERSPECTIVE_INPUTS.answer(PERSPECTIVE_QUESTIONS[metadata.target][0]?.[0] ?? '').block;
  const { answers, anonymous } = readPerspectiveModal(submission.values, metadata.target);
  if (Object.keys(answers).length === 0) {
    return {
      outcome: 'invalid',
      errors: { [firstBlock]: 'Answer at least one question, in a sentence or two.' },
    };
  }
  const tooLong = Object.entries(answers).find(([, text]) => [...text].length > MAX_ANSWER_LENGTH);
  if (tooLong) {
    return {
      outcome: 'invalid',
      errors: {
        [PERSPECTIVE_INPUTS.answer(tooLong[0]).block]:
          `Please keep this under ${MAX_ANSWER_LENGTH} characters.`,
      },
    };
  }
  const review = await reviewOf(deps, scope, metadata);
  if (!review) return { outcome: 'invalid', errors: { [firstBlock]: 'That review has been deleted.' } };

  if (metadata.editId) {
    const own = await findPerspective(deps.db, scope, metadata.editId);
    if (!own || own.userId !== submission.userId) {
      return {
        outcome: 'invalid',
        errors: { [firstBlock]: 'Only the person who wrote this perspective can edit it.' },
      };
    }
    await updatePerspective(deps.db, scope, own.id, answers, deps.clock());
    deps.log.info({ team: scope.teamId, perspective: own.id }, 'perspective edited');
    return { outcome: 'saved', perspective: { ...own, answers }, created: false };
  }
  const stored = await createPerspective(deps.db, scope, {
    of: metadata,
    channelId: review.channelId,
    userId: submission.userId,
    anonymous: anonymous && metadata.target === 'after',
    answers,
    viewId: submission.viewId,
    now: deps.clock(),
  });
  if (!stored) return { outcome: 'invalid', errors: {} };
  // No user on this line: an anonymous perspective must not be traceable through logs.
  deps.log.info(
    { team: scope.teamId, perspective: stored.id, anonymous: !stored.userId },
    'perspective added',
  );
  return { outcome: 'saved', perspective: stored, created: true };
}

/** Threads a new perspective under its review, or rewrites it in place, then updates the review's count. */
export async function publishPerspective(
  deps: ServiceDeps,
  slack: PerspectiveSlack,
  scope: WorkspaceScope,
  perspective: Perspective,
): Promise<void> {
  const id = perspective.beforeActionReviewId ?? perspective.afterActionReviewId;
  if (!id) return;
  const of: PerspectiveOf = { target: perspective.target, id };
  const review = await reviewOf(deps, scope, of);
  if (!review) return;
  const message = buildPerspectiveMessage(perspective);
  try {
    if (perspective.messageTs) {
      await slack.chat.update({ channel: review.channelId, ts: perspective.messageTs, ...message });
    } else {
      const posted = await slack.chat.postMessage({
        channel: review.channelId,
        ...message,
        ...(review.summaryTs ? { thread_ts: review.summaryTs } : {}),
      });
      await recordPerspectiveMessage(deps.db, scope, perspective.id, posted.ts as string);
    }
  } catch (error) {
    deps.log.warn({ perspective: perspective.id, err: describeError(error) }, 'perspective not posted');
  }
  await refreshSummary(deps, slack, scope, of);
}

export async function removePerspective(
  deps: ServiceDeps,
  slack: PerspectiveSlack,
  scope: WorkspaceScope,
  perspective: Perspective,
): Promise<void> {
  await deletePerspective(deps.db, scope, perspective.id);
  const id = perspective.beforeActionReviewId ?? perspective.afterActionReviewId;
  if (perspective.messageTs) {
    try {
      await slack.chat.delete({ channel: perspective.channelId, ts: perspective.messageTs });
    } catch (error) {
      deps.log.warn(
        { perspective: perspective.id, err: describeError(error) },
        'perspective message not removed',
      );
    }
  }
  if (id) await refreshSummary(deps, slack, scope, { target: perspective.target, id });
  deps.log.info({ team: scope.teamId, perspective: perspective.id }, 'perspective deleted');
}
