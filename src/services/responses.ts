import type { KnownBlock } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import {
  changeLearningNote,
  findDigestByMessage,
  isFirstLearningNoteInChannel,
  recordLearningNote,
} from '../db/queries/digests.js';
import { findOccurrence, findOccurrenceByMessage, latestPostedCheckIn } from '../db/queries/occurrences.js';
import { listActiveQuestions } from '../db/queries/questions.js';
import {
  claimEvent,
  deletePrivateAnswer,
  deleteThreadReply,
  findPrivateAnswer,
  findPrivateAnswerById,
  isFirstThreadReplyInChannel,
  recordConfidenceAnswer,
  recordModalResponse,
  recordSkip,
  recordThreadReply,
  updateThreadReply,
} from '../db/queries/responses.js';
import { findReviewBySummary } from '../db/queries/reviews.js';
import type { WorkspaceScope } from '../db/queries/scope.js';
import { SKIP_REASONS } from '../db/schema.js';
import { textFeatures } from '../domain/digest/text.js';
import { MAX_ANSWER_LENGTH } from '../domain/review.js';
import type { AnswerMetadata } from '../slack/forms/prompt-answer.js';
import {
  type AnswerMode,
  buildAnswerModal,
  buildAnswerWithdrawn,
  buildPrivateAnswerSaved,
  CONFIRMATIONS,
} from '../slack/views/prompt.js';
import { recordReplyReaction } from './compose.js';
import { type DeliverySlack, deliverAllNow } from './delivery.js';
import type { ServiceDeps } from './deps.js';
import { type HomeSlack, publishHome } from './home.js';
import { type TellSlack, tellPrivately } from './tell.js';

export interface ResponseSlack extends TellSlack {
  views: Pick<WebClient['views'], 'open'>;
}

/** Changing a private answer redraws its author's Home tab, which lists it. */
export interface PrivateAnswerSlack extends TellSlack {
  views: Pick<WebClient['views'], 'publish'>;
  conversations: HomeSlack['conversations'];
  chat: TellSlack['chat'] & HomeSlack['chat'];
}

/**
 * A quiet note only the person sees, in the prompt's thread when there is one (by DM when the channel
 * refuses). The answer is saved either way, so a confirmation Slack will not take is logged, not thrown.
 */
async function confirmQuietly(
  deps: ServiceDeps,
  slack: TellSlack,
  where: { channelId: string; userId: string; threadTs?: string | null },
  message: string | { text: string; blocks?: KnownBlock[] },
): Promise<void> {
  await tellPrivately(slack, deps.log, {
    userId: where.userId,
    channelId: where.channelId,
    threadTs: where.threadTs,
    message: typeof message === 'string' ? { text: message } : message,
  });
}

/**
 * Saves a reply in a prompt's or check-in's thread and marks it with a reaction, written with the reply and
 * delivered like every other effect. Only a person's first reply in the channel also gets a quiet note,
 * saying what the reaction means.
 */
export async function captureThreadReply(
  deps: ServiceDeps,
  slack: ResponseSlack & DeliverySlack,
  scope: WorkspaceScope,
  reply: {
    eventId: string | undefined;
    channelId: string;
    userId: string;
    text: string;
    ts: string;
    threadTs: string;
  },
): Promise<'stored' | 'duplicate' | 'empty' | 'not_a_prompt'> {
  // A digest is posted through its occurrence too, but replies to it are notes, not answers.
  const digest = await findDigestByMessage(deps.db, scope, reply.channelId, reply.threadTs);
  if (digest) return captureLearningNote(deps, slack, scope, { ...reply, digestId: digest.id });
  const occurrence =
    (await findOccurrenceByMessage(deps.db, scope, reply.channelId, reply.threadTs)) ??
    (await checkInAnswered(deps, scope, reply.channelId, reply.threadTs));
  if (!occurrence || occurrence.kind === 'digest') return 'not_a_prompt';
  const now = deps.clock();
  // Slack's retry of the event, or the same message under another event id, finds the reply stored and
  // writes nothing: one reply, one reaction.
  const saved = await deps.db.transaction(async (tx) => {
    if (reply.eventId && !(await claimEvent(tx, scope, { eventId: reply.eventId, now }))) return undefined;
    const stored = await recordThreadReply(tx, scope, {
      occurrenceId: occurrence.id,
      channelId: reply.channelId,
      userId: reply.userId,
      text: reply.text,
      messageTs: reply.ts,
      features: textFeatures(reply.text),
      now,
    });
    if (!stored) return undefined;
    const first = await isFirstThreadReplyInChannel(tx, scope, {
      responseId: stored.id,
      channelId: reply.channelId,
      userId: reply.userId,
    });
    const reaction = await recordReplyReaction(tx, scope, { channelId: reply.channelId, ts: reply.ts, now });
    return { response: stored.id, first, reaction };
  });
  if (!saved) return 'duplicate';
  deps.log.info(
    { team: scope.teamId, occurrence: occurrence.id, response: saved.response, first: saved.first },
    'thread reply saved',
  );
  await acknowledgeReply(deps, slack, reply, saved, CONFIRMATIONS.thread);
  return 'stored';
}

/**
 * A reply in a digest's thread becomes a learning note, acknowledged as any thread reply is: a reaction
 * written with the note, and a quiet word only on the person's first note in the channel.
 */
async function captureLearningNote(
  deps: ServiceDeps,
  slack: ResponseSlack & DeliverySlack,
  scope: WorkspaceScope,
  reply: { digestId: string; channelId: string; userId: string; text: string; ts: string; threadTs: string },
): Promise<'stored' | 'duplicate' | 'empty'> {
  // A reply of only a file has no words to bring back.
  if (!reply.text.trim()) return 'empty';
  const now = deps.clock();
  const saved = await deps.db.transaction(async (tx) => {
    const noteId = await recordLearningNote(tx, scope, {
      digestId: reply.digestId,
      channelId: reply.channelId,
      userId: reply.userId,
      text: reply.text,
      messageTs: reply.ts,
      now,
    });
    if (!noteId) return undefined;
    const first = await isFirstLearningNoteInChannel(tx, scope, {
      noteId,
      channelId: reply.channelId,
      userId: reply.userId,
    });
    const reaction = await recordReplyReaction(tx, scope, { channelId: reply.channelId, ts: reply.ts, now });
    return { first, reaction };
  });
  if (!saved) return 'duplicate';
  deps.log.info({ team: scope.teamId, digest: reply.digestId, first: saved.first }, 'learning note saved');
  await acknowledgeReply(deps, slack, reply, saved, CONFIRMATIONS.note);
  return 'stored';
}

/** The reaction on a saved reply, and the word that explains it the first time only. */
async function acknowledgeReply(
  deps: ServiceDeps,
  slack: ResponseSlack & DeliverySlack,
  reply: { channelId: string; userId: string; threadTs: string },
  saved: { first: boolean; reaction: string | undefined },
  firstTimeWord: string,
): Promise<void> {
  await deliverAllNow(deps, slack, [saved.reaction]);
  if (saved.first) await confirmQuietly(deps, slack, reply, firstTimeWord);
}

/**
 * Check-ins are posted in their review's thread, so a reply there has the review's ts, not the
 * check-in's: it answers the newest check-in posted in that thread, if any.
 */
async function checkInAnswered(
  deps: ServiceDeps,
  scope: WorkspaceScope,
  channelId: string,
  threadTs: string,
) {
  const review = await findReviewBySummary(deps.db, scope, channelId, threadTs);
  return review ? latestPostedCheckIn(deps.db, scope, review.id) : undefined;
}

export async function captureReplyEdit(
  deps: ServiceDeps,
  scope: WorkspaceScope,
  edit: { channelId: string; ts: string; text: string },
): Promise<boolean> {
  const updated =
    (await updateThreadReply(deps.db, scope, {
      channelId: edit.channelId,
      messageTs: edit.ts,
      text: edit.text,
      features: textFeatures(edit.text),
      now: deps.clock(),
    })) ||
    (await changeLearningNote(deps.db, scope, {
      channelId: edit.channelId,
      messageTs: edit.ts,
      text: edit.text,
      now: deps.clock(),
    }));
  if (updated) deps.log.info({ team: scope.teamId, channel: edit.channelId }, 'thread reply updated');
  return updated;
}

export async function captureReplyDeletion(
  deps: ServiceDeps,
  scope: WorkspaceScope,
  removal: { channelId: string; ts: string },
): Promise<boolean> {
  const deleted =
    (await deleteThreadReply(deps.db, scope, { channelId: removal.channelId, messageTs: removal.ts })) ||
    (await changeLearningNote(deps.db, scope, {
      channelId: removal.channelId,
      messageTs: removal.ts,
      text: null,
      now: deps.clock(),
    }));
  if (deleted) deps.log.info({ team: scope.teamId, channel: removal.channelId }, 'thread reply deleted');
  return deleted;
}

/**
 * Opens the answer form. Answering privately a prompt one has answered privately already brings that
 * answer back, to edit: a person has one private answer per prompt. An anonymous answer is never looked
 * for, as nothing links it to whoever opens the form.
 */
export async function openAnswerModal(
  deps: ServiceDeps,
  slack: ResponseSlack,
  scope: WorkspaceScope,
  request: {
    triggerId: string;
    occurrenceId: string;
    mode: AnswerMode;
    userId: string;
    homeChannelId?: string | undefined;
  },
): Promise<boolean> {
  const occurrence = await findOccurrence(deps.db, scope, request.occurrenceId);
  if (!occurrence?.promptText) return false;
  const [questions, own] = await Promise.all([
    listActiveQuestions(deps.db, scope, occurrence.channelId),
    request.mode === 'private'
      ? findPrivateAnswer(deps.db, scope, { occurrenceId: occurrence.id, userId: request.userId })
      : undefined,
  ]);
  await slack.views.open({
    trigger_id: request.triggerId,
    view: buildAnswerModal({
      mode: request.mode,
      promptText: occurrence.promptText,
      questions: questions.map((question) => ({ id: question.id, text: question.text })),
      metadata: JSON.stringify({
        occurrenceId: occurrence.id,
        mode: request.mode,
        ...(request.homeChannelId ? { homeChannelId: request.homeChannelId } : {}),
      }),
      ...(own ? { answer: { text: own.text, questionId: own.questionId, quotable: own.quotable } } : {}),
    }),
  });
  return true;
}

export type AnswerSubmission =
  | { outcome: 'invalid'; error: string }
  | { outcome: 'gone' }
  | {
      outcome: 'saved';
      channelId: string;
      threadTs: string | null;
      occurrenceId: string;
      /** What a private answer's confirmation and Home tab act on; an anonymous answer offers nothing. */
      private?: { responseId: string; edited: boolean; homeChannelId?: string | undefined };
    }
  /**
   * Nothing new: the same form arrived again (Slack's retry, a double click), or the same words were saved
   * once more. Stored and confirmed already.
   */
  | { outcome: 'already_saved' };

export async function saveAnswer(
  deps: ServiceDeps,
  scope: WorkspaceScope,
  submission: {
    userId: string;
    metadata: AnswerMetadata;
    text: string;
    questionId?: string | null;
    /** A private answer's author allowed it to be quoted, without their name, in the digest. */
    quotable?: boolean;
  },
): Promise<AnswerSubmission> {
  const text = submission.text.trim();
  if (!text) return { outcome: 'invalid', error: 'Write a few words, or close this and use Skip instead.' };
  if ([...text].length > MAX_ANSWER_LENGTH) {
    return { outcome: 'invalid', error: `Please keep this under ${MAX_ANSWER_LENGTH} characters.` };
  }
  const occurrence = await findOccurrence(deps.db, scope, submission.metadata.occurrenceId);
  if (!occurrence) return { outcome: 'gone' };
  const channelQuestions = await listActiveQuestions(deps.db, scope, occurrence.channelId);
  const questionId = channelQuestions.some((question) => question.id === submission.questionId)
    ? (submission.questionId ?? null)
    : null;
  const common = {
    occurrenceId: occurrence.id,
    channelId: occurrence.channelId,
    text,
    questionId,
    features: textFeatures(text),
    now: deps.clock(),
  };
  const stored =
    submission.metadata.mode === 'private'
      ? await recordModalResponse(deps.db, scope, {
          kind: 'private',
          ...common,
          userId: submission.userId,
          quotable: submission.quotable ?? false,
        })
      : await recordModalResponse(deps.db, scope, { kind: 'anonymous', ...common });
  const edited = submission.metadata.mode === 'private' && stored !== undefined && !stored.created;
  // The anonymous line carries no user: logs must not link a person to an anonymous answer.
  deps.log.info(
    {
      team: scope.teamId,
      occurrence: occurrence.id,
      kind: submission.metadata.mode,
      stored: Boolean(stored),
      ...(edited ? { edited } : {}),
    },
    'answer saved',
  );
  if (!stored) return { outcome: 'already_saved' };
  return {
    outcome: 'saved',
    channelId: occurrence.channelId,
    threadTs: occurrence.messageTs,
    occurrenceId: occurrence.id,
    ...(submission.metadata.mode === 'private'
      ? {
          private: {
            responseId: stored.response.id,
            edited: !stored.created,
            homeChannelId: submission.metadata.homeChannelId,
          },
        }
      : {}),
  };
}

/**
 * Called only for a submission that changed what is stored, so each answer and each edit is confirmed
 * once. A private answer's note carries Edit and Withdraw; after an edit, the author's Home tab, where
 * the edit may have started, shows the new words.
 */
export async function confirmAnswer(
  deps: ServiceDeps,
  slack: PrivateAnswerSlack,
  scope: WorkspaceScope,
  saved: Extract<AnswerSubmission, { outcome: 'saved' }> & { userId: string },
): Promise<void> {
  if (!saved.private) {
    await confirmQuietly(deps, slack, saved, CONFIRMATIONS.anonymous);
    return;
  }
  await confirmQuietly(
    deps,
    slack,
    saved,
    buildPrivateAnswerSaved({ occurrenceId: saved.occurrenceId, ...saved.private }),
  );
  if (saved.private.edited)
    await publishHome(deps, slack, scope, saved.userId, { channelId: saved.private.homeChannelId });
}

export type Withdrawal = 'withdrawn' | 'gone' | 'not_yours';

/**
 * Withdraws a private answer at its author's request (Slack asked them to confirm first): it is deleted,
 * so no digest or export counts it from then on. Anyone else naming it changes nothing. The author is
 * told where they clicked (in the prompt's thread, or by direct message from the Home tab), and their
 * Home tab is drawn again without it.
 */
export async function withdrawPrivateAnswer(
  deps: ServiceDeps,
  slack: PrivateAnswerSlack,
  scope: WorkspaceScope,
  request: {
    userId: string;
    responseId: string;
    channelId: string | undefined;
    homeChannelId?: string | undefined;
  },
): Promise<Withdrawal> {
  const answer = await findPrivateAnswerById(deps.db, scope, request.responseId);
  if (!answer) return 'gone';
  if (answer.userId !== request.userId) {
    deps.log.info({ team: scope.teamId, user: request.userId, response: answer.id }, 'withdrawal refused');
    return 'not_yours';
  }
  const deleted = await deletePrivateAnswer(deps.db, scope, {
    responseId: answer.id,
    userId: request.userId,
  });
  if (!deleted) return 'gone';
  deps.log.info(
    { team: scope.teamId, occurrence: answer.occurrenceId, response: answer.id },
    'private answer withdrawn',
  );
  const inItsChannel = request.channelId === answer.channelId;
  await tellPrivately(slack, deps.log, {
    userId: request.userId,
    channelId: request.channelId,
    threadTs: inItsChannel ? answer.promptTs : undefined,
    message: buildAnswerWithdrawn(answer.prompt),
  });
  await publishHome(deps, slack, scope, request.userId, { channelId: request.homeChannelId });
  return 'withdrawn';
}

/**
 * Select menus on a prompt carry "<occurrence id>|<choice>". Returns the occurrence (in this workspace)
 * and the choice, or undefined for anything forged, stale or unknown.
 */
async function occurrenceChoice<T extends string>(
  deps: ServiceDeps,
  scope: WorkspaceScope,
  value: string,
  choices: readonly [T, ...T[]],
) {
  const parsed = z
    .string()
    .transform((text) => text.split('|'))
    .pipe(z.tuple([z.uuid(), z.enum(choices)]))
    .safeParse(value);
  if (!parsed.success) return undefined;
  const occurrence = await findOccurrence(deps.db, scope, parsed.data[0]);
  return occurrence ? { occurrence, choice: parsed.data[1] as T } : undefined;
}

/**
 * Records a skip and confirms it, once per change: the same skip sent again (Slack's retry, a double
 * click) finds it stored and says nothing more.
 */
export async function skipPrompt(
  deps: ServiceDeps,
  slack: ResponseSlack,
  scope: WorkspaceScope,
  request: { userId: string; value: string },
): Promise<'recorded' | 'already_recorded' | 'gone'> {
  const chosen = await occurrenceChoice(deps, scope, request.value, SKIP_REASONS);
  if (!chosen) return 'gone';
  const { occurrence, choice: reason } = chosen;
  const changed = await recordSkip(deps.db, scope, {
    occurrenceId: occurrence.id,
    channelId: occurrence.channelId,
    userId: request.userId,
    reason,
    now: deps.clock(),
  });
  deps.log.info({ team: scope.teamId, occurrence: occurrence.id, reason, changed }, 'prompt skipped');
  if (!changed) return 'already_recorded';
  await confirmQuietly(
    deps,
    slack,
    { channelId: occurrence.channelId, userId: request.userId, threadTs: occurrence.messageTs },
    CONFIRMATIONS.skip(reason),
  );
  return 'recorded';
}

const CONFIDENCE_LEVELS = ['1', '2', '3', '4', '5'] as const;

export async function recordConfidence(
  deps: ServiceDeps,
  slack: ResponseSlack,
  scope: WorkspaceScope,
  request: { userId: string; value: string },
): Promise<boolean> {
  const chosen = await occurrenceChoice(deps, scope, request.value, CONFIDENCE_LEVELS);
  if (chosen?.occurrence.kind !== 'pre_check_in') return false;
  const { occurrence } = chosen;
  const confidence = Number(chosen.choice);
  const changed = await recordConfidenceAnswer(deps.db, scope, {
    occurrenceId: occurrence.id,
    channelId: occurrence.channelId,
    userId: request.userId,
    confidence,
    now: deps.clock(),
  });
  deps.log.info(
    { team: scope.teamId, occurrence: occurrence.id, confidence, changed },
    'confidence recorded',
  );
  // The same choice sent again is stored and confirmed already.
  if (!changed) return true;
  await confirmQuietly(
    deps,
    slack,
    { channelId: occurrence.channelId, userId: request.userId, threadTs: occurrence.messageTs },
    `Noted: ${confidence} of 5. Thank you.`,
  );
  return true;
}
