import { beforeEach, describe, expect, it } from 'vitest';
import { claimDueOccurrences } from '../../src/db/queries/occurrences.js';
import { occurrences } from '../../src/db/schema.js';
import { InFlightWork } from '../../src/inflight.js';
import { createLogger } from '../../src/logger.js';
import { createScheduler } from '../../src/scheduler/scheduler.js';
import {
  DEFAULT_DELIVERY_POLICY,
  type DeliveryPolicy,
  deliverOccurrence,
} from '../../src/services/delivery.js';
import { DRIVERS } from '../support/databases.js';
import { LogCapture } from '../support/harness.js';
import { useFakeSlack, useMigratedDatabase } from '../support/lifecycle.js';
import { fakeSlackClient, schedulerSettings } from '../support/scheduling.js';

const TEAM = 'T0FENCE';
const STARTED = new Date('2026-11-23T09:30:00Z');
const LEASE_MS = 20_000;

/**
 * Two replicas on one database. The first claims an occurrence and then waits (for its channel's pacer,
 * a Retry-After, a server error's backoff) longer than its lease; meanwhile the second takes the
 * occurrence over and posts it. When the first resumes, the channel must still hold a single post.
 */
describe.each(DRIVERS)('a replica that waits past its lease (%s)', (driver) => {
  let now = STARTED;
  const handle = useMigratedDatabase(driver);
  const slack = useFakeSlack({ teamId: TEAM, now: () => now });
  let channelCount = 0;
  const logs = new LogCapture();
  const deps = () => ({ db: handle.db, log: createLogger('debug', logs), clock: () => now });
  const client = () => fakeSlackClient(slack, 'xoxb-fencing', { rejectRateLimitedCalls: true });
  const policy: DeliveryPolicy = { ...DEFAULT_DELIVERY_POLICY, leaseMs: LEASE_MS };

  function otherReplica() {
    return createScheduler(
      deps(),
      client(),
      schedulerSettings({ leaseMs: LEASE_MS, policy }),
      new InFlightWork(),
    );
  }

  /** While this replica waits, time passes beyond its lease and the other replica runs a tick. */
  async function leaseLapsesAndOtherReplicaPosts() {
    now = new Date(now.getTime() + LEASE_MS + 10_000);
    const summary = await otherReplica().tick();
    expect(summary.posted).toBe(1);
  }

  async function claimOneIn(channelId: string) {
    await handle.db.insert(occurrences).values({
      teamId: TEAM,
      channelId,
      kind: 'week_ahead',
      dueAt: now,
      status: 'pending',
      createdAt: now,
      updatedAt: now,
    });
    const claimed = await claimDueOccurrences(handle.db, now, LEASE_MS, 50);
    expect(claimed).toHaveLength(1);
    return claimed[0] as (typeof claimed)[number];
  }

  const postsIn = (channelId: string) =>
    slack.callsTo('chat.postMessage').filter((call) => call.params.channel === channelId && !call.fault);

  let channelId: string;
  beforeEach(() => {
    channelCount += 1;
    channelId = `C0FENCE${channelCount}`;
    slack.addChannel({ id: channelId });
  });

  it('does not post after a pacing wait that outlasted its lease', async () => {
    const occurrence = await claimOneIn(channelId);
    const result = await deliverOccurrence(deps(), client(), occurrence, {
      policy,
      pace: leaseLapsesAndOtherReplicaPosts,
    });
    expect(result).toBe('lost_claim');
    expect(postsIn(channelId)).toHaveLength(1);
    const [row] = (await handle.db.select().from(occurrences)).filter((r) => r.channelId === channelId);
    expect(row).toMatchObject({ status: 'posted', attempts: 2 });
  });

  it('does not post after a Retry-After wait that outlasted its lease', async () => {
    const occurrence = await claimOneIn(channelId);
    slack.failNext('chat.postMessage', { kind: 'rate_limited', retryAfterSeconds: 1 });
    const result = await deliverOccurrence(deps(), client(), occurrence, {
      policy: { ...policy, sleep: leaseLapsesAndOtherReplicaPosts },
    });
    expect(result).toBe('lost_claim');
    expect(postsIn(channelId)).toHaveLength(1);
  });

  it('does not post after a server error’s backoff that outlasted its lease', async () => {
    const occurrence = await claimOneIn(channelId);
    slack.failNext('chat.postMessage', { kind: 'server_error', status: 503 });
    const result = await deliverOccurrence(deps(), client(), occurrence, {
      policy: { ...policy, sleep: leaseLapsesAndOtherReplicaPosts },
    });
    expect(result).toBe('lost_claim');
    expect(postsIn(channelId)).toHaveLength(1);
  });

  it('takes back its post when it was suspended between its last fence and the request, and the other replica posted', async () => {
    const occurrence = await claimOneIn(channelId);
    const suspended = client();
    const post = suspended.chat.postMessage.bind(suspended.chat);
    // The pause lands after the fence passed and before the request leaves: Slack cannot tell the two apart.
    suspended.chat.postMessage = (async (args: Parameters<typeof post>[0]) => {
      await leaseLapsesAndOtherReplicaPosts();
      return post(args);
    }) as typeof suspended.chat.postMessage;
    const result = await deliverOccurrence(deps(), suspended, occurrence, { policy });
    expect(result).toBe('posted');
    const [row] = (await handle.db.select().from(occurrences)).filter((r) => r.channelId === channelId);
    expect(row).toMatchObject({ status: 'posted', attempts: 2 });
    // Both posts reached Slack; only the one recorded is left in the channel.
    expect(postsIn(channelId)).toHaveLength(2);
    expect(slack.messagesIn(channelId).map((message) => message.ts)).toEqual([row?.messageTs]);
  });
});
