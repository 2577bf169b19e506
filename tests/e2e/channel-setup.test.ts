import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { customPrompts, occurrences, rhythms } from '../../src/db/schema.js';
import { ACTIONS, CALLBACKS, PROMPT_INPUTS, RHYTHM_INPUTS } from '../../src/slack/ids.js';
import { PROMPT_EVENT_TYPE } from '../../src/slack/views/prompt.js';
import { DRIVERS } from '../support/databases.js';
import { type RhythmAnswers, rhythmStateValues } from '../support/factories.js';
import { CHANNEL, useHarness } from '../support/harness.js';

interface SentView {
  callback_id: string;
  private_metadata: string;
  blocks: Array<{
    block_id?: string;
    text?: { text: string };
    element?: { type?: string; options?: Array<{ value: string }>; initial_option?: unknown };
  }>;
}

const MID_WEEK_ONLY: RhythmAnswers = {
  timeZone: 'Europe/London',
  workDays: [1, 2, 3, 4, 5],
  pauseUntil: null,
  skipDates: '',
  rhythms: { mid_week: { enabled: true, days: [3], time: '14:00' } },
};

describe.each(DRIVERS)('setting up a channel (%s)', (driver) => {
  let now = new Date('2026-11-21T10:00:00Z');
  const h = useHarness({ driver, now: () => now });
  let views = 0;

  async function openView(command: string, text: string): Promise<SentView & { id: string }> {
    await h.command(command, text);
    const call = await h.slack.waitForCall('views.open');
    views += 1;
    return { ...(call.params.view as SentView), id: `V0SETUP${views}` };
  }

  it('welcomes a channel once, when the app itself joins, with a button to set up a rhythm', async () => {
    const joined = {
      type: 'member_joined_channel',
      user: h.slack.botUserId,
      channel: CHANNEL,
      channel_type: 'C',
      team: 'T0FAKETEAM',
    };
    await h.event(joined, 'Ev0JOIN1');
    const welcome = await h.slack.waitForCall('chat.postMessage', (call) => call.params.channel === CHANNEL);
    expect(String(welcome.params.text)).toContain(
      'Nothing is posted in this channel until someone sets up a rhythm',
    );
    expect(JSON.stringify(welcome.params.blocks)).toContain(ACTIONS.setUpRhythm);

    await h.event({ ...joined }, 'Ev0JOIN2'); // removed and added again later
    await h.event({ ...joined, user: 'U0SOMEONE' }, 'Ev0JOIN3');
    await h.idle();
    expect(h.slack.callsTo('chat.postMessage')).toHaveLength(1);

    await h.clickButton({ action_id: ACTIONS.setUpRhythm, value: CHANNEL }, { channelId: CHANNEL });
    const opened = await h.slack.waitForCall('views.open');
    expect((opened.params.view as SentView).callback_id).toBe(CALLBACKS.rhythmSettings);
  });

  it('does not welcome a channel it joined because someone just set a rhythm there', async () => {
    h.slack.addChannel({ id: 'C0FRESH', name: 'fresh', isMember: false });
    await h.command('/learning', 'rhythm', { channelId: 'C0FRESH' });
    const call = await h.slack.waitForCall('views.open');
    await h.submitView(
      { ...(call.params.view as SentView), id: 'V0FRESH' },
      rhythmStateValues(MID_WEEK_ONLY),
    );
    await h.slack.waitForCall('conversations.join');
    await h.event(
      { type: 'member_joined_channel', user: h.slack.botUserId, channel: 'C0FRESH', channel_type: 'C' },
      'Ev0FRESHJOIN',
    );
    await h.idle();
    expect(h.slack.callsTo('chat.postMessage')).toEqual([]);
    await h.app.database.db.delete(rhythms).where(eq(rhythms.channelId, 'C0FRESH'));
  });

  it('asks for /learning rhythm to be run in a channel, not a direct message', async () => {
    const response = await h.command('/learning', 'rhythm', { channelId: 'D0DIRECT' });
    expect((response.json() as { text: string }).text).toMatch(/team channel/);
    expect(h.slack.callsTo('views.open')).toEqual([]);
  });

  it('refuses to set rhythms in a private channel the app has not been invited to (C ids included)', async () => {
    h.slack.addChannel({ id: 'C0PRIVATE', name: 'private', isPrivate: true, isMember: false });
    await h.command('/learning', 'rhythm', { channelId: 'C0PRIVATE' });
    const call = await h.slack.waitForCall('views.open');
    const modal = call.params.view as SentView;
    const response = await h.submitView({ ...modal, id: 'V0PRIVATE' }, rhythmStateValues(MID_WEEK_ONLY));
    const errors = (response.json() as { errors: Record<string, string> }).errors;
    expect(Object.values(errors).join(' ')).toMatch(/\/invite @Learning Thread/);
    expect(await h.app.database.db.select().from(rhythms).where(eq(rhythms.channelId, 'C0PRIVATE'))).toEqual(
      [],
    );
  });

  it('adds and retires the channel’s own prompts, and rotates them in without repeats', async () => {
    const first = await openView('/learning', 'prompts');
    expect(first.callback_id).toBe(CALLBACKS.channelPrompts);
    await h.submitView(first, {
      [PROMPT_INPUTS.add.block]: {
        [PROMPT_INPUTS.add.action]: {
          type: 'plain_text_input',
          value:
            'What did a partner tell us that we had not expected?\n\n  Who was missing from this week’s decisions?  ',
        },
      },
    });
    await expect.poll(async () => (await h.app.database.db.select().from(customPrompts)).length).toBe(2);

    h.slack.reset();
    const second = await openView('/learning', 'prompts');
    const retire = second.blocks.find((block) => block.block_id === PROMPT_INPUTS.retire.block);
    const options = retire?.element?.options ?? [];
    expect(options).toHaveLength(2);
    await h.submitView(second, {
      [PROMPT_INPUTS.retire.block]: {
        [PROMPT_INPUTS.retire.action]: { type: 'multi_static_select', selected_options: [options[1]] },
      },
    });
    await expect
      .poll(
        async () =>
          (await h.app.database.db.select().from(customPrompts)).filter((row) => row.retiredAt).length,
      )
      .toBe(1);
  });

  it('refuses a prompt longer than people can answer in a sentence', async () => {
    const modal = await openView('/learning', 'prompts');
    const response = await h.submitView(modal, {
      [PROMPT_INPUTS.add.block]: {
        [PROMPT_INPUTS.add.action]: { type: 'plain_text_input', value: 'Why '.repeat(100) },
      },
    });
    expect((response.json() as { errors: Record<string, string> }).errors[PROMPT_INPUTS.add.block]).toMatch(
      /300/,
    );
  });

  it('moves future occurrences when the channel’s time zone changes', async () => {
    await h.submitView(await openView('/learning', 'rhythm'), rhythmStateValues(MID_WEEK_ONLY));
    const [london] = await h.app.database.db.select().from(rhythms).where(eq(rhythms.kind, 'mid_week'));
    expect(london?.nextDueAt?.toISOString()).toBe('2026-11-25T14:00:00.000Z');

    h.slack.reset();
    await h.submitView(
      await openView('/learning', 'rhythm'),
      rhythmStateValues({ ...MID_WEEK_ONLY, timeZone: 'America/New_York' }),
    );
    const [newYork] = await h.app.database.db.select().from(rhythms).where(eq(rhythms.kind, 'mid_week'));
    expect(newYork?.nextDueAt?.toISOString()).toBe('2026-11-25T19:00:00.000Z');

    // Reopened by someone whose own zone is London, the form starts from the channel's saved zone.
    h.slack.reset();
    const reopened = await openView('/learning', 'rhythm');
    const zone = reopened.blocks.find((block) => block.block_id === RHYTHM_INPUTS.timeZone.block);
    expect(zone?.element).toMatchObject({
      type: 'external_select',
      initial_option: { text: { text: 'America/New York (GMT-5)' }, value: 'America/New_York' },
    });

    // 14:00 London passes without a post; 14:00 New York brings one.
    now = new Date('2026-11-25T14:00:00Z');
    await h.app.scheduler.tick();
    expect(
      h.slack.messagesIn(CHANNEL).filter((message) => message.metadata?.event_type === PROMPT_EVENT_TYPE),
    ).toEqual([]);
    now = new Date('2026-11-25T19:00:00Z');
    await h.app.scheduler.tick();
    const promptMessages = h.slack
      .messagesIn(CHANNEL)
      .filter((message) => message.metadata?.event_type === PROMPT_EVENT_TYPE);
    expect(promptMessages).toHaveLength(1);
    // A channel's first mid-week reflection opens the library; its own prompts join the rotation later.
    const [occurrence] = await h.app.database.db
      .select()
      .from(occurrences)
      .where(eq(occurrences.kind, 'mid_week'));
    expect(occurrence?.promptKey).toBe('library:noticing-1');
  });

  it('records a post Slack refuses for good as failed, and posts the next occurrence as usual', async () => {
    h.slack.failNext('chat.postMessage', { kind: 'error', error: 'invalid_auth' });
    now = new Date('2026-12-02T19:00:00Z');
    await h.app.scheduler.tick();
    const [failed] = await h.app.database.db
      .select()
      .from(occurrences)
      .where(eq(occurrences.status, 'failed'));
    expect(failed?.error).toBe('invalid_auth');
    now = new Date('2026-12-09T19:00:00Z');
    await h.app.scheduler.tick();
    const posted = await h.app.database.db
      .select()
      .from(occurrences)
      .where(and(eq(occurrences.status, 'posted'), eq(occurrences.kind, 'mid_week')));
    expect(posted).toHaveLength(2);
  });

  it('pauses a channel’s rhythms when the app is removed from it, since public posts would still go through', async () => {
    h.slack.addChannel({ id: CHANNEL, name: 'team', isMember: false });
    await h.event(
      { type: 'channel_left', channel: CHANNEL, actor_id: 'U0SOMEONE', event_ts: '1.1' },
      'Ev0LEFT',
    );
    await expect
      .poll(async () =>
        (await h.app.database.db.select().from(rhythms).where(eq(rhythms.channelId, CHANNEL))).every(
          (row) => row.nextDueAt === null,
        ),
      )
      .toBe(true);
    now = new Date('2026-12-16T19:00:00Z');
    h.slack.reset();
    await h.app.scheduler.tick();
    expect(h.slack.callsTo('chat.postMessage')).toEqual([]);
  });
});
