import type { View } from '@slack/types';
import { describe, expect, it } from 'vitest';
import {
  type ActiveQuestion,
  existingField,
  isFramingQuestion,
  MAX_ACTIVE_QUESTIONS,
  MAX_QUESTION_LENGTH,
  MIN_ACTIVE_QUESTIONS,
  planQuestionChanges,
  type QuestionChange,
  type QuestionErrors,
  validateQuestionChanges,
} from '../../src/domain/questions.js';
import { channelSettingsMetadataSchema as questionsModalMetadataSchema } from '../../src/slack/forms/channel-settings.js';
import { questionErrorsByBlock, readQuestionsModal } from '../../src/slack/forms/learning-questions.js';
import { CALLBACKS, QUESTION_INPUTS } from '../../src/slack/ids.js';
import { buildQuestionsModal, buildQuestionsSaved } from '../../src/slack/views/questions.js';
import { checkView } from '../support/fake-slack.js';

const CHANNEL = 'C0TEAM';
const MARKUP = '<!channel> what will it take to <@U123> <https://evil.example|click>?';

const ids = ['11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222'] as const;
const [FIRST, SECOND] = ids;
const question = (id: string, text: string): ActiveQuestion => ({ id, text });
const TWO = [
  question(FIRST, 'What will it take to reach families outside the city?'),
  question(SECOND, 'How do we keep volunteers?'),
];

const idOf = (index: number) => `${String(index).padStart(8, '0')}-0000-4000-8000-000000000000`;
const many = (count: number, text = (index: number) => `What will it take to do thing ${index}?`) =>
  Array.from({ length: count }, (_, index) => question(idOf(index), text(index)));

const change = (overrides: Partial<QuestionChange> = {}): QuestionChange => ({
  reword: [],
  retire: [],
  add: [],
  ...overrides,
});

describe('isFramingQuestion', () => {
  it.each([
    ['What will it take to reach families outside the city?', true],
    ['what will it take to keep volunteers?', true],
    ['WHAT WILL IT TAKE TO SHIP?', true],
    ['  What   will it\ttake  to   hear from partners ?  ', true],
    ['What’ll it take to hear from partners?', true],
    ["What'll it take to hear from partners?", true],
    ['What will it take for us to hear from partners?', true],
    ['What will it take for our partners to trust us?', true],
    ['What will it take to hear from partners？', true],
    ['What will it take to hear from partners', false],
    ['What will it take to?', false],
    ['How do we keep volunteers?', false],
    ['What does it take to keep volunteers?', false],
    ['So, what will it take to keep volunteers?', false],
    ['Volunteers', false],
    ['', false],
  ])('%j → %s', (text, expected) => {
    expect(isFramingQuestion(text)).toBe(expected);
  });
});

describe('planQuestionChanges', () => {
  it('keeps only real changes to this channel’s active questions', () => {
    const plan = planQuestionChanges(
      TWO,
      change({
        reword: [
          { id: FIRST, text: `  ${TWO[0]?.text}  ` },
          { id: SECOND, text: 'What will it take to keep volunteers?' },
          { id: idOf(99), text: 'someone else’s' },
        ],
        retire: [SECOND, SECOND, idOf(98)],
        add: ['  What will it take to grow?  ', '   '],
      }),
    );
    expect(plan).toEqual({ reword: [], retire: [SECOND], add: ['What will it take to grow?'] });
  });
});

describe('validateQuestionChanges', () => {
  const long = 'x'.repeat(MAX_QUESTION_LENGTH + 1);
  const atLimit = '🙂'.repeat(MAX_QUESTION_LENGTH);
  const cases: Array<[string, readonly ActiveQuestion[], QuestionChange, QuestionErrors]> = [
    ['a first save of two', [], change({ add: TWO.map((q) => q.text) }), {}],
    ['a first save with nothing in it', [], change(), { add: expect.stringMatching(/one to five/) }],
    [
      'retiring every question',
      TWO,
      change({ retire: [FIRST, SECOND] }),
      { retire: expect.stringMatching(/one to five/) },
    ],
    ['retiring all but one', TWO, change({ retire: [FIRST] }), {}],
    ['retiring all while adding one', TWO, change({ retire: [FIRST, SECOND], add: ['Next?'] }), {}],
    [
      'retiring ids that are not active counts for nothing',
      TWO.slice(0, 1),
      change({ retire: [SECOND] }),
      {},
    ],
    ['exactly five', many(3), change({ add: ['a?', 'b?'] }), {}],
    ['six', many(3), change({ add: ['a?', 'b?', 'c?'] }), { add: expect.stringMatching(/one to five.*6/) }],
    ['six, one of them swapped out', many(5), change({ retire: [idOf(0)], add: ['a?'] }), {}],
    [
      'already over five, adding nothing',
      many(6),
      change(),
      { retire: expect.stringMatching(/one to five/) },
    ],
    [
      'emptying a question',
      TWO,
      change({ reword: [{ id: SECOND, text: '   ' }] }),
      { [existingField(SECOND)]: expect.stringMatching(/Retire instead/) },
    ],
    [
      'emptying a question that is being retired',
      TWO,
      change({ reword: [{ id: SECOND, text: '' }], retire: [SECOND] }),
      {},
    ],
    [
      'rewording past the limit',
      TWO,
      change({ reword: [{ id: FIRST, text: long }] }),
      { [existingField(FIRST)]: expect.stringMatching(String(MAX_QUESTION_LENGTH)) },
    ],
    ['rewording to the limit in emoji', TWO, change({ reword: [{ id: FIRST, text: atLimit }] }), {}],
    [
      'adding a question past the limit',
      TWO,
      change({ add: ['What will it take?', long] }),
      { add: expect.stringMatching(String(MAX_QUESTION_LENGTH)) },
    ],
    ['a question in any phrasing', [], change({ add: ['Volunteers'] }), {}],
  ];
  it.each(cases)('%s', (_name, current, requested, expected) => {
    expect(validateQuestionChanges(current, requested)).toEqual(expected);
  });

  it('holds a team to one to five', () => {
    expect([MIN_ACTIVE_QUESTIONS, MAX_ACTIVE_QUESTIONS]).toEqual([1, 5]);
  });

  it('puts each error under the input it is about', () => {
    expect(questionErrorsByBlock({ add: 'a', retire: 'r', [existingField(FIRST)]: 'e' })).toEqual({
      [QUESTION_INPUTS.add.block]: 'a',
      [QUESTION_INPUTS.retire.block]: 'r',
      [QUESTION_INPUTS.existing(FIRST).block]: 'e',
    });
  });
});

type Block = View['blocks'][number] & {
  block_id?: string;
  text?: { text: string };
  elements?: Array<{ text: string }>;
  element?: {
    type: string;
    initial_value?: string;
    options?: Array<{ text: { text: string }; value: string }>;
    hint?: unknown;
  };
  hint?: { text: string };
};

const blocksOf = (view: View) => view.blocks as Block[];
const blockById = (view: View, blockId: string) => blocksOf(view).find((block) => block.block_id === blockId);

describe('buildQuestionsModal', () => {
  const fullest = many(MAX_ACTIVE_QUESTIONS, (index) =>
    index === 0 ? MARKUP : '🙂'.repeat(MAX_QUESTION_LENGTH),
  );

  it.each([
    ['no questions yet', []],
    ['five questions of the longest kind', fullest],
  ])('is a modal Slack accepts with %s', (_name, active) => {
    const view = buildQuestionsModal({ channelId: CHANNEL, active });
    expect(checkView(view)).toEqual([]);
    expect(view.callback_id).toBe(CALLBACKS.learningQuestions);
    expect(questionsModalMetadataSchema.parse(JSON.parse(view.private_metadata ?? ''))).toEqual({
      channelId: CHANNEL,
    });
  });

  it('offers each question for rewording in place, and for retiring', () => {
    const view = buildQuestionsModal({ channelId: CHANNEL, active: TWO });
    for (const { id, text } of TWO) {
      const input = blockById(view, QUESTION_INPUTS.existing(id).block);
      expect(input?.element).toMatchObject({ type: 'plain_text_input', initial_value: text });
    }
    const retire = blockById(view, QUESTION_INPUTS.retire.block);
    expect(retire?.element?.type).toBe('multi_static_select');
    expect(retire?.element?.options?.map((option) => option.value)).toEqual([FIRST, SECOND]);
  });

  it('with no questions yet, only asks for new ones, suggesting the framing', () => {
    const view = buildQuestionsModal({ channelId: CHANNEL, active: [] });
    expect(blockById(view, QUESTION_INPUTS.retire.block)).toBeUndefined();
    const add = blockById(view, QUESTION_INPUTS.add.block);
    expect(add?.hint?.text).toContain('What will it take to …?');
    expect(JSON.stringify(add?.element)).toMatch(/What will it take to/);
    const intro = blocksOf(view)[0]?.text?.text ?? '';
    expect(intro).toMatch(/compass/);
    expect(intro).toMatch(/Reviews and private or anonymous answers can be tagged/);
  });
});

describe('readQuestionsModal', () => {
  /** What Slack sends back for a form nobody touched: each input's initial value. */
  function untouched(view: View): Record<string, Record<string, unknown>> {
    return Object.fromEntries(
      blocksOf(view)
        .filter((block) => block.block_id && block.element)
        .map((block) => [
          block.block_id as string,
          {
            value:
              block.element?.type === 'multi_static_select'
                ? { type: 'multi_static_select', selected_options: [] }
                : { type: 'plain_text_input', value: block.element?.initial_value ?? null },
          },
        ]),
    );
  }

  it('reads an untouched form as no change at all', () => {
    const view = buildQuestionsModal({ channelId: CHANNEL, active: TWO });
    const read = readQuestionsModal(untouched(view), [FIRST, SECOND]);
    expect(read.reword).toEqual(TWO);
    expect(planQuestionChanges(TWO, read)).toEqual(change());
  });

  it('reads rewording, retiring and adding', () => {
    const values = {
      [QUESTION_INPUTS.existing(FIRST).block]: {
        value: { value: '  What will it take to reach everyone?  ' },
      },
      [QUESTION_INPUTS.existing(SECOND).block]: { value: { value: null } },
      [QUESTION_INPUTS.retire.block]: { value: { selected_options: [{ value: SECOND }] } },
      [QUESTION_INPUTS.add.block]: { value: { value: 'One?\n\n  Two?  \r\n' } },
    };
    expect(readQuestionsModal(values, [FIRST, SECOND])).toEqual({
      reword: [
        { id: FIRST, text: 'What will it take to reach everyone?' },
        { id: SECOND, text: '' },
      ],
      retire: [SECOND],
      add: ['One?', 'Two?'],
    });
  });

  it('ignores inputs for questions that were not active, and anything garbled', () => {
    const forged = idOf(7);
    const values = {
      [QUESTION_INPUTS.existing(forged).block]: { value: { value: 'taken over' } },
      [QUESTION_INPUTS.existing(FIRST).block]: { value: { value: 42 } },
      [QUESTION_INPUTS.existing(SECOND).block]: { other: { value: 'wrong action' } },
      [QUESTION_INPUTS.retire.block]: { value: { selected_options: 'all of them' } },
      [QUESTION_INPUTS.add.block]: { value: ['not', 'text'] },
    };
    expect(readQuestionsModal(values, [FIRST, SECOND])).toEqual(change());
  });
});

describe('buildQuestionsSaved', () => {
  const hints = (view: View) =>
    blocksOf(view).flatMap((block, index) =>
      block.type === 'context' && block.elements?.[0]?.text.includes('What will it take to …?')
        ? [blocksOf(view)[index - 1]?.text?.text ?? '']
        : [],
    );

  it('lists the questions and hints, gently, at the ones not framed yet', () => {
    const view = buildQuestionsSaved({ channelId: CHANNEL, active: TWO, notFramed: [SECOND] });
    expect(checkView(view)).toEqual([]);
    expect(view.callback_id).toBe(CALLBACKS.learningQuestionsSaved);
    expect(view.submit).toBeUndefined();
    expect(view.close).toMatchObject({ text: 'Done' });
    const texts = JSON.stringify(view.blocks);
    for (const { text } of TWO) expect(texts).toContain(text);
    expect(hints(view)).toEqual([expect.stringContaining('How do we keep volunteers?')]);
  });

  it.each([
    ['no questions', []],
    [
      'five of the longest, none framed',
      many(MAX_ACTIVE_QUESTIONS, (index) => (index === 0 ? MARKUP : '🙂'.repeat(MAX_QUESTION_LENGTH))),
    ],
  ])('is a view Slack accepts with %s', (_name, active) => {
    const view = buildQuestionsSaved({ channelId: CHANNEL, active, notFramed: active.map((q) => q.id) });
    expect(checkView(view)).toEqual([]);
    expect(hints(view)).toHaveLength(active.length);
  });

  it('shows what people wrote without letting it notify or disguise links', () => {
    const view = buildQuestionsSaved({
      channelId: CHANNEL,
      active: [question(FIRST, MARKUP)],
      notFramed: [],
    });
    const texts = JSON.stringify(view.blocks);
    expect(texts).toContain('&lt;!channel&gt;');
    expect(texts).not.toContain('<!channel>');
    expect(texts).not.toContain('<https://evil');
  });
});
