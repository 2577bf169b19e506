import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { beforeActionReviews, channelStewards, installations, rhythms } from '../../src/db/schema.js';
import { type RunningApp, startLearningThread } from '../../src/server.js';
import { QUESTION_INPUTS } from '../../src/slack/ids.js';
import { testConfig } from '../support/config.js';
import { createTestDatabase, DRIVERS, type TestDatabase } from '../support/databases.js';
import { barAnswers, barStateValues, rhythmStateValues, WEEK_AHEAD_EVERY_DAY } from '../support/factories.js';
import { type FakeSlack, type OAuthGrant, startFakeSlack } from '../support/fake-slack.js';
import { LogCapture } from '../support/harness.js';
import { installThroughOAuth, TEST_DISTRIBUTION } from '../support/oauth.js';
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

const inTwoWeeks = () => new Date(Date.now() + 14 * 24 * HOUR_MS).toISOString().slice(0, 10);

/** Two workspaces of one organisation, with the same channel id in each. */
const OPS: Actor = { teamId: 'T0GRIDOPS', userId: ADMIN, channelId: 'C0SHARED' };
const FIELD: Actor = { teamId: 'T0GRIDFIELD', userId: 'U0FIELD', channelId: 'C0SHARED' };

/** What Slack adds to a request from a workspace of an organisation that installed the app org-wide. */
function inOrg(actor: Actor, enterpriseId = ORG, orgWide = true) {
  return {
    command: (command: string, text: string, trigger = 'trigger-1') => {
      const form = new URLSearchParams(slashCommandBody(actor, command, text, trigger));
      form.set('enterprise_id', enterpriseId);
      form.set('enterprise_name', 'Grid Org');
      form.set('is_enterprise_install', String(orgWide));
      return form.toString();
    },
    submission: (view: { id: string; callback_id: string; private_metadata: string }, values: object) =>
      interactionBody({
        ...viewSubmissionPayload(actor, view, values as Record<string, Record<string, unknown>>),
        enterprise: { id: enterpriseId, name: 'Grid Org' },
        user: { id: actor.userId, username: 'someone', name: 'someone', team_id: actor.teamId },
        is_enterprise_install: orgWide,
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

/** The app installing into many workspaces, on a fresh database and fake Slack for each describe block. */
function useDistributedApp(
  driver: (typeof DRIVERS)[number],
  seed: (slack: FakeSlack) => void,
  clock?: () => Date,
) {
  const running = {} as { slack: FakeSlack; database: TestDatabase; app: RunningApp; baseUrl: string };
  const logs = new LogCapture();

  beforeAll(async () => {
    running.slack = await startFakeSlack({ teamId: 'T0UNRELATED' });
    seed(running.slack);
    running.database = await createTestDatabase(driver);
    running.app = await startLearningThread(
      testConfig({
        apiUrl: running.slack.url,
        database: running.database.settings,
        distribution: TEST_DISTRIBUTION,
      }),
      { ...(clock ? { clock } : {}), logDestination: logs, startScheduler: false },
    );
    running.baseUrl = `http://127.0.0.1:${running.app.port}`;
  });

  afterAll(async () => {
    await running.app?.stop();
    await running.slack?.close();
    await running.database?.drop();
  });

  return {
    running,
    logs,
    send: (body: string, contentType: string = CONTENT_TYPES.form) =>
      sendSigned(running.baseUrl, body, contentType),
    install: (code: string, grant: OAuthGrant) =>
      installThroughOAuth(running.baseUrl, running.slack, code, grant),
  };
}

describe.each(DRIVERS)('an Enterprise Grid organisation installed org-wide (%s)', (driver) => {
  let now = new Date();
  const { running, logs, send, install } = useDistributedApp(
    driver,
    (slack) => {
      slack.addUser({ id: ADMIN, name: 'orla', realName: 'Orla Admin', tz: 'Europe/London', isAdmin: true });
      slack.addUser({ id: FIELD.userId, name: 'fen', realName: 'Fen Field', tz: 'Europe/London' });
      slack.addChannel({ id: OPS.channelId, name: 'shared', isMember: true });
    },
    () => now,
  );

  async function openedView(before: number) {
    await expect.poll(() => running.slack.callsTo('views.open').length).toBeGreaterThan(before);
    const call = running.slack.callsTo('views.open').at(-1);
    return {
      token: call?.token,
      view: call?.params.view as { callback_id: string; private_metadata: string },
    };
  }

  it('installs once for the whole organisation, keyed by the organisation alone', async () => {
    const redirect = await install('org-code', {
      teamId: ORG,
      userId: ADMIN,
      enterpriseId: ORG,
      isEnterpriseInstall: true,
    });
    expect(redirect.status).toBe(200);
    const rows = await running.app.database.db.select().from(installations);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ teamId: '', enterpriseId: ORG, isEnterpriseInstall: true });
    expect(rows[0]?.sealedInstallation).not.toMatch(/xox[be]-/);
  });

  it('answers /bar in every workspace of the organisation with the organisation’s token', async () => {
    for (const actor of [OPS, FIELD]) {
      const before = running.slack.callsTo('views.open').length;
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
    const reviews = await running.app.database.db.select().from(beforeActionReviews);
    expect(
      reviews.map((review) => [review.teamId, review.enterpriseId, review.channelId, review.action]).sort(),
    ).toEqual([
      [FIELD.teamId, ORG, 'C0SHARED', `Launch in ${FIELD.teamId}`],
      [OPS.teamId, ORG, 'C0SHARED', `Launch in ${OPS.teamId}`],
    ]);
  });

  it('records whoever first saves questions in a workspace of the organisation as its steward there', async () => {
    const before = running.slack.callsTo('views.open').length;
    await send(inOrg(FIELD).command('/learning', 'questions'));
    const { view } = await openedView(before);
    const saved = await send(
      inOrg(FIELD).submission(
        { ...view, id: 'V0QFIELD' },
        { [QUESTION_INPUTS.add.block]: { value: { type: 'plain_text_input', value: 'What will it take?' } } },
      ),
    );
    expect(saved.body).not.toContain('errors');
    const stewards = await running.app.database.db.select().from(channelStewards);
    expect(stewards.map((row) => [row.teamId, row.enterpriseId, row.channelId, row.userId])).toEqual([
      [FIELD.teamId, ORG, FIELD.channelId, FIELD.userId],
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
    const before = running.slack.callsTo('views.open').length;
    const response = await send(inOrg(OPS, OTHER_ORG).command('/bar', 'Forged'));
    expect(response.status).toBe(200);
    expect(response.body).toBe('');
    expect(running.slack.callsTo('views.open')).toHaveLength(before);
    expect(logs.text).toContain('request from a workspace without an installation ignored');
  });

  it('stops every workspace of the organisation when it uninstalls, and purges them after retention', async () => {
    for (const actor of [OPS, FIELD]) {
      const before = running.slack.callsTo('views.open').length;
      await send(inOrg(actor).command('/learning', 'rhythm'));
      const { view } = await openedView(before);
      const saved = await send(
        inOrg(actor).submission(
          { ...view, id: `V0R${actor.teamId}` },
          rhythmStateValues(WEEK_AHEAD_EVERY_DAY),
        ),
      );
      expect(saved.status).toBe(200);
    }
    const scheduled = await running.app.database.db
      .select()
      .from(rhythms)
      .where(eq(rhythms.kind, 'week_ahead'));
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
      .poll(
        async () =>
          (await running.app.database.db.select().from(installations))[0]?.sealedInstallation ?? null,
      )
      .toBeNull();
    const stopped = await running.app.database.db.select().from(rhythms);
    expect(stopped.length).toBeGreaterThan(0);
    expect(stopped.every((rhythm) => rhythm.nextDueAt === null)).toBe(true);

    now = new Date(now.getTime() + 31 * 24 * HOUR_MS);
    await running.app.scheduler.tick();
    expect(await running.app.database.db.select().from(beforeActionReviews)).toEqual([]);
    expect(await running.app.database.db.select().from(rhythms)).toEqual([]);
    expect(await running.app.database.db.select().from(installations)).toEqual([]);
  });
});

describe.each(DRIVERS)('a workspace that joins an organisation after installing (%s)', (driver) => {
  const SOLO: Actor = { teamId: 'T0SOLO', userId: 'U0SOLO', channelId: 'C0SOLO' };
  const JOINED = 'E0JOINED';
  const { running, logs, send, install } = useDistributedApp(driver, (slack) => {
    slack.addUser({ id: SOLO.userId, name: 'sol', realName: 'Sol Solo', tz: 'Europe/London' });
    slack.addChannel({ id: SOLO.channelId, name: 'solo', isMember: true });
  });

  it('keeps its installation and its reviews, now under the organisation', async () => {
    expect((await install('solo-code', { teamId: SOLO.teamId, userId: SOLO.userId })).status).toBe(200);

    await send(slashCommandBody(SOLO, '/bar', 'Before the move'));
    await expect.poll(() => running.slack.callsTo('views.open').length).toBe(1);
    const view = running.slack.callsTo('views.open')[0]?.params.view as {
      callback_id: string;
      private_metadata: string;
    };
    const saved = await send(
      interactionBody(
        viewSubmissionPayload(
          SOLO,
          { ...view, id: 'V0SOLO' },
          barStateValues(
            barAnswers({ action: 'Before the move', channelId: SOLO.channelId, lookBackOn: inTwoWeeks() }),
          ),
        ),
      ),
    );
    expect(saved.body).not.toContain('errors');

    const migrated = await send(
      JSON.stringify({
        token: 'deprecated-verification-token',
        team_id: SOLO.teamId,
        api_app_id: 'A0FAKEAPP',
        event: { type: 'grid_migration_finished', enterprise_id: JOINED },
        type: 'event_callback',
        event_id: 'Ev0MIGRATED',
        event_time: Math.floor(Date.now() / 1000),
        authorizations: [
          { team_id: SOLO.teamId, user_id: 'U0FAKEBOT', is_bot: true, is_enterprise_install: false },
        ],
      }),
      CONTENT_TYPES.json,
    );
    expect(migrated.status).toBe(200);
    await expect
      .poll(async () => (await running.app.database.db.select().from(installations))[0]?.enterpriseId)
      .toBe(JOINED);
    const [review] = await running.app.database.db.select().from(beforeActionReviews);
    expect(review).toMatchObject({ teamId: SOLO.teamId, enterpriseId: JOINED, action: 'Before the move' });
    expect(logs.text).toContain('workspace joined an organisation');

    // Slack now names the organisation on what the workspace sends: the review is still there, and the
    // installation, sealed again under the organisation, still opens.
    const listed = await send(inOrg(SOLO, JOINED, false).command('/aar', ''));
    expect(listed.body).toContain('Before the move');
    await send(inOrg(SOLO, JOINED, false).command('/bar', 'After the move'));
    await expect.poll(() => running.slack.callsTo('views.open').length).toBe(2);
    expect(running.slack.callsTo('views.open')[1]?.token).toMatch(
      new RegExp(`^xoxb-${SOLO.teamId}-\\d+-fake$`),
    );
  });
});

describe.each(DRIVERS)(
  'a grid migration event names a workspace it was not authorised through (%s)',
  (driver) => {
    const VICTIM: Actor = { teamId: 'T0VICTIM', userId: 'U0VICTIM', channelId: 'C0VICTIM' };
    const SENDER: Actor = { teamId: 'T0SENDER', userId: 'U0SENDER', channelId: 'C0SENDER' };
    const ELSEWHERE = 'E0ELSEWHERE';
    const { running, send, install } = useDistributedApp(driver, (slack) => {
      slack.addUser({ id: VICTIM.userId, name: 'vic', realName: 'Vic Victim', tz: 'Europe/London' });
      slack.addUser({ id: SENDER.userId, name: 'sen', realName: 'Sen Sender', tz: 'Europe/London' });
      slack.addChannel({ id: VICTIM.channelId, name: 'victim', isMember: true });
      slack.addChannel({ id: SENDER.channelId, name: 'sender', isMember: true });
    });

    it('moves only the workspace its authorisation names, never the one in the envelope', async () => {
      expect((await install('victim-code', { teamId: VICTIM.teamId, userId: VICTIM.userId })).status).toBe(
        200,
      );
      expect((await install('sender-code', { teamId: SENDER.teamId, userId: SENDER.userId })).status).toBe(
        200,
      );
      await send(slashCommandBody(VICTIM, '/bar', 'The victim’s plan'));
      await expect.poll(() => running.slack.callsTo('views.open').length).toBe(1);
      const view = running.slack.callsTo('views.open')[0]?.params.view as {
        callback_id: string;
        private_metadata: string;
      };
      await send(
        interactionBody(
          viewSubmissionPayload(
            VICTIM,
            { ...view, id: 'V0VICTIM' },
            barStateValues(
              barAnswers({
                action: 'The victim’s plan',
                channelId: VICTIM.channelId,
                lookBackOn: inTwoWeeks(),
              }),
            ),
          ),
        ),
      );

      const hostile = await send(
        JSON.stringify({
          token: 'deprecated-verification-token',
          team_id: VICTIM.teamId,
          api_app_id: 'A0FAKEAPP',
          event: { type: 'grid_migration_finished', enterprise_id: ELSEWHERE },
          type: 'event_callback',
          event_id: 'Ev0HOSTILEMOVE',
          event_time: Math.floor(Date.now() / 1000),
          authorizations: [
            { team_id: SENDER.teamId, user_id: 'U0FAKEBOT', is_bot: true, is_enterprise_install: false },
          ],
        }),
        CONTENT_TYPES.json,
      );
      expect(hostile.status).toBe(200);
      await running.app.idle();
      const byTeam = Object.fromEntries(
        (await running.app.database.db.select().from(installations)).map((row) => [
          row.teamId,
          row.enterpriseId,
        ]),
      );
      expect(byTeam[VICTIM.teamId]).toBe('');
      expect(byTeam[SENDER.teamId]).toBe(ELSEWHERE);
      const [review] = await running.app.database.db.select().from(beforeActionReviews);
      expect(review).toMatchObject({ teamId: VICTIM.teamId, enterpriseId: '', action: 'The victim’s plan' });
      const listed = await send(slashCommandBody(VICTIM, '/aar', ''));
      expect(listed.body).toContain('The victim’s plan');
    });
  },
);
