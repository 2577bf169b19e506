import type { WebClient } from '@slack/web-api';
import type { Database } from '../db/client.js';
import {
  claimOccurrence,
  deferOccurrence,
  findOccurrence,
  markOccurrenceCancelled,
  markOccurrenceFailed,
  markOccurrencePosted,
  postponeOccurrence,
  renewClaim,
} from '../db/queries/occurrences.js';
import { scopeOfRow } from '../db/queries/scope.js';
import type { Occurrence } from '../db/schema.js';
import type { WithdrawnReason } from '../domain/occurrence-outcome.js';
import { describeError } from '../logger.js';
import { retryAfterMs, slackErrorCode } from '../slack/errors.js';
import type { SlackMessage } from '../slack/views/message.js';
import { PROMPT_EVENT_TYPE, type PromptMetadata } from '../slack/views/prompt.js';
import { compose } from './compose.js';
import type { ServiceDeps } from './deps.js';
import type { DigestSlack } from './digest.js';

/** The Web API methods delivery needs, on a client with automatic retries turned off. */
export interface DeliverySlack extends DigestSlack {
  chat: Pick<WebClient['chat'], 'postMessage' | 'update' | 'delete' | 'getPermalink' | 'postEphemeral'>;
  conversations: Pick<
    WebClient['conversations'],
    'history' | 'replies' | 'members' | 'join' | 'open' | 'info' | 'canvases'
  >;
  users: Pick<WebClient['users'], 'info'>;
  reactions: Pick<WebClient['reactions'], 'add'>;
  canvases: Pick<WebClient['canvases'], 'edit' | 'sections'>;
  functions: Pick<WebClient['functions'], 'completeSuccess' | 'completeError'>;
}

/** Errors that mean the channel itself cannot take posts: a state change, never a retry. */
const CHANNEL_PROBLEMS: ReadonlySet<string> = new Set([
  'channel_not_found',
  'is_archived',
  'not_in_channel',
  'restricted_action',
]);

/** Slack's answers to ending a workflow run already ended (by an earlier try whose answer was lost) or gone. */
const STEP_ENDED: ReadonlySet<string> = new Set([
  'execution_not_in_running_state',
  'function_execution_not_found',
]);

/** Errors that mean the message an update or removal was for is no longer there to change. */
const MESSAGE_GONE: ReadonlySet<string> = new Set([
  'message_not_found',
  'cant_update_message',
  'cant_delete_message',
]);

export interface DeliveryPolicy {
  /** Tries within one claim, each after checking whether an earlier one already posted. */
  triesPerClaim: number;
  /** Claims before an effect is given up as failed. */
  maxAttempts: number;
  /** The longest Retry-After honoured in place; longer waits go back to the queue. */
  maxRetryAfterMs: number;
  /** Pause after a server error before checking and trying again. */
  serverErrorBackoffMs: number;
  /** How long an effect that could not be delivered waits before any replica tries it again. */
  retryDelayMs: number;
  /** Each try renews the claim for this long, so no other replica takes it over mid-call. */
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

/**
 * Every effect that posts, not only a review's summary, carries its occurrence id under this type: the
 * name is older than the other effects, and summaries already in channels carry the value.
 */
export const SUMMARY_EVENT_TYPE = 'learning_thread_summary';
const POSTED_EVENT_TYPES: ReadonlySet<string> = new Set([PROMPT_EVENT_TYPE, SUMMARY_EVENT_TYPE]);

export function effectMetadata(occurrenceId: string): PromptMetadata {
  return { event_type: SUMMARY_EVENT_TYPE, event_payload: { occurrence_id: occurrenceId } };
}

export type ComposedMessage = SlackMessage & { metadata: PromptMetadata } & (
    | { thread_ts?: string; reply_broadcast?: false }
    | { thread_ts: string; reply_broadcast: boolean }
  );

/** The one Web API call an effect makes. */
export type Operation =
  /** A new message, found again by its metadata when an answer was lost. Channel or person's id. */
  | { post: ComposedMessage }
  /** A message rewritten in place; doing it twice changes nothing. */
  | { update: { ts: string; message: SlackMessage } }
  | { remove: { ts: string } }
  /** A file shared in a thread or the channel, found again by its name when an answer was lost. */
  | {
      upload: {
        threadTs?: string;
        file: Buffer;
        filename: string;
        title: string;
        altText: string;
        comment?: string;
      };
    }
  /** The app's reaction on a message; Slack refuses a second one with `already_reacted`. */
  | { react: { ts: string; name: string } }
  /** The channel's canvas, written again: doing it twice leaves it as doing it once. */
  | { canvas: CanvasWrite }
  /**
   * The end of a workflow run, with its outputs or the sentence the person who ran it reads. Slack answers
   * a second ending as it answers ending a run it no longer knows.
   */
  | { completeStep: { executionId: string; outputs: Record<string, string> } }
  | { failStep: { executionId: string; error: string } };

/**
 * The channel canvas made with the whole document, or, once it exists, each of the app's sections
 * replaced in place (found by its header), one change per call as Slack requires. What people added
 * elsewhere in the canvas is left alone.
 */
export interface CanvasWrite {
  canvasId: string | null;
  /** When people deleted the canvas since: a new one is made (a steward turned it on again), or not. */
  remakeIfGone: boolean;
  title: string;
  document: string;
  /** Each starts with its `## header` line; one missing from the canvas is added at its end. */
  sections: readonly { header: string; markdown: string }[];
}

/** Ids of effects a settlement wrote in its transaction, to be delivered at once. */
export type FollowUps = readonly string[];

export interface Refusal {
  error: string;
  /** The channel itself will not take posts (archived, private without the app, gone). */
  channelProblem: boolean;
}

/** What an effect's outcome changes, each run in the transaction that settles the effect. */
export interface Settlement {
  delivered?: (tx: Database, ts: string | null, now: Date) => Promise<FollowUps | undefined>;
  refused?: (tx: Database, refusal: Refusal, now: Date) => Promise<FollowUps | undefined>;
}

export type Composition =
  /** Withdrawn unposted; `withdrawn` writes what follows from that, in the same transaction. */
  | { cancel: WithdrawnReason; withdrawn?: (tx: Database, now: Date) => Promise<FollowUps> }
  | { postpone: string }
  | { operation: Operation; settle?: Settlement };

/** How each kind is composed, from what the database holds when it is delivered. */
export type Composer = (
  deps: ServiceDeps,
  slack: DeliverySlack,
  occurrence: Occurrence,
) => Promise<Composition>;

type Delivery =
  | { outcome: 'posted'; ts: string | null; found: boolean }
  | { outcome: 'lost_claim' }
  | { outcome: 'gone' }
  | { outcome: 'channel_problem'; error: string }
  | { outcome: 'failed'; error: string }
  | { outcome: 'retry_later'; error: string };

/** How far before an effect's due time its message could sit in the channel's history. */
const HISTORY_WINDOW_SECONDS = 120;
/** Enough for a busy channel's messages since an effect fell due, without reading its whole history. */
const HISTORY_PAGES = 5;

type HistoryMessage = {
  ts?: string;
  metadata?: { event_type?: string; event_payload?: unknown };
  files?: Array<{ id?: string; name?: string }>;
};

/** Reads a channel's (or a thread's) recent messages, page by page, until one matches. */
async function findInHistory(
  slack: DeliverySlack,
  where: { channel: string; threadTs?: string; oldest: number },
  matches: (message: HistoryMessage) => boolean,
): Promise<HistoryMessage | undefined> {
  // A person's id is where a direct message goes; its history is read from the conversation it opens.
  const channel = /^[UW]/.test(where.channel)
    ? ((await slack.conversations.open({ users: where.channel })).channel?.id ?? where.channel)
    : where.channel;
  let cursor: string | undefined;
  for (let page = 0; page < HISTORY_PAGES; page += 1) {
    const query = {
      channel,
      oldest: String(where.oldest),
      limit: 200,
      include_all_metadata: true,
      ...(cursor ? { cursor } : {}),
    };
    // A thread's replies are out of the channel history's reach.
    const history = where.threadTs
      ? await slack.conversations.replies({ ...query, ts: where.threadTs })
      : await slack.conversations.history(query);
    const match = (history.messages as HistoryMessage[] | undefined)?.find(matches);
    if (match) return match;
    cursor = history.response_metadata?.next_cursor || undefined;
    if (!history.has_more || !cursor) return undefined;
  }
  return undefined;
}

/** Whether an earlier try already did what this operation does: the post's ts, or the file's id, when it did. */
async function alreadyDone(
  slack: DeliverySlack,
  occurrence: Occurrence,
  operation: Operation,
): Promise<string | undefined> {
  const oldest = Math.floor(occurrence.dueAt.getTime() / 1000) - HISTORY_WINDOW_SECONDS;
  if ('post' in operation) {
    const posted = await findInHistory(
      slack,
      { channel: occurrence.channelId, threadTs: operation.post.thread_ts, oldest },
      (message) =>
        POSTED_EVENT_TYPES.has(message.metadata?.event_type ?? '') &&
        (message.metadata?.event_payload as { occurrence_id?: unknown } | undefined)?.occurrence_id ===
          occurrence.id,
    );
    return posted?.ts;
  }
  if ('upload' in operation) {
    const { threadTs, filename } = operation.upload;
    const shared = await findInHistory(
      slack,
      { channel: occurrence.channelId, threadTs, oldest },
      (message) => Boolean(message.files?.some((file) => file.name === filename)),
    );
    return shared?.files?.find((file) => file.name === filename)?.id;
  }
  // Updating, removing or writing a canvas again is harmless; a second reaction or a second ending of a
  // workflow run is refused with an answer that says it is done (see `answeredAsDone`).
  return undefined;
}

/**
 * Slack's refusal of a try that an earlier one, whose answer was lost, already made: a reaction already
 * there, a workflow run already ended. The effect is then delivered, found done.
 */
function answeredAsDone(operation: Operation, code: string): { ts: string | null } | undefined {
  if ('react' in operation) return code === 'already_reacted' ? { ts: operation.react.ts } : undefined;
  if ('completeStep' in operation || 'failStep' in operation)
    return STEP_ENDED.has(code) ? { ts: null } : undefined;
  return undefined;
}

async function call(
  slack: DeliverySlack,
  occurrence: Occurrence,
  operation: Operation,
  stillMine: () => Promise<boolean>,
): Promise<string | null> {
  const channel = occurrence.channelId;
  if ('post' in operation) {
    const posted = await slack.chat.postMessage({
      channel,
      ...operation.post,
      unfurl_links: false,
      unfurl_media: false,
    });
    return posted.ts as string;
  }
  if ('update' in operation) {
    await slack.chat.update({ channel, ts: operation.update.ts, ...operation.update.message });
    return operation.update.ts;
  }
  if ('remove' in operation) {
    await slack.chat.delete({ channel, ts: operation.remove.ts });
    return operation.remove.ts;
  }
  if ('react' in operation) {
    await slack.reactions.add({ channel, timestamp: operation.react.ts, name: operation.react.name });
    return operation.react.ts;
  }
  if ('canvas' in operation) return writeCanvas(slack, channel, operation.canvas, stillMine);
  if ('completeStep' in operation) {
    const { executionId, outputs } = operation.completeStep;
    await slack.functions.completeSuccess({ function_execution_id: executionId, outputs });
    return null;
  }
  if ('failStep' in operation) {
    const { executionId, error } = operation.failStep;
    await slack.functions.completeError({ function_execution_id: executionId, error });
    return null;
  }
  const { threadTs, file, filename, title, altText, comment } = operation.upload;
  const where = threadTs ? { channel_id: channel, thread_ts: threadTs } : { channel_id: channel };
  const uploaded = (await slack.files.uploadV2({
    ...where,
    ...(comment ? { initial_comment: comment } : {}),
    file,
    filename,
    title,
    alt_text: altText,
  })) as { files?: { files?: { id?: string }[] }[] };
  return uploaded.files?.[0]?.files?.[0]?.id ?? null;
}

const CANVAS_GONE: ReadonlySet<string> = new Set(['canvas_not_found', 'canvas_deleted']);

/** Thrown when the fence inside a write of several calls finds the claim taken over. */
class ClaimTakenOver extends Error {}

/**
 * Writes the channel canvas; answers with its id, which the settlement keeps. The write is several calls,
 * so the fence comes before each change, as it comes before any other call.
 */
async function writeCanvas(
  slack: DeliverySlack,
  channel: string,
  write: CanvasWrite,
  stillMine: () => Promise<boolean>,
): Promise<string> {
  try {
    return await writeCanvasSections(slack, channel, write, stillMine);
  } catch (error) {
    if (!write.canvasId || !write.remakeIfGone || !CANVAS_GONE.has(slackErrorCode(error) ?? '')) throw error;
    return writeCanvasSections(slack, channel, { ...write, canvasId: null }, stillMine);
  }
}

type CanvasChange = Parameters<DeliverySlack['canvases']['edit']>[0]['changes'][number];

async function writeCanvasSections(
  slack: DeliverySlack,
  channel: string,
  write: CanvasWrite,
  stillMine: () => Promise<boolean>,
): Promise<string> {
  const markdown = (text: string) => ({ type: 'markdown' as const, markdown: text });
  let canvasId = write.canvasId;
  if (!canvasId) {
    try {
      const made = await slack.conversations.canvases.create({
        channel_id: channel,
        title: write.title,
        document_content: markdown(write.document),
      });
      return made.canvas_id as string;
    } catch (error) {
      // Ours, made by a try whose answer was lost, or one people made: either way the channel's one canvas,
      // which the app's sections are written into.
      if (slackErrorCode(error) !== 'channel_canvas_already_exists') throw error;
      const info = await slack.conversations.info({ channel });
      const properties = info.channel as { properties?: { canvas?: { file_id?: string } } } | undefined;
      canvasId = properties?.properties?.canvas?.file_id ?? null;
      if (!canvasId) throw error;
    }
  }
  const written = canvasId;
  const edit = async (change: CanvasChange) => {
    if (!(await stillMine())) throw new ClaimTakenOver();
    await slack.canvases.edit({ canvas_id: written, changes: [change] });
  };
  const sectionsHeaded = async (header: string) => {
    const found = await slack.canvases.sections.lookup({
      canvas_id: written,
      criteria: { section_types: ['h2'], contains_text: header },
    });
    return (found.sections ?? []).flatMap((section) => (section.id ? [section.id] : []));
  };
  for (const section of write.sections) {
    const content = markdown(section.markdown);
    const [sectionId] = await sectionsHeaded(section.header);
    await edit(
      sectionId
        ? { operation: 'replace', section_id: sectionId, document_content: content }
        : { operation: 'insert_at_end', document_content: content },
    );
    // Two writers that both found a section missing both added it: the first copy stays.
    const [, ...copies] = await sectionsHeaded(section.header);
    for (const copy of copies) await edit({ operation: 'delete', section_id: copy });
  }
  return canvasId;
}

async function deliver(
  slack: DeliverySlack,
  occurrence: Occurrence,
  operation: Operation,
  policy: DeliveryPolicy,
  stillMine: () => Promise<boolean>,
  pace: () => Promise<void>,
): Promise<Delivery> {
  // An effect claimed before may have been delivered by a process that died or timed out.
  let outcomeUnknown = occurrence.attempts > 1;
  let lastError = 'not_tried';
  for (let attempt = 0; attempt < policy.triesPerClaim; attempt += 1) {
    if (!(await stillMine())) return { outcome: 'lost_claim' };
    try {
      if (outcomeUnknown) {
        const ts = await alreadyDone(slack, occurrence, operation);
        if (ts) return { outcome: 'posted', ts, found: true };
        outcomeUnknown = false;
      }
      await pace();
      // Any wait (a history check, pacing, a process stalled or suspended) may outlast the lease while
      // another process takes the effect over and delivers it: the fence comes right before every call.
      if (!(await stillMine())) return { outcome: 'lost_claim' };
      return { outcome: 'posted', ts: await call(slack, occurrence, operation, stillMine), found: false };
    } catch (error) {
      if (error instanceof ClaimTakenOver) return { outcome: 'lost_claim' };
      const code = slackErrorCode(error) ?? 'unknown_error';
      lastError = code;
      const done = answeredAsDone(operation, code);
      if (done) return { outcome: 'posted', ts: done.ts, found: true };
      if (MESSAGE_GONE.has(code) && !('post' in operation)) return { outcome: 'gone' };
      if (CHANNEL_PROBLEMS.has(code)) return { outcome: 'channel_problem', error: code };
      if (code === 'ratelimited') {
        const wait = retryAfterMs(error) ?? policy.serverErrorBackoffMs;
        if (wait > policy.maxRetryAfterMs) return { outcome: 'retry_later', error: code };
        await policy.sleep(wait);
        continue;
      }
      // A timeout, a dropped connection or a server error may each have gone through: look before trying again.
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

export type DeliveryResult = Delivery['outcome'] | 'skipped';

export interface DeliveryOptions {
  policy?: DeliveryPolicy;
  /** Waits until the channel may take another call; run right before each one. */
  pace?: () => Promise<void>;
  /** True once the process is shutting down: no new try starts, and the claim is left to expire. */
  isStopping?: () => boolean;
}

/** Delivers one claimed effect and records what happened; never throws for Slack's answers. */
export async function deliverOccurrence(
  deps: ServiceDeps,
  slack: DeliverySlack,
  occurrence: Occurrence,
  options: DeliveryOptions = {},
): Promise<DeliveryResult> {
  const policy = options.policy ?? DEFAULT_DELIVERY_POLICY;
  const pace = options.pace ?? (async () => {});
  const context = {
    occurrence: occurrence.id,
    kind: occurrence.kind,
    team: occurrence.teamId,
    channel: occurrence.channelId,
  };
  const composed = await compose(deps, slack, occurrence);
  if ('cancel' in composed) {
    const now = deps.clock();
    const followUps = await deps.db.transaction(async (tx) => {
      const held = await markOccurrenceCancelled(tx, occurrence, { reason: composed.cancel, now });
      return held ? ((await composed.withdrawn?.(tx, now)) ?? []) : [];
    });
    deps.log.info({ ...context, reason: composed.cancel }, 'delivery withdrawn');
    for (const id of followUps) await deliverNow(deps, slack, id, policy);
    return 'skipped';
  }
  if ('postpone' in composed) {
    const now = deps.clock();
    await postponeOccurrence(deps.db, occurrence, {
      until: new Date(now.getTime() + policy.retryDelayMs),
      now,
    });
    deps.log.info({ ...context, reason: composed.postpone }, 'delivery postponed');
    return 'skipped';
  }
  const stillMine = async () => {
    if (options.isStopping?.()) return false;
    const now = deps.clock();
    return renewClaim(deps.db, occurrence, { now, leaseUntil: new Date(now.getTime() + policy.leaseMs) });
  };
  const delivery = await deliver(slack, occurrence, composed.operation, policy, stillMine, pace);
  const settle = composed.settle ?? {};
  let followUps: FollowUps = [];

  switch (delivery.outcome) {
    case 'lost_claim':
      deps.log.warn(
        { ...context, attempts: occurrence.attempts },
        options.isStopping?.()
          ? 'delivery left for another process at shutdown'
          : 'delivery taken over by another process',
      );
      break;
    case 'posted': {
      const now = deps.clock();
      const settled = await deps.db.transaction(async (tx) => {
        const held = await markOccurrencePosted(tx, occurrence, { messageTs: delivery.ts, now });
        return { held, followUps: held ? ((await settle.delivered?.(tx, delivery.ts, now)) ?? []) : [] };
      });
      followUps = settled.followUps;
      deps.log.info(
        { ...context, attempts: occurrence.attempts, found: delivery.found, recorded: settled.held },
        delivery.found ? 'delivery found already done' : 'delivered',
      );
      if (!settled.held && !delivery.found && 'post' in composed.operation && delivery.ts) {
        await withdrawSecondPost(deps, slack, occurrence, delivery.ts);
      }
      break;
    }
    case 'gone':
      await markOccurrenceCancelled(deps.db, occurrence, { reason: 'message_gone', now: deps.clock() });
      deps.log.info(context, 'delivery withdrawn: its message is gone');
      break;
    case 'channel_problem':
    case 'failed':
      followUps = await refuse(deps, occurrence, settle, {
        error: delivery.error,
        channelProblem: delivery.outcome === 'channel_problem',
        givenUp: false,
      });
      deps.log.warn({ ...context, error: delivery.error }, 'delivery refused');
      break;
    case 'retry_later':
      if (occurrence.attempts >= policy.maxAttempts) {
        followUps = await refuse(deps, occurrence, settle, {
          error: delivery.error,
          channelProblem: false,
          givenUp: true,
        });
        deps.log.warn(
          { ...context, error: delivery.error, attempts: occurrence.attempts },
          'delivery given up',
        );
      } else {
        const now = deps.clock();
        const retryAt = new Date(now.getTime() + policy.retryDelayMs);
        await deferOccurrence(deps.db, occurrence, { retryAt, error: delivery.error, now });
        deps.log.info(
          { ...context, error: delivery.error, attempts: occurrence.attempts },
          'delivery will be retried',
        );
      }
      break;
  }
  for (const id of followUps) await deliverNow(deps, slack, id, policy);
  return delivery.outcome;
}

/**
 * A post made by a process whose claim lapsed after its last fence (it was suspended between the check
 * and the request) while another process posted the same effect: the one recorded stays, this one goes.
 */
async function withdrawSecondPost(
  deps: ServiceDeps,
  slack: DeliverySlack,
  occurrence: Occurrence,
  ts: string,
): Promise<void> {
  const now = await findOccurrence(deps.db, scopeOfRow(occurrence), occurrence.id);
  if (now?.status !== 'posted' || !now.messageTs || now.messageTs === ts) return;
  try {
    await slack.chat.delete({ channel: occurrence.channelId, ts });
    deps.log.warn({ occurrence: occurrence.id, kind: occurrence.kind }, 'second post of a delivery removed');
  } catch (error) {
    deps.log.warn(
      { occurrence: occurrence.id, err: describeError(error) },
      'second post of a delivery not removed',
    );
  }
}

/** Marks an effect failed and, in the same transaction, writes what its refusal changes. */
async function refuse(
  deps: ServiceDeps,
  occurrence: Occurrence,
  settle: Settlement,
  refusal: Refusal & { givenUp: boolean },
): Promise<FollowUps> {
  const now = deps.clock();
  return deps.db.transaction(async (tx) => {
    const held = await markOccurrenceFailed(tx, occurrence, {
      error: refusal.error,
      givenUp: refusal.givenUp,
      now,
    });
    if (!held) return [];
    return (await settle.refused?.(tx, refusal, now)) ?? [];
  });
}

/**
 * Delivers one effect at once from the process that wrote it, through the same claim, fence and
 * settling as a tick. Should this process die first, the effect is due and its lease runs out, so the
 * next tick anywhere takes it over.
 */
export async function deliverNow(
  deps: ServiceDeps,
  slack: DeliverySlack,
  occurrenceId: string,
  policy: DeliveryPolicy = deps.delivery ?? DEFAULT_DELIVERY_POLICY,
): Promise<DeliveryResult | 'not_claimed'> {
  const claimed = await claimOccurrence(deps.db, occurrenceId, deps.clock(), policy.leaseMs);
  if (!claimed) return 'not_claimed';
  try {
    return await deliverOccurrence(deps, slack, claimed, { policy });
  } catch (error) {
    // The claim is left to expire; the scheduler takes it over.
    deps.log.error({ occurrence: occurrenceId, err: describeError(error) }, 'delivery failed');
    return 'retry_later';
  }
}

/** Delivers what a state change wrote, one after the other, at once. */
export async function deliverAllNow(
  deps: ServiceDeps,
  slack: DeliverySlack,
  occurrenceIds: readonly (string | undefined)[],
): Promise<void> {
  for (const id of occurrenceIds) if (id) await deliverNow(deps, slack, id);
}
