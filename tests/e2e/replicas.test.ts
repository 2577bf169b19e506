import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type DatabaseHandle } from '../../src/db/client.js';
import { channelSettings, occurrences, rhythms } from '../../src/db/schema.js';
import { PROMPT_EVENT_TYPE } from '../../src/slack/views/prompt.js';
import { BOT_TOKEN } from '../support/config.js';
import { createTestDatabase, DRIVERS, type TestDatabase } from '../support/databases.js';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack.js';
import { freePort } from '../support/ports.js';
import { type Started, startProcess, waitUntilReady } from '../support/processes.js';
import { SIGNING_SECRET } from '../support/slack-requests.js';

const CHANNELS = 70;
const KINDS = ['week_ahead', 'mid_week', 'look_back'] as const;
const TEAM = 'T0FAKETEAM';

/**
 * Three replicas on one Postgres, a Slack that rate-limits, fails and loses answers, and one replica
 * killed mid-run: every occurrence must still be posted exactly once.
 */
describe.runIf(DRIVERS.includes('postgres'))('several replicas posting one schedule (postgres)', () => {
  let slack: FakeSlack;
  let testDatabase: TestDatabase;
  let database: DatabaseHandle;
  const replicas: Started[] = [];

  beforeAll(async () => {
    slack = await startFakeSlack({ teamId: TEAM, now: () => new Date() });
    testDatabase = await createTestDatabase('postgres');
    database = createDatabase(testDatabase.settings);
    await database.migrate();
    const due = new Date(Date.now() - 5_000);
    for (let index = 0; index < CHANNELS; index += 1) {
      const channelId = `C0SOAK${String(index).padStart(3, '0')}`;
      slack.addChannel({ id: channelId, name: `soak-${index}` });
      await database.db.insert(channelSettings).values({
        teamId: TEAM,
        channelId,
        timeZone: 'Europe/London',
        workDays: [1, 2, 3, 4, 5, 6, 7],
        stewardId: 'U0STEWARD',
      });
      await database.db.insert(rhythms).values(
        KINDS.map((kind) => ({
          teamId: TEAM,
          channelId,
          kind,
          enabled: true,
          days: [1, 2, 3, 4, 5, 6, 7],
          localTime: '09:00',
          nextDueAt: due,
          updatedBy: 'U0STEWARD',
        })),
      );
    }
    slack.setDefaultFault('chat.postMessage', { kind: 'rate_limited', retryAfterSeconds: 1 }, 0.08, 11);
    slack.setDefaultFault('chat.postMessage', { kind: 'server_error', status: 503 }, 0.05, 12);
    slack.setDefaultFault('chat.postMessage', { kind: 'lost_response', delayMs: 2_500 }, 0.05, 13);
    slack.setDefaultFault('conversations.history', { kind: 'server_error', status: 500 }, 0.05, 14);
    slack.setRateLimit('chat.postMessage', { perChannelPerSecond: 1, retryAfterSeconds: 1 });
  });

  afterAll(async () => {
    for (const replica of replicas) replica.child.kill('SIGKILL');
    await Promise.all(replicas.map((replica) => replica.exited));
    await database?.close();
    await slack?.close();
    await testDatabase?.drop();
  });

  it('posts every occurrence exactly once through faults and a crash', async () => {
    const settings = testDatabase.settings as { url: string };
    for (let index = 0; index < 3; index += 1) {
      const port = await freePort();
      const replica = startProcess({
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_API_URL: slack.url,
        DATABASE_URL: settings.url,
        PORT: String(port),
        SCHEDULER_TICK_SECONDS: '1',
        SCHEDULER_LEASE_SECONDS: '8',
        SCHEDULER_POST_TIMEOUT_SECONDS: '1',
        LOG_LEVEL: 'warn',
      });
      replicas.push(replica);
      await waitUntilReady(`http://127.0.0.1:${port}`, replica);
    }

    const promptMessages = () =>
      slack.allMessages().filter((message) => message.metadata?.event_type === PROMPT_EVENT_TYPE);
    await expect.poll(() => promptMessages().length, { timeout: 30_000, interval: 100 }).toBeGreaterThan(20);
    replicas[0]?.child.kill('SIGKILL');

    const expected = CHANNELS * KINDS.length;
    const statusCounts = async () =>
      database.db
        .select({ status: occurrences.status, count: sql<number>`count(*)::int` })
        .from(occurrences)
        .groupBy(occurrences.status);
    await expect
      .poll(async () => (await statusCounts()).find((row) => row.status === 'posted')?.count ?? 0, {
        timeout: 90_000,
        interval: 500,
      })
      .toBe(expected);

    const perOccurrence = new Map<string, number>();
    for (const message of promptMessages()) {
      const id = String(message.metadata?.event_payload.occurrence_id);
      perOccurrence.set(id, (perOccurrence.get(id) ?? 0) + 1);
    }
    expect(perOccurrence.size).toBe(expected);
    expect([...perOccurrence.values()].filter((count) => count !== 1)).toEqual([]);
    expect(await statusCounts()).toEqual([{ status: 'posted', count: expected }]);
    const faults = new Set(
      slack
        .callsTo('chat.postMessage')
        .map((call) => call.fault)
        .filter(Boolean),
    );
    expect([...faults].sort()).toEqual(['lost_response', 'rate_limited', 'server_error']);
  }, 150_000);
});
