import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { channelSettings, channelStewards, customPrompts, learningQuestions } from '../../src/db/schema.js';
import {
  ACTIONS,
  CALLBACKS,
  PROMPT_INPUTS,
  QUESTION_INPUTS,
  RHYTHM_INPUTS,
  STEWARD_INPUTS,
} from '../../src/slack/ids.js';
import { DRIVERS } from '../support/databases.js';
import { type RhythmAnswers, rhythmStateValues } from '../support/factories.js';
import { checkView } from '../support/fake-slack.js';
import { AUTHOR, CHANNEL, type Harness, TEAM, TEAMMATE, useHarness } from '../support/harness.js';
import type { SentView } from '../support/loop.js';
import { botTokenOf, useInstalledHarness } from '../support/oauth.js';

const ADMIN = 'U0ADMIN';
const OWNER = 'U0OWNER';
const NEWCOMER = 'U0NEWCOMER';
const OTHER_CHANNEL = 'C0OTHER';
const OTHER_TEAM = 'T0OTHERTEAM';
const ELSEWHERE = 'U0ELSEWHERE';
const PINNED_NOW = new Date('2026-11-21T10:00:00Z');

const MID_WEEK: RhythmAnswers = {
  timeZone: 'Europe/London',
  workDays: [1, 2, 3, 4, 5],
  pauseUntil: null,
  skipDates: '',
  rhythms: { mid_week: { enabled: true, days: [3], time: '14:00' } },
};

const text = (value: string | null) => ({ value: { type: 'plain_text_input', value } });
const people = (...ids: string[]) => ({ value: { type: 'multi_users_select', selected_users: ids } });

type Answer = { response_action?: string; errors?: Record<string, string>; view?: SentView };

/** A modal as the app would get it back: its callback and metadata, under a view id of our own. */
const formFor = (callbackId: string, channelId: string, id: string) => ({
  id,
  callback_id: callbackId,
  private_metadata: JSON.stringify({ channelId }),
});

/** A channel's steward rows and learning questions in one workspace, and forms sent back to the app. */
function stewardsOf(h: Harness) {
  const db = () => h.app.database.db;
  return {
    stewardRows: (channelId: string, teamId = TEAM) =>
      db()
        .select()
        .from(channelStewards)
        .where(and(eq(channelStewards.teamId, teamId), eq(channelStewards.channelId, channelId))),
    questionsIn: (channelId: string, teamId = TEAM) =>
      db()
        .select()
        .from(learningQuestions)
        .where(and(eq(learningQuestions.teamId, teamId), eq(learningQuestions.channelId, channelId))),
    async submit(
      view: { id: string; callback_id: string; private_metadata: string },
      values: Record<string, Record<string, unknown>>,
      actor: { userId: string; teamId?: string },
    ): Promise<Answer> {
      const response = await h.submitView(view, values, actor);
      return (response.body ? response.json() : {}) as Answer;
    },
  };
}

describe.each(DRIVERS)('channel stewards (%s)', (driver) => {
  const h = useHarness({ driver, now: () => PINNED_NOW });
  const { stewardRows, questionsIn, submit } = stewardsOf(h);
  let views = 0;

  const db = () => h.app.database.db;
  const settingsOf = async (channelId: string) =>
    (
      await db()
        .select()
        .from(channelSettings)
        .where(and(eq(channelSettings.teamId, TEAM), eq(channelSettings.channelId, channelId)))
    )[0];
  const promptsIn = (channelId: string) =>
    db().select().from(customPrompts).where(eq(customPrompts.channelId, channelId));
  /** Starts a fresh record of Slack calls, after checking nothing so far was something Slack would reject. */
  function freshCalls() {
    expect(h.slack.violations).toEqual([]);
    h.slack.reset();
  }

  async function open(
    subcommand: string,
    userId: string,
    channelId = CHANNEL,
  ): Promise<SentView & { id: string }> {
    freshCalls();
    await h.command('/learning', subcommand, { userId, channelId });
    const call = await h.slack.waitForCall('views.open');
    views += 1;
    return { ...(call.params.view as SentView), id: `V0STEWARD${views}` };
  }

  /** Runs the command as someone who may not use it: the polite note they get, with no form opened. */
  async function refusedNote(subcommand: string, userId: string, channelId = CHANNEL): Promise<string> {
    freshCalls();
    await h.command('/learning', subcommand, { userId, channelId });
    const note = await h.slack.waitForCall('chat.postEphemeral', (call) => call.params.user === userId);
    expect(note.params.channel).toBe(channelId);
    expect(h.slack.callsTo('views.open')).toEqual([]);
    return String(note.params.text);
  }

  it('makes whoever saves a channel’s rhythm first its steward, and shows them as such', async () => {
    h.slack.addUser({ id: ADMIN, name: 'ana', isAdmin: true });
    h.slack.addUser({ id: OWNER, name: 'olu', isOwner: true });
    h.slack.addUser({ id: NEWCOMER, name: 'nia' });
    for (const id of [OTHER_CHANNEL, 'C0THIRD', 'C0FOURTH', 'C0BUSY']) h.slack.addChannel({ id });

    const rhythm = await open('rhythm', AUTHOR);
    expect(rhythm.callback_id).toBe(CALLBACKS.rhythmSettings);
    const saved = await submit(rhythm, rhythmStateValues(MID_WEEK), { userId: AUTHOR });
    expect(saved.response_action).toBe('update');
    expect((await settingsOf(CHANNEL))?.stewardId).toBe(AUTHOR);

    const modal = await open('stewards', AUTHOR);
    expect(modal.callback_id).toBe(CALLBACKS.channelStewards);
    expect(checkView(modal)).toEqual([]);
    expect(JSON.stringify(modal.blocks)).toContain(`<@${AUTHOR}> set this channel up and stays a steward`);
    const select = modal.blocks.find((block) => block.block_id === STEWARD_INPUTS.added.block);
    expect(select?.element).toMatchObject({ type: 'multi_users_select', max_selected_items: 20 });
    expect(select?.element?.initial_users).toBeUndefined();
  });

  it('refuses a non-steward politely, for rhythm, prompts, questions and stewards, opening no form', async () => {
    for (const subcommand of ['rhythm', 'prompts', 'questions', 'stewards']) {
      const note = await refusedNote(subcommand, TEAMMATE);
      expect(note).toContain(`<@${AUTHOR}>`);
      expect(note).toMatch(/workspace admins and owners can too/);
      expect(note).toMatch(/ask one of them/);
    }
    expect(await refusedNote('rhythm', TEAMMATE)).toContain('its reflection rhythm');
    expect(await refusedNote('questions', TEAMMATE)).toContain('its learning questions');

    // The welcome's "Set up a rhythm" button is another way into the same form.
    freshCalls();
    await h.clickButton(
      { action_id: ACTIONS.setUpRhythm, value: CHANNEL },
      { channelId: CHANNEL },
      {
        userId: TEAMMATE,
      },
    );
    await h.slack.waitForCall('chat.postEphemeral', (call) => call.params.user === TEAMMATE);
    expect(h.slack.callsTo('views.open')).toEqual([]);
  });

  it('refuses a forged or stale submission by a non-steward, keeping the form open and saving nothing', async () => {
    const rhythm = await submit(
      formFor(CALLBACKS.rhythmSettings, CHANNEL, 'V0FORGED1'),
      rhythmStateValues({ ...MID_WEEK, timeZone: 'America/New_York' }),
      { userId: TEAMMATE },
    );
    expect(rhythm.response_action).toBe('errors');
    expect(rhythm.errors?.[RHYTHM_INPUTS.timeZone.block]).toMatch(/stewards.*nothing was saved/);
    expect((await settingsOf(CHANNEL))?.timeZone).toBe('Europe/London');

    const prompts = await submit(
      formFor(CALLBACKS.channelPrompts, CHANNEL, 'V0FORGED2'),
      { [PROMPT_INPUTS.add.block]: text('Who decided this without us?') },
      { userId: TEAMMATE },
    );
    expect(prompts.errors?.[PROMPT_INPUTS.add.block]).toMatch(/stewards/);
    expect(await promptsIn(CHANNEL)).toEqual([]);

    const questions = await submit(
      formFor(CALLBACKS.learningQuestions, CHANNEL, 'V0FORGED3'),
      { [QUESTION_INPUTS.add.block]: text('What will it take to take over?') },
      { userId: TEAMMATE },
    );
    expect(questions.errors?.[QUESTION_INPUTS.add.block]).toMatch(/stewards/);
    expect(await questionsIn(CHANNEL)).toEqual([]);

    const stewards = await submit(
      formFor(CALLBACKS.channelStewards, CHANNEL, 'V0FORGED4'),
      { [STEWARD_INPUTS.added.block]: people(TEAMMATE) },
      { userId: TEAMMATE },
    );
    expect(stewards.errors?.[STEWARD_INPUTS.added.block]).toMatch(/stewards/);
    expect(await stewardRows(CHANNEL)).toEqual([]);
    expect(h.logs.text).not.toContain('take over');
  });

  it('lets workspace admins and owners change them, asking Slack afresh every time', async () => {
    const questions = await open('questions', ADMIN);
    const saved = await submit(
      questions,
      { [QUESTION_INPUTS.add.block]: text('What will it take to reach families outside the city?') },
      { userId: ADMIN },
    );
    expect(saved.response_action).toBe('update');
    expect(await questionsIn(CHANNEL)).toHaveLength(1);
    expect(h.slack.callsTo('users.info').map((call) => call.params.user)).toContain(ADMIN);
    // Changing a channel does not make an admin one of its stewards.
    expect(await stewardRows(CHANNEL)).toEqual([]);

    const prompts = await open('prompts', OWNER);
    expect(prompts.callback_id).toBe(CALLBACKS.channelPrompts);

    // No longer an admin: refused straight away, since nothing about admins is remembered.
    h.slack.addUser({ id: ADMIN, name: 'ana' });
    expect(await refusedNote('questions', ADMIN)).toContain(`<@${AUTHOR}>`);
    const stale = await submit(
      questions,
      { [QUESTION_INPUTS.add.block]: text('What will it take to keep going?') },
      { userId: ADMIN },
    );
    expect(stale.errors?.[QUESTION_INPUTS.add.block]).toMatch(/stewards/);
    expect(await questionsIn(CHANNEL)).toHaveLength(1);
  });

  it('treats someone as not an admin when Slack cannot say, but never needs Slack for a steward', async () => {
    freshCalls();
    h.slack.failNext('users.info', { kind: 'server_error' });
    await h.command('/learning', 'prompts', { userId: OWNER });
    await h.slack.waitForCall('chat.postEphemeral', (call) => call.params.user === OWNER);
    expect(h.slack.callsTo('views.open')).toEqual([]);

    freshCalls();
    h.slack.setDefaultFault('users.info', { kind: 'error', error: 'internal_error' }, 1);
    await h.command('/learning', 'questions', { userId: AUTHOR });
    const opened = await h.slack.waitForCall('views.open');
    expect((opened.params.view as SentView).callback_id).toBe(CALLBACKS.learningQuestions);
    expect(h.slack.callsTo('users.info')).toEqual([]);
  });

  it('gives a command that names nobody neither a form nor a note', async () => {
    freshCalls();
    const response = await h.command('/learning', 'questions', { userId: '' });
    expect(response.status).toBe(200);
    await h.command('/learning', 'stewards', { userId: '', channelId: 'C0EMPTY' });
    await h.idle();
    expect(h.slack.callsTo('views.open')).toEqual([]);
    expect(h.slack.callsTo('chat.postEphemeral')).toEqual([]);
    expect(await stewardRows('C0EMPTY')).toEqual([]);
  });

  it('sends the note to a direct message where the app cannot post in the channel', async () => {
    h.slack.addChannel({ id: 'C0SECRET', isPrivate: true, isMember: false });
    await submit(
      formFor(CALLBACKS.learningQuestions, 'C0SECRET', 'V0SECRET'),
      { [QUESTION_INPUTS.add.block]: text('What will it take to be heard?') },
      { userId: NEWCOMER },
    );
    freshCalls();
    await h.command('/learning', 'questions', { userId: TEAMMATE, channelId: 'C0SECRET' });
    const dm = await h.slack.waitForCall('chat.postMessage', (call) => call.params.channel === TEAMMATE);
    expect(String(dm.params.text)).toContain(`<@${NEWCOMER}>`);
    expect(h.slack.callsTo('views.open')).toEqual([]);
  });

  it('lets a steward add a teammate, who then may change them, until removed again', async () => {
    const modal = await open('stewards', AUTHOR);
    const saved = await submit(
      modal,
      { [STEWARD_INPUTS.added.block]: people(TEAMMATE, AUTHOR) },
      { userId: AUTHOR },
    );
    expect(saved.response_action).toBe('update');
    expect(checkView(saved.view)).toEqual([]);
    expect(saved.view?.callback_id).toBe(CALLBACKS.channelStewardsSaved);
    const confirmation = JSON.stringify(saved.view?.blocks);
    expect(confirmation).toContain(`<@${AUTHOR}> (set the channel up)`);
    expect(confirmation).toContain(`<@${TEAMMATE}>`);
    expect(confirmation).toMatch(/Workspace admins and owners can too/);
    // The founder is kept by the settings, so only the teammate gets a row.
    expect((await stewardRows(CHANNEL)).map((row) => [row.userId, row.addedBy])).toEqual([
      [TEAMMATE, AUTHOR],
    ]);

    const prompts = await open('prompts', TEAMMATE);
    await submit(
      prompts,
      { [PROMPT_INPUTS.add.block]: text('Who was missing this week?') },
      { userId: TEAMMATE },
    );
    await expect.poll(async () => (await promptsIn(CHANNEL)).length).toBe(1);

    // A steward sees the added list and can change it, but the founder is not theirs to remove.
    const theirs = await open('stewards', TEAMMATE);
    const select = theirs.blocks.find((block) => block.block_id === STEWARD_INPUTS.added.block);
    expect(select?.element?.initial_users).toEqual([TEAMMATE]);
    expect(JSON.stringify(theirs.blocks)).toContain(`<@${AUTHOR}> set this channel up`);

    const stale = await open('rhythm', TEAMMATE);
    const removed = await submit(modal, { [STEWARD_INPUTS.added.block]: people() }, { userId: AUTHOR });
    expect(removed.response_action).toBe('update');
    expect(await stewardRows(CHANNEL)).toEqual([]);
    expect((await settingsOf(CHANNEL))?.stewardId).toBe(AUTHOR);

    expect(await refusedNote('prompts', TEAMMATE)).toContain(`<@${AUTHOR}>`);
    const late = await submit(stale, rhythmStateValues({ ...MID_WEEK, timeZone: 'America/New_York' }), {
      userId: TEAMMATE,
    });
    expect(late.errors?.[RHYTHM_INPUTS.timeZone.block]).toMatch(/stewards/);
    expect((await settingsOf(CHANNEL))?.timeZone).toBe('Europe/London');
  });

  it('makes the first to save questions or prompts in an empty channel its steward', async () => {
    const questions = await open('questions', TEAMMATE, OTHER_CHANNEL);
    await submit(
      questions,
      { [QUESTION_INPUTS.add.block]: text('What will it take to share the load?') },
      { userId: TEAMMATE },
    );
    expect((await stewardRows(OTHER_CHANNEL)).map((row) => [row.userId, row.addedBy])).toEqual([
      [TEAMMATE, TEAMMATE],
    ]);

    const note = await refusedNote('prompts', NEWCOMER, OTHER_CHANNEL);
    expect(note).toContain(`<@${TEAMMATE}>`);
    expect(note).not.toContain(`<@${AUTHOR}>`);

    // An admin setting up the rhythm later does not take the founder's place.
    const rhythm = await open('rhythm', OWNER, OTHER_CHANNEL);
    await submit(rhythm, rhythmStateValues({ ...MID_WEEK, rhythms: {} }), { userId: OWNER });
    expect((await settingsOf(OTHER_CHANNEL))?.stewardId).toBe(TEAMMATE);
    const modal = await open('stewards', TEAMMATE, OTHER_CHANNEL);
    expect(JSON.stringify(modal.blocks)).toContain(`<@${TEAMMATE}> set this channel up`);

    const prompts = await open('prompts', NEWCOMER, 'C0THIRD');
    await submit(prompts, { [PROMPT_INPUTS.add.block]: text('What surprised you?') }, { userId: NEWCOMER });
    await expect
      .poll(async () => (await stewardRows('C0THIRD')).map((row) => row.userId))
      .toEqual([NEWCOMER]);
  });

  it('makes whoever first saves the stewards of an empty channel its founder, with those they chose', async () => {
    const modal = await open('stewards', NEWCOMER, 'C0FOURTH');
    expect(JSON.stringify(modal.blocks)).toContain('Nobody looks after this channel yet');
    const saved = await submit(
      modal,
      { [STEWARD_INPUTS.added.block]: people(TEAMMATE) },
      { userId: NEWCOMER },
    );
    expect(JSON.stringify(saved.view?.blocks)).toContain(`<@${NEWCOMER}> (set the channel up)`);

    const again = await open('stewards', TEAMMATE, 'C0FOURTH');
    expect(JSON.stringify(again.blocks)).toContain(`<@${NEWCOMER}> set this channel up`);
    const select = again.blocks.find((block) => block.block_id === STEWARD_INPUTS.added.block);
    expect(select?.element?.initial_users).toEqual([TEAMMATE]);
    // Leaving out everyone, founder included, still keeps the founder.
    await submit(again, { [STEWARD_INPUTS.added.block]: people() }, { userId: TEAMMATE });
    expect((await stewardRows('C0FOURTH')).map((row) => row.userId)).toEqual([NEWCOMER]);
  });

  it('names at most ten stewards in the note, and takes at most twenty added', async () => {
    const many = Array.from({ length: 21 }, (_, index) => `U0MANY${String(index).padStart(2, '0')}`);
    const modal = await open('stewards', NEWCOMER, 'C0BUSY');
    const tooMany = await submit(
      modal,
      { [STEWARD_INPUTS.added.block]: people(...many) },
      { userId: NEWCOMER },
    );
    expect(tooMany.errors?.[STEWARD_INPUTS.added.block]).toMatch(/up to 20/);
    expect(await stewardRows('C0BUSY')).toEqual([]);

    await submit(modal, { [STEWARD_INPUTS.added.block]: people(...many.slice(0, 12)) }, { userId: NEWCOMER });
    const note = await refusedNote('rhythm', TEAMMATE, 'C0BUSY');
    expect(note.match(/<@U0/g)).toHaveLength(10);
    expect(note).toContain('and 3 more');
  });

  it('keeps stewards to their own channel', async () => {
    // AUTHOR looks after CHANNEL, not OTHER_CHANNEL.
    expect(await refusedNote('questions', AUTHOR, OTHER_CHANNEL)).toContain(`<@${TEAMMATE}>`);
  });
});

describe.each(DRIVERS)('channel stewards in two installed workspaces (%s)', (driver) => {
  // Both installed by AUTHOR, so AUTHOR's user id and CHANNEL's id exist in each: only the team differs.
  const h = useInstalledHarness({ driver, now: () => PINNED_NOW }, [
    { teamId: TEAM, teamName: 'Ours', userId: AUTHOR },
    { teamId: OTHER_TEAM, teamName: 'Theirs', userId: AUTHOR },
  ]);
  const { stewardRows, questionsIn, submit } = stewardsOf(h);
  const question = (words: string) => ({ [QUESTION_INPUTS.add.block]: text(words) });

  it('keeps stewards to their own workspace, where the same channel id is a different channel', async () => {
    h.slack.addUser({ id: ELSEWHERE, name: 'elle' });
    // AUTHOR claims CHANNEL here: a steward lookup that forgot the team would find them in the other
    // workspace too, and refuse its own first steward there.
    const ours = await submit(
      formFor(CALLBACKS.learningQuestions, CHANNEL, 'V0HERE1'),
      question('What will it take to grow together?'),
      { userId: AUTHOR },
    );
    expect(ours.response_action).toBe('update');
    expect((await stewardRows(CHANNEL)).map((row) => row.userId)).toEqual([AUTHOR]);
    h.slack.reset();

    // The same channel id in another workspace is a different channel, set up by someone else there.
    const theirs = await submit(
      formFor(CALLBACKS.learningQuestions, CHANNEL, 'V0ELSEWHERE1'),
      question('What will it take to keep our own counsel?'),
      { userId: ELSEWHERE, teamId: OTHER_TEAM },
    );
    expect(theirs.response_action).toBe('update');
    expect((await stewardRows(CHANNEL, OTHER_TEAM)).map((row) => row.userId)).toEqual([ELSEWHERE]);

    // AUTHOR's user id, in that workspace, is not its steward.
    const forged = await submit(
      formFor(CALLBACKS.learningQuestions, CHANNEL, 'V0ELSEWHERE2'),
      question('What will it take to take over?'),
      { userId: AUTHOR, teamId: OTHER_TEAM },
    );
    expect(forged.errors?.[QUESTION_INPUTS.add.block]).toMatch(/stewards/);
    expect(await questionsIn(CHANNEL, OTHER_TEAM)).toHaveLength(1);
    // Whether AUTHOR is an admin there was asked of that workspace, with its own token.
    const asked = h.slack.callsTo('users.info').filter((call) => call.params.user === AUTHOR);
    expect(asked).not.toEqual([]);
    expect(asked.filter((call) => !botTokenOf(OTHER_TEAM).test(call.token ?? ''))).toEqual([]);

    // And the other workspace's steward is not one here.
    const here = await submit(
      formFor(CALLBACKS.learningQuestions, CHANNEL, 'V0ELSEWHERE3'),
      question('What will it take to take over?'),
      { userId: ELSEWHERE },
    );
    expect(here.errors?.[QUESTION_INPUTS.add.block]).toMatch(/stewards/);
    expect(await questionsIn(CHANNEL)).toHaveLength(1);
    expect((await stewardRows(CHANNEL)).map((row) => row.userId)).toEqual([AUTHOR]);
    expect((await stewardRows(CHANNEL, OTHER_TEAM)).map((row) => row.userId)).toEqual([ELSEWHERE]);
  });
});
