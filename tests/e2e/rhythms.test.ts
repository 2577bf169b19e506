import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { occurrences, responses, rhythms, skips } from '../../src/db/schema.js';
import { ACTIONS, CALLBACKS, PROMPT_ANSWER_INPUTS, RHYTHM_INPUTS, rhythmInput } from '../../src/slack/ids.js';
import { PROMPT_EVENT_TYPE } from '../../src/slack/views/prompt.js';
import { DRIVERS } from '../support/databases.js';
import { type RhythmAnswers, rhythmStateValues } from '../support/factories.js';
import type { RecordedCall } from '../support/fake-slack.js';
import { AUTHOR, CHANNEL, TEAM, TEAMMATE, useHarness } from '../support/harness.js';
import { blockSuggestionPayload, buttonPayload, viewSubmissionPayload } from '../support/slack-requests.js';

interface SentView {
  callback_id: string;
  private_metadata: string;
  blocks: Array<{
    block_id?: string;
    type: string;
    text?: { text: string };
    element?: Record<string, unknown>;
  }>;
}

const WEEKLY: RhythmAnswers = {
  timeZone: 'Europe/London',
  workDays: [1, 2, 3, 4, 5],
  pauseUntil: null,
  skipDates: '2026-12-25',
  rhythms: {
    week_ahead: { enabled: true, days: [1], time: '09:30' },
    mid_week: { enabled: true, days: [3], time: '14:00' },
    look_back: { enabled: true, days: [5], time: '15:00' },
    digest: { enabled: true, days: [5], time: '16:00' },
  },
};

/** A person's choice in a prompt's "skip" menu, as Slack sends it. */
function skipChoice(occurrenceId: string | undefined, userId: string, reason: string) {
  return {
    ...buttonPayload(
      { teamId: TEAM, userId, channelId: CHANNEL },
      { action_id: ACTIONS.skipPrompt, value: '' },
      { channelId: CHANNEL },
    ),
    actions: [
      {
        type: 'static_select',
        action_id: ACTIONS.skipPrompt,
        block_id: 'b',
        selected_option: { text: { type: 'plain_text', text: reason }, value: `${occurrenceId}|${reason}` },
        action_ts: '1.1',
      },
    ],
  };
}

describe.each(DRIVERS)('reflection rhythms end to end (%s)', (driver) => {
  let now = new Date('2026-11-21T10:00:00Z'); // a Saturday
  const h = useHarness({ driver, now: () => now });
  let viewCount = 0;

  async function openRhythmModal(channelId = CHANNEL): Promise<SentView & { id: string }> {
    const response = await h.command('/learning', 'rhythm', { channelId });
    expect(response.status).toBe(200);
    const call = await h.slack.waitForCall('views.open');
    viewCount += 1;
    return { ...(call.params.view as SentView), id: `V0RHYTHM${viewCount}` };
  }

  async function saveRhythms(answers: RhythmAnswers, channelId = CHANNEL) {
    const modal = await openRhythmModal(channelId);
    return h.submitView(modal, rhythmStateValues(answers));
  }

  const promptsIn = (channel: string) =>
    h.slack.messagesIn(channel).filter((message) => message.metadata?.event_type === PROMPT_EVENT_TYPE);

  async function occurrenceRows() {
    return h.app.database.db.select().from(occurrences);
  }

  it('posts nothing anywhere until a channel sets a rhythm', async () => {
    now = new Date('2026-11-23T09:30:00Z');
    await h.app.scheduler.tick();
    expect(h.slack.callsTo('chat.postMessage')).toEqual([]);
    expect(await occurrenceRows()).toEqual([]);
    now = new Date('2026-11-21T10:00:00Z');
  });

  it('opens the rhythm modal with the time zone of the person opening it selected, and sensible defaults', async () => {
    // Slack's profile of this person says Kolkata; nothing else in the app says so.
    h.slack.addUser({ id: 'U0PRIYA', name: 'priya', realName: 'Priya Steward', tz: 'Asia/Kolkata' });
    const response = await h.command('/learning', 'rhythm', { userId: 'U0PRIYA' });
    expect(response.status).toBe(200);
    const modal = (await h.slack.waitForCall('views.open')).params.view as SentView;
    expect(modal.callback_id).toBe(CALLBACKS.rhythmSettings);
    const zone = modal.blocks.find((block) => block.block_id === RHYTHM_INPUTS.timeZone.block);
    expect(zone?.element).toMatchObject({
      type: 'external_select',
      initial_option: {
        text: { type: 'plain_text', text: 'Asia/Kolkata (GMT+5:30)' },
        value: 'Asia/Kolkata',
      },
    });
    const time = modal.blocks.find((block) => block.block_id === rhythmInput('mid_week', 'time').block);
    expect(time?.element?.initial_time).toBe('14:00');
    const days = modal.blocks.find((block) => block.block_id === rhythmInput('mid_week', 'days').block);
    expect(days?.element).not.toHaveProperty('initial_options');
  });

  it('finds a time zone from what someone types in its search, over signed HTTP', async () => {
    const modal = await openRhythmModal();
    await h.idle();
    const callsBefore = h.slack.calls.length;
    const menu = { block_id: RHYTHM_INPUTS.timeZone.block, action_id: RHYTHM_INPUTS.timeZone.action };
    const london = await h.interact(blockSuggestionPayload(h.actor, menu, 'london', modal));
    expect(london.status).toBe(200);
    expect(london.json()).toEqual({
      options: [{ text: { type: 'plain_text', text: 'Europe/London (GMT+0)' }, value: 'Europe/London' }],
    });
    const newYork = await h.interact(blockSuggestionPayload(h.actor, menu, 'new york', modal));
    expect(newYork.json()).toEqual({
      options: [
        { text: { type: 'plain_text', text: 'America/New York (GMT-5)' }, value: 'America/New_York' },
      ],
    });
    const nothing = await h.interact(blockSuggestionPayload(h.actor, menu, 'atlantis', modal));
    expect(nothing.json()).toEqual({ options: [] });
    // Searching asks Slack nothing: the answer is worked out while Slack waits for it.
    await h.idle();
    expect(h.slack.calls.slice(callsBefore)).toEqual([]);
  });

  it('refuses bad input field by field, keeping the modal open', async () => {
    const response = await saveRhythms({
      ...WEEKLY,
      timeZone: 'Mars/Olympus_Mons',
      pauseUntil: '2026-11-01',
      skipDates: 'christmas',
      rhythms: { ...WEEKLY.rhythms, mid_week: { enabled: true, days: [6, 7], time: '14:00' } },
    });
    const answer = response.json() as { response_action: string; errors: Record<string, string> };
    expect(answer.response_action).toBe('errors');
    expect(Object.keys(answer.errors).sort()).toEqual(
      [
        RHYTHM_INPUTS.timeZone.block,
        RHYTHM_INPUTS.skipDates.block,
        rhythmInput('mid_week', 'days').block,
      ].sort(),
    );
    // The pause is checked once the zone is known; with a valid zone it is refused too.
    const second = await saveRhythms({ ...WEEKLY, pauseUntil: '2026-11-01' });
    const errors = (second.json() as { errors: Record<string, string> }).errors;
    expect(errors[RHYTHM_INPUTS.pauseUntil.block]).toMatch(/passed/);
    expect(await h.app.database.db.select().from(rhythms)).toEqual([]);
  });

  it('saves, joins the channel, and shows the next three times in the channel’s local time', async () => {
    // A public channel the app has not joined yet: saving joins it, so replies reach the app.
    h.slack.addChannel({ id: CHANNEL, name: 'team', isMember: false });
    const response = await saveRhythms(WEEKLY);
    const answer = response.json() as { response_action: string; view: SentView };
    expect(answer.response_action).toBe('update');
    const shown = answer.view.blocks.map((block) => block.text?.text ?? '').join('\n');
    expect(shown).toContain('Saved for <#C0TEAM>, on Europe/London time.');
    expect(shown).toContain('<!date^1795426200^{date_long_pretty} at {time}|Monday 23 November 2026, 09:30>');
    expect(shown).toContain('<!date^1796031000^{date_long_pretty} at {time}|Monday 30 November 2026, 09:30>');
    expect(shown).toContain('<!date^1796635800^{date_long_pretty} at {time}|Monday 7 December 2026, 09:30>');
    expect(shown).toContain(
      '<!date^1795615200^{date_long_pretty} at {time}|Wednesday 25 November 2026, 14:00>',
    );
    expect(h.slack.callsTo('conversations.join')[0]?.params.channel).toBe(CHANNEL);
    const stored = await h.app.database.db.select().from(rhythms);
    expect(stored).toHaveLength(4);
    expect(stored.find((rhythm) => rhythm.kind === 'week_ahead')?.nextDueAt?.toISOString()).toBe(
      '2026-11-23T09:30:00.000Z',
    );
  });

  let promptMessage: RecordedCall;

  it('posts the week-ahead check-in at 09:30 local, once, with ways to answer', async () => {
    now = new Date('2026-11-23T09:29:59Z');
    await h.app.scheduler.tick();
    expect(promptsIn(CHANNEL)).toHaveLength(0);

    now = new Date('2026-11-23T09:30:00Z');
    await h.app.scheduler.tick();
    await h.app.scheduler.tick();
    expect(promptsIn(CHANNEL)).toHaveLength(1);
    promptMessage = await h.slack.waitForCall('chat.postMessage', (call) => call.params.channel === CHANNEL);
    const rendered = JSON.stringify(promptMessage.params.blocks);
    expect(rendered).toContain('Week-ahead check-in');
    expect(rendered).toContain(ACTIONS.answerPrivately);
    expect(rendered).toContain(ACTIONS.answerAnonymously);
    expect(rendered).toContain('Not safe to say');
    const [row] = await occurrenceRows();
    expect(row).toMatchObject({ status: 'posted', kind: 'week_ahead', attempts: 1 });
    expect(row?.dueAt.toISOString()).toBe('2026-11-23T09:30:00.000Z');
  });

  it('stores a thread reply once, however often Slack delivers it, and follows edits and deletions', async () => {
    const [occurrence] = await occurrenceRows();
    const threadTs = occurrence?.messageTs as string;
    const reply = {
      type: 'message',
      channel: CHANNEL,
      user: TEAMMATE,
      text: 'The funder meeting on Thursday: it tests our question about trust.',
      ts: '1795000000.000200',
      thread_ts: threadTs,
      channel_type: 'channel',
    };
    await h.event(reply, 'Ev0REPLY1');
    await h.slack.waitForCall('chat.postEphemeral', (call) => call.params.user === TEAMMATE);
    await h.event(reply, 'Ev0REPLY1'); // Slack's retry
    await h.event(reply, 'Ev0REPLY2'); // the same message replayed under a new event id
    // Every delivery's work is done before counting, so a late replay cannot add a row after this.
    await h.idle();
    const replies = await h.app.database.db.select().from(responses).where(eq(responses.kind, 'thread'));
    expect(replies).toHaveLength(1);
    const [stored] = await h.app.database.db.select().from(responses).where(eq(responses.kind, 'thread'));
    expect(stored).toMatchObject({ userId: TEAMMATE, text: reply.text, occurrenceId: occurrence?.id });

    await h.event(
      {
        type: 'message',
        subtype: 'message_changed',
        channel: CHANNEL,
        message: { ...reply, text: 'The funder meeting on Friday.' },
        previous_message: reply,
        ts: '1795000000.000300',
      },
      'Ev0EDIT',
    );
    await expect
      .poll(
        async () =>
          (
            await h.app.database.db
              .select()
              .from(responses)
              .where(eq(responses.id, stored?.id ?? ''))
          )[0]?.text,
      )
      .toBe('The funder meeting on Friday.');

    await h.event(
      {
        type: 'message',
        subtype: 'message_deleted',
        channel: CHANNEL,
        deleted_ts: reply.ts,
        ts: '1795000000.000400',
      },
      'Ev0DELETE',
    );
    await expect
      .poll(async () => h.app.database.db.select().from(responses).where(eq(responses.kind, 'thread')))
      .toHaveLength(0);
  });

  it('ignores replies in threads that are not prompts', async () => {
    await h.event(
      {
        type: 'message',
        channel: CHANNEL,
        user: TEAMMATE,
        text: 'unrelated',
        ts: '1795000001.000100',
        thread_ts: '1795000000.999999',
      },
      'Ev0OTHER',
    );
    await h.idle();
    expect(await h.app.database.db.select().from(responses)).toHaveLength(0);
  });

  async function answerInModal(action: string, userId: string, text: string, viewId: string) {
    const [occurrence] = await occurrenceRows();
    await h.interact(
      buttonPayload(
        { teamId: TEAM, userId, channelId: CHANNEL },
        { action_id: action, value: occurrence?.id ?? '' },
        { channelId: CHANNEL, messageTs: occurrence?.messageTs ?? '' },
      ),
    );
    const opened = await h.slack.waitForCall(
      'views.open',
      (call) => (call.params.view as SentView).callback_id === CALLBACKS.promptAnswer,
    );
    const view = opened.params.view as SentView;
    return h.interact(
      viewSubmissionPayload(
        { teamId: TEAM, userId, channelId: CHANNEL },
        { ...view, id: viewId },
        {
          [PROMPT_ANSWER_INPUTS.answer.block]: {
            [PROMPT_ANSWER_INPUTS.answer.action]: { type: 'plain_text_input', value: text },
          },
        },
      ),
    );
  }

  it('stores a private answer with its author, and confirms only to them', async () => {
    const response = await answerInModal(
      ACTIONS.answerPrivately,
      AUTHOR,
      'I am unsure we are ready.',
      'V0PRIVATE',
    );
    expect(response.body).toBe('');
    const confirmation = await h.slack.waitForCall(
      'chat.postEphemeral',
      (call) => call.params.user === AUTHOR,
    );
    expect(confirmation.params.text).toMatch(/privately/);
    const [stored] = await h.app.database.db.select().from(responses).where(eq(responses.kind, 'private'));
    expect(stored).toMatchObject({ userId: AUTHOR, text: 'I am unsure we are ready.' });
  });

  /** What the person was told privately since `from` (an index into the fake's calls): notes only they see, and DMs. */
  function confirmationsTo(userId: string, from: number) {
    return h.slack.calls
      .slice(from)
      .filter(
        (call) =>
          !call.fault &&
          ((call.method === 'chat.postEphemeral' && call.params.user === userId) ||
            (call.method === 'chat.postMessage' && call.params.channel === userId)),
      );
  }

  it('stores and confirms a re-sent private answer once, whether re-sent in turn or all at once', async () => {
    const [occurrence] = await occurrenceRows();
    await h.interact(
      buttonPayload(
        { teamId: TEAM, userId: TEAMMATE, channelId: CHANNEL },
        { action_id: ACTIONS.answerPrivately, value: occurrence?.id ?? '' },
        { channelId: CHANNEL, messageTs: occurrence?.messageTs ?? '' },
      ),
    );
    const opened = await h.slack.waitForCall(
      'views.open',
      (call) => (call.params.view as SentView).callback_id === CALLBACKS.promptAnswer,
    );
    const view = opened.params.view as SentView;
    const resend = (viewId: string, value = 'We rushed the handover.') =>
      h.interact(
        viewSubmissionPayload(
          { teamId: TEAM, userId: TEAMMATE, channelId: CHANNEL },
          { ...view, id: viewId },
          {
            [PROMPT_ANSWER_INPUTS.answer.block]: {
              [PROMPT_ANSWER_INPUTS.answer.action]: { type: 'plain_text_input', value },
            },
          },
        ),
      );
    const from = h.slack.calls.length;
    for (let time = 0; time < 3; time += 1) expect((await resend('V0RESENT')).body).toBe('');
    // A second form from the same person edits their one private answer, sent all at once just the same.
    const edited = 'We rushed the handover, and nobody wrote it down.';
    const answers = await Promise.all([1, 2, 3, 4].map(() => resend('V0DOUBLECLICK', edited)));
    expect(answers.map((answer) => answer.body)).toEqual(['', '', '', '']);
    await h.idle();
    const stored = await h.app.database.db
      .select()
      .from(responses)
      .where(and(eq(responses.kind, 'private'), eq(responses.userId, TEAMMATE)));
    expect(stored.map((row) => [row.sourceKey, row.text])).toEqual([
      [`private:${occurrence?.id}:${TEAMMATE}`, edited],
    ]);
    const confirmations = confirmationsTo(TEAMMATE, from);
    expect(confirmations.map((call) => call.params.text)).toEqual([
      'Saved your answer privately. Thank you.',
      'Updated the answer you gave privately. Thank you.',
    ]);
  });

  it('still confirms an answer when Slack first refuses the note with a 429', async () => {
    h.slack.failNextIn('chat.postEphemeral', CHANNEL, { kind: 'rate_limited', retryAfterSeconds: 1 });
    const from = h.slack.calls.length;
    await answerInModal(ACTIONS.answerPrivately, AUTHOR, 'The rota was never shared.', 'V0LIMITED');
    await h.idle();
    const refused = h.slack.calls.slice(from).filter((call) => call.fault === 'rate_limited');
    expect(refused.map((call) => call.method)).toEqual(['chat.postEphemeral']);
    const confirmations = confirmationsTo(AUTHOR, from);
    expect(confirmations).toHaveLength(1);
    expect(String(confirmations[0]?.params.text)).toMatch(/privately/);
  });

  it('stores an anonymous answer with no user id, no source and only the hour', async () => {
    await answerInModal(ACTIONS.answerAnonymously, TEAMMATE, 'Nobody asked the volunteers.', 'V0ANON');
    await h.slack.waitForCall('chat.postEphemeral', (call) => call.params.user === TEAMMATE);
    const [stored] = await h.app.database.db.select().from(responses).where(eq(responses.kind, 'anonymous'));
    expect(stored?.userId).toBeNull();
    expect(stored?.sourceKey).toBeNull();
    expect(stored?.createdAt.getUTCMinutes()).toBe(0);
    expect(stored?.createdAt.getUTCSeconds()).toBe(0);
    const publicPosts = h.slack
      .callsTo('chat.postMessage')
      .filter((call) => JSON.stringify(call.params).includes('volunteers'));
    expect(publicPosts).toEqual([]);
    const answerLogs = h.logs.lines.filter(
      (line) => line.includes('"answer saved"') && line.includes('"anonymous"'),
    );
    expect(answerLogs).toHaveLength(1);
    expect(answerLogs[0]).not.toContain(TEAMMATE);
  });

  it('refuses an empty modal answer under its field', async () => {
    const response = await answerInModal(ACTIONS.answerPrivately, AUTHOR, '   ', 'V0EMPTY');
    expect(
      (response.json() as { errors: Record<string, string> }).errors[PROMPT_ANSWER_INPUTS.answer.block],
    ).toMatch(/Skip/);
  });

  it('records a skip with its reason, one per person, changeable', async () => {
    const [occurrence] = await occurrenceRows();
    const skip = (reason: string) => h.interact(skipChoice(occurrence?.id, TEAMMATE, reason));
    await skip('not_safe');
    await h.slack.waitForCall('chat.postEphemeral', (call) =>
      String(call.params.text).includes('not safe to say'),
    );
    await skip('no_capacity');
    await h.slack.waitForCall('chat.postEphemeral', (call) =>
      String(call.params.text).includes('no capacity'),
    );
    const rows = await h.app.database.db.select().from(skips);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ reason: 'no_capacity', userId: TEAMMATE });
  });

  it('confirms a re-sent skip once, whether re-sent in turn or all at once', async () => {
    const [occurrence] = await occurrenceRows();
    const skip = (userId: string, reason: string) => h.interact(skipChoice(occurrence?.id, userId, reason));
    const from = h.slack.calls.length;
    for (let time = 0; time < 3; time += 1) await skip(AUTHOR, 'not_safe');
    await Promise.all([1, 2, 3, 4].map(() => skip(AUTHOR, 'not_safe')));
    // The teammate skipped already with this reason: sending it again changes nothing and says nothing.
    await Promise.all([1, 2].map(() => skip(TEAMMATE, 'no_capacity')));
    await h.idle();
    const confirmations = confirmationsTo(AUTHOR, from);
    expect(confirmations).toHaveLength(1);
    expect(String(confirmations[0]?.params.text)).toContain('not safe to say');
    expect(confirmationsTo(TEAMMATE, from)).toEqual([]);
    const rows = await h.app.database.db.select().from(skips);
    expect(rows.map((row) => [row.userId, row.reason]).sort()).toEqual([
      [AUTHOR, 'not_safe'],
      [TEAMMATE, 'no_capacity'],
    ]);
  });

  it('rotates the mid-week prompt and records missed ones instead of posting them late', async () => {
    now = new Date('2026-11-25T14:00:30Z');
    await h.app.scheduler.tick();
    const midWeek = (await occurrenceRows()).find((row) => row.kind === 'mid_week');
    expect(midWeek).toMatchObject({ status: 'posted', promptKey: 'library:noticing-1' });

    // Down from Thursday to Friday evening: the 15:00 look-back is four hours stale by 19:00.
    now = new Date('2026-11-27T19:00:00Z');
    await h.app.scheduler.tick();
    const lookBack = (await occurrenceRows()).find((row) => row.kind === 'look_back');
    expect(lookBack).toMatchObject({ status: 'missed', error: null });
    expect(promptsIn(CHANNEL).filter((message) => message.text.startsWith('Look-back'))).toEqual([]);
    // The 16:00 digest is stale too: recorded as missed, never posted late, and its slot moves on.
    expect((await occurrenceRows()).filter((row) => row.kind === 'digest')).toMatchObject([
      { status: 'missed', dueAt: new Date('2026-11-27T16:00:00Z') },
    ]);
    expect(
      h.slack.messagesIn(CHANNEL).filter((message) => message.text.startsWith('Weekly learning digest')),
    ).toEqual([]);
    const [digest] = await h.app.database.db.select().from(rhythms).where(eq(rhythms.kind, 'digest'));
    expect(digest?.nextDueAt?.toISOString()).toBe('2026-12-04T16:00:00.000Z');
  });

  it('pauses a channel whose posts Slack refuses, and tells the steward once', async () => {
    h.slack.addChannel({ id: CHANNEL, name: 'team', isArchived: true });
    now = new Date('2026-11-30T09:30:00Z');
    await h.app.scheduler.tick();
    const notice = await h.slack.waitForCall('chat.postMessage', (call) => call.params.channel === AUTHOR);
    expect(String(notice.params.text)).toContain('archived');
    const weekAhead = (await occurrenceRows()).filter((row) => row.kind === 'week_ahead');
    expect(weekAhead.at(-1)).toMatchObject({ status: 'failed', error: 'is_archived' });

    now = new Date('2026-12-07T09:30:00Z');
    await h.app.scheduler.tick();
    expect(h.slack.callsTo('chat.postMessage').filter((call) => call.params.channel === AUTHOR)).toHaveLength(
      1,
    );
    const active = await h.app.database.db
      .select()
      .from(rhythms)
      .where(and(eq(rhythms.channelId, CHANNEL)));
    expect(active.every((rhythm) => rhythm.nextDueAt === null)).toBe(true);
  });
});
