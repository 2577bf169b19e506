import { WebClient } from '@slack/web-api';
import type { Database } from '../../src/db/client.js';
import { channelSettings, type Rhythm, rhythms } from '../../src/db/schema.js';
import type { SchedulerSettings } from '../../src/scheduler/scheduler.js';
import { DEFAULT_DELIVERY_POLICY } from '../../src/services/delivery.js';
import type { FakeSlack } from './fake-slack.js';

/**
 * A Web API client aimed at the fake Slack. It never retries, so each answer the fake gives reaches the
 * app's own handling; `rejectRateLimitedCalls` hands a 429 over too instead of waiting it out.
 */
export function fakeSlackClient(
  slack: FakeSlack,
  token: string,
  options: { rejectRateLimitedCalls?: boolean } = {},
) {
  return new WebClient(token, {
    slackApiUrl: slack.url,
    retryConfig: { retries: 0 },
    ...(options.rejectRateLimitedCalls ? { rejectRateLimitedCalls: true } : {}),
  });
}

/** The scheduler as tests run it: a tick a minute, no pacing between channels, the given lease. */
export function schedulerSettings(overrides: Partial<SchedulerSettings> = {}): SchedulerSettings {
  const leaseMs = overrides.leaseMs ?? 60_000;
  return {
    tickSeconds: 60,
    graceMs: 7_200_000,
    leaseMs,
    channelIntervalMs: 0,
    concurrency: 4,
    batchSize: 50,
    policy: { ...DEFAULT_DELIVERY_POLICY, leaseMs },
    ...overrides,
  };
}

export interface ChannelWithRhythm {
  teamId: string;
  channelId: string;
  stewardId: string;
  timeZone: string;
  /** When the Monday week-ahead prompt goes out, in the channel's time zone. */
  localTime: string;
  nextDueAt: Date | null;
}

/** A channel with a steward and Monday-to-Friday work days, and its Monday week-ahead rhythm, as saved. */
export async function seedChannelWithRhythm(db: Database, channel: ChannelWithRhythm): Promise<Rhythm> {
  const { teamId, channelId, stewardId, timeZone, localTime, nextDueAt } = channel;
  await db
    .insert(channelSettings)
    .values({ teamId, channelId, timeZone, workDays: [1, 2, 3, 4, 5], stewardId });
  const [rhythm] = await db
    .insert(rhythms)
    .values({
      teamId,
      channelId,
      kind: 'week_ahead',
      enabled: true,
      days: [1],
      localTime,
      nextDueAt,
      updatedBy: stewardId,
    })
    .returning();
  if (!rhythm) throw new Error('the rhythm was not stored');
  return rhythm;
}
