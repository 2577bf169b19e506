import cron, { type ScheduledTask } from 'node-cron';
import {
  claimDueOccurrences,
  missStaleOccurrences,
  type NextInstant,
  recordDueOccurrences,
} from '../db/queries/occurrences.js';
import { forgetProcessedEvents } from '../db/queries/responses.js';
import { scopeOfRow, type WorkspaceScope } from '../db/queries/scope.js';
import type { Occurrence } from '../db/schema.js';
import { type IsoWeekday, nextOccurrence } from '../domain/schedule.js';
import type { InFlightWork } from '../inflight.js';
import { describeError } from '../logger.js';
import type { ServiceDeps } from '../services/deps.js';
import {
  DEFAULT_DELIVERY_POLICY,
  type DeliveryPolicy,
  type DeliveryResult,
  type NudgeSlack,
  postOccurrence,
} from '../services/nudges.js';

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

/** node-cron's six-field form fires every N seconds; whole minutes use the five-field form. */
export function cronExpression(tickSeconds: number): string {
  return tickSeconds >= 60 ? `*/${Math.round(tickSeconds / 60)} * * * *` : `*/${tickSeconds} * * * * *`;
}

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
export type SlackForWorkspace = (scope: WorkspaceScope, channelId: string) => Promise<NudgeSlack | undefined>;

export function createScheduler(
  deps: ServiceDeps,
  slack: NudgeSlack | SlackForWorkspace,
  settings: SchedulerSettings,
  inFlight: InFlightWork,
  housekeeping: (now: Date) => Promise<void> = async () => {},
): Scheduler {
  const slackFor: SlackForWorkspace = typeof slack === 'function' ? slack : async () => slack;
  const pacer = new ChannelPacer(settings.channelIntervalMs);
  const policy = settings.policy ?? DEFAULT_DELIVERY_POLICY;
  let task: ScheduledTask | undefined;
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
      result = await postOccurrence(deps, client, occurrence, {
        policy: interruptiblePolicy,
        pace: () => pacer.wait(channelKey),
        isStopping: () => stopRequested,
      });
    } catch (error) {
      // A database hiccup leaves the claim to expire and be retried; the rest of the batch goes on.
      deps.log.error({ occurrence: occurrence.id, err: describeError(error) }, 'nudge delivery failed');
      result = 'retry_later';
    }
    summary[result] = (summary[result] ?? 0) + 1;
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
      await deliverAll(claimed, summary);
    }
    const busy = Object.values(summary).some((count) => count > 0);
    if (busy) deps.log.info(summary, 'scheduler tick');
    return summary;
  }

  async function guardedTick(): Promise<TickSummary> {
    if (running) return running;
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
    }
  }

  return {
    tick: guardedTick,
    async settled() {
      // A tick never rejects (guardedTick logs its failure); another may have started by the time it ends.
      for (let under = running; under; under = running === under ? undefined : running) await under;
    },
    start() {
      task ??= cron.schedule(cronExpression(settings.tickSeconds), () => guardedTick(), {
        name: 'learning-thread-scheduler',
        noOverlap: true,
      });
    },
    async stop() {
      stopRequested = true;
      wakeSleepers();
      await task?.stop();
      await task?.destroy();
      task = undefined;
      await running;
    },
  };
}
