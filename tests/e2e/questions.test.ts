import { and, eq, isNull } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { changeQuestions, findQuestion, listActiveQuestions } from '../../src/db/queries/questions.js';
import { learningQuestions } from '../../src/db/schema.js';
import { CALLBACKS, QUESTION_INPUTS } from '../../src/slack/ids.js';
import { DRIVERS } from '../support/databases.js';
import { PINNED_NOW } from '../support/factories.js';
import { checkView } from '../support/fake-slack.js';
import { AUTHOR, CHANNEL, type Harness, TEAM, useHarness } from '../support/harness.js';
import { callsNotWithTokenOf, useInstalledHarness, workspacesInstalledBy } from '../support/oauth.js';
import type { Actor } from '../support/slack-requests.js';

interface SentBlock {
  type: string;
  block_id?: string;
  text?: { text: string };
  elements?: Array<{ text: string }>;
  element?: { type: string; initial_value?: string; options?: Array<{ value: string }> };
}

interface SentView {
  callback_id: string;
  private_metadata: string;
  blocks: SentBlock[];
}

const OTHER_TEAM = 'T0OTHERTEAM';
const REACH = 'What will it take to reach families outside the city?';
const VOLUNTEERS = 'How do we keep volunteers?';
const REACH_REWORDED = 'What will it take to hear from every family we serve?';
const PARTNERS = 'What will it take for our partners to trust us with bad news?';
const FRAMING_HINT = 'What will it take to …?';

const text = (value: string | null) => ({ value: { type: 'plain_text_input', value } });
const retiring = (...ids: string[]) => ({
  value: { type: 'multi_static_select', selected_options: ids.map((value) => ({ value })) },
});

let views = 0;

/** Opens `/learning questions` as `actor` and returns the form, with a fresh id to submit it under. */
async function openQuestionsAs(h: Harness, actor?: Partial<Actor>): Promise<SentView & { id: string }> {
  h.slack.reset();
  await h.command('/learning', 'questions', actor);
  const call = await h.slack.waitForCall('views.open');
  views += 1;
  return { ...(call.params.view as SentView), id: `V0QUESTIONS${views}` };
}

async function submitAs(
  h: Harness,
  view: SentView & { id: string },
  values: Record<string, Record<string, unknown>>,
  actor?: Partial<Actor>,
) {
  const response = await h.submitView(view, values, actor);
  return response.json() as {
    response_action: 'update' | 'errors';
    view?: SentView;
    errors?: Record<string, string>;
  };
}

describe.each(DRIVERS)('learning questions (%s)', (driver) => {
  const h = useHarness({ driver });
  const openQuestions = () => openQuestionsAs(h);
  const submit = (view: SentView & { id: string }, values: Record<string, Record<string, unknown>>) =>
    submitAs(h, view, values);

  const rows = () => h.app.database.db.select().from(learningQuestions);
  const ours = async () => (await rows()).filter((row) => row.teamId === TEAM);
  const active = async () =>
    h.app.database.db
      .select()
      .from(learningQuestions)
      .where(and(eq(learningQuestions.teamId, TEAM), isNull(learningQuestions.retiredAt)));

  /** The question text each framing hint sits under, in the order shown. */
  const hintedAt = (view: SentView) =>
    view.blocks.flatMap((block, index) =>
      block.type === 'context' && block.elements?.some((element) => element.text.includes(FRAMING_HINT))
        ? [view.blocks[index - 1]?.text?.text ?? '']
        : [],
    );

  it('saves a channel’s first questions and hints at the one not yet framed', async () => {
    const first = await openQuestions();
    expect(first.callback_id).toBe(CALLBACKS.learningQuestions);
    expect(first.blocks.some((block) => block.block_id === QUESTION_INPUTS.retire.block)).toBe(false);

    const saved = await submit(first, { [QUESTION_INPUTS.add.block]: text(`${REACH}\n\n  ${VOLUNTEERS}  `) });
    expect(saved.response_action).toBe('update');
    const confirmation = saved.view as SentView;
    expect(checkView(confirmation)).toEqual([]);
    expect(confirmation.callback_id).toBe(CALLBACKS.learningQuestionsSaved);
    const shown = JSON.stringify(confirmation.blocks);
    expect(shown.indexOf(REACH)).toBeGreaterThan(-1);
    expect(shown.indexOf(VOLUNTEERS)).toBeGreaterThan(shown.indexOf(REACH));
    expect(hintedAt(confirmation)).toEqual([expect.stringContaining(VOLUNTEERS)]);

    expect((await active()).map((row) => row.text)).toEqual([REACH, VOLUNTEERS]);
    expect(h.logs.text).not.toContain(VOLUNTEERS);
  });

  it('reopens with each question ready to reword, oldest first', async () => {
    const modal = await openQuestions();
    const inputs = modal.blocks.filter((block) => block.element?.type === 'plain_text_input');
    const [reach, volunteers] = await active();
    expect(inputs.map((block) => [block.block_id, block.element?.initial_value])).toEqual([
      [QUESTION_INPUTS.existing(reach?.id ?? '').block, REACH],
      [QUESTION_INPUTS.existing(volunteers?.id ?? '').block, VOLUNTEERS],
      [QUESTION_INPUTS.add.block, undefined],
    ]);
    const retire = modal.blocks.find((block) => block.block_id === QUESTION_INPUTS.retire.block);
    expect(retire?.element?.options?.map((option) => option.value)).toEqual([reach?.id, volunteers?.id]);
  });

  it('refuses to leave the channel with no questions, under Retire', async () => {
    const modal = await openQuestions();
    const ids = (await active()).map((row) => row.id);
    const refused = await submit(modal, { [QUESTION_INPUTS.retire.block]: retiring(...ids) });
    expect(refused.response_action).toBe('errors');
    expect(refused.errors?.[QUESTION_INPUTS.retire.block]).toMatch(/one to five/);
    expect(await active()).toHaveLength(2);
  });

  it('refuses more than five, under the new questions', async () => {
    const modal = await openQuestions();
    const refused = await submit(modal, {
      [QUESTION_INPUTS.add.block]: text(['One?', 'Two?', 'Three?', 'Four?'].join('\n')),
    });
    expect(refused.errors?.[QUESTION_INPUTS.add.block]).toMatch(/one to five/);
    expect(await ours()).toHaveLength(2);
  });

  it('asks for a question to be retired rather than emptied', async () => {
    const modal = await openQuestions();
    const [reach] = await active();
    const block = QUESTION_INPUTS.existing(reach?.id ?? '').block;
    const refused = await submit(modal, { [block]: text(null) });
    expect(refused.errors?.[block]).toMatch(/Retire/);
    expect((await active()).map((row) => row.text)).toEqual([REACH, VOLUNTEERS]);
  });

  it('rewords one, retires another and adds a third in one save, keeping the retired one', async () => {
    const modal = await openQuestions();
    const [reach, volunteers] = await active();
    const saved = await submit(modal, {
      [QUESTION_INPUTS.existing(reach?.id ?? '').block]: text(REACH_REWORDED),
      [QUESTION_INPUTS.existing(volunteers?.id ?? '').block]: text(VOLUNTEERS),
      [QUESTION_INPUTS.retire.block]: retiring(volunteers?.id ?? ''),
      [QUESTION_INPUTS.add.block]: text(PARTNERS),
    });
    expect(saved.response_action).toBe('update');
    expect(hintedAt(saved.view as SentView)).toEqual([]);

    const after = await ours();
    expect(after).toHaveLength(3);
    const byId = new Map(after.map((row) => [row.id, row]));
    expect(byId.get(reach?.id ?? '')).toMatchObject({ text: REACH_REWORDED, retiredAt: null });
    expect(byId.get(volunteers?.id ?? '')).toMatchObject({ text: VOLUNTEERS, retiredAt: expect.any(Date) });
    expect((await active()).map((row) => row.text)).toEqual([REACH_REWORDED, PARTNERS]);
  });

  it('lists questions added together in the order they were typed', async () => {
    const db = h.app.database.db;
    const here = { teamId: TEAM, enterpriseId: null };
    const typed = ['Fifth?', 'First?', 'Fourth?', 'Second?', 'Third?'];
    await changeQuestions(db, here, 'C0ORDER', {
      reword: [],
      retire: [],
      add: typed,
      userId: 'U0AUTHOR',
      now: new Date(),
    });
    expect((await listActiveQuestions(db, here, 'C0ORDER')).map((row) => row.text)).toEqual(typed);
    await db.delete(learningQuestions).where(eq(learningQuestions.channelId, 'C0ORDER'));
  });

  it('keeps the form open when it cannot tell which channel it was for', async () => {
    const refused = await submit(
      {
        id: 'V0GARBLED',
        callback_id: CALLBACKS.learningQuestions,
        private_metadata: '{"channelId":"D0DM"}',
        blocks: [],
      },
      { [QUESTION_INPUTS.add.block]: text('What will it take to sneak in?') },
    );
    expect(refused.errors?.[QUESTION_INPUTS.add.block]).toMatch(/could not be read/);
    expect(await ours()).toHaveLength(3);
  });

  it('asks for /learning questions to be run in a team channel, not a direct message', async () => {
    const response = await h.command('/learning', 'questions', { channelId: 'D0DIRECT' });
    expect((response.json() as { text: string }).text).toMatch(/team channel/);
    expect(h.slack.callsTo('views.open')).toEqual([]);
  });
});

describe.each(DRIVERS)('learning questions in two installed workspaces sharing ids (%s)', (driver) => {
  const h = useInstalledHarness(
    { driver, now: () => PINNED_NOW },
    workspacesInstalledBy(AUTHOR, [TEAM, OTHER_TEAM]),
  );
  // The same person in the same channel: only the workspace differs.
  const theirs: Partial<Actor> = { teamId: OTHER_TEAM };
  const THEIR_QUESTION = 'What will it take to keep our own counsel?';

  const rows = () => h.app.database.db.select().from(learningQuestions);
  const rowsOf = async (teamId: string) => (await rows()).filter((row) => row.teamId === teamId);

  it('cannot touch another workspace’s question, even by naming its id', async () => {
    const ourForm = await openQuestionsAs(h);
    expect((await submitAs(h, ourForm, { [QUESTION_INPUTS.add.block]: text(REACH) })).response_action).toBe(
      'update',
    );
    const theirForm = await openQuestionsAs(h, theirs);
    expect(callsNotWithTokenOf(h.slack, OTHER_TEAM)).toEqual([]);
    // Their channel of the same id has no questions yet: ours are not listed to them.
    expect(JSON.stringify(theirForm.blocks)).not.toContain(REACH);
    const saved = await submitAs(h, theirForm, { [QUESTION_INPUTS.add.block]: text(THEIR_QUESTION) }, theirs);
    expect(saved.response_action).toBe('update');
    expect(JSON.stringify(saved.view)).not.toContain(REACH);
    const [other] = await rowsOf(OTHER_TEAM);
    expect(other).toMatchObject({ text: THEIR_QUESTION, channelId: CHANNEL, retiredAt: null });
    const otherId = other?.id ?? '';

    const modal = await openQuestionsAs(h);
    expect(callsNotWithTokenOf(h.slack, TEAM)).toEqual([]);
    expect(JSON.stringify(modal.blocks)).not.toContain(THEIR_QUESTION);
    const before = await rowsOf(TEAM);
    expect(before.map((row) => row.text)).toEqual([REACH]);
    const forged = await submitAs(h, modal, {
      [QUESTION_INPUTS.existing(otherId).block]: text('Taken over'),
      [QUESTION_INPUTS.retire.block]: retiring(otherId),
    });
    expect(forged.response_action).toBe('update');
    expect((await rows()).find((row) => row.id === otherId)).toMatchObject({
      teamId: OTHER_TEAM,
      text: THEIR_QUESTION,
      retiredAt: null,
    });
    expect(await rowsOf(TEAM)).toEqual(before);
  });

  it('finds, lists and changes questions only within their own workspace and channel', async () => {
    const db = h.app.database.db;
    const here = { teamId: TEAM, enterpriseId: null };
    const [other] = await rowsOf(OTHER_TEAM);
    const otherId = other?.id ?? '';
    const [mine] = await rowsOf(TEAM);

    expect(await findQuestion(db, here, otherId)).toBeUndefined();
    expect(await findQuestion(db, here, "1' or '1'='1")).toBeUndefined();
    expect((await findQuestion(db, here, mine?.id ?? ''))?.text).toBe(REACH);
    expect((await listActiveQuestions(db, here, CHANNEL)).map((row) => row.text)).toEqual([REACH]);
    expect((await listActiveQuestions(db, here, 'C0ELSEWHERE')).length).toBe(0);

    const counts = await changeQuestions(db, here, CHANNEL, {
      reword: [
        { id: otherId, text: 'Taken over' },
        { id: 'not-a-uuid', text: 'Taken over' },
      ],
      retire: [otherId, 'not-a-uuid'],
      add: [],
      userId: 'U0INTRUDER',
      now: PINNED_NOW,
    });
    expect(counts).toEqual({ reworded: 0, retired: 0, added: 0 });
    const elsewhere = await changeQuestions(db, here, 'C0ELSEWHERE', {
      reword: [{ id: mine?.id ?? '', text: 'Taken over' }],
      retire: [mine?.id ?? ''],
      add: [],
      userId: 'U0INTRUDER',
      now: PINNED_NOW,
    });
    expect(elsewhere).toEqual({ reworded: 0, retired: 0, added: 0 });
    expect((await rows()).find((row) => row.id === otherId)).toMatchObject({
      text: THEIR_QUESTION,
      retiredAt: null,
    });
    expect(await rowsOf(TEAM)).toMatchObject([{ text: REACH, retiredAt: null }]);
  });
});
