import type { WebClient } from '@slack/web-api';
import {
  deferOccurrence,
  markOccurrenceCancelled,
  markOccurrenceFailed,
  markOccurrencePosted,
  renewClaim,
  setOccurrencePrompt,
  usedPromptKeys,
} from '../db/queries/occurrences.js';
import { listActiveQuestions } from '../db/queries/questions.js';
import { findReview } from '../db/queries/reviews.js';
import { listCustomPrompts, pauseChannelRhythms } from '../db/queries/rhythms.js';
import { scopeOfRow } from '../db/queries/scope.js';
import type { Occurrence } from '../db/schema.js';
import { choosePrompt, LOOK_BACK_PROMPT, PROMPT_LIBRARY, WEEK_AHEAD_PROMPT } from '../domain/prompts.js';
import { describeError } from '../logger.js';
import { slackErrorCode } from '../slack/errors.js';
import { buildCheckIn, buildCheckInUndeliverable } from '../slack/views/after-action.js';
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

/** The Web API methods scheduled posting needs, on a client with automatic retries turned off. */
export interface NudgeSlack extends DigestSlack {
  chat: Pick<WebClient['chat'], 'postMessage' | 'getPermalink' | 'postEphemeral'>;
  conversations: Pick<WebClient['conversations'], 'history' | 'replies' | 'members'>;
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
        message.metadata?.event_type === NUDGE_EVENT_TYPE &&
        (message.metadata.event_payload as { occurrence_id?: unknown } | undefined)?.occurrence_id ===
          occurrence.id,
    );
    if (match?.ts) return match.ts;
    cursor = history.response_metadata?.next_cursor || undefined;
    if (!history.has_more || !cursor) return undefined;
  }
  return undefined;
}

function retryAfterMs(error: unknown): number | undefined {
  const seconds = (error as { retryAfter?: unknown }).retryAfter;
  return typeof seconds === 'number' ? seconds * 1000 : undefined;
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

type ComposedMessage = SlackMessage & { metadata: NudgeMetadata; thread_ts?: string };

type Composition =
  | { cancel: string }
  | { message: ComposedMessage; review?: { authorId: string; action: string }; digest?: PreparedDigest };

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

async function compose(deps: ServiceDeps, slack: NudgeSlack, occurrence: Occurrence): Promise<Composition> {
  if (occurrence.kind === 'digest') {
    const scheduled = await prepareScheduledDigest(deps, slack, occurrence);
    if ('cancel' in scheduled) return scheduled;
    // The same metadata as a nudge, so a post whose answer was lost is found in the history, not repeated.
    return {
      message: { ...scheduled.message, metadata: nudgeMetadata(occurrence.id) },
      digest: scheduled.prepared,
    };
  }
  if (occurrence.kind === 'week_ahead' || occurrence.kind === 'mid_week' || occurrence.kind === 'look_back') {
    const prompt = await promptFor(deps, occurrence);
    const questions =
      occurrence.kind === 'week_ahead'
        ? await listActiveQuestions(deps.db, scopeOfRow(occurrence), occurrence.channelId)
        : [];
    return {
      message: buildNudge({
        occurrenceId: occurrence.id,
        kind: occurrence.kind,
        promptText: prompt.text,
        questions: questions.map((question) => question.text),
      }),
    };
  }
  const scope = scopeOfRow(occurrence);
  const review = occurrence.reviewId ? await findReview(deps.db, scope, occurrence.reviewId) : undefined;
  if (!review) return { cancel: 'review_deleted' };
  if (review.status === 'closed') return { cancel: 'review_closed' };
  const { present, departed } = await presentPeople(slack, review.people);
  const checkIn = buildCheckIn(occurrence.kind, {
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
      const recorded = await markOccurrencePosted(deps.db, occurrence, {
        messageTs: delivery.ts,
        now: deps.clock(),
      });
      deps.log.info(
        { ...context, kind: occurrence.kind, attempts: occurrence.attempts, found: delivery.found, recorded },
        delivery.found ? 'nudge found already posted' : 'nudge posted',
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
      await markOccurrenceFailed(deps.db, occurrence, { error: delivery.error, now: deps.clock() });
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
      await markOccurrenceFailed(deps.db, occurrence, { error: delivery.error, now: deps.clock() });
      if (composed.digest) await abandonDigest(deps, composed.digest);
      deps.log.warn({ ...context, error: delivery.error }, 'nudge not posted');
      break;
    case 'retry_later':
      if (occurrence.attempts >= policy.maxAttempts) {
        await markOccurrenceFailed(deps.db, occurrence, {
          error: `gave_up:${delivery.error}`,
          now: deps.clock(),
        });
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
