import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { channelSettings, occurrences, responses, skips } from '../../src/db/schema.js';
import { ACTIONS, CALLBACKS, PROMPT_ANSWER_INPUTS } from '../../src/slack/ids.js';
import { DRIVERS } from '../support/databases.js';
import { PINNED_NOW, type RhythmAnswers, rhythmStateValues } from '../support/factories.js';
import { AUTHOR, TEAM, TEAMMATE, useHarness } from '../support/harness.js';
import { viewOpenedBy } from '../support/loop.js';
import { scenarioWeek } from '../support/scenario-week.js';
import { buttonPayload } from '../support/slack-requests.js';

/** A team trying the app in its first week: set up on Saturday, answering Monday's check-in. */
const FIRST_WEEK = 'C0FIRSTWEEK';
/** Another channel set up the same day, where only two people answer. */
const PAIR = 'C0PAIR';

const CARLA = 'U0CARLA';
const DEV = 'U0DEV';
const ELLE = 'U0ELLE';
const FINN = 'U0FINN';
const GWEN = 'U0GWEN';
const HUGO = 'U0HUGO';

const RHYTHMS: RhythmAnswers = {
  timeZone: 'Europe/London',
  workDays: [1, 2, 3, 4, 5],
  pauseUntil: null,
  skipDates: '',
  rhythms: {
    week_ahead: { enabled: true, days: [1], time: '09:30' },
    mid_week: { enabled: false, days: [3], time: '14:00' },
    look_back: { enabled: false, days: [5], time: '15:00' },
    digest: { enabled: true, days: [5], time: '16:00' },
  },
};

const THREAD_ANSWERS = [
  { user: AUTHOR, text: 'Monday’s delivery run went smoothly once the van was loaded the night before.' },
  {
    user: TEAMMATE,
    text: 'I want to learn how the new volunteers find their way round the sorting shelves.',
  },
  { user: CARLA, text: 'The fridge in the back room is too small for Friday’s donations.' },
  { user: CARLA, text: 'Also: we should ask the school whether the pick-up time suits the parents.' },
];
/** Answered privately, without ticking the box that lets the digest quote it. */
const PRIVATE_ANSWER = 'I am not sure the rota is fair to the weekend volunteers.';
const NOT_SAFE_SKIPPERS = [ELLE, FINN, GWEN];

const PAIR_ANSWERS = [
  { user: AUTHOR, text: 'The minibus booking fell through again, so two families missed the Saturday trip.' },
  {
    user: TEAMMATE,
    text: 'Half of Tuesday went on chasing the minibus booking instead of planning sessions.',
  },
];

interface Block {
  type: string;
  text?: { text: string };
  elements?: Array<{ text?: string }>;
}

/** The preview as a person reads it: each block's words, one block a paragraph. */
function readable(view: { blocks: Block[] }): string {
  return view.blocks
    .map((block) =>
      block.type === 'divider'
        ? '———'
        : block.type === 'context'
          ? (block.elements ?? []).map((element) => element.text ?? '').join('\n')
          : (block.text?.text ?? ''),
    )
    .join('\n\n');
}

describe.each(DRIVERS)('the digest of a channel set up this week (%s)', (driver) => {
  const week = scenarioWeek();
  let now = PINNED_NOW;
  const h = useHarness({ driver, now: () => now });

  const promptIn = async (channelId: string) => {
    const [prompt] = await h.app.database.db
      .select()
      .from(occurrences)
      .where(and(eq(occurrences.channelId, channelId), eq(occurrences.kind, 'week_ahead')));
    expect(prompt?.status).toBe('posted');
    return { id: prompt?.id as string, ts: prompt?.messageTs as string };
  };

  /** A reply typed in the prompt's thread: Slack holds the message, then sends its event. */
  const replyInThread = async (channelId: string, threadTs: string, user: string, text: string) => {
    const ts = h.slack.addMessage({ channel: channelId, user, text, threadTs });
    const response = await h.event(
      { type: 'message', channel: channelId, channel_type: 'channel', user, text, ts, thread_ts: threadTs },
      `Ev${ts.replace('.', '')}`,
    );
    expect(response.status).toBe(200);
  };

  const preview = async (channelId: string) => {
    const response = await h.command('/learning', 'digest', { channelId });
    expect(response.status).toBe(200);
    const updated = await h.slack.waitForCall('views.update');
    return readable(updated.params.view as { blocks: Block[] });
  };

  it('sets up two channels on the pinned day', async () => {
    for (const id of [CARLA, DEV, ELLE, FINN, GWEN, HUGO]) {
      const name = id.slice(3).toLowerCase();
      h.slack.addUser({ id, name, realName: name, tz: 'Europe/London' });
    }
    h.slack.addChannel({
      id: FIRST_WEEK,
      name: 'food-bank',
      isMember: true,
      members: [AUTHOR, TEAMMATE, CARLA, DEV, ELLE, FINN, GWEN, HUGO],
    });
    h.slack.addChannel({
      id: PAIR,
      name: 'outings',
      isMember: true,
      members: [AUTHOR, TEAMMATE, CARLA, DEV],
    });
    for (const channelId of [FIRST_WEEK, PAIR]) {
      const modal = await viewOpenedBy(h, CALLBACKS.rhythmSettings, () =>
        h.command('/learning', 'rhythm', { channelId }),
      );
      const saved = await h.submitView(modal, rhythmStateValues(RHYTHMS), { channelId });
      expect((saved.json() as { response_action: string }).response_action).toBe('update');
    }
    const settings = await h.app.database.db.select().from(channelSettings);
    expect(settings.map((row) => [row.channelId, row.createdAt.toISOString()]).sort()).toEqual([
      [FIRST_WEEK, PINNED_NOW.toISOString()],
      [PAIR, PINNED_NOW.toISOString()],
    ]);
  });

  it('answers Monday’s check-in: in the thread, privately, and by skipping', async () => {
    now = week.mondayPrompt;
    await h.app.scheduler.tick();
    const first = await promptIn(FIRST_WEEK);
    const pair = await promptIn(PAIR);
    now = week.monday;

    for (const answer of THREAD_ANSWERS) await replyInThread(FIRST_WEEK, first.ts, answer.user, answer.text);
    const privately = await viewOpenedBy(h, CALLBACKS.promptAnswer, () =>
      h.clickButton(
        { action_id: ACTIONS.answerPrivately, value: first.id },
        { channelId: FIRST_WEEK, messageTs: first.ts },
        { userId: DEV, channelId: FIRST_WEEK },
      ),
    );
    await h.submitView(
      privately,
      {
        [PROMPT_ANSWER_INPUTS.answer.block]: {
          [PROMPT_ANSWER_INPUTS.answer.action]: { type: 'plain_text_input', value: PRIVATE_ANSWER },
        },
        [PROMPT_ANSWER_INPUTS.quotable.block]: {
          [PROMPT_ANSWER_INPUTS.quotable.action]: { type: 'checkboxes', selected_options: [] },
        },
      },
      { userId: DEV, channelId: FIRST_WEEK },
    );
    for (const userId of NOT_SAFE_SKIPPERS)
      await h.interact({
        ...buttonPayload(
          { teamId: TEAM, userId, channelId: FIRST_WEEK },
          { action_id: ACTIONS.skipPrompt, value: '' },
          { channelId: FIRST_WEEK, messageTs: first.ts },
        ),
        actions: [
          {
            type: 'static_select',
            action_id: ACTIONS.skipPrompt,
            block_id: 'b',
            selected_option: {
              text: { type: 'plain_text', text: 'Not safe to say' },
              value: `${first.id}|not_safe`,
            },
            action_ts: '1.1',
          },
        ],
      });

    for (const answer of PAIR_ANSWERS) await replyInThread(PAIR, pair.ts, answer.user, answer.text);

    await h.idle();
    const stored = await h.app.database.db.select().from(responses);
    expect(stored.filter((row) => row.channelId === FIRST_WEEK).map((row) => [row.kind, row.userId])).toEqual(
      expect.arrayContaining([
        ['thread', AUTHOR],
        ['thread', TEAMMATE],
        ['thread', CARLA],
        ['thread', CARLA],
        ['private', DEV],
      ]),
    );
    expect(stored.filter((row) => row.channelId === FIRST_WEEK)).toHaveLength(5);
    expect(stored.filter((row) => row.channelId === PAIR)).toHaveLength(2);
    expect(await h.app.database.db.select().from(skips)).toHaveLength(3);
  });

  it('previews a first week with true numbers, no usual to compare with, and only this week’s voices', async () => {
    now = week.fridayBefore;
    const text = await preview(FIRST_WEEK);

    expect(text).toContain(`Only you can see this: <#${FIRST_WEEK}>’s digest for`);
    expect(text).not.toContain('Nothing has happened');
    // Five answers (Carla answered twice) from four people: the private answer's author is one of them, and
    // nobody answered anonymously. The three who skipped answered nothing.
    expect(text).toContain(
      [
        '*5 answers* from 4 of 8 people in the channel',
        '0 before-action reviews opened · 0 after-action reviews closed · 0 loops still open past their look-back date',
        'Skips: 3 not safe to say',
      ].join('\n'),
    );
    expect(text).not.toContain('anonymous answer');
    // There is no usual yet: it says so, rather than judging the week against weeks the channel never had.
    expect(text).toContain(
      'Nothing stands out yet. Themes are judged against this channel’s own earlier weeks, so a few more weeks of answers are needed.',
    );
    expect(text).not.toContain('from the usual');
    expect(text).not.toContain('Fewer voices than usual');
    expect(text).not.toMatch(/skips? for “/);
    expect(text).not.toContain('Skipping is fine');
    // One week since set-up: no zero weeks from before the channel existed.
    expect(text).toContain('*Voices this week*');
    expect(text).not.toMatch(/Voices over \d+ weeks/);
    expect(text).toMatch(/People who answered each week, oldest first: \d{1,2} Nov: 4\n/);
    // The private answer was not allowed to be quoted.
    expect(text).not.toContain('rota');
  });

  it('says both people who answered wrote about one new topic, in the words they used', async () => {
    const text = await preview(PAIR);

    expect(text).toContain('*2 answers* from 2 of 4 people in the channel');
    expect(text).toContain('Skips: none');
    expect(text).toMatch(
      /• Both people who answered this week wrote about <https:\/\/[^|>]+\|\*minibus booking\*>\./,
    );
    expect(text).not.toContain('Everyone who answered');
    expect(text).not.toContain('Nothing stands out');
    expect(text).not.toContain('Fewer voices than usual');
    expect(text).toContain('*Voices this week*');
    expect(text).toMatch(/People who answered each week, oldest first: \d{1,2} Nov: 2\n/);
    // The channel has no weeks before this one: nothing may be measured against them.
    expect.soft(text).not.toMatch(/\d+% before/);
    expect.soft(text).not.toContain('previous eight weeks');
  });
});
