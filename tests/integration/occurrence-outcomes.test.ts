import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { claimDueOccurrences, missStaleOccurrences } from '../../src/db/queries/occurrences.js';
import { type OccurrenceKind, occurrences } from '../../src/db/schema.js';
import { createLogger } from '../../src/logger.js';
import {
  DEFAULT_DELIVERY_POLICY,
  type DeliveryPolicy,
  deliverOccurrence,
} from '../../src/services/delivery.js';
import { DRIVERS } from '../support/databases.js';
import { LogCapture } from '../support/harness.js';
import { useFakeSlack, useMigratedDatabase } from '../support/lifecycle.js';
import { fakeSlackClient } from '../support/scheduling.js';

const TEAM = 'T0OUTCOME';
const NOW = new Date('2026-11-23T09:30:00Z');
const LEASE_MS = 60_000;

/** How each way an occurrence ends is recorded: `error` holds Slack's code and nothing else. */
describe.each(DRIVERS)('how an occurrence ends (%s)', (driver) => {
  const handle = useMigratedDatabase(driver);
  const slack = useFakeSlack({ teamId: TEAM, now: () => NOW });
  let channelCount = 0;
  let channelId: string;
  const logs = new LogCapture();
  const deps = () => ({ db: handle.db, log: createLogger('debug', logs), clock: () => NOW });
  const client = () => fakeSlackClient(slack, 'xoxb-outcomes', { rejectRateLimitedCalls: true });
  const policy: DeliveryPolicy = { ...DEFAULT_DELIVERY_POLICY, leaseMs: LEASE_MS, sleep: async () => {} };

  async function claimOne(kind: OccurrenceKind, attemptsBefore = 0) {
    await handle.db.insert(occurrences).values({
      teamId: TEAM,
      channelId,
      kind,
      dueAt: NOW,
      status: 'pending',
      attempts: attemptsBefore,
      createdAt: NOW,
      updatedAt: NOW,
    });
    const [claimed] = await claimDueOccurrences(handle.db, NOW, LEASE_MS, 50);
    if (!claimed) throw new Error('nothing claimed');
    return claimed;
  }

  async function rowOf(id: string) {
    const [row] = await handle.db.select().from(occurrences).where(eq(occurrences.id, id));
    return row;
  }

  beforeEach(() => {
    channelCount += 1;
    channelId = `C0OUTCOME${channelCount}`;
    slack.addChannel({ id: channelId });
  });

  it('gives up after the last attempt with Slack’s last code and the given-up flag', async () => {
    const occurrence = await claimOne('week_ahead', policy.maxAttempts - 1);
    slack.failNext('chat.postMessage', { kind: 'rate_limited', retryAfterSeconds: 120 });
    expect(await deliverOccurrence(deps(), client(), occurrence, { policy })).toBe('retry_later');
    expect(await rowOf(occurrence.id)).toMatchObject({
      status: 'failed',
      error: 'ratelimited',
      givenUp: true,
      withdrawnReason: null,
    });
  });

  it('records a refusal as failed, not given up', async () => {
    const occurrence = await claimOne('week_ahead');
    slack.failNext('chat.postMessage', { kind: 'error', error: 'msg_too_long' });
    expect(await deliverOccurrence(deps(), client(), occurrence, { policy })).toBe('failed');
    expect(await rowOf(occurrence.id)).toMatchObject({
      status: 'failed',
      error: 'msg_too_long',
      givenUp: false,
    });
  });

  it('withdraws a check-in whose review is gone, naming why, with no error', async () => {
    const occurrence = await claimOne('post_check_in');
    expect(await deliverOccurrence(deps(), client(), occurrence, { policy })).toBe('skipped');
    expect(await rowOf(occurrence.id)).toMatchObject({
      status: 'cancelled',
      withdrawnReason: 'review_deleted',
      error: null,
      givenUp: false,
    });
  });

  it('records an occurrence still waiting past the grace window as missed, with no error', async () => {
    const [waiting] = await handle.db
      .insert(occurrences)
      .values({
        teamId: TEAM,
        channelId,
        kind: 'look_back',
        dueAt: new Date(NOW.getTime() - 3 * 3_600_000),
        status: 'pending',
        createdAt: NOW,
        updatedAt: NOW,
      })
      .returning();
    expect(await missStaleOccurrences(handle.db, NOW, 7_200_000)).toBe(1);
    expect(await rowOf(waiting?.id ?? '')).toMatchObject({
      status: 'missed',
      error: null,
      withdrawnReason: null,
    });
  });

  it('keeps a workflow’s question waiting past the grace window, to post late: its run waits to end', async () => {
    const [question] = await handle.db
      .insert(occurrences)
      .values({
        teamId: TEAM,
        channelId,
        kind: 'workflow_prompt',
        promptText: 'What did this sprint teach us?',
        dueAt: new Date(NOW.getTime() - 3 * 3_600_000),
        status: 'pending',
        createdAt: NOW,
        updatedAt: NOW,
      })
      .returning();
    expect(await missStaleOccurrences(handle.db, NOW, 7_200_000)).toBe(0);
    expect(await rowOf(question?.id ?? '')).toMatchObject({ status: 'pending' });
  });
});
