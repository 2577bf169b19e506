import {
  claimDueOccurrences,
  missStaleOccurrences,
  type NextInstant,
  recordDueOccurrences,
} from '../db/queries/occurrences.js';
import { forgetProcessedEvents } from '../db/queries/responses.js';
import { oldestUndeliveredDueAt } from '../db/queries/scheduler-health.js';
import { scopeOfRow, type WorkspaceScope } from '../db/queries/scope.js';
import type { Occurrence } from '../db/schema.js';
import { type IsoWeekday, nextOccurrence } from '../domain/schedule.js';
import type { InFlightWork } from '../inflight.js';
import { describeError } from '../logger.js';
import { failureReason, type Metrics } from '../metrics.js';
import {
  DEFAULT_DELIVERY_POLICY,
  type DeliveryPolicy,
  type DeliveryResult,
  type DeliverySlack,
  deliverOccurrence,
} from '../services/delivery.js';
import type { ServiceDeps } from '../services/deps.js';

export interface SchedulerSettings {
  tickSeconds: number;
  /** Occurrences older than this when first seen are recorded as missed, not posted late. */
  graceMs: number;
  /** How long a claim protects an occurrence before another replica may take it over. */
  leaseMs: number;
  /** Slack allows about one message per second per channel. */
  channelIntervalMs: number;
  /** Channels posted to at the same time by one process. */
  concurrency: number;
  batchSize: number;
  policy?: DeliveryPolicy;
  metrics?: Metrics['scheduler'];
  /** Where ticks are timed from; tests move it to show what a clock jump does. */
  timer?: TickTimer;
}

/** The wall clock and a one-shot timer, as the ticking needs them. */
export interface TickTimer {
  now(): number;
  setTimeout(fire: () => void, ms: number): { clear(): void };
}

const SYSTEM_TIMER: TickTimer = {
  now: () => Date.now(),
  setTimeout(fire, ms) {
    const handle = setTimeout(fire, ms);
    return { clear: () => clearTimeout(handle) };
  },
};

/** The first whole multiple of the tick interval after `afterMs` (ticks fall where cron's would). */
export function nextTickAt(afterMs: number, tickSeconds: number): number {
  const interval = tickSeconds * 1000;
  return afterMs - (afterMs % interval) + interval;
}

/** Counts what the scheduler's Web API calls met: refused posts by code, 429s, and history reads. */
function observedSlack(client: DeliverySlack, metrics: Metrics['scheduler']): DeliverySlack {
  const noteFailure = (error: unknown) => {
    const { code } = describeError(error);
    if (code === 'slack_webapi_rate_limited_error' || code === 'ratelimited') metrics.rateLimited.inc();
    return code;
  };
  const observed: DeliverySlack = Object.create(client);
  observed.chat = {
    ...client.chat,
    postMessage: async (args) => {
      try {
        return await client.chat.postMessage(args);
      } catch (error) {
        metrics.postErrors.inc({ reason: failureReason(noteFailure(error)) });
        throw error;
      }
    },
  };
  const historyRead =
    <A, R>(read: (args: A) => Promise<R>) =>
    async (args: A): Promise<R> => {
      metrics.historyChecks.inc();
      try {
        return await read(args);
      } catch (error) {
        noteFailure(error);
        throw error;
      }
    };
  observed.conversations = {
    ...client.conversations,
    history: historyRead(client.conversations.history),
    replies: historyRead(client.conversations.replies),
  };
  return observed;
}

export const DEFAULT_SCHEDULER_SETTINGS: Omit<SchedulerSettings, 'tickSeconds' | 'graceMs' | 'leaseMs'> = {
  // One second, plus room for requests that leave in order but arrive out of step.
  channelIntervalMs: 1_150,
  concurrency: 64,
  batchSize: 500,
};

export type TickSummary = Partial<Record<DeliveryResult | 'recorded' | 'missed', number>>;

export interface Scheduler {
  /** One pass: record what fell due, claim it, post it. Safe to run on any number of replicas. */
  tick(): Promise<TickSummary>;
  start(): void;
  /** Resolves once no tick is under way (at once when none is). */
  settled(): Promise<void>;
  /** Stops ticking and waits for a tick under way to finish. */
  stop(): Promise<void>;
}

/** Event ids are kept a day, well past Slack's hour of retries, and swept hourly. */
const EVENT_MEMORY_MS = 86_400_000;
const EVENT_CLEANUP_INTERVAL_MS = 3_600_000;

const nextForRhythm: NextInstant = (rhythm, settings, after) =>
  nextOccurrence(
    { days: rhythm.days as IsoWeekday[], localTime: rhythm.localTime },
    {
      timeZone: settings.timeZone,
      workDays: settings.workDays as IsoWeekday[],
      pauseUntil: settings.pauseUntil,
      skipDates: settings.skipDates,
    },
    after,
  );

/** Keeps this process's posts to one channel at least `intervalMs` apart, across ticks. */
class ChannelPacer {
  private readonly lastPost = new Map<string, number>();
  constructor(private readonly intervalMs: number) {}

  async wait(channelId: string): Promise<void> {
    const earliest = (this.lastPost.get(channelId) ?? 0) + this.intervalMs;
    const delay = earliest - Date.now();
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    this.lastPost.set(channelId, Date.now());
    if (this.lastPost.size > 10_000) this.forgetOld();
  }

  private forgetOld() {
    const cutoff = Date.now() - this.intervalMs;
    for (const [channel, at] of this.lastPost) if (at < cutoff) this.lastPost.delete(channel);
  }
}

async function runLimited<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next] as T;
      next += 1;
      await work(item);
    }
  });
  await Promise.all(workers);
}

/** A workspace's Web API client, or undefined when the app is no longer installed there. */
export type SlackForWorkspace = (
  scope: WorkspaceScope,
  channelId: string,
) => Promise<DeliverySlack | undefined>;

export function createScheduler(
  deps: ServiceDeps,
  slack: DeliverySlack | SlackForWorkspace,
  settings: SchedulerSettings,
  inFlight: InFlightWork,
  housekeeping: (now: Date) => Promise<void> = async () => {},
): Scheduler {
  const slackFor: SlackForWorkspace = typeof slack === 'function' ? slack : async () => slack;
  const pacer = new ChannelPacer(settings.channelIntervalMs);
  const policy = settings.policy ?? DEFAULT_DELIVERY_POLICY;
  const timer = settings.timer ?? SYSTEM_TIMER;
  const metrics = settings.metrics;
  let pending: { clear(): void } | undefined;
  let running: Promise<TickSummary> | undefined;
  // On shutdown the post under way finishes; unstarted claims are left to expire and be taken over.
  let stopRequested = false;
  let lastEventCleanup = 0;
  let wakeSleepers: () => void = () => {};
  const stopped = new Promise<void>((resolve) => {
    wakeSleepers = resolve;
  });
  // A Retry-After wait is cut short by shutdown; the next step then sees the stop and leaves the claim.
  const interruptiblePolicy: DeliveryPolicy = {
    ...policy,
    sleep: (ms) => Promise.race([policy.sleep(ms), stopped]),
  };

  async function deliverOne(occurrence: Occurrence, summary: TickSummary): Promise<void> {
    if (stopRequested) return;
    const channelKey = `${occurrence.teamId}:${occurrence.channelId}`;
    let result: DeliveryResult;
    try {
      const client = await slackFor(scopeOfRow(occurrence), occurrence.channelId);
      if (!client) {
        // Uninstalled: the workspace was stopped when it happened; this occurrence waits for its lease to lapse.
        summary.skipped = (summary.skipped ?? 0) + 1;
        return;
      }
      const started = performance.now();
      result = await deliverOccurrence(deps, metrics ? observedSlack(client, metrics) : client, occurrence, {
        policy: interruptiblePolicy,
        pace: () => pacer.wait(channelKey),
        isStopping: () => stopRequested,
      });
      if (occurrence.kind === 'digest') metrics?.digestSeconds.observe((performance.now() - started) / 1000);
    } catch (error) {
      // A database hiccup leaves the claim to expire and be retried; the rest of the batch goes on.
      deps.log.error({ occurrence: occurrence.id, err: describeError(error) }, 'delivery failed');
      result = 'retry_later';
    }
    summary[result] = (summary[result] ?? 0) + 1;
    metrics?.outcomes.inc({ outcome: result });
  }

  /**
   * Posts in rounds: the first occurrence of every channel, then the second, and so on. Channels are
   * posted to side by side, while each channel's own posts stay a pacing interval apart.
   */
  async function deliverAll(claimed: Occurrence[], summary: TickSummary): Promise<void> {
    const byChannel = new Map<string, Occurrence[]>();
    for (const occurrence of claimed) {
      const key = `${occurrence.teamId}:${occurrence.channelId}`;
      byChannel.set(key, [...(byChannel.get(key) ?? []), occurrence]);
    }
    const queues = [...byChannel.values()];
    for (let round = 0; ; round += 1) {
      const batch = queues.flatMap((queue) => (round < queue.length ? [queue[round] as Occurrence] : []));
      if (batch.length === 0) break;
      await runLimited(batch, settings.concurrency, (occurrence) => deliverOne(occurrence, summary));
    }
  }

  async function tick(): Promise<TickSummary> {
    const now = deps.clock();
    const summary: TickSummary = {};
    for (;;) {
      const recorded = await recordDueOccurrences(
        deps.db,
        now,
        settings.graceMs,
        nextForRhythm,
        settings.batchSize,
      );
      summary.recorded = (summary.recorded ?? 0) + recorded.pending;
      summary.missed = (summary.missed ?? 0) + recorded.missed;
      for (const rhythm of recorded.unreadable)
        deps.log.error({ rhythm }, 'rhythm schedule unreadable; rhythm stopped');
      if (recorded.rhythms < settings.batchSize) break;
    }
    summary.missed = (summary.missed ?? 0) + (await missStaleOccurrences(deps.db, now, settings.graceMs));
    if (now.getTime() - lastEventCleanup >= EVENT_CLEANUP_INTERVAL_MS) {
      lastEventCleanup = now.getTime();
      await forgetProcessedEvents(deps.db, new Date(now.getTime() - EVENT_MEMORY_MS));
      await housekeeping(now);
    }
    while (!stopRequested) {
      // A fresh instant for each claim, so a long tick does not hand out leases that are already short.
      const claimed = await claimDueOccurrences(deps.db, deps.clock(), settings.leaseMs, settings.batchSize);
      if (claimed.length === 0) break;
      metrics?.claimed.inc(claimed.length);
      await deliverAll(claimed, summary);
    }
    const busy = Object.values(summary).some((count) => count > 0);
    if (busy) deps.log.info(summary, 'scheduler tick');
    if (metrics) {
      metrics.due.inc(summary.recorded ?? 0);
      metrics.missed.inc(summary.missed ?? 0);
      const oldest = await oldestUndeliveredDueAt(deps.db, { now: deps.clock() });
      metrics.oldestDueSeconds.set(
        oldest ? Math.max(0, deps.clock().getTime() - oldest.getTime()) / 1000 : 0,
      );
    }
    return summary;
  }

  async function guardedTick(): Promise<TickSummary> {
    if (running) return running;
    const endTimer = metrics?.tickSeconds.startTimer();
    running = inFlight.track(
      tick().catch((error: unknown) => {
        // The next tick starts afresh; what this one claimed is retried when its lease runs out.
        deps.log.error({ err: describeError(error) }, 'scheduler tick failed');
        return {};
      }),
    );
    try {
      return await running;
    } finally {
      running = undefined;
      endTimer?.();
    }
  }

  /**
   * Ticks with a one-shot timer, re-armed after each tick for the next boundary of the wall clock. After
   * the clock jumps forward or the process was suspended, the timer fires once, that tick catches up on
   * everything due within the grace window, and the next is timed from the new present: missed ticks are
   * never replayed, and a tick never overlaps the one before.
   */
  let lastTickAt = 0;
  function armTimer() {
    if (stopRequested || pending) return;
    const now = timer.now();
    // A timer that fires just before the wall clock reaches its boundary must not tick twice for it; a
    // clock set back further than one interval starts afresh from the new present.
    const early = now < lastTickAt && lastTickAt - now < settings.tickSeconds * 1000;
    const at = nextTickAt(early ? lastTickAt : now, settings.tickSeconds);
    pending = timer.setTimeout(
      () => {
        pending = undefined;
        lastTickAt = at;
        void guardedTick().finally(armTimer);
      },
      Math.max(0, at - timer.now()),
    );
  }

  return {
    tick: guardedTick,
    async settled() {
      // A tick never rejects (guardedTick logs its failure); another may have started by the time it ends.
      for (let under = running; under; under = running === under ? undefined : running) await under;
    },
    start() {
      armTimer();
    },
    async stop() {
      stopRequested = true;
      wakeSleepers();
      pending?.clear();
      pending = undefined;
      await running;
    },
  };
}
