import type { WebClient } from '@slack/web-api';
import {
  type AfterActionReviewWithPeople,
  createAfterActionReview,
  deleteAfterActionReview,
  findAfterActionReview,
  updateAfterActionReview,
} from '../db/queries/after-action.js';
import { listActiveQuestions } from '../db/queries/questions.js';
import { findReview } from '../db/queries/reviews.js';
import type { WorkspaceScope } from '../db/queries/scope.js';
import { type AarDraft, type AarField, VERDICT_LABELS, validateAarDraft } from '../domain/after-action.js';
import { isTeamChannel } from '../domain/ids.js';
import { peopleOrAuthor } from '../domain/review.js';
import type { AarModalMetadata } from '../slack/forms/after-action-review.js';
import { buildAarModal } from '../slack/views/after-action.js';
import { buildPerspectiveModal } from '../slack/views/perspectives.js';
import type { ServiceDeps } from './deps.js';
import { beforeContext, recordSummaryUpdate } from './voices.js';

export interface AarSlack {
  views: Pick<WebClient['views'], 'open'>;
  chat: Pick<WebClient['chat'], 'postMessage' | 'update'>;
}

export type AarOpening = 'opened' | 'already_reviewed' | 'review_deleted';

/**
 * Opens the after-action review for a before-action review (its intentions shown as context), or one
 * without a before-action review. A loop already closed offers a perspective on it instead.
 */
export async function openAarModal(
  deps: ServiceDeps,
  slack: AarSlack,
  scope: WorkspaceScope,
  request: { triggerId: string; userId: string; reviewId?: string; channelId?: string },
): Promise<AarOpening> {
  const review = request.reviewId ? await findReview(deps.db, scope, request.reviewId) : undefined;
  if (request.reviewId && !review) return 'review_deleted';
  if (review?.status === 'closed') return 'already_reviewed';
  // Only a team channel can be preselected: the picker offers channels, never direct messages.
  const channelId = review?.channelId ?? (isTeamChannel(request.channelId) ? request.channelId : undefined);
  const questions = channelId ? await listActiveQuestions(deps.db, scope, channelId) : [];
  const metadata: AarModalMetadata = {
    ...(review ? { reviewId: review.id, channelId: review.channelId } : {}),
    ...(!review && channelId ? { channelId } : {}),
  };
  await slack.views.open({
    trigger_id: request.triggerId,
    view: buildAarModal({
      ...(review ? { before: beforeContext(review) } : {}),
      people: review?.people ?? [request.userId],
      ...(channelId ? { channelId } : {}),
      questions: questions.map((question) => ({ id: question.id, text: question.text })),
      initial: { questionId: review?.questionId ?? null },
      metadata,
    }),
  });
  return 'opened';
}

export async function openAarEdit(
  deps: ServiceDeps,
  slack: AarSlack,
  scope: WorkspaceScope,
  request: { triggerId: string; aar: AfterActionReviewWithPeople },
): Promise<void> {
  const { aar } = request;
  const review = aar.reviewId ? await findReview(deps.db, scope, aar.reviewId) : undefined;
  const questions = await listActiveQuestions(deps.db, scope, aar.channelId);
  await slack.views.open({
    trigger_id: request.triggerId,
    view: buildAarModal({
      ...(review ? { before: beforeContext(review) } : {}),
      people: aar.people,
      channelId: aar.channelId,
      questions: questions.map((question) => ({ id: question.id, text: question.text })),
      initial: { ...aar, revisedHypothesis: aar.revisedHypothesis ?? '', verdict: aar.verdict },
      metadata: { editId: aar.id, channelId: aar.channelId, ...(review ? { reviewId: review.id } : {}) },
    }),
  });
}

export type AarSubmission =
  | { outcome: 'invalid'; errors: Partial<Record<AarField, string>> }
  | {
      outcome: 'saved';
      aar: AfterActionReviewWithPeople;
      created: boolean;
      edited: boolean;
      /** What the save wrote to deliver: its summary, or the rewrite of it after an edit. */
      effects: string[];
    }
  | { outcome: 'raced'; view: ReturnType<typeof buildPerspectiveModal> };

export async function saveAar(
  deps: ServiceDeps,
  scope: WorkspaceScope,
  submission: {
    userId: string;
    viewId: string;
    metadata: AarModalMetadata;
    draft: AarDraft;
  },
): Promise<AarSubmission> {
  const { metadata } = submission;
  const editing = metadata.editId ? await findAfterActionReview(deps.db, scope, metadata.editId) : undefined;
  if (metadata.editId && (!editing || editing.authorId !== submission.userId)) {
    return { outcome: 'invalid', errors: { whatHappened: 'Only its author can edit this review.' } };
  }
  const review = metadata.reviewId ? await findReview(deps.db, scope, metadata.reviewId) : undefined;
  // The form was opened for a before-action review: it asked for a verdict, not for intentions, even
  // if that review has since been deleted.
  const hasBeforeReview = Boolean(metadata.reviewId);
  const fixedChannel =
    editing?.channelId ?? (hasBeforeReview ? (review?.channelId ?? metadata.channelId ?? null) : null);
  const draft = {
    ...submission.draft,
    channelId: fixedChannel ?? submission.draft.channelId,
    people: peopleOrAuthor(submission.draft.people, submission.userId),
  };
  const validation = validateAarDraft(draft, { hasBeforeReview });
  if (!validation.ok) return { outcome: 'invalid', errors: validation.errors };
  const channelQuestions = await listActiveQuestions(deps.db, scope, validation.aar.channelId);
  const aarInput = {
    ...validation.aar,
    questionId: channelQuestions.some((question) => question.id === validation.aar.questionId)
      ? validation.aar.questionId
      : (editing?.questionId ?? null),
    intended: hasBeforeReview && !review ? '(its before-action review was deleted)' : validation.aar.intended,
  };

  if (editing) {
    const now = deps.clock();
    const update = await deps.db.transaction(async (tx) => {
      await updateAfterActionReview(tx, scope, editing.id, aarInput, now);
      return recordSummaryUpdate(tx, scope, {
        of: { target: 'after', id: editing.id },
        cause: `edit:${now.getTime()}`,
        now,
      });
    });
    const aar = (await findAfterActionReview(deps.db, scope, editing.id)) as AfterActionReviewWithPeople;
    deps.log.info({ team: scope.teamId, aar: aar.id }, 'after-action review edited');
    return { outcome: 'saved', aar, created: false, edited: true, effects: update ? [update] : [] };
  }

  const created = await createAfterActionReview(deps.db, scope, {
    reviewId: review?.id ?? null,
    authorId: submission.userId,
    sourceViewId: submission.viewId,
    aar: aarInput,
    now: deps.clock(),
  });
  deps.log.info(
    { team: scope.teamId, aar: created.aar.id, review: review?.id, outcome: created.outcome },
    'after-action review submitted',
  );
  if (created.outcome === 'already_reviewed') {
    // Someone else closed this loop a moment ago: nothing this person wrote is lost, it becomes their view.
    return {
      outcome: 'raced',
      view: buildPerspectiveModal({
        metadata: { target: 'after', id: created.aar.id },
        subject: review?.action ?? 'this review',
        allowAnonymous: true,
        initial: {
          whatHappened: aarInput.whatHappened,
          whyDifferent: aarInput.whyDifferent,
          sustain: aarInput.sustain,
          change: [
            aarInput.change,
            aarInput.verdict ? `My verdict on the hypothesis: ${VERDICT_LABELS[aarInput.verdict]}.` : '',
            aarInput.revisedHypothesis ? `My revised hypothesis: ${aarInput.revisedHypothesis}` : '',
          ]
            .filter(Boolean)
            .join('\n\n'),
        },
        notice: `<@${created.aar.authorId}> saved the after-action review for this a moment ago. Your answers are below: press *Share* to add them as your perspective.`,
      }),
    };
  }
  return {
    outcome: 'saved',
    aar: created.aar,
    created: created.outcome === 'created',
    edited: false,
    // A replay delivers too: the first process may have died before posting, and only one claim wins.
    effects: created.summary ? [created.summary.id] : [],
  };
}

export { deleteAfterActionReview };
