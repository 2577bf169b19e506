import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type DatabaseSettings } from '../../src/db/client.js';
import { beforeActionReviews, occurrences } from '../../src/db/schema.js';
import { SUMMARY_EVENT_TYPE } from '../../src/services/nudges.js';
import { CALLBACKS } from '../../src/slack/ids.js';
import { createTestDatabase, DRIVERS, type Driver, type TestDatabase } from '../support/databases.js';
import { barAnswers, barStateValues, daysAfter } from '../support/factories.js';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack.js';
import { sample, scrape } from '../support/metrics.js';
import { freePort } from '../support/ports.js';
import { type Started, startProcess, stopProcess, waitUntilReady } from '../support/processes.js';
import {
  CONTENT_TYPES,
  interactionBody,
  SIGNING_SECRET,
  sendSigned,
  viewSubmissionPayload,
} from '../support/slack-requests.js';

const FORMS = 40;
const CHANNELS = ['C0CRASH00', 'C0CRASH01', 'C0CRASH02', 'C0CRASH03'];
/** Summaries whose channel join Slack holds: the process dies before it ever posts them. */
const NEVER_POSTED = 12;
/** Summaries Slack stores at once but whose answer it holds: posted, their ts never heard of. */
const ANSWER_LOST = 14;
const AUTHOR = 'U0CRASHAUTHOR';
const HELD_MS = 120_000;

/**
 * Forms saved by a process killed with SIGKILL while their summaries are on their way (some not yet
 * sent, some sent with the answer still out), then a new process on the same database: every
 * acknowledged review's summary is posted exactly once, and its ts recorded.
 */
describe.each(DRIVERS)('summaries through a crash between saving and posting (%s)', (driver: Driver) => {
  let slack: FakeSlack;
  let testDatabase: TestDatabase | undefined;
  let dataDir: string | undefined;
  let settings: DatabaseSettings;
  let databaseEnv: Record<string, string>;

  beforeAll(async () => {
    // Its message ts follow the machine's clock, as the processes' history checks do.
    slack = await startFakeSlack({ now: () => new Date() });
    slack.addUser({ id: AUTHOR, tz: 'Europe/London' });
    for (const [index, id] of CHANNELS.entries()) slack.addChannel({ id, name: `crash-${index}` });
    if (driver === 'postgres') {
      testDatabase = await createTestDatabase('postgres');
      settings = testDatabase.settings;
      databaseEnv = { DATABASE_URL: (settings as { url: string }).url };
    } else {
      // Two processes in turn share the embedded database through its directory.
      dataDir = mkdtempSync(join(tmpdir(), 'learning-thread-crash-'));
      settings = { dataDir };
      databaseEnv = { DATA_DIR: dataDir };
    }
  });

  afterAll(async () => {
    await slack?.close();
    await testDatabase?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  async function startApp(port: number): Promise<Started> {
    const started = startProcess({
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_BOT_TOKEN: 'xoxb-crash-test-token',
      SLACK_API_URL: slack.url,
      PORT: String(port),
      SCHEDULER_TICK_SECONDS: '1',
      SCHEDULER_LEASE_SECONDS: '14',
      SCHEDULER_POST_TIMEOUT_SECONDS: '2',
      LOG_LEVEL: 'warn',
      ...databaseEnv,
    });
    await waitUntilReady(`http://127.0.0.1:${port}`, started);
    return started;
  }

  const summaries = () =>
    slack.allMessages().filter((message) => message.metadata?.event_type === SUMMARY_EVENT_TYPE);
  const postsToChannels = () =>
    slack.callsTo('chat.postMessage').filter((call) => CHANNELS.includes(String(call.params.channel)));

  it('posts every acknowledged summary exactly once and records its ts', async () => {
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const first = await startApp(port);

    slack.failNext('conversations.join', { kind: 'slow', delayMs: HELD_MS }, NEVER_POSTED);
    slack.failNext('chat.postMessage', { kind: 'lost_response', delayMs: HELD_MS }, ANSWER_LOST);
    const view = {
      callback_id: CALLBACKS.barModal,
      private_metadata: JSON.stringify({ timeZone: 'Europe/London' }),
    };
    const answers = await Promise.all(
      Array.from({ length: FORMS }, (_, index) => {
        const channelId = CHANNELS[index % CHANNELS.length] as string;
        const actor = { teamId: slack.teamId, userId: AUTHOR, channelId };
        const values = barStateValues(
          barAnswers({
            action: `Crash form ${index}`,
            channelId,
            people: [AUTHOR],
            // The process runs on the machine's clock.
            lookBackOn: daysAfter(new Date(), 7),
          }),
        );
        const payload = viewSubmissionPayload(actor, { ...view, id: `V0CRASH${index}` }, values);
        return sendSigned(baseUrl, interactionBody(payload), CONTENT_TYPES.form);
      }),
    );
    const acknowledged = answers.filter((answer) => answer.status === 200).length;
    expect(acknowledged).toBe(FORMS);
    // Every summary whose join was not held has been sent; the held ones and the lost answers are
    // still in flight when the process dies.
    await expect
      .poll(() => postsToChannels().length, { timeout: 90_000, interval: 50 })
      .toBeGreaterThanOrEqual(FORMS - NEVER_POSTED);
    first.child.kill('SIGKILL');
    await first.exited;
    const beforeRestart = summaries().length;

    const second = await startApp(port);
    await expect
      .poll(() => new Set(summaries().map((message) => message.metadata?.event_payload.occurrence_id)).size, {
        timeout: 90_000,
        interval: 200,
      })
      .toBe(FORMS);
    // Posted is not yet settled: wait until a tick of the new process finds nothing due left undelivered,
    // so its ts is recorded before the graceful stop.
    await expect
      .poll(
        async () => sample((await scrape(baseUrl)).text, 'learning_thread_scheduler_oldest_due_seconds'),
        {
          timeout: 90_000,
          interval: 200,
        },
      )
      .toBe(0);
    await stopProcess(second);

    const database = createDatabase(settings);
    try {
      const reviews = await database.db.select().from(beforeActionReviews);
      const effects = await database.db.select().from(occurrences).where(eq(occurrences.kind, 'summary'));
      const postsPerEffect = new Map<string, string[]>();
      for (const message of summaries()) {
        const id = String(message.metadata?.event_payload.occurrence_id);
        postsPerEffect.set(id, [...(postsPerEffect.get(id) ?? []), message.ts]);
      }
      const expected = reviews.length;
      const delivered = effects.filter((effect) => postsPerEffect.has(effect.id)).length;
      const duplicated = [...postsPerEffect.values()].filter((posts) => posts.length > 1).length;
      const missing = effects.filter((effect) => !postsPerEffect.has(effect.id)).length;
      const effectOf = new Map(effects.map((effect) => [effect.reviewId, effect]));
      const tsRecorded = reviews.filter((review) => {
        const effect = effectOf.get(review.id);
        const posts = effect ? postsPerEffect.get(effect.id) : undefined;
        return (
          Boolean(review.summaryTs) &&
          posts?.[0] === review.summaryTs &&
          effect?.messageTs === review.summaryTs
        );
      }).length;
      console.log(
        `summaries through a crash (${driver}): expected=${expected} delivered=${delivered} duplicated=${duplicated} missing=${missing} tsRecorded=${tsRecorded} postedBeforeCrash=${beforeRestart}`,
      );
      expect(expected).toBe(acknowledged);
      expect(effects).toHaveLength(expected);
      expect({ delivered, duplicated, missing, tsRecorded }).toEqual({
        delivered: expected,
        duplicated: 0,
        missing: 0,
        tsRecorded: expected,
      });
      expect(effects.map((effect) => effect.status)).toEqual(effects.map(() => 'posted'));
      // The crash really landed between saving and posting: some were not in Slack when it struck.
      expect(beforeRestart).toBeLessThan(expected);
      // Nobody was told of a problem: there was none they could fix.
      expect(slack.callsTo('chat.postMessage').filter((call) => call.params.channel === AUTHOR)).toEqual([]);
    } finally {
      await database.close();
    }
  }, 240_000);
});
