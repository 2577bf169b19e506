import { describe, expect, it } from 'vitest';
import {
  afterActionReviews,
  beforeActionReviews,
  learningQuestions,
  occurrences,
  perspectives,
  responses,
  rhythms,
} from '../../src/db/schema.js';
import { ACTIONS } from '../../src/slack/ids.js';
import { DRIVERS } from '../support/databases.js';
import { snapshotTables } from '../support/db-snapshot.js';
import { PINNED_NOW, rhythmStateValues, WEEK_AHEAD_EVERY_DAY } from '../support/factories.js';
import { AUTHOR, CHANNEL, TEAM, TEAMMATE, useHarness } from '../support/harness.js';
import { addPerspective, createReview, openAar, overflowPayload, submitAar } from '../support/loop.js';
import {
  buttonPayload,
  CONTENT_TYPES,
  eventBody,
  sendSigned,
  slashCommandBody,
  viewSubmissionPayload,
} from '../support/slack-requests.js';

// A second workspace whose channel and people happen to have the same ids as the first's.
const OTHER_TEAM = 'T0OTHERWS';
const SECRET = 'Zephyr plan nobody outside may read';

describe.each(DRIVERS)('two workspaces in one database (%s)', (driver) => {
  const h = useHarness({ driver, now: () => PINNED_NOW });
  const ours = { teamId: TEAM, userId: AUTHOR, channelId: CHANNEL };
  const theirs = { teamId: OTHER_TEAM, userId: AUTHOR, channelId: CHANNEL };

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
    const [aar] = await h.app.database.db.select().from(afterActionReviews);
    const snapshot = async () =>
      JSON.stringify({
        reviews: await h.app.database.db.select().from(beforeActionReviews),
        aars: await h.app.database.db.select().from(afterActionReviews),
        perspectives: await h.app.database.db.select().from(perspectives),
        responses: await h.app.database.db.select().from(responses),
        questions: await h.app.database.db.select().from(learningQuestions),
      });
    const before = await snapshot();
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
    await addPerspective(h, theirs, `after:${aar?.id}`, { whyDifferent: 'Injected from elsewhere' }).catch(
      () => undefined,
    );
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

    // Every call the app made for the other workspace (the Web API client names the workspace in each).
    const forThem = h.slack.calls.filter((call) => call.params.team_id === OTHER_TEAM);
    expect(forThem.length).toBeGreaterThan(5);
    expect(h.slack.calls.filter((call) => call.params.team_id === TEAM)).toEqual([]);
    const seen = JSON.stringify([answers.map((answer) => answer.body), forThem.map((call) => call.params)]);
    expect(seen).not.toContain(SECRET);
    expect(seen).not.toContain(reviewId);
    expect(seen).not.toContain(aar?.id);
    expect(await snapshot()).toBe(before);
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
