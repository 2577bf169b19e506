import type { WebClient } from '@slack/web-api';
import { findAfterActionReview, latestOpenRevisedHypothesis } from '../db/queries/after-action.js';
import { findSummaryEffect, rearmSummaryEffect, recordSummaryEffect } from '../db/queries/occurrences.js';
import { listActiveQuestions } from '../db/queries/questions.js';
import {
  countOpenReviews,
  createBeforeActionReview,
  findReview,
  listOpenReviews,
  type ReviewWithPeople,
  updateBeforeActionReview,
  type WorkspaceScope,
} from '../db/queries/reviews.js';
import { isTeamChannel } from '../domain/ids.js';
import {
  defaultLookBackDate,
  hypothesisSentence,
  MAX_ANSWER_LENGTH,
  peopleOrAuthor,
  validateBarDraft,
} from '../domain/review.js';
import { calendarDateIn, FALLBACK_TIME_ZONE, isValidTimeZone } from '../domain/time.js';
import { describeError } from '../logger.js';
import { slackErrorCode } from '../slack/errors.js';
import type { BarFormDraft, BarFormField, BarModalMetadata } from '../slack/forms/before-action-review.js';
import { type BarModalInput, buildBarModal } from '../slack/views/bar-modal.js';
import { buildReviewInFull } from '../slack/views/bar-summary.js';
import type { SlackMessage } from '../slack/views/message.js';
import { buildOpenReviews, MAX_LISTED_REVIEWS } from '../slack/views/open-reviews.js';
import { scheduleReviewCheckIns } from './check-ins.js';
import { type DeliverySlack, deliverNow } from './delivery.js';
import type { ServiceDeps } from './deps.js';
import { type ChannelReadSlack, lessonDate, lessonsForBeforeAction } from './lessons.js';
import { timeZoneOf } from './people.js';
import { recordSummaryUpdate } from './voices.js';

/** The few Web API methods reviews need; tests and callers can supply exactly these. */
export interface ReviewSlack {
  views: Pick<WebClient['views'], 'open' | 'publish' | 'update'>;
  chat: Pick<WebClient['chat'], 'postMessage'>;
  users: Pick<WebClient['users'], 'info'>;
  conversations: Pick<WebClient['conversations'], 'join'> & ChannelReadSlack['conversations'];
}

export async function openBarModal(
  deps: ServiceDeps,
  slack: ReviewSlack,
  scope: WorkspaceScope,
  request: {
    triggerId: string;
    userId: string;
    channelId: string | undefined;
    text: string;
    /** Filled in by whoever asked for the review ahead of time (a workflow): who is involved, and when to look back. */
    prefill?: { people: readonly string[]; lookBackOn: string | null };
  },
): Promise<void> {
  const timeZone = await timeZoneOf(slack, request.userId);
  const channelId = isTeamChannel(request.channelId) ? request.channelId : undefined;
  const [questions, revised] = channelId
    ? await Promise.all([
        listActiveQuestions(deps.db, scope, channelId),
        latestOpenRevisedHypothesis(deps.db, scope, channelId),
      ])
    : [[], undefined];
  const startingFrom = revised?.revisedHypothesis
    ? await startingPoint(deps, scope, revised.id, revised.revisedHypothesis)
    : undefined;
  const metadata: BarModalMetadata = {
    timeZone,
    ...(startingFrom ? { fromAfterActionReviewId: startingFrom.aarId } : {}),
  };
  const form: BarModalInput = {
    action: request.text.trim(),
    channelId,
    authorId: request.userId,
    lookBackOn: request.prefill?.lookBackOn ?? defaultLookBackDate(deps.clock(), timeZone),
    metadata,
    questions: questions.map((question) => ({ id: question.id, text: question.text })),
    ...(startingFrom ? { startingFrom } : {}),
    ...(request.prefill && request.prefill.people.length > 0
      ? { initial: { people: [...request.prefill.people] } }
      : {}),
  };
  const opened = await slack.views.open({
    trigger_id: request.triggerId,
    view: buildBarModal({ ...form, ...(channelId ? { lessons: { state: 'looking' } } : {}) }),
  });
  if (channelId && opened.view?.id)
    await offerLessons(deps, slack, scope, {
      viewId: opened.view.id,
      hash: opened.view.hash,
      form,
      channelId,
    });
  deps.log.info(
    { user: request.userId, channel: request.channelId, startingFrom: startingFrom?.aarId },
    'before-action review modal opened',
  );
}

/** Lessons are fetched once the form is open, so it opens at once. */
async function offerLessons(
  deps: ServiceDeps,
  slack: ReviewSlack,
  scope: WorkspaceScope,
  opened: { viewId: string; hash: string | undefined; form: BarModalInput; channelId: string },
): Promise<void> {
  const timeZone = opened.form.metadata.timeZone;
  try {
    const { basis, lessons, sharedChannels } = await lessonsForBeforeAction(deps, slack, scope, {
      channelId: opened.channelId,
      userId: opened.form.authorId,
      // Only what the form can hold is looked up: reading a 100 KB command text took half a second.
      about: opened.form.action.slice(0, MAX_ANSWER_LENGTH),
    });
    // Same blocks and ids as the open form, so whatever the person has typed meanwhile is kept.
    await slack.views.update({
      view_id: opened.viewId,
      ...(opened.hash ? { hash: opened.hash } : {}),
      view: buildBarModal({
        ...opened.form,
        lessons: {
          state: 'found',
          basis,
          lessons: lessons.map((lesson) => ({
            action: lesson.action,
            date: lessonDate(lesson, timeZone),
            channelName: lesson.fromChannel?.name ?? null,
            change: lesson.change,
            sustain: lesson.sustain,
            whyDifferent: lesson.whyDifferent,
          })),
        },
      }),
    });
    deps.log.info(
      {
        channel: opened.channelId,
        lessons: lessons.length,
        fromOtherChannels: lessons.filter((lesson) => lesson.fromChannel).length,
        sharedChannels,
        basis,
      },
      'lessons offered',
    );
  } catch (error) {
    // The form was closed or submitted first, or the lookup failed: the form works without them.
    deps.log.info(
      { channel: opened.channelId, error: slackErrorCode(error) ?? describeError(error).type },
      'lessons not offered',
    );
  }
}

async function startingPoint(
  deps: ServiceDeps,
  scope: WorkspaceScope,
  aarId: string,
  revisedHypothesis: string,
) {
  const aar = await findAfterActionReview(deps.db, scope, aarId);
  const before = aar?.reviewId ? await findReview(deps.db, scope, aar.reviewId) : undefined;
  return { aarId, revisedHypothesis, action: before?.action ?? aar?.intended ?? 'our last review' };
}

/** Opens the author's own review for editing, with everything they wrote. */
export async function openBarEdit(
  deps: ServiceDeps,
  slack: ReviewSlack,
  scope: WorkspaceScope,
  request: { triggerId: string; reviewId: string },
): Promise<void> {
  const review = await findReview(deps.db, scope, request.reviewId);
  if (!review) return;
  const questions = await listActiveQuestions(deps.db, scope, review.channelId);
  await slack.views.open({
    trigger_id: request.triggerId,
    view: buildBarModal({
      action: review.action,
      channelId: review.channelId,
      authorId: review.authorId,
      lookBackOn: review.lookBackOn,
      metadata: { timeZone: review.timeZone, editReviewId: review.id },
      questions: questions.map((question) => ({ id: question.id, text: question.text })),
      initial: {
        action: review.action,
        intendedResults: review.intendedResults,
        hypothesis: hypothesisSentence({
          action: review.hypothesisIf,
          expectation: review.hypothesisThen,
          because: review.hypothesisBecause,
        }),
        anticipatedChallenges: review.anticipatedChallenges,
        lessonsFromBefore: review.lessonsFromBefore,
        successFactors: review.successFactors,
        lookBackOn: review.lookBackOn,
        people: review.people,
        questionId: review.questionId,
        checkInOn: review.checkInOn,
      },
    }),
  });
}

export type BarSubmission =
  | { outcome: 'invalid'; errors: Partial<Record<BarFormField, string>> }
  | {
      outcome: 'saved';
      review: ReviewWithPeople;
      created: boolean;
      edited: boolean;
      /** What the save wrote to deliver: its summary, or the rewrite of it after an edit. */
      effects: string[];
    };

export async function saveBar(
  deps: ServiceDeps,
  scope: WorkspaceScope,
  submission: {
    userId: string;
    viewId: string;
    draft: BarFormDraft;
    metadata: BarModalMetadata;
  },
): Promise<BarSubmission> {
  const timeZone = isValidTimeZone(submission.metadata.timeZone)
    ? submission.metadata.timeZone
    : FALLBACK_TIME_ZONE;
  const today = calendarDateIn(deps.clock(), timeZone);
  const editing = submission.metadata.editReviewId
    ? await findReview(deps.db, scope, submission.metadata.editReviewId)
    : undefined;
  const draft = { ...submission.draft, people: peopleOrAuthor(submission.draft.people, submission.userId) };
  // An edited review keeps its channel: its summary and thread already live there.
  if (editing) draft.channelId = editing.channelId;
  // A look-back date that has passed may stay as it was when editing; only a new date must be ahead.
  const keepsPastDate = editing && draft.lookBackOn === editing.lookBackOn && editing.lookBackOn < today;
  const validation = validateBarDraft(draft, keepsPastDate ? editing.lookBackOn : today);
  const errors: Partial<Record<BarFormField, string>> = validation.ok ? {} : { ...validation.errors };
  if (draft.checkInOn && draft.checkInOn < today && draft.checkInOn !== editing?.checkInOn) {
    errors.checkInOn = 'That day has passed. Pick today or a later date, or leave it empty.';
  } else if (draft.checkInOn && draft.lookBackOn && draft.checkInOn > draft.lookBackOn) {
    errors.checkInOn = 'The check-in comes before the look-back. Pick an earlier date.';
  }
  if (submission.metadata.editReviewId && (!editing || editing.authorId !== submission.userId)) {
    errors.action = 'Only its author can edit this review, and it may have been deleted.';
  }
  if (!validation.ok || Object.keys(errors).length > 0) return { outcome: 'invalid', errors };
  const channelQuestions = await listActiveQuestions(deps.db, scope, validation.bar.channelId);
  // An edit keeps a tag whose question has since been retired: the form can no longer offer it.
  const questionId = channelQuestions.some((question) => question.id === draft.questionId)
    ? draft.questionId
    : (editing?.questionId ?? null);

  if (editing) {
    const now = deps.clock();
    // The check-ins move with the edit, in its transaction: a crash cannot leave them on the old days.
    const { review, update } = await deps.db.transaction(async (tx) => {
      await updateBeforeActionReview(tx, scope, editing.id, validation.bar, {
        questionId,
        checkInOn: draft.checkInOn,
        now,
      });
      const edited = (await findReview(tx, scope, editing.id)) as ReviewWithPeople;
      if (edited.status === 'open') await scheduleReviewCheckIns({ ...deps, db: tx }, scope, edited);
      const summaryUpdate = await recordSummaryUpdate(tx, scope, {
        of: { target: 'before', id: editing.id },
        cause: `edit:${now.getTime()}`,
        now,
      });
      return { review: edited, update: summaryUpdate };
    });
    deps.log.info(
      { team: scope.teamId, review: review.id, people: review.people.length },
      'before-action review edited',
    );
    return { outcome: 'saved', review, created: false, edited: true, effects: update ? [update] : [] };
  }

  // The form only ever offers this workspace's revised hypotheses; an id from anywhere else is dropped.
  const startedFrom = submission.metadata.fromAfterActionReviewId
    ? await findAfterActionReview(deps.db, scope, submission.metadata.fromAfterActionReviewId)
    : undefined;
  // A review and its check-ins are saved together, so no crash leaves an open loop nobody is reminded of.
  const { review, created, summary } = await deps.db.transaction(async (tx) => {
    const saved = await createBeforeActionReview(tx, scope, {
      authorId: submission.userId,
      sourceViewId: submission.viewId,
      timeZone,
      bar: validation.bar,
      questionId,
      checkInOn: draft.checkInOn,
      fromAfterActionReviewId: startedFrom?.id ?? null,
      now: deps.clock(),
    });
    if (saved.created) await scheduleReviewCheckIns({ ...deps, db: tx }, scope, saved.review);
    return saved;
  });
  deps.log.info(
    {
      team: scope.teamId,
      review: review.id,
      channel: review.channelId,
      people: review.people.length,
      created,
    },
    created ? 'before-action review saved' : 'before-action review submission replayed',
  );
  return {
    outcome: 'saved',
    review,
    created,
    edited: false,
    // A replay delivers too: the first process may have died before posting, and only one claim wins.
    effects: summary ? [summary.id] : [],
  };
}

/** "Try again": puts a summary that failed back in the queue and delivers it at once. */
export async function retryShare(
  deps: ServiceDeps,
  slack: DeliverySlack,
  scope: WorkspaceScope,
  request: { reviewId: string; userId: string },
): Promise<'shared' | 'already_shared' | 'failed' | 'not_found'> {
  const review = await findReview(deps.db, scope, request.reviewId);
  if (!review || review.authorId !== request.userId) return 'not_found';
  if (review.summaryTs) return 'already_shared';
  const now = deps.clock();
  const key = { kind: 'summary', reviewId: review.id } as const;
  // A review saved before summaries were effects, whose post failed, has none yet.
  const effect =
    (await rearmSummaryEffect(deps.db, scope, { ...key, now })) ??
    (await findSummaryEffect(deps.db, scope, key)) ??
    (await recordSummaryEffect(deps.db, scope, { ...key, channelId: review.channelId, now }));
  const outcome = await deliverNow(deps, slack, effect.id);
  if (outcome === 'posted') return 'shared';
  // Another press, or the scheduler, holds it: it is on its way.
  if (outcome === 'not_claimed' || outcome === 'lost_claim') return 'already_shared';
  return 'failed';
}

export async function showReviewInFull(
  deps: ServiceDeps,
  slack: ReviewSlack,
  scope: WorkspaceScope,
  request: { reviewId: string; triggerId: string },
): Promise<boolean> {
  const review = await findReview(deps.db, scope, request.reviewId);
  if (!review) return false;
  await slack.views.open({ trigger_id: request.triggerId, view: buildReviewInFull(review) });
  return true;
}

export async function describeOpenReviews(
  deps: ServiceDeps,
  scope: WorkspaceScope,
  channelId: string,
): Promise<SlackMessage> {
  const [reviews, total] = await Promise.all([
    listOpenReviews(deps.db, scope, channelId, MAX_LISTED_REVIEWS),
    countOpenReviews(deps.db, scope, channelId),
  ]);
  return buildOpenReviews(reviews, total, deps.clock(), channelId);
}
