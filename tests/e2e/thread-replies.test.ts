import { WebClient } from '@slack/web-api';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { channelSettings, occurrences, responses, rhythms } from '../../src/db/schema.js';
import { DRIVERS } from '../support/databases.js';
import { rhythmStateValues, WEEK_AHEAD_EVERY_DAY } from '../support/factories.js';
import { AUTHOR, BOT_TOKEN, CHANNEL, type Harness, TEAM, TEAMMATE, useHarness } from '../support/harness.js';
import { botTokenOf, useInstalledHarness, workspacesInstalledBy } from '../support/oauth.js';
import { type Actor, CONTENT_TYPES, eventBody, sendSigned } from '../support/slack-requests.js';

const MONDAY = new Date('2026-11-23T09:00:00Z');
const PROMPT_TIME = new Date('2026-11-23T09:30:00Z');
/** What a person reads the first time they reply in a channel, and never again there. */
const FIRST_REPLY_NOTE =
  'Saved your reply as a reflection. From now on, your replies in this channel get a :memo: when they are saved, and no note like this.';
const SAVED = (botUserId: string) => [{ name: 'memo', users: [botUserId], count: 1 }];

/** Sets the channel's week-ahead check-in for every day of the week. */
async function setRhythm(h: Harness, actor: Actor, viewId: string) {
  const earlier = h.slack.callsTo('views.open').length;
  await h.command('/learning', 'rhythm', actor);
  const opened = await h.slack.waitForCall(
    'views.open',
    (call) => h.slack.callsTo('views.open').indexOf(call) >= earlier,
  );
  const view = opened.params.view as { callback_id: string; private_metadata: string };
  await h.submitView({ ...view, id: viewId }, rhythmStateValues(WEEK_AHEAD_EVERY_DAY), actor);
}

/** The ts of the week-ahead check-in the scheduler posted for a workspace: the thread people reply in. */
async function promptOf(h: Harness, teamId: string): Promise<string> {
  const [prompt] = await h.app.database.db
    .select()
    .from(occurrences)
    .where(and(eq(occurrences.teamId, teamId), eq(occurrences.kind, 'week_ahead')));
  expect(prompt?.messageTs).toBeTruthy();
  return prompt?.messageTs as string;
}

/** A person's reply as Slack has it (so it can take a reaction), and the event Slack sends for it. */
async function reply(
  h: Harness,
  at: { teamId?: string; userId: string; threadTs: string; text: string; eventIds: string[] },
): Promise<string> {
  const ts = h.slack.addMessage({ channel: CHANNEL, user: at.userId, threadTs: at.threadTs, text: at.text });
  const event = {
    type: 'message',
    channel: CHANNEL,
    user: at.userId,
    text: at.text,
    ts,
    thread_ts: at.threadTs,
  };
  // Slack's retries of one event, or the same message under another id, arrive together.
  const sent = await Promise.all(
    at.eventIds.map((id) =>
      sendSigned(h.baseUrl, eventBody(at.teamId ?? TEAM, event, id), CONTENT_TYPES.json),
    ),
  );
  expect(sent.map((answer) => answer.status)).toEqual(at.eventIds.map(() => 200));
  await h.idle();
  return ts;
}

const notesTo = (h: Harness, userId: string) =>
  h.slack
    .callsTo('chat.postEphemeral')
    .filter((call) => call.params.user === userId)
    .map((call) => call.params.text);

describe.each(DRIVERS)('replies in a prompt’s thread (%s)', (driver) => {
  let now = MONDAY;
  const h = useHarness({ driver, now: () => now });
  let threadTs: string;

  it('marks a first reply with :memo: and says once, quietly, what the mark means', async () => {
    await setRhythm(h, h.actor, 'V0THREADREPLIES');
    now = PROMPT_TIME;
    await h.app.scheduler.tick();
    threadTs = await promptOf(h, TEAM);
    h.slack.reset();
    const ts = await reply(h, {
      userId: TEAMMATE,
      threadTs,
      text: 'The partner call moved, so we planned around it.',
      eventIds: ['Ev0FIRST'],
    });
    expect(h.slack.reactionsOn(CHANNEL, ts)).toEqual(SAVED(h.slack.botUserId));
    expect(notesTo(h, TEAMMATE)).toEqual([FIRST_REPLY_NOTE]);
    const [note] = h.slack.callsTo('chat.postEphemeral');
    expect(note?.params).toMatchObject({ channel: CHANNEL, thread_ts: threadTs });
  });

  it('marks the second reply with :memo: only, with no note', async () => {
    const ts = await reply(h, {
      userId: TEAMMATE,
      threadTs,
      text: 'And the venue was double-booked again.',
      eventIds: ['Ev0SECOND'],
    });
    expect(h.slack.reactionsOn(CHANNEL, ts)).toEqual(SAVED(h.slack.botUserId));
    expect(h.slack.callsTo('reactions.add')).toHaveLength(1);
    expect(h.slack.callsTo('chat.postEphemeral')).toEqual([]);
  });

  it('adds one reaction for an event Slack sends again, or for the same message under another event id', async () => {
    const ts = await reply(h, {
      userId: AUTHOR,
      threadTs,
      text: 'We kept the Monday slot, which helped.',
      eventIds: ['Ev0RETRIED', 'Ev0RETRIED', 'Ev0RETRIED', 'Ev0SAMEMESSAGE'],
    });
    expect(h.slack.reactionsOn(CHANNEL, ts)).toEqual(SAVED(h.slack.botUserId));
    expect(reactionCallsFor(ts)).toHaveLength(1);
    // The author's first reply here: one note, however often the event came.
    expect(notesTo(h, AUTHOR)).toEqual([FIRST_REPLY_NOTE]);
    const stored = await h.app.database.db
      .select()
      .from(responses)
      .where(eq(responses.sourceKey, `message:${ts}`));
    expect(stored).toHaveLength(1);
  });

  it('says it once to a person whose first two replies arrive at the same moment', async () => {
    const NEWCOMER = 'U0NEWCOMER';
    h.slack.addUser({ id: NEWCOMER, name: 'nia' });
    const texts = ['Two things went well this week.', 'And one did not.'];
    const sent = texts.map((text) => ({
      text,
      ts: h.slack.addMessage({ channel: CHANNEL, user: NEWCOMER, threadTs, text }),
    }));
    await Promise.all(
      sent.map(({ text, ts }, index) =>
        h.event(
          { type: 'message', channel: CHANNEL, user: NEWCOMER, text, ts, thread_ts: threadTs },
          `Ev0TOGETHER${index}`,
        ),
      ),
    );
    await h.idle();
    for (const { ts } of sent) expect(h.slack.reactionsOn(CHANNEL, ts)).toEqual(SAVED(h.slack.botUserId));
    expect(notesTo(h, NEWCOMER)).toEqual([FIRST_REPLY_NOTE]);
  });

  it('keeps the one reaction when a reply is edited, and stores the new words', async () => {
    const [first] = h.slack
      .messagesIn(CHANNEL)
      .filter((message) => message.user === TEAMMATE && message.thread_ts === threadTs);
    const ts = first?.ts as string;
    await h.event(
      {
        type: 'message',
        subtype: 'message_changed',
        channel: CHANNEL,
        message: {
          type: 'message',
          user: TEAMMATE,
          text: 'The partner call moved twice.',
          ts,
          thread_ts: threadTs,
        },
        previous_message: { type: 'message', user: TEAMMATE, text: 'The partner call moved', ts },
        ts: '1795000300.000100',
      },
      'Ev0EDITED',
    );
    await h.idle();
    expect(h.slack.callsTo('reactions.add')).toEqual([]);
    expect(h.slack.callsTo('chat.postEphemeral')).toEqual([]);
    expect(h.slack.reactionsOn(CHANNEL, ts)).toEqual(SAVED(h.slack.botUserId));
    const [stored] = await h.app.database.db
      .select()
      .from(responses)
      .where(eq(responses.sourceKey, `message:${ts}`));
    expect(stored?.text).toBe('The partner call moved twice.');
  });

  it('counts a reaction already on the reply as done: Slack’s already_reacted', async () => {
    const text = 'A reply whose reaction landed on an earlier try, its answer lost.';
    const ts = h.slack.addMessage({ channel: CHANNEL, user: TEAMMATE, threadTs, text });
    await new WebClient(BOT_TOKEN, { slackApiUrl: h.slack.url }).reactions.add({
      channel: CHANNEL,
      timestamp: ts,
      name: 'memo',
    });
    await h.event(
      { type: 'message', channel: CHANNEL, user: TEAMMATE, text, ts, thread_ts: threadTs },
      'Ev0ALREADY',
    );
    await h.idle();
    // The earlier try's call, and the app's, which Slack answered with already_reacted.
    expect(reactionCallsFor(ts)).toHaveLength(2);
    expect(h.logs.text).toMatch(/"kind":"reply_reaction".*"delivery found already done"/);
    expect(h.slack.reactionsOn(CHANNEL, ts)).toEqual(SAVED(h.slack.botUserId));
    const [effect] = await effectFor(ts);
    expect(effect).toMatchObject({ status: 'posted', messageTs: ts, error: null });
    await tickLater();
    expect(reactionCallsFor(ts)).toHaveLength(2);
  });

  it('withdraws the reaction of a reply deleted before it: Slack’s message_not_found, tried once', async () => {
    // Slack has no such message any more: its author deleted it at once.
    const ts = '1795000400.000100';
    await h.event(
      {
        type: 'message',
        channel: CHANNEL,
        user: TEAMMATE,
        text: 'Posted and deleted.',
        ts,
        thread_ts: threadTs,
      },
      'Ev0DELETED',
    );
    await h.idle();
    const [effect] = await effectFor(ts);
    expect(effect).toMatchObject({ status: 'cancelled', withdrawnReason: 'message_gone' });
    await tickLater();
    expect(reactionCallsFor(ts)).toHaveLength(1);
  });

  it('settles a reaction the channel refuses (channel_not_found) without pausing the channel or telling its steward', async () => {
    h.slack.failNext('reactions.add', { kind: 'error', error: 'channel_not_found' });
    const ts = await reply(h, {
      userId: TEAMMATE,
      threadTs,
      text: 'A reply in a channel Slack no longer finds.',
      eventIds: ['Ev0CHANNELGONE'],
    });
    const [effect] = await effectFor(ts);
    expect(effect).toMatchObject({ status: 'failed', error: 'channel_not_found', givenUp: false });
    await tickLater();
    expect(reactionCallsFor(ts)).toHaveLength(1);
    // The reply is kept, the channel's rhythms go on, and nobody is sent a direct message about it.
    expect(
      await h.app.database.db
        .select()
        .from(responses)
        .where(eq(responses.sourceKey, `message:${ts}`)),
    ).toHaveLength(1);
    const [settings] = await h.app.database.db.select().from(channelSettings);
    expect(settings?.pausedReason).toBeNull();
    const [weekAhead] = await h.app.database.db.select().from(rhythms).where(eq(rhythms.kind, 'week_ahead'));
    expect(weekAhead?.nextDueAt).toEqual(new Date('2026-11-24T09:30:00Z'));
    expect(
      h.slack.callsTo('chat.postMessage').filter((call) => String(call.params.channel).startsWith('U')),
    ).toEqual([]);
  });

  function reactionCallsFor(ts: string) {
    return h.slack.callsTo('reactions.add').filter((call) => call.params.timestamp === ts);
  }

  function effectFor(ts: string) {
    return h.app.database.db
      .select()
      .from(occurrences)
      .where(
        and(
          eq(occurrences.kind, 'reply_reaction'),
          eq(occurrences.effectKey, `reply_reaction:${CHANNEL}:${ts}`),
        ),
      );
  }

  /** A tick well past any retry delay: whatever is left to deliver would be tried again now. */
  async function tickLater() {
    now = new Date(now.getTime() + 10 * 60_000);
    await h.app.scheduler.tick();
    await h.idle();
  }
});

describe.each(DRIVERS)('a first reply, remembered per workspace (%s)', (driver) => {
  const OTHER_TEAM = 'T0OTHERREPLIES';
  let now = MONDAY;
  const h = useInstalledHarness(
    { driver, now: () => now },
    workspacesInstalledBy(AUTHOR, [TEAM, OTHER_TEAM]),
  );

  it('says what the mark means to a person replying first in a workspace whose ids another shares', async () => {
    const ours = { teamId: TEAM, userId: AUTHOR, channelId: CHANNEL };
    const theirs = { teamId: OTHER_TEAM, userId: AUTHOR, channelId: CHANNEL };
    await setRhythm(h, ours, 'V0OURREPLIES');
    await setRhythm(h, theirs, 'V0THEIRREPLIES');
    now = PROMPT_TIME;
    await h.app.scheduler.tick();
    const ourPrompt = await promptOf(h, TEAM);
    const theirPrompt = await promptOf(h, OTHER_TEAM);
    h.slack.reset();

    await reply(h, { userId: TEAMMATE, threadTs: ourPrompt, text: 'Ours, first.', eventIds: ['Ev0OURS1'] });
    await reply(h, { userId: TEAMMATE, threadTs: ourPrompt, text: 'Ours, second.', eventIds: ['Ev0OURS2'] });
    // The same person's id and the same channel's id, in another workspace: a first reply there.
    await reply(h, {
      teamId: OTHER_TEAM,
      userId: TEAMMATE,
      threadTs: theirPrompt,
      text: 'Theirs, first.',
      eventIds: ['Ev0THEIRS1'],
    });
    const notes = h.slack.callsTo('chat.postEphemeral').filter((call) => call.params.user === TEAMMATE);
    expect(notes.map((call) => call.params.text)).toEqual([FIRST_REPLY_NOTE, FIRST_REPLY_NOTE]);
    expect(notes.map((call) => botTokenOf(TEAM).test(call.token ?? ''))).toEqual([true, false]);
    expect(botTokenOf(OTHER_TEAM).test(notes[1]?.token ?? '')).toBe(true);
    const reactions = h.slack.callsTo('reactions.add');
    expect(reactions.map((call) => botTokenOf(TEAM).test(call.token ?? ''))).toEqual([true, true, false]);
  });
});
