import type { WebClient } from '@slack/web-api';
import type { Database } from '../db/client.js';
import { findAfterActionReview, recordAarSummary } from '../db/queries/after-action.js';
import {
  claimOccurrence,
  deferOccurrence,
  findSummaryEffect,
  markOccurrenceCancelled,
  markOccurrenceFailed,
  markOccurrencePosted,
  postponeOccurrence,
  renewClaim,
  setOccurrencePrompt,
  usedPromptKeys,
} from '../db/queries/occurrences.js';
import { listActiveQuestions } from '../db/queries/questions.js';
import { findReview, recordSummaryFailed, recordSummaryPosted } from '../db/queries/reviews.js';
import { listCustomPrompts, pauseChannelRhythms, recordWelcome } from '../db/queries/rhythms.js';
import { scopeOfRow, type WorkspaceScope } from '../db/queries/scope.js';
import type { CheckInKind, Occurrence, OccurrenceKind, RhythmKind } from '../db/schema.js';
import type { WithdrawnReason } from '../domain/occurrence-outcome.js';
import { choosePrompt, LOOK_BACK_PROMPT, PROMPT_LIBRARY, WEEK_AHEAD_PROMPT } from '../domain/prompts.js';
import { describeError } from '../logger.js';
import { retryAfterMs, slackErrorCode } from '../slack/errors.js';
import { buildCheckIn, buildCheckInUndeliverable } from '../slack/views/after-action.js';
import { buildShareFailedNotice, type ShareProblem } from '../slack/views/bar-summary.js';
import type { SlackMessage } from '../slack/views/message.js';
import { buildNudge, NUDGE_EVENT_TYPE, type NudgeMetadata, nudgeMetadata } from '../slack/views/nudge.js';
import { buildChannelPausedNotice } from '../slack/views/rhythms.js';
import type { ServiceDeps } from './deps.js';
import {
  abandonDigest,
  type DigestSlack,
  finishDigest,
  type PreparedDigest,
  prepareScheduledDigest,
} from './digest.js';
import { type TellPolicy, tellPrivately } from './tell.js';
import { afterSummary, beforeSummary } from './voices.js';

/** The Web API methods scheduled posting needs, on a client with automatic retries turned off. */
export interface NudgeSlack extends DigestSlack {
  chat: Pick<WebClient['chat'], 'postMessage' | 'getPermalink' | 'postEphemeral'>;
  conversations: Pick<WebClient['conversations'], 'history' | 'replies' | 'members' | 'join'>;
  users: Pick<WebClient['users'], 'info'>;
}

/** Errors that mean the channel itself cannot take posts: pause its rhythms rather than retry. */
const CHANNEL_PROBLEMS: ReadonlySet<string> = new Set([
  'channel_not_found',
  'is_archived',
  'not_in_channel',
  'restricted_action',
]);

export interface DeliveryPolicy {
  /** Tries within one claim, each after checking whether an earlier one already posted. */
  triesPerClaim: number;
  /** Claims before an occurrence is given up as failed. */
  maxAttempts: number;
  /** The longest Retry-After honoured in place; longer waits go back to the queue. */
  maxRetryAfterMs: number;
  /** Pause after a server error before checking and trying again. */
  serverErrorBackoffMs: number;
  /** How long an occurrence that could not be posted waits before any replica tries it again. */
  retryDelayMs: number;
  /** Each try renews the claim for this long, so no other replica takes it over mid-post. */
  leaseMs: number;
  sleep: (ms: number) => Promise<void>;
}

export const DEFAULT_DELIVERY_POLICY: DeliveryPolicy = {
  triesPerClaim: 4,
  maxAttempts: 6,
  maxRetryAfterMs: 30_000,
  serverErrorBackoffMs: 1_000,
  retryDelayMs: 60_000,
  leaseMs: 300_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

type Delivery =
  | { outcome: 'posted'; ts: string; found: boolean }
  | { outcome: 'lost_claim' }
  | { outcome: 'channel_problem'; error: string }
  | { outcome: 'failed'; error: string }
  | { outcome: 'retry_later'; error: string };

/** A review's summary carries its occurrence id too, under its own type: it is not a nudge to answer. */
export const SUMMARY_EVENT_TYPE = 'learning_thread_summary';
const POSTED_EVENT_TYPES: ReadonlySet<string> = new Set([NUDGE_EVENT_TYPE, SUMMARY_EVENT_TYPE]);

function summaryMetadata(occurrenceId: string): NudgeMetadata {
  return { event_type: SUMMARY_EVENT_TYPE, event_payload: { occurrence_id: occurrenceId } };
}

/** How far before an occurrence's due time its message could sit in the channel's history. */
const HISTORY_WINDOW_SECONDS = 120;

/** Looks for this occurrence's nudge among the channel's recent messages, by the metadata it carries. */
/** Enough for a busy channel's messages since a nudge fell due, without reading its whole history. */
const HISTORY_PAGES = 5;

async function findPosted(
  slack: NudgeSlack,
  occurrence: Occurrence,
  threadTs: string | undefined,
): Promise<string | undefined> {
  const oldest = Math.floor(occurrence.dueAt.getTime() / 1000) - HISTORY_WINDOW_SECONDS;
  let cursor: string | undefined;
  for (let page = 0; page < HISTORY_PAGES; page += 1) {
    const query = {
      channel: occurrence.channelId,
      oldest: String(oldest),
      limit: 200,
      include_all_metadata: true,
      ...(cursor ? { cursor } : {}),
    };
    // A check-in lives in its review's thread, where channel history does not reach.
    const history = threadTs
      ? await slack.conversations.replies({ ...query, ts: threadTs })
      : await slack.conversations.history(query);
    const match = history.messages?.find(
      (message) =>
        POSTED_EVENT_TYPES.has(message.metadata?.event_type ?? '') &&
        (message.metadata?.event_payload as { occurrence_id?: unknown } | undefined)?.occurrence_id ===
          occurrence.id,
    );
    if (match?.ts) return match.ts;
    cursor = history.response_metadata?.next_cursor || undefined;
    if (!history.has_more || !cursor) return undefined;
  }
  return undefined;
}

async function deliver(
  slack: NudgeSlack,
  occurrence: Occurrence,
  message: ComposedMessage,
  policy: DeliveryPolicy,
  stillMine: () => Promise<boolean>,
  pace: () => Promise<void>,
): Promise<Delivery> {
  // An occurrence claimed before may have been posted by a process that died or timed out.
  let outcomeUnknown = occurrence.attempts > 1;
  let lastError = 'not_tried';
  for (let attempt = 0; attempt < policy.triesPerClaim; attempt += 1) {
    if (!(await stillMine())) return { outcome: 'lost_claim' };
    try {
      if (outcomeUnknown) {
        const ts = await findPosted(slack, occurrence, message.thread_ts);
        if (ts) return { outcome: 'posted', ts, found: true };
        outcomeUnknown = false;
      }
      await pace();
      // Any wait (a history check, pacing, a process stalled or suspended) may outlast the lease while
      // another process takes the occurrence over and posts it: the fence comes right before every post.
      if (!(await stillMine())) return { outcome: 'lost_claim' };
      const posted = await slack.chat.postMessage({
        channel: occurrence.channelId,
        ...message,
        unfurl_links: false,
        unfurl_media: false,
      });
      return { outcome: 'posted', ts: posted.ts as string, found: false };
    } catch (error) {
      const code = slackErrorCode(error) ?? 'unknown_error';
      lastError = code;
      if (CHANNEL_PROBLEMS.has(code)) return { outcome: 'channel_problem', error: code };
      if (code === 'ratelimited') {
        const wait = retryAfterMs(error) ?? policy.serverErrorBackoffMs;
        if (wait > policy.maxRetryAfterMs) return { outcome: 'retry_later', error: code };
        await policy.sleep(wait);
        continue;
      }
      // A timeout, a dropped connection or a server error may each have posted: look before trying again.
      if (code === 'request_error' || code === 'http_error' || code === 'unknown_error') {
        outcomeUnknown = true;
        await policy.sleep(policy.serverErrorBackoffMs);
        continue;
      }
      return { outcome: 'failed', error: code };
    }
  }
  return { outcome: 'retry_later', error: lastError };
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

type ComposedMessage = SlackMessage & { metadata: NudgeMetadata } & (
    | { thread_ts?: string; reply_broadcast?: false }
    | { thread_ts: string; reply_broadcast: boolean }
  );

/** What a review's summary owes once its delivery has an outcome. */
interface SummarySettlement {
  /** Runs in the transaction that settles the occurrence, so a posted summary always has its ts. */
  recordPosted: (db: Database, ts: string, now: Date) => Promise<void>;
  recordFailed: (db: Database, error: string, now: Date) => Promise<void>;
  authorId: string;
  /** The one private message that tells the author why it is not in the channel. */
  notice: (problem: ShareProblem, error: string) => SlackMessage;
}

type Composition =
  | { cancel: WithdrawnReason }
  | { postpone: string }
  | {
      message: ComposedMessage;
      review?: { authorId: string; action: string };
      digest?: PreparedDigest;
      summary?: SummarySettlement;
    };

type Composer = (deps: ServiceDeps, slack: NudgeSlack, occurrence: Occurrence) => Promise<Composition>;

/** Who among the people involved is still in the workspace; those who left are counted, not named. */
async function presentPeople(slack: NudgeSlack, people: readonly string[]) {
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

const composeDigest: Composer = async (deps, slack, occurrence) => {
  const scheduled = await prepareScheduledDigest(deps, slack, occurrence);
  if ('cancel' in scheduled) return scheduled;
  // The same metadata as a nudge, so a post whose answer was lost is found in the history, not repeated.
  return {
    message: { ...scheduled.message, metadata: nudgeMetadata(occurrence.id) },
    digest: scheduled.prepared,
  };
};

const composePrompt: Composer = async (deps, _slack, occurrence) => {
  const kind = occurrence.kind as Exclude<RhythmKind, 'digest'>;
  const prompt = await promptFor(deps, occurrence);
  const questions =
    kind === 'week_ahead'
      ? await listActiveQuestions(deps.db, scopeOfRow(occurrence), occurrence.channelId)
      : [];
  return {
    message: buildNudge({
      occurrenceId: occurrence.id,
      kind,
      promptText: prompt.text,
      questions: questions.map((question) => question.text),
    }),
  };
};

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
    people: present,
    departed,
  });
  return {
    message: {
      ...checkIn,
      metadata: nudgeMetadata(occurrence.id),
      ...(review.summaryTs ? { thread_ts: review.summaryTs } : {}),
    },
    review: { authorId: review.authorId, action: review.action },
  };
};

const composeBeforeSummary: Composer = async (deps, slack, occurrence) => {
  const scope = scopeOfRow(occurrence);
  const review = occurrence.reviewId ? await findReview(deps.db, scope, occurrence.reviewId) : undefined;
  if (!review) return { cancel: 'review_deleted' };
  // Replies to check-ins in the review's thread only reach members, so the app joins a public channel
  // first; a private one it was not invited to refuses the post, and its author is told what to do.
  if (review.channelId.startsWith('C')) {
    // Recorded first, so the join cannot earn the channel a welcome beside the review.
    await recordWelcome(deps.db, scope, review.channelId, deps.clock());
    await slack.conversations.join({ channel: review.channelId }).catch(() => {});
  }
  const summary = await beforeSummary(deps, scope, review);
  return {
    message: { ...summary, metadata: summaryMetadata(occurrence.id) },
    summary: {
      recordPosted: (db, ts, now) => recordSummaryPosted(db, scope, review.id, ts, now),
      recordFailed: (db, error, now) => recordSummaryFailed(db, scope, review.id, error, now),
      authorId: review.authorId,
      notice: (problem) => buildShareFailedNotice(review, problem),
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
  const summary = { ...(await afterSummary(deps, scope, aar)), metadata: summaryMetadata(occurrence.id) };
  return {
    // In the thread and also sent to the channel; in the channel alone when there is no thread.
    message: before?.summaryTs ? { ...summary, thread_ts: before.summaryTs, reply_broadcast: true } : summary,
    summary: {
      recordPosted: (db, ts, now) => recordAarSummary(db, scope, aar.id, { ts }, now),
      recordFailed: (db, error, now) => recordAarSummary(db, scope, aar.id, { error }, now),
      authorId: aar.authorId,
      notice: (_problem, error) => buildAarShareFailedNotice(aar.channelId, error),
    },
  };
};

/** One composer per kind: a new kind does not compile until it says what it posts. */
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
};

function compose(deps: ServiceDeps, slack: NudgeSlack, occurrence: Occurrence): Promise<Composition> {
  return COMPOSERS[occurrence.kind](deps, slack, occurrence);
}

export type DeliveryResult = Delivery['outcome'] | 'skipped';

/** Posts one claimed occurrence and records what happened; never throws for Slack's answers. */
export async function postOccurrence(
  deps: ServiceDeps,
  slack: NudgeSlack,
  occurrence: Occurrence,
  options: {
    policy?: DeliveryPolicy;
    /** Waits until the channel may take another post; called right before each post request. */
    pace?: () => Promise<void>;
    /** True once the process is shutting down: no new try starts, and the claim is left to expire. */
    isStopping?: () => boolean;
  } = {},
): Promise<DeliveryResult> {
  const policy = options.policy ?? DEFAULT_DELIVERY_POLICY;
  const pace = options.pace ?? (async () => {});
  const composed = await compose(deps, slack, occurrence);
  if ('cancel' in composed) {
    await markOccurrenceCancelled(deps.db, occurrence, { reason: composed.cancel, now: deps.clock() });
    deps.log.info(
      { occurrence: occurrence.id, kind: occurrence.kind, reason: composed.cancel },
      'nudge withdrawn',
    );
    return 'skipped';
  }
  if ('postpone' in composed) {
    const now = deps.clock();
    await postponeOccurrence(deps.db, occurrence, {
      until: new Date(now.getTime() + policy.retryDelayMs),
      now,
    });
    deps.log.info(
      { occurrence: occurrence.id, kind: occurrence.kind, reason: composed.postpone },
      'nudge postponed',
    );
    return 'skipped';
  }
  const { message } = composed;
  const stillMine = async () => {
    if (options.isStopping?.()) return false;
    const now = deps.clock();
    return renewClaim(deps.db, occurrence, { now, leaseUntil: new Date(now.getTime() + policy.leaseMs) });
  };
  const delivery = await deliver(slack, occurrence, message, policy, stillMine, pace);
  const context = { occurrence: occurrence.id, team: occurrence.teamId, channel: occurrence.channelId };

  switch (delivery.outcome) {
    case 'lost_claim':
      deps.log.warn(
        { ...context, attempts: occurrence.attempts },
        options.isStopping?.()
          ? 'nudge left for another process at shutdown'
          : 'nudge claim taken over by another process',
      );
      break;
    case 'posted': {
      const now = deps.clock();
      const recorded = await deps.db.transaction(async (tx) => {
        const held = await markOccurrencePosted(tx, occurrence, { messageTs: delivery.ts, now });
        if (held) await composed.summary?.recordPosted(tx, delivery.ts, now);
        return held;
      });
      deps.log.info(
        { ...context, kind: occurrence.kind, attempts: occurrence.attempts, found: delivery.found, recorded },
        delivery.found
          ? 'nudge found already posted'
          : composed.summary
            ? 'review summary posted'
            : 'nudge posted',
      );
      if (composed.digest && recorded) {
        try {
          await finishDigest(deps, slack, composed.digest, delivery.ts);
        } catch (error) {
          deps.log.warn({ ...context, err: describeError(error) }, 'digest thread not finished');
        }
      }
      break;
    }
    case 'channel_problem': {
      await markOccurrenceFailed(deps.db, occurrence, {
        error: delivery.error,
        givenUp: false,
        now: deps.clock(),
      });
      if (composed.summary) {
        await summaryRefused(deps, slack, occurrence, composed.summary, delivery.error);
        break;
      }
      if (composed.digest) await abandonDigest(deps, composed.digest);
      if (composed.review) {
        // A check-in belongs to its review: its author hears why, and the channel's rhythms are not touched.
        await tellReviewAuthor(deps, slack, composed.review, occurrence, delivery.error, policy);
        break;
      }
      const paused = await pauseChannelRhythms(deps.db, scopeOfRow(occurrence), occurrence.channelId, {
        reason: delivery.error,
        now: deps.clock(),
      });
      deps.log.warn(
        { ...context, error: delivery.error, firstTime: Boolean(paused) },
        'channel rhythms paused',
      );
      if (paused) {
        await tellPrivately(
          slack,
          deps.log,
          {
            userId: paused.stewardId,
            message: buildChannelPausedNotice(occurrence.channelId, delivery.error),
          },
          tellPolicyOf(policy),
        );
      }
      break;
    }
    case 'failed':
      await markOccurrenceFailed(deps.db, occurrence, {
        error: delivery.error,
        givenUp: false,
        now: deps.clock(),
      });
      if (composed.summary) await summaryRefused(deps, slack, occurrence, composed.summary, delivery.error);
      if (composed.digest) await abandonDigest(deps, composed.digest);
      deps.log.warn({ ...context, error: delivery.error }, 'nudge not posted');
      break;
    case 'retry_later':
      if (occurrence.attempts >= policy.maxAttempts) {
        await markOccurrenceFailed(deps.db, occurrence, {
          error: delivery.error,
          givenUp: true,
          now: deps.clock(),
        });
        if (composed.summary) await summaryRefused(deps, slack, occurrence, composed.summary, delivery.error);
        if (composed.digest) await abandonDigest(deps, composed.digest);
        deps.log.warn({ ...context, error: delivery.error, attempts: occurrence.attempts }, 'nudge given up');
      } else {
        const now = deps.clock();
        const retryAt = new Date(now.getTime() + policy.retryDelayMs);
        await deferOccurrence(deps.db, occurrence, { retryAt, error: delivery.error, now });
        deps.log.info(
          { ...context, error: delivery.error, attempts: occurrence.attempts },
          'nudge will be retried',
        );
      }
      break;
  }
  return delivery.outcome;
}

const SHARE_PROBLEMS: ReadonlySet<string> = new Set(['not_in_channel', 'channel_not_found', 'is_archived']);

/** A summary Slack would not take: the review records why, and its author hears it once, privately. */
async function summaryRefused(
  deps: ServiceDeps,
  slack: NudgeSlack,
  occurrence: Occurrence,
  summary: SummarySettlement,
  error: string,
): Promise<void> {
  await summary.recordFailed(deps.db, error, deps.clock());
  const problem: ShareProblem = SHARE_PROBLEMS.has(error) ? (error as ShareProblem) : 'other';
  try {
    // Posting to a user id lands in the person's Messages tab with the app.
    await slack.chat.postMessage({ channel: summary.authorId, ...summary.notice(problem, error) });
  } catch (failure) {
    deps.log.warn({ occurrence: occurrence.id, err: describeError(failure) }, 'author not told of summary');
  }
  deps.log.warn(
    { occurrence: occurrence.id, team: occurrence.teamId, channel: occurrence.channelId, error },
    'review summary not posted',
  );
}

/**
 * Delivers one effect at once from the process that wrote it, through the same claim, fence and
 * settling as a tick. Should this process die first, the effect is due and its lease runs out, so the
 * next tick anywhere takes it over.
 */
export async function deliverNow(
  deps: ServiceDeps,
  slack: NudgeSlack,
  occurrenceId: string,
  policy: DeliveryPolicy = deps.delivery ?? DEFAULT_DELIVERY_POLICY,
): Promise<DeliveryResult | 'not_claimed'> {
  const claimed = await claimOccurrence(deps.db, occurrenceId, deps.clock(), policy.leaseMs);
  if (!claimed) return 'not_claimed';
  try {
    return await postOccurrence(deps, slack, claimed, { policy });
  } catch (error) {
    // The claim is left to expire; the scheduler takes it over.
    deps.log.error({ occurrence: occurrenceId, err: describeError(error) }, 'nudge delivery failed');
    return 'retry_later';
  }
}

async function tellReviewAuthor(
  deps: ServiceDeps,
  slack: NudgeSlack,
  review: { authorId: string; action: string },
  occurrence: Occurrence,
  error: string,
  policy: DeliveryPolicy,
): Promise<void> {
  deps.log.warn({ occurrence: occurrence.id, error }, 'check-in not posted');
  // The check-in's channel is the one refusing, so the author hears it by direct message.
  await tellPrivately(
    slack,
    deps.log,
    {
      userId: review.authorId,
      message: buildCheckInUndeliverable(review.action, occurrence.channelId, error),
    },
    tellPolicyOf(policy),
  );
}

/** A private notice waits out Slack's Retry-After as a post does, and shutdown cuts the wait short alike. */
function tellPolicyOf(policy: DeliveryPolicy): TellPolicy {
  return { maxWaitMs: policy.maxRetryAfterMs, sleep: policy.sleep };
}
