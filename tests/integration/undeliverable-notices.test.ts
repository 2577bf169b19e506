import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { claimDueOccurrences } from '../../src/db/queries/occurrences.js';
import { beforeActionReviews, occurrences } from '../../src/db/schema.js';
import { createLogger } from '../../src/logger.js';
import {
  DEFAULT_DELIVERY_POLICY,
  type DeliveryPolicy,
  deliverOccurrence,
} from '../../src/services/delivery.js';
import { DRIVERS } from '../support/databases.js';
import { LogCapture } from '../support/harness.js';
import { useFakeSlack, useMigratedDatabase } from '../support/lifecycle.js';
import { fakeSlackClient, seedChannelWithRhythm } from '../support/scheduling.js';

const TEAM = 'T0NOTICE';
const STEWARD = 'U0STEWARD';
const AUTHOR = 'U0AUTHOR';
const NOW = new Date('2026-11-23T09:30:00Z');

/** A scheduled post its channel refuses is told privately to one person, even when Slack first answers 429. */
describe.each(DRIVERS)('telling whom a refused post concerns (%s)', (driver) => {
  const handle = useMigratedDatabase(driver);
  const slack = useFakeSlack({ teamId: TEAM, now: () => NOW });
  let waits: number[];
  let channelCount = 0;
  let channelId: string;
  const logs = new LogCapture();
  const deps = () => ({ db: handle.db, log: createLogger('debug', logs), clock: () => NOW });
  const client = () => fakeSlackClient(slack, 'xoxb-notices', { rejectRateLimitedCalls: true });
  // Waiting is recorded rather than done: what matters is that the Retry-After Slack gave was honoured.
  const policy = (): DeliveryPolicy => ({
    ...DEFAULT_DELIVERY_POLICY,
    sleep: async (ms) => {
      waits.push(ms);
    },
  });
  const dmsTo = (userId: string) =>
    slack.callsTo('chat.postMessage').filter((call) => call.params.channel === userId && !call.fault);

  async function claimed() {
    const [occurrence] = await claimDueOccurrences(handle.db, NOW, 60_000, 50);
    if (!occurrence) throw new Error('nothing was due');
    return occurrence;
  }

  beforeAll(() => {
    slack.addUser({ id: STEWARD });
    slack.addUser({ id: AUTHOR });
  });
  beforeEach(() => {
    waits = [];
    channelCount += 1;
    channelId = `C0NOTICE${channelCount}`;
    slack.addChannel({ id: channelId, isArchived: true });
  });

  it('tells the steward that the channel’s rhythms paused, after waiting out a 429', async () => {
    const rhythm = await seedChannelWithRhythm(handle.db, {
      teamId: TEAM,
      channelId,
      stewardId: STEWARD,
      timeZone: 'Europe/London',
      localTime: '09:30',
      nextDueAt: null,
    });
    await handle.db.insert(occurrences).values({
      teamId: TEAM,
      channelId,
      rhythmId: rhythm.id,
      kind: 'week_ahead',
      dueAt: NOW,
      status: 'pending',
      createdAt: NOW,
      updatedAt: NOW,
    });
    slack.failNextIn('chat.postMessage', STEWARD, { kind: 'rate_limited', retryAfterSeconds: 3 });

    expect(await deliverOccurrence(deps(), client(), await claimed(), { policy: policy() })).toBe(
      'channel_problem',
    );
    expect(waits).toEqual([3_000]);
    const notices = dmsTo(STEWARD);
    expect(notices).toHaveLength(1);
    expect(String(notices[0]?.params.text)).toContain('archived');
  });

  it('tells a review’s author that its check-in could not be posted, after waiting out a 429', async () => {
    const [review] = await handle.db
      .insert(beforeActionReviews)
      .values({
        teamId: TEAM,
        channelId,
        authorId: AUTHOR,
        action: 'Run the volunteer induction',
        intendedResults: 'r',
        anticipatedChallenges: 'c',
        successFactors: 's',
        hypothesisIf: 'i',
        hypothesisThen: 't',
        lookBackOn: '2026-12-01',
        timeZone: 'Europe/London',
        sourceViewId: `V0REVIEW${channelCount}`,
      })
      .returning();
    await handle.db.insert(occurrences).values({
      teamId: TEAM,
      channelId,
      reviewId: review?.id,
      kind: 'pre_check_in',
      dueAt: NOW,
      status: 'pending',
      createdAt: NOW,
      updatedAt: NOW,
    });
    slack.failNextIn('chat.postMessage', AUTHOR, { kind: 'rate_limited', retryAfterSeconds: 2 });

    expect(await deliverOccurrence(deps(), client(), await claimed(), { policy: policy() })).toBe(
      'channel_problem',
    );
    expect(waits).toEqual([2_000]);
    expect(dmsTo(AUTHOR)).toHaveLength(1);
  });
});
