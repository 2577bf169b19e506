import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { occurrences, responses } from '../../src/db/schema.js';
import { ACTIONS, CALLBACKS, PROMPT_ANSWER_INPUTS } from '../../src/slack/ids.js';
import { DRIVERS } from '../support/databases.js';
import { type RhythmAnswers, rhythmStateValues } from '../support/factories.js';
import type { StoredMessage } from '../support/fake-slack.js';
import { AUTHOR, TEAMMATE, useHarness } from '../support/harness.js';
import { viewOpenedBy } from '../support/loop.js';
import { scenarioWeek } from '../support/scenario-week.js';

/** Asked for by hand: the digest is previewed here mid-morning, after a look-back prompt at 10:00. */
const HANDS = 'C0HANDS';
/** The same prompt, and the channel's digest at 10:40: someone previews it minutes after it is posted. */
const SLOT = 'C0SLOT';
/** Set up, and nothing since. */
const QUIET = 'C0QUIET';

const CARLA = 'U0CARLA';
const DEV = 'U0DEV';

const rhythms = (digestTime: string, lookBack: boolean): RhythmAnswers => ({
  timeZone: 'Europe/London',
  workDays: [1, 2, 3, 4, 5],
  pauseUntil: null,
  skipDates: '',
  rhythms: {
    week_ahead: { enabled: false, days: [1], time: '09:30' },
    mid_week: { enabled: false, days: [3], time: '14:00' },
    look_back: { enabled: lookBack, days: [5], time: '10:00' },
    digest: { enabled: true, days: [5], time: digestTime },
  },
});

interface Block {
  type: string;
  text?: { text: string };
  elements?: Array<{ text?: string }>;
}

/** A view or message as a person reads it: each block's words, one block a paragraph. */
function readable(blocks: readonly Block[]): string {
  return blocks
    .map((block) =>
      block.type === 'divider'
        ? '———'
        : block.type === 'context'
          ? (block.elements ?? []).map((element) => element.text ?? '').join('\n')
          : (block.text?.text ?? ''),
    )
    .join('\n\n');
}

/** The line of a digest that counts answers and people. */
const answersLine = (text: string) => text.split('\n').find((line) => /^\*\d+ answers?\*/.test(line));

const unix = (at: Date) => Math.floor(at.getTime() / 1000);

// Friday 4 December 2026: London keeps GMT, so the clock on the wall is UTC's.
const week = scenarioWeek(new Date('2026-12-04T16:00:00Z'));
const friday = (time: string, seconds = 0) =>
  new Date(new Date(`2026-12-04T${time}:00Z`).getTime() + seconds * 1000);
const SEVEN_DAYS_MS = 7 * 86_400_000;

describe.each(DRIVERS)('a digest asked for by hand covers up to the moment it is asked (%s)', (driver) => {
  let now = week.saturday;
  const h = useHarness({ driver, now: () => now });

  const promptIn = async (channelId: string) => {
    const [prompt] = await h.app.database.db
      .select()
      .from(occurrences)
      .where(and(eq(occurrences.channelId, channelId), eq(occurrences.kind, 'look_back')));
    expect(prompt?.status).toBe('posted');
    return { id: prompt?.id as string, ts: prompt?.messageTs as string };
  };

  /** A reply typed in the prompt's thread at the clock's minute: Slack holds the message, then sends its event. */
  const replyInThread = async (channelId: string, user: string, text: string) => {
    const prompt = await promptIn(channelId);
    const ts = h.slack.addMessage({ channel: channelId, user, text, threadTs: prompt.ts });
    const response = await h.event(
      { type: 'message', channel: channelId, channel_type: 'channel', user, text, ts, thread_ts: prompt.ts },
      `Ev${ts.replace('.', '')}`,
    );
    expect(response.status).toBe(200);
    // Slack's event is acknowledged before it is handled: the answer is stamped when it is, so the clock
    // waits for it.
    await h.idle();
  };

  /** An answer given in the prompt's form, privately or anonymously. */
  const answerInForm = async (
    channelId: string,
    userId: string,
    how: 'answerPrivately' | 'answerAnonymously',
    text: string,
  ) => {
    const prompt = await promptIn(channelId);
    const form = await viewOpenedBy(h, CALLBACKS.promptAnswer, () =>
      h.clickButton(
        { action_id: ACTIONS[how], value: prompt.id },
        { channelId, messageTs: prompt.ts },
        { userId, channelId },
      ),
    );
    const saved = await h.submitView(
      form,
      {
        [PROMPT_ANSWER_INPUTS.answer.block]: {
          [PROMPT_ANSWER_INPUTS.answer.action]: { type: 'plain_text_input', value: text },
        },
      },
      { userId, channelId },
    );
    expect(saved.status).toBe(200);
  };

  const preview = async (channelId: string) => {
    const response = await h.command('/learning', 'digest', { channelId });
    expect(response.status).toBe(200);
    const updated = await h.slack.waitForCall('views.update');
    return readable((updated.params.view as { blocks: Block[] }).blocks);
  };

  const answersIn = async (channelId: string) =>
    (await h.app.database.db.select().from(responses)).filter((row) => row.channelId === channelId);

  it('sets up three channels on the Saturday before', async () => {
    for (const id of [CARLA, DEV]) h.slack.addUser({ id, name: id, realName: id, tz: 'Europe/London' });
    const members = [AUTHOR, TEAMMATE, CARLA, DEV];
    h.slack.addChannel({ id: HANDS, name: 'hands', isMember: true, members });
    h.slack.addChannel({ id: SLOT, name: 'slot', isMember: true, members });
    h.slack.addChannel({ id: QUIET, name: 'quiet', isMember: true, members });
    for (const [channelId, answers] of [
      [HANDS, rhythms('16:00', true)],
      [SLOT, rhythms('10:40', true)],
      [QUIET, rhythms('16:00', false)],
    ] as const) {
      const modal = await viewOpenedBy(h, CALLBACKS.rhythmSettings, () =>
        h.command('/learning', 'rhythm', { channelId }),
      );
      const saved = await h.submitView(modal, rhythmStateValues(answers), { channelId });
      expect((saved.json() as { response_action: string }).response_action).toBe('update');
    }
  });

  it('takes answers on Friday morning, named ones to the minute and an anonymous one to its hour', async () => {
    now = friday('10:00', 30);
    await h.app.scheduler.tick();
    await promptIn(HANDS);
    await promptIn(SLOT);

    now = friday('10:05');
    await replyInThread(SLOT, AUTHOR, 'The venue booking for the winter fair came through at last.');
    now = friday('10:12');
    await answerInForm(
      SLOT,
      DEV,
      'answerPrivately',
      'I am unsure the new rota suits the weekend volunteers.',
    );
    now = friday('10:20');
    await replyInThread(
      HANDS,
      AUTHOR,
      'The school pick-up ran late twice because the minibus was double-booked.',
    );
    now = friday('10:25');
    await replyInThread(SLOT, TEAMMATE, 'Families liked the earlier opening time on Saturday.');
    now = friday('10:30');
    await answerInForm(
      HANDS,
      CARLA,
      'answerAnonymously',
      'Nobody asked the drivers before changing the route.',
    );
    now = friday('10:33');
    await replyInThread(SLOT, CARLA, 'The stall layout made the queue spill into the car park.');
    now = friday('10:38');
    await replyInThread(HANDS, TEAMMATE, 'The minibus booking sheet still lives in one person’s inbox.');

    expect((await answersIn(SLOT)).map((row) => row.createdAt.toISOString()).sort()).toEqual(
      ['10:05', '10:12', '10:25', '10:33'].map((time) => friday(time).toISOString()),
    );
    // The anonymous answer keeps only its hour, as it is stored.
    expect(
      (await answersIn(HANDS)).map((row) => [row.kind, row.userId, row.createdAt.toISOString()]).sort(),
    ).toEqual(
      [
        ['anonymous', null, friday('10:00').toISOString()],
        ['thread', AUTHOR, friday('10:20').toISOString()],
        ['thread', TEAMMATE, friday('10:38').toISOString()],
      ].sort(),
    );
  });

  it('previews at 10:42 the answers given at 10:20 and 10:38, for the period up to 10:42', async () => {
    now = friday('10:42');
    const text = await preview(HANDS);

    const from = new Date(now.getTime() - SEVEN_DAYS_MS);
    expect(text).toContain(
      `Only you can see this: <#${HANDS}>’s digest for <!date^${unix(from)}^{date_short}|27 Nov> – <!date^${unix(now)}^{date_short} {time}|4 Dec, 10:42>, as it stands now.`,
    );
    expect(text).toContain('Weekly learning digest · 27 Nov – 4 Dec, up to 10:42');
    expect(answersLine(text)).toBe('*2 answers* from 2 of 4 people in the channel');
    expect(text).toContain('minibus');
    expect(text).not.toContain('Nothing has happened');
    // The anonymous answer given at 10:30 waits for its hour to end: counting it now would tell anyone
    // asking every few minutes when it came in.
    expect(text).not.toContain('anonymous answer');
    expect(text).toContain(
      'Anonymous answers show once the hour they were given in is over, so when they came in stays private.',
    );
  });

  it('counts the scheduled digest’s answers again in a hand digest four minutes after it is posted', async () => {
    now = friday('10:40', 30);
    await h.app.scheduler.tick();
    const posted = h.slack
      .messagesIn(SLOT)
      .filter((message: StoredMessage) => message.text.startsWith('Weekly learning digest'));
    expect(posted).toHaveLength(1);
    const scheduled = readable((posted[0] as StoredMessage).blocks as Block[]);
    expect(posted[0]?.text).toMatch(/^Weekly learning digest, 27 Nov – 4 Dec: 4 answers\./);
    expect(answersLine(scheduled)).toBe('*4 answers* from 4 of 4 people in the channel');

    now = friday('10:44', 30);
    const text = await preview(SLOT);
    expect(answersLine(text)).toBe(answersLine(scheduled));
    expect(text).not.toContain('Nothing has happened');
    expect(text).toContain(
      `<!date^${unix(now)}^{date_short} {time}|4 Dec, 10:44>, as it stands now. \`/learning digest post\` posts it.`,
    );
    expect(text).toContain('Weekly learning digest · 27 Nov – 4 Dec, up to 10:44');
  });

  it('counts the anonymous answer once its hour is over, with a named answer from 11:03', async () => {
    now = friday('11:03');
    await replyInThread(HANDS, DEV, 'Could the minibus booking go in the shared calendar?');
    now = friday('11:05');
    const text = await preview(HANDS);
    expect(answersLine(text)).toBe('*4 answers* from 3 of 4 people in the channel (and 1 anonymous answer)');
    expect(text).toContain('Weekly learning digest · 27 Nov – 4 Dec, up to 11:05');
  });

  it('says nothing has happened in a channel where nothing has, for the period up to now', async () => {
    now = friday('11:07');
    const text = await preview(QUIET);
    const from = new Date(now.getTime() - SEVEN_DAYS_MS);
    expect(text).toContain(
      `Only you can see this. Nothing has happened in <#${QUIET}> between <!date^${unix(from)}^{date_short}|27 Nov> and <!date^${unix(now)}^{date_short} {time}|4 Dec, 11:07>, so no digest would be posted.`,
    );
    expect(answersLine(text)).toBe('*0 answers* from 0 of 4 people in the channel');

    await h.command('/learning', 'digest post', { channelId: QUIET });
    const told = await h.slack.waitForCall('chat.postEphemeral', (call) =>
      String(call.params.text).includes('Nothing has happened'),
    );
    expect(told.params.text).toBe(
      `Nothing has happened in <#${QUIET}> between <!date^${unix(from)}^{date_short}|27 Nov> and <!date^${unix(now)}^{date_short} {time}|4 Dec, 11:07> (no answers, reviews, skips or notes), so there is no digest to post.`,
    );
    expect(h.slack.messagesIn(QUIET).filter((message) => message.text.startsWith('Weekly'))).toEqual([]);
  });
});
