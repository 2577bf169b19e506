import { renderVoicesChart } from '../charts/digest-chart.js';
import type { Database } from '../db/client.js';
import { findAfterActionReview, recordAarSummary } from '../db/queries/after-action.js';
import { findDigest, recordDigestThreadPart, releaseDigest } from '../db/queries/digests.js';
import {
  findSummaryEffect,
  perspectiveEffectOnItsWay,
  recordEffect,
  setOccurrencePrompt,
  usedPromptKeys,
} from '../db/queries/occurrences.js';
import { findPerspective, recordPerspectiveMessage } from '../db/queries/perspectives.js';
import { listActiveQuestions } from '../db/queries/questions.js';
import {
  findReview,
  type ReviewWithPeople,
  recordSummaryFailed,
  recordSummaryPosted,
} from '../db/queries/reviews.js';
import {
  appRemovedAt,
  listCustomPrompts,
  pauseChannelRhythms,
  recordAppPresent,
  recordWelcome,
} from '../db/queries/rhythms.js';
import { scopeOfRow, type WorkspaceScope } from '../db/queries/scope.js';
import {
  CHECK_IN_KINDS,
  type CheckInKind,
  type EffectPayload,
  type Occurrence,
  type OccurrenceKind,
  type RhythmKind,
} from '../db/schema.js';
import { choosePrompt, LOOK_BACK_PROMPT, PROMPT_LIBRARY, WEEK_AHEAD_PROMPT } from '../domain/prompts.js';
import { slackErrorCode } from '../slack/errors.js';
import { buildCheckIn, buildCheckInUndeliverable } from '../slack/views/after-action.js';
import { buildShareFailedNotice, type ShareProblem } from '../slack/views/bar-summary.js';
import { checkInScheduleLine } from '../slack/views/check-in-schedule.js';
import type { SlackMessage } from '../slack/views/message.js';
import { buildPerspectiveMessage } from '../slack/views/perspectives.js';
import { buildPrompt, promptMetadata } from '../slack/views/prompt.js';
import { deletedNotice } from '../slack/views/review-controls.js';
import { buildChannelPausedNotice, buildWelcome } from '../slack/views/rhythms.js';
import { checkInChanges } from './check-ins.js';
import type { Composer, Composition, FollowUps, Refusal } from './delivery.js';
import { effectMetadata } from './delivery.js';
import type { ServiceDeps } from './deps.js';
import {
  composeDigestMessages,
  logDigestPosted,
  prepareScheduledDigest,
  recordDigestDelivered,
} from './digest.js';
import { composeHistoryCanvas, composeHistoryFile } from './history-canvas.js';
import { afterSummary, beforeSummary } from './voices.js';
import { composeWorkflowCompletion, composeWorkflowPrompt, composeWorkflowReview } from './workflow-steps.js';

/**
 * Writes the direct message that tells one person something they own could not be posted, in the
 * transaction that records the refusal. `key` names the refusal, so it is told once.
 */
export async function recordNotice(
  db: Database,
  scope: WorkspaceScope,
  notice: { userId: string; key: string; message: SlackMessage; now: Date },
): Promise<FollowUps> {
  const id = await recordEffect(db, scope, {
    kind: 'notice',
    // A person's id is where their direct message with the app goes.
    channelId: notice.userId,
    key: `notice:${notice.key}`,
    payload: { notice: notice.message },
    now: notice.now,
  });
  return id ? [id] : [];
}

/** Writes the removal of one of the app's messages, or its replacement by a note that it was deleted. */
export function recordMessageRemoval(
  db: Database,
  scope: WorkspaceScope,
  removal: { channelId: string; ts: string; replaceWith: 'before' | 'after' | null; now: Date },
): Promise<string | undefined> {
  return recordEffect(db, scope, {
    kind: 'message_removal',
    channelId: removal.channelId,
    key: `message_removal:${removal.channelId}:${removal.ts}`,
    payload: { removal: { ts: removal.ts, replaceWith: removal.replaceWith } },
    now: removal.now,
  });
}

/**
 * What the app adds to a thread reply it saved: a note taken down. A green tick would read, beside
 * someone's honest reflection, as the app or the team approving it, or as a task closed.
 */
export const SAVED_REPLY_REACTION = 'memo';

/** Writes the reaction that tells a person their thread reply was saved; the reply's message is its key. */
export function recordReplyReaction(
  db: Database,
  scope: WorkspaceScope,
  reply: { channelId: string; ts: string; now: Date },
): Promise<string | undefined> {
  return recordEffect(db, scope, {
    kind: 'reply_reaction',
    channelId: reply.channelId,
    key: `reply_reaction:${reply.channelId}:${reply.ts}`,
    payload: { reaction: { ts: reply.ts } },
    now: reply.now,
  });
}

/** The part of an effect's payload its kind carries, if the row holds it. */
function payloadOf<K extends PayloadKey>(occurrence: Occurrence, key: K): PayloadPart<K> | undefined {
  const payload = occurrence.payload;
  return payload && key in payload ? (payload as unknown as Record<K, PayloadPart<K>>)[key] : undefined;
}
type PayloadKey = EffectPayload extends infer P ? (P extends unknown ? keyof P : never) : never;
type PayloadPart<K extends PayloadKey> = Extract<EffectPayload, Record<K, unknown>>[K];

/** A prompt or digest the channel refused: its rhythms pause, and its steward hears why, once. */
async function pauseChannel(
  tx: Database,
  occurrence: Occurrence,
  refusal: Refusal,
  now: Date,
): Promise<FollowUps> {
  if (!refusal.channelProblem) return [];
  const scope = scopeOfRow(occurrence);
  const paused = await pauseChannelRhythms(tx, scope, occurrence.channelId, { reason: refusal.error, now });
  // A steward who asked to be forgotten has left no one to tell.
  if (!paused?.stewardId) return [];
  return recordNotice(tx, scope, {
    userId: paused.stewardId,
    key: occurrence.id,
    message: buildChannelPausedNotice(occurrence.channelId, refusal.error),
    now,
  });
}

const FIXED_PROMPTS = {
  week_ahead: { key: 'fixed:week_ahead', text: WEEK_AHEAD_PROMPT },
  look_back: { key: 'fixed:look_back', text: LOOK_BACK_PROMPT },
} as const;

async function rotatingPrompt(
  deps: ServiceDeps,
  occurrence: Occurrence,
): Promise<{ key: string; text: string }> {
  const scope = scopeOfRow(occurrence);
  const [custom, used] = await Promise.all([
    listCustomPrompts(deps.db, scope, occurrence.channelId),
    usedPromptKeys(deps.db, scope, occurrence.channelId),
  ]);
  const available = [
    ...PROMPT_LIBRARY.map((prompt) => ({ key: prompt.key, text: prompt.text })),
    ...custom.map((prompt) => ({ key: `custom:${prompt.id}`, text: prompt.text })),
  ];
  const chosen = choosePrompt(available, used);
  if (!chosen) throw new Error('the prompt library is empty');
  return chosen;
}

async function promptFor(deps: ServiceDeps, occurrence: Occurrence): Promise<{ key: string; text: string }> {
  if (occurrence.promptKey && occurrence.promptText)
    return { key: occurrence.promptKey, text: occurrence.promptText };
  const chosen =
    occurrence.kind === 'mid_week'
      ? await rotatingPrompt(deps, occurrence)
      : FIXED_PROMPTS[occurrence.kind as keyof typeof FIXED_PROMPTS];
  // Stored before posting, so a retry posts the same words and answers point at what people saw.
  await setOccurrencePrompt(deps.db, occurrence, { ...chosen, now: deps.clock() });
  return chosen;
}

const composePrompt: Composer = async (deps, _slack, occurrence) => {
  const kind = occurrence.kind as Exclude<RhythmKind, 'digest'>;
  const prompt = await promptFor(deps, occurrence);
  const questions =
    kind === 'week_ahead'
      ? await listActiveQuestions(deps.db, scopeOfRow(occurrence), occurrence.channelId)
      : [];
  return {
    operation: {
      post: buildPrompt({
        occurrenceId: occurrence.id,
        kind,
        promptText: prompt.text,
        questions: questions.map((question) => question.text),
      }),
    },
    settle: { refused: (tx, refusal, now) => pauseChannel(tx, occurrence, refusal, now) },
  };
};

const composeDigest: Composer = async (deps, slack, occurrence) => {
  const scheduled = await prepareScheduledDigest(deps, slack, occurrence);
  if ('cancel' in scheduled) return scheduled;
  const prepared = scheduled.prepared;
  return {
    // The same metadata as a prompt, so a post whose answer was lost is found in the history, not repeated.
    operation: { post: { ...scheduled.message, metadata: promptMetadata(occurrence.id) } },
    settle: {
      delivered: async (tx, ts, now) => {
        const followUps = await recordDigestDelivered(tx, prepared.digest, composeDigestMessages(prepared), {
          messageTs: ts ?? '',
          now,
        });
        logDigestPosted(deps, prepared.digest);
        return followUps;
      },
      refused: async (tx, refusal, now) => {
        // The week is free again for someone to post by hand.
        await releaseDigest(tx, prepared.digest);
        return pauseChannel(tx, occurrence, refusal, now);
      },
    },
  };
};

/** Who among the people involved is still in the workspace; those who left are counted, not named. */
async function presentPeople(slack: Parameters<Composer>[1], people: readonly string[]) {
  // Looked up side by side: the check-in waits for all of them, and each may take up to the timeout.
  const gone = await Promise.all(
    people.map((userId) =>
      slack.users.info({ user: userId }).then(
        (answer) => Boolean(answer.user?.deleted),
        (error: unknown) => slackErrorCode(error) === 'user_not_found',
      ),
    ),
  );
  return { present: people.filter((_, index) => !gone[index]), departed: gone.filter(Boolean).length };
}

/** Whether a review's summary is still on its way: what is threaded under it waits for its ts. */
async function summaryOnItsWay(deps: ServiceDeps, scope: WorkspaceScope, reviewId: string) {
  const summary = await findSummaryEffect(deps.db, scope, { kind: 'summary', reviewId });
  return summary?.status === 'pending' || summary?.status === 'claimed';
}

const composeCheckIn: Composer = async (deps, slack, occurrence) => {
  const scope = scopeOfRow(occurrence);
  const review = occurrence.reviewId ? await findReview(deps.db, scope, occurrence.reviewId) : undefined;
  if (!review) return { cancel: 'review_deleted' };
  if (review.status === 'closed') return { cancel: 'review_closed' };
  // Posted before its summary, a check-in would start a thread of its own in the channel.
  if (!review.summaryTs && (await summaryOnItsWay(deps, scope, review.id)))
    return { postpone: 'summary_pending' };
  const { present, departed } = await presentPeople(slack, review.people);
  const checkIn = buildCheckIn(occurrence.kind as CheckInKind, {
    occurrenceId: occurrence.id,
    reviewId: review.id,
    action: review.action,
    lookBackOn: review.lookBackOn,
    timeZone: review.timeZone,
    people: present,
    departed,
  });
  return {
    operation: {
      post: {
        ...checkIn,
        metadata: promptMetadata(occurrence.id),
        ...(review.summaryTs ? { thread_ts: review.summaryTs } : {}),
      },
    },
    settle: {
      // A check-in belongs to its review: its author hears why, and the channel's rhythms are not touched.
      refused: (tx, refusal, now) =>
        refusal.channelProblem
          ? recordNotice(tx, scope, {
              userId: review.authorId,
              key: occurrence.id,
              message: buildCheckInUndeliverable(review.action, occurrence.channelId, refusal.error),
              now,
            })
          : Promise.resolve([]),
    },
  };
};

/**
 * A before-action review's summary, with a line saying when its check-ins come whenever that is not at
 * 10:00 on the days the review names (a time already past when it was saved, or a look-back on a day
 * off), so nobody waits for one that comes later or not at all.
 */
async function beforeSummaryWithCheckIns(deps: ServiceDeps, scope: WorkspaceScope, review: ReviewWithPeople) {
  const [summary, schedule] = await Promise.all([
    beforeSummary(deps, scope, review),
    checkInChanges(deps, scope, review),
  ]);
  const line = checkInScheduleLine(schedule.changes, schedule.timeZone);
  if (!line) return summary;
  const blocks = [...summary.blocks];
  const buttons = blocks.findIndex((block) => block.type === 'actions');
  blocks.splice(buttons < 0 ? blocks.length : buttons, 0, line);
  return { ...summary, blocks };
}

const SHARE_PROBLEMS: ReadonlySet<string> = new Set(['not_in_channel', 'channel_not_found', 'is_archived']);

function shareProblem(error: string): ShareProblem {
  return SHARE_PROBLEMS.has(error) ? (error as ShareProblem) : 'other';
}

const composeBeforeSummary: Composer = async (deps, _slack, occurrence) => {
  const scope = scopeOfRow(occurrence);
  const review = occurrence.reviewId ? await findReview(deps.db, scope, occurrence.reviewId) : undefined;
  if (!review) return { cancel: 'review_deleted' };
  const summary = await beforeSummaryWithCheckIns(deps, scope, review);
  return {
    operation: { post: { ...summary, metadata: effectMetadata(occurrence.id) } },
    settle: {
      delivered: async (tx, ts, now) => {
        await recordSummaryPosted(tx, scope, review.id, ts ?? '', now);
        return [];
      },
      // The review records why, and its author hears it once, privately.
      refused: async (tx, refusal, now) => {
        await recordSummaryFailed(tx, scope, review.id, refusal.error, now);
        return recordNotice(tx, scope, {
          userId: review.authorId,
          key: occurrence.id,
          message: buildShareFailedNotice(review, shareProblem(refusal.error)),
          now,
        });
      },
    },
  };
};

function buildAarShareFailedNotice(channelId: string, error: string): SlackMessage {
  const text = `Your after-action review is saved, but I couldn’t post it in <#${channelId}> (${error}). If the channel is private, invite me with /invite @Learning Thread; if it is archived, nothing more can be posted there.`;
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}

const composeAfterSummary: Composer = async (deps, _slack, occurrence) => {
  const scope = scopeOfRow(occurrence);
  const aar = occurrence.afterActionReviewId
    ? await findAfterActionReview(deps.db, scope, occurrence.afterActionReviewId)
    : undefined;
  if (!aar) return { cancel: 'review_deleted' };
  const before = aar.reviewId ? await findReview(deps.db, scope, aar.reviewId) : undefined;
  // It belongs in its before-action review's thread, once that thread exists.
  if (before && !before.summaryTs && (await summaryOnItsWay(deps, scope, before.id)))
    return { postpone: 'summary_pending' };
  const summary = { ...(await afterSummary(deps, scope, aar)), metadata: effectMetadata(occurrence.id) };
  return {
    // In the thread and also sent to the channel; in the channel alone when there is no thread.
    operation: {
      post: before?.summaryTs ? { ...summary, thread_ts: before.summaryTs, reply_broadcast: true } : summary,
    },
    settle: {
      delivered: async (tx, ts, now) => {
        await recordAarSummary(tx, scope, aar.id, { ts: ts ?? '' }, now);
        return [];
      },
      refused: async (tx, refusal, now) => {
        await recordAarSummary(tx, scope, aar.id, { error: refusal.error }, now);
        return recordNotice(tx, scope, {
          userId: aar.authorId,
          key: occurrence.id,
          message: buildAarShareFailedNotice(aar.channelId, refusal.error),
          now,
        });
      },
    },
  };
};

/** Where a review's summary is, and what to thread under it. */
async function summaryPlace(
  deps: ServiceDeps,
  scope: WorkspaceScope,
  of: { target: 'before' | 'after'; id: string },
) {
  if (of.target === 'before') {
    const review = await findReview(deps.db, scope, of.id);
    if (!review) return undefined;
    return {
      summaryTs: review.summaryTs,
      onItsWay: () => summaryOnItsWay(deps, scope, review.id),
      message: () => beforeSummaryWithCheckIns(deps, scope, review),
    };
  }
  const aar = await findAfterActionReview(deps.db, scope, of.id);
  if (!aar) return undefined;
  return {
    summaryTs: aar.summaryTs,
    onItsWay: async () => {
      const effect = await findSummaryEffect(deps.db, scope, { kind: 'aar_summary', aarId: aar.id });
      return effect?.status === 'pending' || effect?.status === 'claimed';
    },
    message: () => afterSummary(deps, scope, aar),
  };
}

const composePerspective: Composer = async (deps, _slack, occurrence) => {
  const scope = scopeOfRow(occurrence);
  const perspective = occurrence.perspectiveId
    ? await findPerspective(deps.db, scope, occurrence.perspectiveId)
    : undefined;
  if (!perspective) return { cancel: 'perspective_deleted' };
  const id = perspective.beforeActionReviewId ?? perspective.afterActionReviewId;
  const place = id ? await summaryPlace(deps, scope, { target: perspective.target, id }) : undefined;
  if (!place) return { cancel: 'review_deleted' };
  const message = buildPerspectiveMessage(perspective);
  if (perspective.messageTs) return { operation: { update: { ts: perspective.messageTs, message } } };
  // An edit made before the perspective's first message was delivered waits for it, to rewrite it in place.
  const earlier = await perspectiveEffectOnItsWay(deps.db, scope, {
    perspectiveId: perspective.id,
    exceptId: occurrence.id,
    writtenAt: occurrence.createdAt,
  });
  if (earlier || (!place.summaryTs && (await place.onItsWay()))) return { postpone: 'summary_pending' };
  return {
    operation: {
      post: {
        ...message,
        metadata: effectMetadata(occurrence.id),
        ...(place.summaryTs ? { thread_ts: place.summaryTs } : {}),
      },
    },
    settle: {
      delivered: async (tx, ts) => {
        if (ts) await recordPerspectiveMessage(tx, scope, perspective.id, ts);
        return [];
      },
    },
  };
};

const composeSummaryUpdate: Composer = async (deps, _slack, occurrence) => {
  const scope = scopeOfRow(occurrence);
  const of = payloadOf(occurrence, 'summaryOf');
  const place = of ? await summaryPlace(deps, scope, of) : undefined;
  if (!place) return { cancel: 'review_deleted' };
  if (!place.summaryTs) {
    // Posted later, the summary will show what changed; never posted, there is nothing to rewrite.
    return (await place.onItsWay()) ? { postpone: 'summary_pending' } : { cancel: 'summary_not_posted' };
  }
  return { operation: { update: { ts: place.summaryTs, message: await place.message() } } };
};

const composeRemoval: Composer = async (_deps, _slack, occurrence) => {
  const removal = payloadOf(occurrence, 'removal');
  if (!removal) return { cancel: 'message_gone' };
  return removal.replaceWith
    ? { operation: { update: { ts: removal.ts, message: deletedNotice(removal.replaceWith) } } }
    : { operation: { remove: { ts: removal.ts } } };
};

const composeNotice: Composer = async (_deps, _slack, occurrence) => {
  const notice = payloadOf(occurrence, 'notice');
  if (!notice) return { cancel: 'message_gone' };
  return {
    operation: { post: { ...(notice as SlackMessage), metadata: effectMetadata(occurrence.id) } },
  };
};

const composeWelcome: Composer = async (_deps, _slack, occurrence) => ({
  operation: { post: { ...buildWelcome(occurrence.channelId), metadata: effectMetadata(occurrence.id) } },
});

/** A digest someone asked for: posted as it was composed when they asked, its thread to follow. */
const composeRequestedDigest: Composer = async (deps, _slack, occurrence) => {
  const scope = scopeOfRow(occurrence);
  const digest = occurrence.digestId ? await findDigest(deps.db, scope, occurrence.digestId) : undefined;
  const composed = payloadOf(occurrence, 'requestedDigest');
  if (!digest || !composed) return { cancel: 'digest_not_posted' };
  return {
    operation: { post: { ...(composed.top as SlackMessage), metadata: effectMetadata(occurrence.id) } },
    settle: {
      delivered: async (tx, ts, now) => {
        const followUps = await recordDigestDelivered(tx, digest, composed, { messageTs: ts ?? '', now });
        logDigestPosted(deps, digest);
        return followUps;
      },
      // Refused, the week's edition is free again for the person to post once the channel is fixed.
      refused: async (tx) => {
        await releaseDigest(tx, digest);
        return [];
      },
    },
  };
};

/** A digest's thread follow-ups wait for its top message and are withdrawn when it never went out. */
async function digestThread(
  deps: ServiceDeps,
  occurrence: Occurrence,
): Promise<Composition | { threadTs: string; digestId: string }> {
  const digest = occurrence.digestId
    ? await findDigest(deps.db, scopeOfRow(occurrence), occurrence.digestId)
    : undefined;
  if (!digest?.messageTs) return { cancel: 'digest_not_posted' };
  return { threadTs: digest.messageTs, digestId: digest.id };
}

const composeDigestDetails: Composer = async (deps, _slack, occurrence) => {
  const thread = await digestThread(deps, occurrence);
  const details = payloadOf(occurrence, 'details');
  if (!('threadTs' in thread)) return thread;
  if (!details) return { cancel: 'message_gone' };
  return {
    operation: {
      post: {
        ...(details as SlackMessage),
        thread_ts: thread.threadTs,
        metadata: effectMetadata(occurrence.id),
      },
    },
    settle: {
      delivered: async (tx, ts, now) => {
        await recordDigestThreadPart(tx, thread.digestId, { detailsTs: ts }, now);
        return [];
      },
    },
  };
};

const composeDigestChart: Composer = async (deps, _slack, occurrence) => {
  const thread = await digestThread(deps, occurrence);
  const chart = payloadOf(occurrence, 'chart');
  if (!('threadTs' in thread)) return thread;
  if (!chart) return { cancel: 'message_gone' };
  const file = await renderVoicesChart({ weeks: chart.weeks, members: chart.members });
  return {
    operation: {
      upload: {
        threadTs: thread.threadTs,
        file,
        filename: chart.filename,
        title: chart.title,
        altText: chart.altText,
      },
    },
    settle: {
      delivered: async (tx, fileId, now) => {
        await recordDigestThreadPart(tx, thread.digestId, { chartFileId: fileId }, now);
        return [];
      },
    },
  };
};

/**
 * A reaction on a saved reply. A reply deleted meanwhile (`message_not_found`) withdraws it, and a channel
 * that is gone or archived fails it for good; neither touches the channel's rhythms.
 */
const composeReplyReaction: Composer = async (_deps, _slack, occurrence) => {
  const reaction = payloadOf(occurrence, 'reaction');
  if (!reaction) return { cancel: 'message_gone' };
  return { operation: { react: { ts: reaction.ts, name: SAVED_REPLY_REACTION } } };
};

/** One composer per kind: a new kind does not compile until it says what it delivers and what that settles. */
const COMPOSERS: Record<OccurrenceKind, Composer> = {
  digest: composeDigest,
  week_ahead: composePrompt,
  mid_week: composePrompt,
  look_back: composePrompt,
  pre_check_in: composeCheckIn,
  post_check_in: composeCheckIn,
  aar_reminder: composeCheckIn,
  summary: composeBeforeSummary,
  aar_summary: composeAfterSummary,
  perspective: composePerspective,
  summary_update: composeSummaryUpdate,
  message_removal: composeRemoval,
  notice: composeNotice,
  welcome: composeWelcome,
  requested_digest: composeRequestedDigest,
  digest_details: composeDigestDetails,
  digest_chart: composeDigestChart,
  reply_reaction: composeReplyReaction,
  history_canvas: composeHistoryCanvas,
  history_file: composeHistoryFile,
  workflow_review: composeWorkflowReview,
  workflow_prompt: composeWorkflowPrompt,
  workflow_completion: composeWorkflowCompletion,
};

/**
 * Whose wish a kind's message is, which decides what it does in a channel the app has been removed from
 * (Slack would still take the app's posts in a public one):
 * - `own`: the app's own doing (prompts, digests, check-ins, the welcome): withdrawn there, unposted;
 * - `asked`: what a person has just done and wants shared there: the app joins first, which ends the
 *   removal, as inviting it back would;
 * - `thread`: a review's summary, asked for like `asked`, whose thread only reaches members: the app joins
 *   a public channel before posting it, removed or not;
 * - `in_place`: a message already there rewritten or taken away, which needs no post;
 * - `direct`: a direct message to a person.
 */
type ChannelReach = 'own' | 'asked' | 'thread' | 'in_place' | 'direct';

const CHANNEL_REACH: Record<OccurrenceKind, ChannelReach> = {
  digest: 'own',
  week_ahead: 'own',
  mid_week: 'own',
  look_back: 'own',
  pre_check_in: 'own',
  post_check_in: 'own',
  aar_reminder: 'own',
  welcome: 'own',
  digest_details: 'own',
  digest_chart: 'own',
  summary: 'thread',
  aar_summary: 'asked',
  perspective: 'asked',
  requested_digest: 'asked',
  summary_update: 'in_place',
  message_removal: 'in_place',
  // A mark on a person's reply already there, which needs no post.
  reply_reaction: 'in_place',
  history_canvas: 'own',
  history_file: 'own',
  notice: 'direct',
  // A workflow someone set up asked for these. Replies in a prompt's thread reach the app only as a
  // member, so it joins a public channel first, as for a summary.
  workflow_review: 'thread',
  workflow_prompt: 'thread',
  // Ending a workflow run posts nothing in its channel, whether the app is still there or not.
  workflow_completion: 'in_place',
};

/** Answers that say Slack may join the app next time: the post waits rather than go out unjoined. */
const TRY_JOINING_AGAIN: ReadonlySet<string> = new Set([
  'ratelimited',
  'request_error',
  'http_error',
  'unknown_error',
]);

/**
 * Joins a public channel because a person asked for a post there. Recorded as welcomed first, so the join
 * cannot earn the channel a welcome beside what they shared. A private channel cannot be joined: it needs
 * an invitation, and refuses the post until then.
 */
async function joinWhereAsked(
  deps: ServiceDeps,
  slack: Parameters<Composer>[1],
  scope: WorkspaceScope,
  channelId: string,
): Promise<'joined' | 'not_joined' | 'try_later'> {
  if (!channelId.startsWith('C')) return 'not_joined';
  await recordWelcome(deps.db, scope, channelId, deps.clock());
  try {
    await slack.conversations.join({ channel: channelId });
  } catch (error) {
    return TRY_JOINING_AGAIN.has(slackErrorCode(error) ?? 'unknown_error') ? 'try_later' : 'not_joined';
  }
  await recordAppPresent(deps.db, scope, channelId);
  return 'joined';
}

/**
 * The app's own post in a channel it was removed from is withdrawn. A check-in's review author hears it,
 * once per removal however many of the review's check-ins fall due meanwhile, with what to do instead.
 */
async function withdrawnFromRemovedChannel(
  deps: ServiceDeps,
  occurrence: Occurrence,
  removedAt: Date,
): Promise<Composition> {
  if (!(CHECK_IN_KINDS as readonly string[]).includes(occurrence.kind))
    return { cancel: 'app_removed_from_channel' };
  const scope = scopeOfRow(occurrence);
  const review = occurrence.reviewId ? await findReview(deps.db, scope, occurrence.reviewId) : undefined;
  if (!review) return { cancel: 'review_deleted' };
  if (review.status === 'closed') return { cancel: 'review_closed' };
  return {
    cancel: 'app_removed_from_channel',
    withdrawn: (tx, now) =>
      recordNotice(tx, scope, {
        userId: review.authorId,
        key: `check-ins:${review.id}:removed:${removedAt.getTime()}`,
        message: buildCheckInUndeliverable(review.action, occurrence.channelId, 'not_in_channel'),
        now,
      }),
  };
}

/**
 * Composes an effect by its kind, after the one check every post in a channel goes through: whether the
 * app is still welcome there (see CHANNEL_REACH).
 */
export async function compose(
  deps: ServiceDeps,
  slack: Parameters<Composer>[1],
  occurrence: Occurrence,
): Promise<Composition> {
  const reach = CHANNEL_REACH[occurrence.kind];
  const scope = scopeOfRow(occurrence);
  if (reach === 'own') {
    const removedAt = await appRemovedAt(deps.db, scope, occurrence.channelId);
    if (removedAt) return withdrawnFromRemovedChannel(deps, occurrence, removedAt);
  }
  const composed = await COMPOSERS[occurrence.kind](deps, slack, occurrence);
  if (reach !== 'asked' && reach !== 'thread') return composed;
  if (!('operation' in composed) || !('post' in composed.operation)) return composed;
  const removed = (await appRemovedAt(deps.db, scope, occurrence.channelId)) !== null;
  if (!removed && reach !== 'thread') return composed;
  const joined = await joinWhereAsked(deps, slack, scope, occurrence.channelId);
  // Unjoined, a public channel would still take the post: it waits for a join to go through instead.
  return removed && joined === 'try_later' ? { postpone: 'joining_channel' } : composed;
}
