import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelSettings, installations, rhythms } from '../../src/db/schema.js';
import { type RunningApp, startLearningThread } from '../../src/server.js';
import { testConfig } from '../support/config.js';
import { createTestDatabase, DRIVERS, type TestDatabase } from '../support/databases.js';
import { rhythmStateValues, WEEK_AHEAD_EVERY_DAY } from '../support/factories.js';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack.js';
import { LogCapture } from '../support/harness.js';
import { TEST_DISTRIBUTION } from '../support/oauth.js';
import {
  CONTENT_TYPES,
  eventBody,
  interactionBody,
  sendSigned,
  slashCommandBody,
  viewSubmissionPayload,
} from '../support/slack-requests.js';

const NEW_TEAM = 'T0NEWTEAM';
const INSTALLER = 'U0INSTALLER';
const CHANNEL = 'C0NEWCHAN';
const HOUR_MS = 3_600_000;

describe.each(DRIVERS)('installing into many workspaces (%s)', (driver) => {
  let slack: FakeSlack;
  let database: TestDatabase;
  let app: RunningApp;
  let baseUrl: string;
  const logs = new LogCapture();
  let now = new Date();

  beforeAll(async () => {
    slack = await startFakeSlack({ teamId: 'T0OTHER' });
    slack.addUser({ id: INSTALLER, name: 'ines', realName: 'Ines Installer', tz: 'Europe/London' });
    slack.addChannel({ id: CHANNEL, name: 'new-team', isMember: true });
    database = await createTestDatabase(driver);
    app = await startLearningThread(
      testConfig({ apiUrl: slack.url, database: database.settings, distribution: TEST_DISTRIBUTION }),
      { clock: () => now, logDestination: logs, startScheduler: false },
    );
    baseUrl = `http://127.0.0.1:${app.port}`;
  });

  afterAll(async () => {
    await app?.stop();
    await slack?.close();
    await database?.drop();
  });

  const actor = { teamId: NEW_TEAM, userId: INSTALLER, channelId: CHANNEL };
  const command = (text: string, teamId = NEW_TEAM) =>
    sendSigned(baseUrl, slashCommandBody({ ...actor, teamId }, '/learning', text), CONTENT_TYPES.form);
  const tokenOf = (teamId: string) => new RegExp(`^xoxb-${teamId}-\\d+-fake$`);

  it('installs through /slack/install and /slack/oauth_redirect, and keeps the tokens sealed', async () => {
    const install = await fetch(`${baseUrl}/slack/install`);
    expect(install.status).toBe(200);
    const page = await install.text();
    const state = /state=([^&"]+)/.exec(page)?.[1];
    expect(state).toBeDefined();
    const cookie = install.headers.get('set-cookie')?.split(';')[0] ?? '';
    expect(decodeURIComponent(/scope=([^&"]+)/.exec(page)?.[1] ?? '')).toContain('files:write');

    slack.grantOAuthCode('code-1', {
      teamId: NEW_TEAM,
      teamName: 'New Team',
      userId: INSTALLER,
      expiresIn: 43_200,
    });
    const redirect = await fetch(`${baseUrl}/slack/oauth_redirect?code=code-1&state=${state}`, {
      headers: { cookie },
    });
    expect(redirect.status).toBe(200);
    const [row] = await app.database.db.select().from(installations);
    expect(row).toMatchObject({ teamId: NEW_TEAM, enterpriseId: '', keyId: 'k2', installedBy: INSTALLER });
    expect(row?.sealedInstallation).not.toMatch(/xox[be]-/);
    expect(row?.botTokenExpiresAt).toBeInstanceOf(Date);
    expect(logs.text).not.toMatch(/xox[be]-/);
  });

  /** The install page's state and the cookie that binds it to this browser. */
  async function startInstall() {
    const install = await fetch(`${baseUrl}/slack/install`);
    const state = /state=([^&"]+)/.exec(await install.text())?.[1] ?? '';
    return { state, cookie: install.headers.get('set-cookie')?.split(';')[0] ?? '' };
  }

  it.each([
    ['the installer cancels', (state: string) => `error=access_denied&state=${state}`, /cancelled/i],
    ['Slack refuses the code', (state: string) => `code=never-granted&state=${state}`, /did not confirm/i],
    ['the state is not this browser’s', () => 'code=code-x&state=forged', /expired/i],
  ])(
    'answers 400 with a page saying what happened when %s, and installs nothing',
    async (_case, query, said) => {
      const before = await app.database.db.select().from(installations);
      const { state, cookie } = await startInstall();
      const answer = await fetch(`${baseUrl}/slack/oauth_redirect?${query(state)}`, { headers: { cookie } });
      expect(answer.status).toBe(400);
      const page = await answer.text();
      expect(page).toMatch(said);
      expect(page).toContain('/slack/install');
      expect(await app.database.db.select().from(installations)).toEqual(before);
      expect(logs.text).not.toContain(TEST_DISTRIBUTION.clientSecret);
    },
  );

  it('answers a slash command in the new workspace with that workspace’s own token', async () => {
    const response = await command('help');
    expect(response.status).toBe(200);
    expect(JSON.stringify(response.json())).toContain('/learning digest');
    const opened = await command('rhythm');
    expect(opened.status).toBe(200);
    const call = await slack.waitForCall('views.open');
    expect(call.token).toMatch(tokenOf(NEW_TEAM));
  });

  it('does nothing for a workspace that never installed the app', async () => {
    slack.reset();
    const response = await command('rhythm', 'T0STRANGER');
    // Bolt acknowledges, so Slack does not retry, and no listener runs.
    expect(response.status).toBe(200);
    expect(response.body).toBe('');
    expect(slack.callsTo('views.open')).toEqual([]);
    expect(logs.text).toContain('request from a workspace without an installation ignored');
  });

  it('refreshes an expiring token once, however many requests need it at the same moment', async () => {
    slack.reset();
    now = new Date(Date.now() + 11 * HOUR_MS);
    const answers = await Promise.all([command('help'), command('help'), command('help')]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
    const refreshes = slack
      .callsTo('oauth.v2.access')
      .filter((call) => call.params.grant_type === 'refresh_token');
    expect(refreshes).toHaveLength(1);
    const [row] = await app.database.db.select().from(installations);
    expect(row?.botTokenExpiresAt?.getTime()).toBeGreaterThan(now.getTime() + 11 * HOUR_MS);
  });

  it('posts scheduled prompts with the refreshed token, authorised through the store', async () => {
    slack.reset();
    await command('rhythm');
    const view = (await slack.waitForCall('views.open')).params.view as {
      callback_id: string;
      private_metadata: string;
    };
    const saved = await sendSigned(
      baseUrl,
      interactionBody(
        viewSubmissionPayload(actor, { ...view, id: 'V0DIST' }, rhythmStateValues(WEEK_AHEAD_EVERY_DAY)),
      ),
      CONTENT_TYPES.form,
    );
    expect((saved.json() as { response_action: string }).response_action).toBe('update');
    const [rhythm] = await app.database.db.select().from(rhythms).where(eq(rhythms.kind, 'week_ahead'));
    const dueAt = rhythm?.nextDueAt;
    if (!dueAt) throw new Error('the saved rhythm has no next time');
    now = new Date(dueAt.getTime() + 30_000);
    await app.scheduler.tick();
    const posted = slack.callsTo('chat.postMessage').filter((call) => call.params.channel === CHANNEL);
    expect(posted).toHaveLength(1);
    expect(posted[0]?.token).toMatch(tokenOf(NEW_TEAM));
    // The token in use is the refreshed one, not the one the install first handed over.
    expect(posted[0]?.token).not.toBe(`xoxb-${NEW_TEAM}-1-fake`);
  });

  it('stops the workspace at once when the app is uninstalled, and purges it after the retention period', async () => {
    slack.reset();
    const uninstall = await sendSigned(
      baseUrl,
      eventBody(NEW_TEAM, { type: 'app_uninstalled', event_ts: '1.1' }, 'Ev0UNINSTALL'),
      CONTENT_TYPES.json,
    );
    expect(uninstall.status).toBe(200);
    await expect
      .poll(async () => (await app.database.db.select().from(installations))[0]?.sealedInstallation ?? null)
      .toBeNull();
    const [row] = await app.database.db.select().from(installations);
    expect(row?.purgeAfter?.getTime()).toBe(now.getTime() + 30 * 24 * HOUR_MS);
    const stopped = await app.database.db.select().from(rhythms).where(eq(rhythms.teamId, NEW_TEAM));
    expect(stopped.every((rhythm) => rhythm.nextDueAt === null)).toBe(true);
    expect((await command('help')).body).toBe('');

    now = new Date(now.getTime() + 2 * 24 * HOUR_MS);
    await app.scheduler.tick();
    expect(slack.callsTo('chat.postMessage')).toEqual([]);
    expect(
      await app.database.db.select().from(channelSettings).where(eq(channelSettings.teamId, NEW_TEAM)),
    ).toHaveLength(1);

    now = new Date(now.getTime() + 29 * 24 * HOUR_MS);
    await app.scheduler.tick();
    expect(
      await app.database.db.select().from(channelSettings).where(eq(channelSettings.teamId, NEW_TEAM)),
    ).toEqual([]);
    expect(await app.database.db.select().from(rhythms).where(eq(rhythms.teamId, NEW_TEAM))).toEqual([]);
    expect(await app.database.db.select().from(installations)).toEqual([]);
  });
});
