import { describe, expect, it } from 'vitest';
import {
  afterActionReviews,
  beforeActionReviews,
  occurrences,
  perspectives,
  responses,
  rhythms,
} from '../../src/db/schema.js';
import { ACTIONS, CALLBACKS, PERSPECTIVE_INPUTS } from '../../src/slack/ids.js';
import { DRIVERS } from '../support/databases.js';
import { snapshotTables, type TableSnapshot } from '../support/db-snapshot.js';
import { PINNED_NOW, rhythmStateValues, WEEK_AHEAD_EVERY_DAY } from '../support/factories.js';
import { AUTHOR, CHANNEL, TEAM, TEAMMATE, useHarness } from '../support/harness.js';
import { createReview, openAar, overflowPayload, submitAar, viewOpenedBy } from '../support/loop.js';
import { botTokenOf, useInstalledHarness } from '../support/oauth.js';
import {
  buttonPayload,
  CONTENT_TYPES,
  eventBody,
  sendSigned,
  slashCommandBody,
  viewSubmissionPayload,
} from '../support/slack-requests.js';

// Two workspaces, each installed with its own bot token, whose channel and people share ids.
const OTHER_TEAM = 'T0OTHERWS';
const SECRET = 'Zephyr plan nobody outside may read';

describe.each(DRIVERS)('two installed workspaces in one database (%s)', (driver) => {
  const h = useInstalledHarness({ driver, now: () => PINNED_NOW }, [
    { teamId: TEAM, teamName: 'Ours', userId: AUTHOR },
    { teamId: OTHER_TEAM, teamName: 'Theirs', userId: AUTHOR },
  ]);
  const ours = { teamId: TEAM, userId: AUTHOR, channelId: CHANNEL };
  const theirs = { teamId: OTHER_TEAM, userId: AUTHOR, channelId: CHANNEL };
  const rowsOf = (snapshot: TableSnapshot, teamId: string) =>
    Object.entries(snapshot).flatMap(([table, rows]) =>
      rows.filter((row) => row.includes(`"teamId":"${teamId}"`)).map((row) => `${table} ${row}`),
    );

  it('shows, unlocks and changes nothing of one workspace from the other, even with its ids', async () => {
    await createReview(h, { action: SECRET, people: [AUTHOR, TEAMMATE] });
    const [review] = await h.app.database.db.select().from(beforeActionReviews);
    const reviewId = review?.id as string;
    await submitAar(h, ours, await openAar(h, ours, reviewId), {
      whatHappened: `${SECRET} happened`,
      whyDifferent: 'Because.',
      sustain: 'Keep.',
      change: 'Change.',
      verdict: 'partly',
    });
    await h.slack.waitForCall('chat.postMessage', (call) =>
      String(call.params.text).startsWith('After-action review'),
    );
    // The summary's ts is recorded after it posts: wait, so the snapshot below starts from a settled state.
    await expect
      .poll(async () => (await h.app.database.db.select().from(afterActionReviews))[0]?.summaryTs ?? null)
      .not.toBeNull();
    await h.idle();
    const [aar] = await h.app.database.db.select().from(afterActionReviews);
    // The form our workspace is shown to add a perspective to its own look-back, left unsent here.
    const perspectiveForm = await viewOpenedBy(h, CALLBACKS.perspectiveModal, () =>
      h.clickButton({ action_id: ACTIONS.addPerspective, value: `after:${aar?.id}` }, { channelId: CHANNEL }),
    );
    await h.idle();
    // Our workspace's work was done with our own installation's token.
    expect(h.slack.calls.filter((call) => !botTokenOf(TEAM).test(call.token ?? ''))).toEqual([]);
    const before = await snapshotTables(h.app.database.db);
    expect(rowsOf(before, TEAM).length).toBeGreaterThan(2);
    // The other workspace holds its installation and nothing else yet.
    expect(rowsOf(before, OTHER_TEAM).map((row) => row.split(' ')[0])).toEqual(['installations']);
    h.slack.reset();

    // The other workspace uses every way in, including the first workspace's own ids.
    const answers = [
      await h.command('/aar', '', theirs),
      await h.command('/learning', 'help', theirs),
      await h.command('/learning', 'digest', theirs),
      await h.command('/bar', '', theirs),
    ];
    await h.interact(
      buttonPayload(theirs, { action_id: ACTIONS.startAar, value: reviewId }, { channelId: CHANNEL }),
    );
    await h.interact(
      buttonPayload(theirs, { action_id: ACTIONS.readReviewInFull, value: reviewId }, { channelId: CHANNEL }),
    );
    await h.interact(overflowPayload(theirs, `edit:before:${reviewId}`, CHANNEL));
    await h.interact(overflowPayload(theirs, `delete:after:${aar?.id}`, CHANNEL));
    await h.interact(
      buttonPayload(
        theirs,
        { action_id: ACTIONS.addPerspective, value: `after:${aar?.id}` },
        { channelId: CHANNEL },
      ),
    );
    // Our workspace's own form, sent from the other one with words of its own.
    const forged = await h.interact(
      viewSubmissionPayload(theirs, perspectiveForm, {
        [PERSPECTIVE_INPUTS.answer('whyDifferent').block]: {
          value: { type: 'plain_text_input', value: 'Injected from elsewhere' },
        },
        [PERSPECTIVE_INPUTS.anonymous.block]: { value: { type: 'checkboxes', selected_options: [] } },
      }),
    );
    expect((forged.json() as { response_action?: string }).response_action).toBe('errors');
    answers.push(forged);
    await sendSigned(
      h.baseUrl,
      eventBody(
        OTHER_TEAM,
        { type: 'app_home_opened', user: AUTHOR, channel: 'D0HOME', tab: 'home', event_ts: '1.1' },
        'Ev0ISOHOME',
      ),
      CONTENT_TYPES.json,
    );
    await h.slack.waitForCall('views.publish');
    // Every request above was answered; wait for the work they started to finish before looking.
    await h.idle();

    // Every call the app made while the other workspace acted was made with that workspace's own token.
    const forThem = h.slack.calls.filter((call) => botTokenOf(OTHER_TEAM).test(call.token ?? ''));
    expect(forThem.length).toBeGreaterThan(5);
    expect(forThem).toEqual(h.slack.calls);
    // Each of the five clicks naming our ids was answered in the other workspace, privately, with a refusal.
    expect(forThem.filter((call) => call.method === 'chat.postEphemeral')).toHaveLength(5);
    const seen = JSON.stringify([answers.map((answer) => answer.body), forThem.map((call) => call.params)]);
    expect(seen).not.toContain(SECRET);
    expect(seen).not.toContain(reviewId);
    expect(seen).not.toContain(aar?.id);
    const after = await snapshotTables(h.app.database.db);
    expect(rowsOf(after, TEAM)).toEqual(rowsOf(before, TEAM));
    expect(
      rowsOf(after, OTHER_TEAM).filter((row) => row.includes(reviewId) || row.includes(`${aar?.id}`)),
    ).toEqual([]);
    expect(await h.app.database.db.select().from(perspectives)).toEqual([]);
  });
});

describe.each(DRIVERS)(
  'one workspace: the scope comes from the bot token, never the payload (%s)',
  (driver) => {
    let now = new Date('2026-11-23T09:00:00Z');
    const h = useHarness({ driver, now: () => now });
    const INTRUDER = 'T0INTRUDER';
    const INTRUDER_ORG = 'E0INTRUDER';
    // Every field Bolt reads a team or an organisation from, naming another workspace.
    const naming = <T extends Record<string, unknown>>(payload: T) => ({
      ...payload,
      team: { id: INTRUDER, domain: 'elsewhere', enterprise_id: INTRUDER_ORG },
      enterprise: { id: INTRUDER_ORG, name: 'Elsewhere' },
      user: { ...(payload.user as Record<string, unknown>), team_id: INTRUDER },
      ...(payload.view
        ? {
            view: {
              ...(payload.view as Record<string, unknown>),
              team_id: INTRUDER,
              app_installed_team_id: INTRUDER,
            },
          }
        : {}),
    });

    it('stores what a request naming another team sends under the bot token’s own workspace', async () => {
      const command = new URLSearchParams(slashCommandBody(h.actor, '/learning', 'rhythm'));
      command.set('team_id', INTRUDER);
      command.set('enterprise_id', INTRUDER_ORG);
      expect((await sendSigned(h.baseUrl, command.toString(), CONTENT_TYPES.form)).status).toBe(200);
      const opened = await h.slack.waitForCall('views.open');
      const view = opened.params.view as { callback_id: string; private_metadata: string };
      const saved = await h.interact(
        naming(
          viewSubmissionPayload(
            h.actor,
            { ...view, id: 'V0INTRUDER' },
            rhythmStateValues(WEEK_AHEAD_EVERY_DAY),
          ),
        ),
      );
      expect(saved.status).toBe(200);
      now = new Date('2026-11-23T09:30:00Z');
      await h.app.scheduler.tick();
      const [prompt] = await h.app.database.db.select().from(occurrences);
      const event = JSON.parse(
        eventBody(INTRUDER, {
          type: 'message',
          channel: CHANNEL,
          user: TEAMMATE,
          text: 'A reply that names another workspace',
          ts: '1795000200.000100',
          thread_ts: prompt?.messageTs,
        }),
      ) as Record<string, unknown>;
      event.enterprise_id = INTRUDER_ORG;
      event.authorizations = [
        {
          enterprise_id: INTRUDER_ORG,
          team_id: INTRUDER,
          user_id: 'U0FAKEBOT',
          is_bot: true,
          is_enterprise_install: false,
        },
      ];
      expect((await sendSigned(h.baseUrl, JSON.stringify(event), CONTENT_TYPES.json)).status).toBe(200);
      await h.app.idle();

      const stored = await h.app.database.db.select().from(rhythms);
      expect(stored.length).toBeGreaterThan(0);
      const replies = await h.app.database.db.select().from(responses);
      expect(replies).toHaveLength(1);
      const rows = Object.values(await snapshotTables(h.app.database.db)).flat();
      expect(rows.filter((row) => row.includes('INTRUDER'))).toEqual([]);
      expect([...stored, ...replies].every((row) => row.teamId === TEAM && !row.enterpriseId)).toBe(true);
    });
  },
);
