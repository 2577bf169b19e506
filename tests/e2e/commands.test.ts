import { describe, expect, it } from 'vitest';
import { beforeActionReviews } from '../../src/db/schema.js';
import { ACTIONS, CALLBACKS } from '../../src/slack/ids.js';
import { DRIVERS } from '../support/databases.js';
import { barAnswers, barStateValues, PINNED_NOW } from '../support/factories.js';
import { AUTHOR, CHANNEL, TEAM, TEAMMATE, useHarness } from '../support/harness.js';
import { createReview, viewOpenedBy } from '../support/loop.js';
import { callsNotWithTokenOf, useInstalledHarness, workspacesInstalledBy } from '../support/oauth.js';

const NOW = new Date('2026-11-21T10:00:00Z');

interface EphemeralAnswer {
  response_type: string;
  text: string;
  blocks: Array<{ text?: { text: string }; accessory?: { value: string } }>;
}

describe.each(DRIVERS)('help, open reviews and the Home tab (%s)', (driver) => {
  let now = NOW;
  const h = useHarness({ driver, now: () => now });

  async function createReview(
    action: string,
    lookBackOn = '2026-11-28',
    viewId = `V0${action.length}${action.charCodeAt(0)}`,
  ) {
    await h.command('/bar', action);
    const opened = await h.slack.waitForCall('views.open', (call) =>
      JSON.stringify(call.params.view).includes(action),
    );
    const view = opened.params.view as { callback_id: string; private_metadata: string };
    await h.submitView({ ...view, id: viewId }, barStateValues(barAnswers({ action, lookBackOn })));
    await h.slack.waitForCall('chat.postMessage', (call) =>
      JSON.stringify(call.params.blocks).includes(action),
    );
  }

  function texts(answer: EphemeralAnswer): string {
    return answer.blocks.map((block) => block.text?.text ?? '').join('\n');
  }

  it('shows the five things most people need with /learning help, and the same with /learning alone', async () => {
    for (const text of ['help', '']) {
      const answer = (await h.command('/learning', text)).json() as EphemeralAnswer;
      expect(answer.response_type).toBe('ephemeral');
      const shown = texts(answer);
      expect(shown.split('\n').filter((line) => line.startsWith('• ')).length).toBeLessThanOrEqual(5);
      expect(shown.length).toBeLessThan(700);
      for (const command of ['/bar', '/aar', '/learning digest', '/learning rhythm']) {
        expect(shown).toContain(command);
      }
      expect(JSON.stringify(answer.blocks)).toContain('"More commands"');
    }
  });

  it('opens every command in a window from “More commands”', async () => {
    await h.clickButton({ action_id: ACTIONS.moreCommands, value: 'all' }, { channelId: CHANNEL });
    const opened = await h.slack.waitForCall('views.open');
    expect(opened.params.trigger_id).toBe('trigger-button');
    const view = opened.params.view as { title: { text: string }; blocks: unknown[] };
    expect(view.title.text).toBe('All commands');
    const listed = JSON.stringify(view.blocks);
    for (const subcommand of [
      'help',
      'rhythm',
      'prompts',
      'questions',
      'stewards',
      'digest',
      'digest post',
      'forget-me',
      'export',
      'delete-channel-data',
    ]) {
      expect(listed).toContain(`\`/learning ${subcommand}`);
    }
  });

  it('answers a mistyped subcommand with the one it most likely meant, in one line', async () => {
    const digest = (await h.command('/learning', 'digset')).json() as EphemeralAnswer;
    expect(digest.response_type).toBe('ephemeral');
    expect(digest.text).toBe('No command “digset”. Did you mean `/learning digest`?');
    expect(texts(digest)).toBe(digest.text);

    const exported = (await h.command('/learning', 'exprot')).json() as EphemeralAnswer;
    expect(texts(exported)).toBe('No command “exprot”. Did you mean `/learning export`?');
    // Only a suggestion: nothing was run for the command it names.
    await h.idle();
    expect(h.slack.callsTo('views.open')).toEqual([]);
    expect(h.slack.callsTo('chat.postMessage')).toEqual([]);
  });

  it('says in one line that an unknown subcommand with nothing near it does not exist, and where help is', async () => {
    const answer = (await h.command('/learning', 'dance <!here>')).json() as EphemeralAnswer;
    expect(answer.response_type).toBe('ephemeral');
    expect(texts(answer)).toBe('No command “dance”. `/learning help` shows what you can do.');
    expect(texts(answer)).not.toContain('/bar');
  });

  it('says so when no review is waiting, and lists open ones newest first with /aar', async () => {
    const empty = (await h.command('/aar', '')).json() as EphemeralAnswer;
    expect(empty.response_type).toBe('ephemeral');
    expect(texts(empty)).toContain('No before-action reviews are waiting');

    await createReview('Pilot the grant panel with residents', '2026-11-24');
    now = new Date(NOW.getTime() + 60_000);
    await createReview('Try fortnightly partner calls', '2026-12-05');
    const listed = (await h.command('/aar', '')).json() as EphemeralAnswer;
    const body = texts(listed);
    expect(body).toContain('(2)');
    expect(body.indexOf('Try fortnightly partner calls')).toBeLessThan(body.indexOf('Pilot the grant panel'));
    expect(body).toContain('Tuesday 24 November 2026');

    const elsewhere = (await h.command('/aar', '', { channelId: 'C0OTHER' })).json() as EphemeralAnswer;
    expect(texts(elsewhere)).toContain('No before-action reviews are waiting');
  });

  it('shows a person the open loops they are part of on the Home tab', async () => {
    await h.event({
      type: 'app_home_opened',
      user: TEAMMATE,
      channel: 'D0HOME',
      tab: 'home',
      event_ts: '1.1',
    });
    const published = await h.slack.waitForCall('views.publish');
    expect(published.params.user_id).toBe(TEAMMATE);
    const home = JSON.stringify(published.params.view);
    expect(home).toContain('Pilot the grant panel with residents');
    expect(home).toContain(ACTIONS.startBar);

    h.slack.reset();
    await h.event({
      type: 'app_home_opened',
      user: 'U0STRANGER',
      channel: 'D0HOME2',
      tab: 'home',
      event_ts: '1.2',
    });
    const strangers = await h.slack.waitForCall('views.publish');
    expect(JSON.stringify(strangers.params.view)).not.toContain('Pilot the grant panel');
    expect(JSON.stringify(strangers.params.view)).toContain('No open loops');
  });

  it('starts a review from the Home tab button', async () => {
    await h.clickButton({ action_id: ACTIONS.startBar, value: '' });
    const opened = await h.slack.waitForCall('views.open');
    expect((opened.params.view as { callback_id: string }).callback_id).toBe(CALLBACKS.barModal);
  });

  it('treats a made-up review id like a missing review', async () => {
    await h.clickButton(
      { action_id: ACTIONS.readReviewInFull, value: "1' or '1'='1" },
      { channelId: CHANNEL },
    );
    const refusal = await h.slack.waitForCall('chat.postEphemeral');
    expect(refusal.params.text).toBe('That review is no longer available.');
  });

  it('tells the person when Slack will not open a form after a click, instead of doing nothing', async () => {
    const [review] = await h.app.database.db.select().from(beforeActionReviews);
    h.slack.failNext('views.open', { kind: 'error', error: 'expired_trigger_id' });
    await h.clickButton(
      { action_id: ACTIONS.readReviewInFull, value: review?.id ?? '' },
      { channelId: CHANNEL },
    );
    const note = await h.slack.waitForCall('chat.postEphemeral');
    expect(note.params.text).toContain('Slack didn’t open that in time');
  });
});

describe.each(DRIVERS)('a review read from two installed workspaces sharing ids (%s)', (driver) => {
  const OTHER_TEAM = 'T0OTHERTEAM';
  const ACTION = 'Pilot the quiet-room rota with the night shift';
  const h = useInstalledHarness(
    { driver, now: () => PINNED_NOW },
    workspacesInstalledBy(AUTHOR, [TEAM, OTHER_TEAM]),
  );

  it('opens a review in full only inside its own workspace', async () => {
    await createReview(h, { action: ACTION });
    const [review] = await h.app.database.db.select().from(beforeActionReviews);
    const reviewId = review?.id ?? '';
    const inFull = await viewOpenedBy(h, CALLBACKS.reviewInFull, () =>
      h.clickButton({ action_id: ACTIONS.readReviewInFull, value: reviewId }, { channelId: CHANNEL }),
    );
    expect(JSON.stringify(inFull.blocks)).toContain(ACTION);
    await h.idle();
    expect(callsNotWithTokenOf(h.slack, TEAM)).toEqual([]);

    // The same person in the same channel, but in the other workspace, naming this workspace's review.
    h.slack.reset();
    await h.clickButton(
      { action_id: ACTIONS.readReviewInFull, value: reviewId },
      { channelId: CHANNEL },
      { teamId: OTHER_TEAM, userId: AUTHOR },
    );
    const refusal = await h.slack.waitForCall('chat.postEphemeral');
    await h.idle();
    expect(refusal.params.text).toBe('That review is no longer available.');
    expect(h.slack.callsTo('views.open')).toEqual([]);
    expect(callsNotWithTokenOf(h.slack, OTHER_TEAM)).toEqual([]);
    expect(JSON.stringify(h.slack.calls.map((call) => call.params))).not.toContain(ACTION);
  });
});
