import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { occurrences, responses } from '../../src/db/schema.js';
import { type RunningApp, startLearningThread } from '../../src/server.js';
import { ACTIONS, CALLBACKS, PROMPT_ANSWER_INPUTS } from '../../src/slack/ids.js';
import { BOT_TOKEN, testConfig } from '../support/config.js';
import { createTestDatabase, DRIVERS, type TestDatabase } from '../support/databases.js';
import { rhythmStateValues, WEEK_AHEAD_EVERY_DAY } from '../support/factories.js';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack.js';
import { LogCapture } from '../support/harness.js';
import { installThroughOAuth, TEST_DISTRIBUTION } from '../support/oauth.js';
import {
  type Actor,
  buttonPayload,
  CONTENT_TYPES,
  interactionBody,
  SIGNING_SECRET,
  sendSigned,
  slashCommandBody,
  viewSubmissionPayload,
} from '../support/slack-requests.js';

const TEAM = 'T0TRACE';
const STEWARD = 'U0STEWARD';
const QUIET = 'U0QUIETONE';
const CHANNEL = 'C0TRACE';
const ANONYMOUS_ANSWER = 'The handover notes never reach the night shift';

/** Credentials and secrets as they would appear in any form: none may reach a log line at any level. */
const CREDENTIALS = [
  /xox[abepr]-/,
  /xapp-/,
  new RegExp(SIGNING_SECRET),
  new RegExp(TEST_DISTRIBUTION.clientSecret),
];

async function startAt(
  driver: (typeof DRIVERS)[number],
  slack: FakeSlack,
  logs: LogCapture,
  now: () => Date,
  distribution?: typeof TEST_DISTRIBUTION,
) {
  const database = await createTestDatabase(driver);
  const app = await startLearningThread(
    testConfig({ apiUrl: slack.url, database: database.settings, logLevel: 'trace', distribution }),
    { clock: now, logDestination: logs, startScheduler: false },
  );
  return { database, app, baseUrl: `http://127.0.0.1:${app.port}` };
}

describe.each(DRIVERS)('logging at trace level, one workspace (%s)', (driver) => {
  let slack: FakeSlack;
  let database: TestDatabase;
  let app: RunningApp;
  let baseUrl: string;
  const logs = new LogCapture();
  let now = new Date('2026-11-23T09:00:00Z');

  beforeAll(async () => {
    slack = await startFakeSlack({ teamId: TEAM, now: () => now });
    slack.addUser({ id: STEWARD, name: 'sam', realName: 'Sam Steward', tz: 'UTC' });
    slack.addUser({ id: QUIET, name: 'quinn', realName: 'Quinn Quiet', tz: 'UTC' });
    slack.addChannel({ id: CHANNEL, name: 'trace' });
    ({ database, app, baseUrl } = await startAt(driver, slack, logs, () => now));
  });

  afterAll(async () => {
    await app?.stop();
    await slack?.close();
    await database?.drop();
  });

  const as = (userId: string): Actor => ({ teamId: TEAM, userId, channelId: CHANNEL });
  const interact = (payload: unknown) => sendSigned(baseUrl, interactionBody(payload), CONTENT_TYPES.form);

  it('names no one behind an anonymous answer and quotes nothing they wrote', async () => {
    await sendSigned(baseUrl, slashCommandBody(as(STEWARD), '/learning', 'rhythm'), CONTENT_TYPES.form);
    const settings = await slack.waitForCall('views.open');
    const view = settings.params.view as { callback_id: string; private_metadata: string };
    await interact(
      viewSubmissionPayload(
        as(STEWARD),
        { ...view, id: 'V0TRACE1' },
        rhythmStateValues(WEEK_AHEAD_EVERY_DAY),
      ),
    );
    now = new Date('2026-11-23T09:30:00Z');
    await app.scheduler.tick();
    const [prompt] = await app.database.db.select().from(occurrences).where(eq(occurrences.status, 'posted'));
    expect(prompt?.messageTs).toBeTruthy();

    const before = logs.lines.length;
    await interact(
      buttonPayload(
        as(QUIET),
        { action_id: ACTIONS.answerAnonymously, value: prompt?.id ?? '' },
        { channelId: CHANNEL, messageTs: prompt?.messageTs ?? '' },
      ),
    );
    const opened = await slack.waitForCall(
      'views.open',
      (call) => (call.params.view as { callback_id: string }).callback_id === CALLBACKS.promptAnswer,
    );
    const modal = opened.params.view as { callback_id: string; private_metadata: string };
    const saved = await interact(
      viewSubmissionPayload(
        as(QUIET),
        { ...modal, id: 'V0TRACE2' },
        {
          [PROMPT_ANSWER_INPUTS.answer.block]: {
            [PROMPT_ANSWER_INPUTS.answer.action]: { type: 'plain_text_input', value: ANONYMOUS_ANSWER },
          },
        },
      ),
    );
    expect(saved.status).toBe(200);
    await app.idle();
    const [stored] = await app.database.db.select().from(responses).where(eq(responses.kind, 'anonymous'));
    expect(stored?.text).toBe(ANONYMOUS_ANSWER);

    const during = logs.lines.slice(before);
    expect(during.some((line) => line.includes('answer saved'))).toBe(true);
    expect(during.filter((line) => line.includes(QUIET))).toEqual([]);
    expect(logs.lines.filter((line) => line.includes('handover notes'))).toEqual([]);
  });

  it('carries no token or secret on any line', () => {
    expect(logs.lines.length).toBeGreaterThan(2);
    expect(logs.text).not.toContain(BOT_TOKEN);
    expect(logs.lines.filter((line) => CREDENTIALS.some((pattern) => pattern.test(line)))).toEqual([]);
  });
});

describe.each(DRIVERS)('logging at trace level, installing into many workspaces (%s)', (driver) => {
  let slack: FakeSlack;
  let database: TestDatabase;
  let app: RunningApp;
  let baseUrl: string;
  const logs = new LogCapture();

  beforeAll(async () => {
    slack = await startFakeSlack({ teamId: 'T0OTHER' });
    ({ database, app, baseUrl } = await startAt(driver, slack, logs, () => new Date(), TEST_DISTRIBUTION));
  });

  afterAll(async () => {
    await app?.stop();
    await slack?.close();
    await database?.drop();
  });

  it('carries neither the client secret, the OAuth code nor the tokens of an installation', async () => {
    const installed = await installThroughOAuth(baseUrl, slack, 'code-trace-4711', {
      teamId: 'T0TRACEINSTALL',
      teamName: 'Trace Team',
      userId: 'U0INSTALLER',
      expiresIn: 43_200,
    });
    expect(installed.status).toBe(200);
    await sendSigned(
      baseUrl,
      slashCommandBody(
        { teamId: 'T0TRACEINSTALL', userId: 'U0INSTALLER', channelId: CHANNEL },
        '/learning',
        'help',
      ),
      CONTENT_TYPES.form,
    );
    await app.idle();
    expect(logs.lines.length).toBeGreaterThan(2);
    expect(logs.lines.filter((line) => line.includes('code-trace-4711'))).toEqual([]);
    expect(logs.lines.filter((line) => CREDENTIALS.some((pattern) => pattern.test(line)))).toEqual([]);
  });
});
