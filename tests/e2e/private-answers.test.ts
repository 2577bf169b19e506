import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { occurrences, responses } from '../../src/db/schema.js';
import { ACTIONS, CALLBACKS, PROMPT_ANSWER_INPUTS, QUOTABLE_VALUE } from '../../src/slack/ids.js';
import { DRIVERS } from '../support/databases.js';
import { type RhythmAnswers, rhythmStateValues } from '../support/factories.js';
import type { RecordedCall } from '../support/fake-slack.js';
import { AUTHOR, CHANNEL, TEAM, TEAMMATE, useHarness } from '../support/harness.js';
import { type SentView, viewOpenedBy } from '../support/loop.js';
import { scenarioWeek } from '../support/scenario-week.js';
import type { Actor } from '../support/slack-requests.js';

const THIRD = 'U0THIRD';
const author: Actor = { teamId: TEAM, userId: AUTHOR, channelId: CHANNEL };
const teammate: Actor = { ...author, userId: TEAMMATE };
const third: Actor = { ...author, userId: THIRD };

const FIRST_WORDS = 'The venue was too far for families without a car';
const SECOND_WORDS = 'The venue was too far; the library would have been closer';
const EDITED_WORDS = 'The library, not the community hall: buses stop outside it';
const TEAMMATE_WORDS = 'Volunteers felt unsure who was leading the session';
const ANONYMOUS_WORDS = 'I did not feel able to say the plan was rushed';

const RHYTHMS: RhythmAnswers = {
  timeZone: 'UTC',
  workDays: [1, 2, 3, 4, 5],
  pauseUntil: null,
  skipDates: '',
  rhythms: {
    week_ahead: { enabled: true, days: [1], time: '09:30' },
    digest: { enabled: true, days: [5], time: '16:00' },
  },
};

interface Button {
  type: string;
  action_id: string;
  value: string;
  text: { text: string };
  confirm?: {
    title: { text: string };
    text: { text: string };
    confirm: { text: string };
    deny: { text: string };
  };
}

/** Every button in some blocks, wherever it sits. */
function buttonsIn(blocks: unknown): Button[] {
  if (Array.isArray(blocks)) return blocks.flatMap(buttonsIn);
  if (typeof blocks !== 'object' || blocks === null) return [];
  const here = (blocks as { type?: string }).type === 'button' ? [blocks as Button] : [];
  return [...here, ...Object.values(blocks).flatMap(buttonsIn)];
}

/** Every text Slack would render from some blocks. */
function textsIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(textsIn);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, inner]) =>
    key === 'text' && typeof inner === 'string' ? [inner] : textsIn(inner),
  );
}

describe.each(DRIVERS)('a private answer stays its author’s to edit or withdraw (%s)', (driver) => {
  const week = scenarioWeek();
  let now = week.saturday;
  const h = useHarness({ driver, now: () => now });
  let prompt = { id: '', ts: '' };

  const privateAnswers = () =>
    h.app.database.db
      .select()
      .from(responses)
      .where(and(eq(responses.occurrenceId, prompt.id), eq(responses.kind, 'private')));

  /** What the person was told privately since `from`: notes only they see in the channel, and DMs. */
  const toldTo = (userId: string, from: number) =>
    h.slack.calls
      .slice(from)
      .filter(
        (call) =>
          (call.method === 'chat.postEphemeral' && call.params.user === userId) ||
          (call.method === 'chat.postMessage' && call.params.channel === userId),
      );

  const fromPrompt = { channelId: CHANNEL, messageTs: '' };

  const openForm = (action: string, actor: Actor, value = prompt.id, container = fromPrompt) =>
    viewOpenedBy(h, CALLBACKS.promptAnswer, () =>
      h.clickButton({ action_id: action, value }, container, actor),
    );

  const submitForm = (actor: Actor, form: SentView & { id: string }, text: string, quotable = false) =>
    h.submitView(
      form,
      {
        [PROMPT_ANSWER_INPUTS.answer.block]: {
          [PROMPT_ANSWER_INPUTS.answer.action]: { type: 'plain_text_input', value: text },
        },
        [PROMPT_ANSWER_INPUTS.quotable.block]: {
          [PROMPT_ANSWER_INPUTS.quotable.action]: {
            type: 'checkboxes',
            selected_options: quotable ? [{ value: QUOTABLE_VALUE }] : [],
          },
        },
      },
      actor,
    );

  const answerInput = (form: SentView) =>
    form.blocks.find((block) => block.block_id === PROMPT_ANSWER_INPUTS.answer.block)?.element;

  /** The quiet note after an answer, and what it offers. */
  async function confirmationTo(userId: string, from: number, text: string): Promise<RecordedCall> {
    await h.idle();
    const note = toldTo(userId, from).find((call) => call.params.text === text);
    expect(note, `a note "${text}" to ${userId}`).toBeDefined();
    return note as RecordedCall;
  }

  it('answering privately again brings the answer back to edit, and saving changes that one answer', async () => {
    const rhythm = await viewOpenedBy(h, CALLBACKS.rhythmSettings, () => h.command('/learning', 'rhythm'));
    await h.submitView(rhythm, rhythmStateValues(RHYTHMS));
    now = week.mondayPrompt;
    await h.app.scheduler.tick();
    const [occurrence] = await h.app.database.db
      .select()
      .from(occurrences)
      .where(eq(occurrences.kind, 'week_ahead'));
    prompt = { id: occurrence?.id as string, ts: occurrence?.messageTs as string };
    fromPrompt.messageTs = prompt.ts;
    now = week.monday;

    const first = await openForm(ACTIONS.answerPrivately, author);
    expect(first.title.text).toBe('Answer privately');
    expect(answerInput(first)?.initial_value).toBeUndefined();
    let from = h.slack.calls.length;
    await submitForm(author, first, FIRST_WORDS, true);
    const saved = await confirmationTo(AUTHOR, from, 'Saved your answer privately. Thank you.');
    expect(saved.params.thread_ts).toBe(prompt.ts);

    // Pressed again on the same prompt: the form holds what they wrote, their choice to be quoted too.
    const again = await openForm(ACTIONS.answerPrivately, author);
    expect(again.title.text).toBe('Edit your answer');
    expect(answerInput(again)?.initial_value).toBe(FIRST_WORDS);
    const quotable = again.blocks.find((block) => block.block_id === PROMPT_ANSWER_INPUTS.quotable.block);
    expect(quotable?.element?.initial_options).toEqual([expect.objectContaining({ value: QUOTABLE_VALUE })]);
    expect(textsIn(again.blocks).join('\n')).toContain(
      'This is the answer you gave before: saving replaces it.',
    );
    from = h.slack.calls.length;
    await submitForm(author, again, SECOND_WORDS, true);
    await confirmationTo(AUTHOR, from, 'Updated the answer you gave privately. Thank you.');

    const stored = await privateAnswers();
    expect(stored.map((row) => [row.userId, row.text, row.quotable])).toEqual([[AUTHOR, SECOND_WORDS, true]]);
    expect(stored[0]?.createdAt.toISOString()).toBe(week.monday.toISOString());
  });

  it('edits from the confirmation’s Edit button; the same words saved again change nothing and say nothing', async () => {
    let from = h.slack.calls.length;
    const form = await openForm(ACTIONS.answerPrivately, author);
    await submitForm(author, form, SECOND_WORDS, false);
    const note = await confirmationTo(AUTHOR, from, 'Updated the answer you gave privately. Thank you.');
    const buttons = buttonsIn(note.params.blocks);
    expect(buttons.map((button) => button.text.text)).toEqual(['Edit', 'Withdraw']);
    const edit = buttons[0] as Button;

    const opened = await openForm(edit.action_id, author, edit.value);
    expect(answerInput(opened)?.initial_value).toBe(SECOND_WORDS);
    from = h.slack.calls.length;
    await submitForm(author, opened, EDITED_WORDS);
    await confirmationTo(AUTHOR, from, 'Updated the answer you gave privately. Thank you.');
    expect((await privateAnswers()).map((row) => [row.text, row.quotable])).toEqual([[EDITED_WORDS, false]]);

    from = h.slack.calls.length;
    await submitForm(author, { ...opened, id: `${opened.id}AGAIN` }, EDITED_WORDS);
    await h.idle();
    expect(toldTo(AUTHOR, from)).toEqual([]);
    expect(await privateAnswers()).toHaveLength(1);
  });

  it('refuses anyone else who names the answer to withdraw it, and changes nothing', async () => {
    const [answer] = await privateAnswers();
    const withdrawId = answer?.id as string;
    // Answering the same prompt privately opens their own, empty form, never the author's answer.
    const theirs = await openForm(ACTIONS.answerPrivately, teammate);
    expect(theirs.title.text).toBe('Answer privately');
    expect(answerInput(theirs)?.initial_value).toBeUndefined();

    const from = h.slack.calls.length;
    await h.clickButton(
      { action_id: ACTIONS.withdrawPrivateAnswer, value: withdrawId },
      fromPrompt,
      teammate,
    );
    await h.idle();
    expect(toldTo(TEAMMATE, from).map((call) => call.params.text)).toEqual([
      'Only the person who gave an answer can withdraw it. Nothing was changed.',
    ]);
    expect(toldTo(AUTHOR, from)).toEqual([]);
    expect((await privateAnswers()).map((row) => [row.id, row.userId, row.text])).toEqual([
      [withdrawId, AUTHOR, EDITED_WORDS],
    ]);
  });

  it('keeps an answer of the same person in another workspace out of reach: not listed, not withdrawn', async () => {
    const elsewhere = { teamId: 'T0ELSEWHERE', enterpriseId: '' };
    const [otherPrompt] = await h.app.database.db
      .insert(occurrences)
      .values({ ...elsewhere, channelId: CHANNEL, kind: 'mid_week', dueAt: now, status: 'posted' })
      .returning({ id: occurrences.id });
    const [otherAnswer] = await h.app.database.db
      .insert(responses)
      .values({
        ...elsewhere,
        channelId: CHANNEL,
        occurrenceId: otherPrompt?.id as string,
        userId: AUTHOR,
        kind: 'private',
        text: 'Elsewhere, in another workspace',
        sourceKey: `private:${otherPrompt?.id}:${AUTHOR}`,
        createdAt: now,
        updatedAt: now,
      })
      .returning({ id: responses.id });
    const from = h.slack.calls.length;
    await h.clickButton(
      { action_id: ACTIONS.withdrawPrivateAnswer, value: otherAnswer?.id as string },
      fromPrompt,
      author,
    );
    await h.idle();
    expect(toldTo(AUTHOR, from).map((call) => call.params.text)).toEqual([
      'That answer is no longer stored, so there is nothing to withdraw.',
    ]);
    const kept = await h.app.database.db
      .select()
      .from(responses)
      .where(eq(responses.id, otherAnswer?.id as string));
    expect(kept).toHaveLength(1);

    await h.event({ type: 'app_home_opened', user: AUTHOR, channel: 'D0HOME', tab: 'home' }, 'Ev0HOMEOTHER');
    const home = await h.slack.waitForCall('views.publish', (call) => call.params.user_id === AUTHOR);
    expect(JSON.stringify(home.params.view)).not.toContain('Elsewhere');
    await h.app.database.db.delete(occurrences).where(eq(occurrences.id, otherPrompt?.id as string));
  });

  it('says on the anonymous form and its confirmation that the answer cannot be edited or withdrawn', async () => {
    const form = await openForm(ACTIONS.answerAnonymously, third);
    expect(textsIn(form.blocks).join('\n')).toContain(
      'No name is kept with it, so it cannot be edited or withdrawn later.',
    );
    const from = h.slack.calls.length;
    await submitForm(third, form, ANONYMOUS_WORDS);
    const note = await confirmationTo(
      THIRD,
      from,
      'Saved your answer anonymously. No name is kept with it, so it cannot be edited or withdrawn later. Thank you.',
    );
    // Nothing in it could point back at the stored answer.
    expect(buttonsIn(note.params.blocks)).toEqual([]);
    const again = await openForm(ACTIONS.answerAnonymously, third);
    expect(answerInput(again)?.initial_value).toBeUndefined();
  });

  it('withdraws from the Home tab once Slack has asked; the answer is gone from the database, the digest and the export', async () => {
    const form = await openForm(ACTIONS.answerPrivately, teammate);
    await submitForm(teammate, form, TEAMMATE_WORDS);
    await expect.poll(async () => (await privateAnswers()).length).toBe(2);

    let from = h.slack.calls.length;
    await h.event({ type: 'app_home_opened', user: AUTHOR, channel: 'D0HOME', tab: 'home' }, 'Ev0HOME1');
    const home = await h.slack.waitForCall(
      'views.publish',
      (call) => call.params.user_id === AUTHOR && h.slack.calls.indexOf(call) >= from,
    );
    const homeTexts = textsIn((home.params.view as { blocks: unknown }).blocks).join('\n');
    expect(homeTexts).toContain('*Your private answers*');
    expect(homeTexts).toContain(EDITED_WORDS);
    expect(homeTexts).not.toContain(TEAMMATE_WORDS);
    const homeButtons = buttonsIn((home.params.view as { blocks: unknown }).blocks);
    const withdraw = homeButtons.find((button) => button.action_id === ACTIONS.withdrawPrivateAnswer);
    expect(homeButtons.find((button) => button.text.text === 'Edit')?.value).toBe(prompt.id);
    expect(withdraw?.confirm).toMatchObject({
      title: { text: 'Withdraw your answer?' },
      text: { text: 'It will be deleted and will not appear in any digest from now on.' },
      confirm: { text: 'Withdraw' },
      deny: { text: 'Keep it' },
    });

    // Slack sends the click only once the person has confirmed; from the Home tab it has no channel.
    from = h.slack.calls.length;
    await h.clickButton(
      { action_id: ACTIONS.withdrawPrivateAnswer, value: withdraw?.value ?? '' },
      {},
      author,
    );
    await h.idle();
    const told = toldTo(AUTHOR, from);
    expect(told.map((call) => call.method)).toEqual(['chat.postMessage']);
    expect(String(told[0]?.params.text)).toMatch(
      /^Withdrawn: your answer to the week-ahead check-in from <!date\^\d+\^\{date_long_pretty\}\|Monday 23 November 2026>: “.+” is deleted\.$/,
    );
    expect((await privateAnswers()).map((row) => row.userId)).toEqual([TEAMMATE]);
    const redrawn = h.slack
      .callsTo('views.publish')
      .filter((call) => call.params.user_id === AUTHOR && h.slack.calls.indexOf(call) >= from);
    expect(redrawn).toHaveLength(1);
    expect(JSON.stringify(redrawn[0]?.params.view)).not.toContain('Your private answers');

    from = h.slack.calls.length;
    await h.clickButton(
      { action_id: ACTIONS.withdrawPrivateAnswer, value: withdraw?.value ?? '' },
      {},
      author,
    );
    await h.idle();
    expect(toldTo(AUTHOR, from).map((call) => call.params.text)).toEqual([
      'That answer is no longer stored, so there is nothing to withdraw.',
    ]);

    now = week.fridaySlot;
    await h.app.scheduler.tick();
    const digest = h.slack
      .messagesIn(CHANNEL)
      .find((message) => message.text.startsWith('Weekly learning digest'));
    // The teammate's private answer and the anonymous one: the withdrawn answer is not counted.
    expect(digest?.text).toMatch(/: 2 answers\./);
    expect(JSON.stringify(h.slack.allMessages())).not.toContain('library');

    h.slack.addUser({ id: AUTHOR, name: 'ada', realName: 'Ada Author', tz: 'Europe/London', isAdmin: true });
    const before = h.slack.uploadedFiles().length;
    await h.command('/learning', 'export', author);
    await expect
      .poll(() => h.slack.uploadedFiles().filter((file) => file.filename.endsWith('.csv')).length)
      .toBe(1);
    await h.idle();
    const exported = h.slack
      .uploadedFiles()
      .slice(before)
      .map((file) => file.bytes.toString('utf8'))
      .join('\n');
    expect(exported).toContain(TEAMMATE_WORDS);
    expect(exported).not.toContain(EDITED_WORDS);
  });
});
