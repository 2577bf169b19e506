import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Distribution } from '../../src/config.js';
import { beforeActionReviews, installations, rhythms } from '../../src/db/schema.js';
import { type RunningApp, startLearningThread } from '../../src/server.js';
import { testConfig } from '../support/config.js';
import { createTestDatabase, DRIVERS, type TestDatabase } from '../support/databases.js';
import { barAnswers, barStateValues, rhythmStateValues } from '../support/factories.js';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack.js';
import { LogCapture } from '../support/harness.js';
import {
  type Actor,
  CONTENT_TYPES,
  interactionBody,
  sendSigned,
  slashCommandBody,
  viewSubmissionPayload,
} from '../support/slack-requests.js';

const ORG = 'E0GRIDORG';
const OTHER_ORG = 'E0ELSEWHERE';
const ADMIN = 'U0ORGADMIN';
const HOUR_MS = 3_600_000;

const DISTRIBUTION: Distribution = {
  clientId: '1234.5678',
  clientSecret: 'abcdef0123456789abcdef0123456789',
  stateSecret: 'a-state-secret-of-some-length',
  keys: [{ id: 'k1', key: randomBytes(32) }],
  retentionDays: 30,
};

const inTwoWeeks = () => new Date(Date.now() + 14 * 24 * HOUR_MS).toISOString().slice(0, 10);

/** Two workspaces of one organisation, with the same channel id in each. */
const OPS: Actor = { teamId: 'T0GRIDOPS', userId: ADMIN, channelId: 'C0SHARED' };
const FIELD: Actor = { teamId: 'T0GRIDFIELD', userId: 'U0FIELD', channelId: 'C0SHARED' };

/** What Slack adds to a request from a workspace of an organisation that installed the app org-wide. */
function inOrg(actor: Actor, enterpriseId = ORG) {
  return {
    command: (command: string, text: string, trigger = 'trigger-1') => {
      const form = new URLSearchParams(slashCommandBody(actor, command, text, trigger));
      form.set('enterprise_id', enterpriseId);
      form.set('enterprise_name', 'Grid Org');
      form.set('is_enterprise_install', 'true');
      return form.toString();
    },
    submission: (view: { id: string; callback_id: string; private_metadata: string }, values: object) =>
      interactionBody({
        ...viewSubmissionPayload(actor, view, values as Record<string, Record<string, unknown>>),
        enterprise: { id: enterpriseId, name: 'Grid Org' },
        user: { id: actor.userId, username: 'someone', name: 'someone', team_id: actor.teamId },
        is_enterprise_install: true,
      }),
    event: (event: Record<string, unknown>, eventId: string) =>
      JSON.stringify({
        token: 'deprecated-verification-token',
        team_id: actor.teamId,
        enterprise_id: enterpriseId,
        api_app_id: 'A0FAKEAPP',
        event,
        type: 'event_callback',
        event_id: eventId,
        event_time: Math.floor(Date.now() / 1000),
        is_ext_shared_channel: false,
        authorizations: [
          {
            enterprise_id: enterpriseId,
            team_id: null,
            user_id: 'U0FAKEBOT',
            is_bot: true,
            is_enterprise_install: true,
          },
        ],
      }),
  };
}

describe.each(DRIVERS)('an Enterprise Grid organisation installed org-wide (%s)', (driver) => {
  let slack: FakeSlack;
  let database: TestDatabase;
  let app: RunningApp;
  let baseUrl: string;
  const logs = new LogCapture();
  let now = new Date();

  beforeAll(async () => {
    slack = await startFakeSlack({ teamId: 'T0UNRELATED' });
    slack.addUser({ id: ADMIN, name: 'orla', realName: 'Orla Admin', tz: 'Europe/London', isAdmin: true });
    slack.addUser({ id: FIELD.userId, name: 'fen', realName: 'Fen Field', tz: 'Europe/London' });
    slack.addChannel({ id: OPS.channelId, name: 'shared', isMember: true });
    database = await createTestDatabase(driver);
    app = await startLearningThread(
      testConfig({ apiUrl: slack.url, database: database.settings, distribution: DISTRIBUTION }),
      { clock: () => now, logDestination: logs, startScheduler: false },
    );
    baseUrl = `http://127.0.0.1:${app.port}`;
  });

  afterAll(async () => {
    await app?.stop();
    await slack?.close();
    await database?.drop();
  });

  const send = (body: string, contentType: string = CONTENT_TYPES.form) =>
    sendSigned(baseUrl, body, contentType);

  async function openedView(before: number) {
    await expect.poll(() => slack.callsTo('views.open').length).toBeGreaterThan(before);
    const call = slack.callsTo('views.open').at(-1);
    return {
      token: call?.token,
      view: call?.params.view as { callback_id: string; private_metadata: string },
    };
  }

  it('installs once for the whole organisation, keyed by the organisation alone', async () => {
    const install = await fetch(`${baseUrl}/slack/install`);
    const state = /state=([^&"]+)/.exec(await install.text())?.[1];
    const cookie = install.headers.get('set-cookie')?.split(';')[0] ?? '';
    slack.grantOAuthCode('org-code', {
      teamId: ORG,
      userId: ADMIN,
      enterpriseId: ORG,
      isEnterpriseInstall: true,
    });
    const redirect = await fetch(`${baseUrl}/slack/oauth_redirect?code=org-code&state=${state}`, {
      headers: { cookie },
    });
    expect(redirect.status).toBe(200);
    const rows = await app.database.db.select().from(installations);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ teamId: '', enterpriseId: ORG, isEnterpriseInstall: true });
    expect(rows[0]?.sealedInstallation).not.toMatch(/xox[be]-/);
  });

  it('answers /bar in every workspace of the organisation with the organisation’s token', async () => {
    for (const actor of [OPS, FIELD]) {
      const before = slack.callsTo('views.open').length;
      const response = await send(inOrg(actor).command('/bar', `Launch in ${actor.teamId}`));
      expect(response.status).toBe(200);
      const { token, view } = await openedView(before);
      expect(token).toMatch(new RegExp(`^xoxb-${ORG}-\\d+-fake$`));
      const saved = await send(
        inOrg(actor).submission(
          { ...view, id: `V0${actor.teamId}` },
          barStateValues(
            barAnswers({
              action: `Launch in ${actor.teamId}`,
              channelId: actor.channelId,
              lookBackOn: inTwoWeeks(),
            }),
          ),
        ),
      );
      expect(saved.status).toBe(200);
      expect(saved.body).not.toContain('errors');
    }
    const reviews = await app.database.db.select().from(beforeActionReviews);
    expect(
      reviews.map((review) => [review.teamId, review.enterpriseId, review.channelId, review.action]).sort(),
    ).toEqual([
      [FIELD.teamId, ORG, 'C0SHARED', `Launch in ${FIELD.teamId}`],
      [OPS.teamId, ORG, 'C0SHARED', `Launch in ${OPS.teamId}`],
    ]);
  });

  it('keeps each workspace of the organisation to its own reviews in a channel id they share', async () => {
    for (const [actor, own, other] of [
      [FIELD, FIELD.teamId, OPS.teamId],
      [OPS, OPS.teamId, FIELD.teamId],
    ] as const) {
      const listed = await send(inOrg(actor).command('/aar', ''));
      expect(listed.status).toBe(200);
      expect(listed.body).toContain(`Launch in ${own}`);
      expect(listed.body).not.toContain(`Launch in ${other}`);
    }
  });

  it('refuses the same workspace claiming another organisation, which never installed the app', async () => {
    const before = slack.callsTo('views.open').length;
    const response = await send(inOrg(OPS, OTHER_ORG).command('/bar', 'Forged'));
    expect(response.status).toBe(200);
    expect(response.body).toBe('');
    expect(slack.callsTo('views.open')).toHaveLength(before);
    expect(logs.text).toContain('request from a workspace without an installation ignored');
  });

  it('stops every workspace of the organisation when it uninstalls, and purges them after retention', async () => {
    for (const actor of [OPS, FIELD]) {
      const before = slack.callsTo('views.open').length;
      await send(inOrg(actor).command('/learning', 'rhythm'));
      const { view } = await openedView(before);
      const saved = await send(
        inOrg(actor).submission(
          { ...view, id: `V0R${actor.teamId}` },
          rhythmStateValues({
            timeZone: 'UTC',
            workDays: [1, 2, 3, 4, 5, 6, 7],
            pauseUntil: null,
            skipDates: '',
            rhythms: {
              week_ahead: { enabled: true, days: [1, 2, 3, 4, 5, 6, 7], time: '09:30' },
              mid_week: { enabled: false, days: [3], time: '14:00' },
              look_back: { enabled: false, days: [5], time: '15:00' },
              digest: { enabled: false, days: [5], time: '16:00' },
            },
          }),
        ),
      );
      expect(saved.status).toBe(200);
    }
    const scheduled = await app.database.db.select().from(rhythms).where(eq(rhythms.kind, 'week_ahead'));
    expect(scheduled.map((rhythm) => [rhythm.teamId, rhythm.enterpriseId]).sort()).toEqual([
      [FIELD.teamId, ORG],
      [OPS.teamId, ORG],
    ]);
    expect(scheduled.every((rhythm) => rhythm.nextDueAt !== null)).toBe(true);

    const uninstall = await send(
      inOrg(OPS).event({ type: 'app_uninstalled', event_ts: '1.1' }, 'Ev0ORGGONE'),
      CONTENT_TYPES.json,
    );
    expect(uninstall.status).toBe(200);
    await expect
      .poll(async () => (await app.database.db.select().from(installations))[0]?.sealedInstallation ?? null)
      .toBeNull();
    const stopped = await app.database.db.select().from(rhythms);
    expect(stopped.length).toBeGreaterThan(0);
    expect(stopped.every((rhythm) => rhythm.nextDueAt === null)).toBe(true);

    now = new Date(now.getTime() + 31 * 24 * HOUR_MS);
    await app.scheduler.tick();
    expect(await app.database.db.select().from(beforeActionReviews)).toEqual([]);
    expect(await app.database.db.select().from(rhythms)).toEqual([]);
    expect(await app.database.db.select().from(installations)).toEqual([]);
  });
});
