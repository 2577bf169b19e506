import type { KnownBlock, View } from '@slack/types';
import { describe, expect, it } from 'vitest';
import type { CheckInKind, Verdict } from '../../src/db/schema.js';
import {
  type AarDraft,
  type AarField,
  VERDICT_LABELS,
  validateAarDraft,
} from '../../src/domain/after-action.js';
import { MAX_ANSWER_LENGTH, MAX_PEOPLE } from '../../src/domain/review.js';
import {
  aarErrorsByBlock,
  aarModalMetadataSchema,
  readAarModal,
} from '../../src/slack/forms/after-action-review.js';
import { perspectiveMetadataSchema, readPerspectiveModal } from '../../src/slack/forms/perspective.js';
import { AAR_INPUTS, ACTIONS, CALLBACKS, PERSPECTIVE_INPUTS } from '../../src/slack/ids.js';
import {
  type AarForDisplay,
  type AarModalInput,
  type BeforeReviewContext,
  buildAarModal,
  buildAarSummary,
  buildCheckIn,
  buildCheckInUndeliverable,
} from '../../src/slack/views/after-action.js';
import {
  buildPerspectiveMessage,
  buildPerspectiveModal,
  PERSPECTIVE_QUESTIONS,
} from '../../src/slack/views/perspectives.js';
import {
  buildDeleteConfirm,
  deletedNotice,
  menuValue,
  parseMenuValue,
  type ReviewThing,
  voicesLine,
} from '../../src/slack/views/review-controls.js';
import { checkMessageBlocks, checkView } from '../support/fake-slack.js';

const CHANNEL = 'C0TEAM';
const REVIEW_ID = '3b9f1c2e-5d4a-4c8b-9e7f-1a2b3c4d5e6f';
const AAR_ID = '8c7b6a59-4e3d-4f2a-8b1c-0d9e8f7a6b5c';
const PERSPECTIVE_ID = '1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9';
const OCCURRENCE_ID = '7d3e2c1b-4a5f-4e6d-8c7b-9a0f1e2d3c4b';
const MARKUP = '<!channel> what went <@U123> well? <https://evil.example|click>';
const LONG = '<'.repeat(MAX_ANSWER_LENGTH);
const MANY_PEOPLE = Array.from({ length: MAX_PEOPLE }, (_, i) => `U0PERSON${String(i).padStart(2, '0')}`);

/** Every piece of text Slack would render from these blocks, wherever it sits. */
function textsIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(textsIn);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, inner]) =>
    key === 'text' && typeof inner === 'string' ? [inner] : textsIn(inner),
  );
}

const allText = (value: unknown) => textsIn(value).join('\n');

/** Markup a person typed must reach Slack escaped, or it would notify everyone or disguise a link. */
function expectNoRawMarkup(value: unknown) {
  const json = JSON.stringify(value);
  expect(json).not.toContain('<!channel>');
  expect(json).not.toContain('<@U123>');
  expect(json).not.toContain('<https://evil.example');
}

type LooseOption = { text: { text: string }; value: string };
type LooseElement = Record<string, unknown> & {
  type: string;
  options?: LooseOption[];
  initial_option?: LooseOption;
};
type LooseBlock = Record<string, unknown> & { type: string; block_id?: string; element: LooseElement };

function findBlock(view: View, blockId: string): LooseBlock | undefined {
  return view.blocks.find((candidate) => candidate.block_id === blockId) as LooseBlock | undefined;
}

function blockById(view: View, blockId: string): LooseBlock {
  const block = findBlock(view, blockId);
  if (!block) throw new Error(`no block ${blockId}`);
  return block;
}

/** What a person sees of a form's inputs, in order: each label, with "(optional)" where Slack adds it. */
function labelsShown(view: View): string[] {
  return (view.blocks as unknown as LooseBlock[])
    .filter((block) => block.type === 'input')
    .map((block) => `${(block.label as { text: string }).text}${block.optional ? ' (optional)' : ''}`);
}

function counts(view: View) {
  const inputs = (view.blocks as unknown as LooseBlock[]).filter((block) => block.type === 'input');
  return {
    blocks: view.blocks.length,
    inputs: inputs.length,
    required: inputs.filter((block) => !block.optional).length,
  };
}

/** Buttons, selects and menus in a message, wherever they sit. */
function elementsIn(blocks: readonly KnownBlock[]): Array<Record<string, unknown>> {
  return blocks.flatMap((block) => {
    const record = block as unknown as Record<string, unknown>;
    const found: Array<Record<string, unknown>> = [];
    if (Array.isArray(record.elements) && block.type === 'actions') {
      found.push(...(record.elements as Array<Record<string, unknown>>));
    }
    if (record.accessory) found.push(record.accessory as Record<string, unknown>);
    return found;
  });
}

const labels = (options: LooseOption[] | undefined) => options?.map((option) => option.text.text);
const optionValues = (element: Record<string, unknown> | undefined) =>
  (element?.options as LooseOption[] | undefined)?.map((option) => option.value);

const before: BeforeReviewContext = {
  action: 'Run the first community listening session in Leeds',
  intendedResults: 'Twenty residents attend and five name a priority we had not heard',
  hypothesis: 'If we co-host with the tenants’ association, then we expect more first-time voices.',
  lookBackOn: '2026-06-05',
};

const questions = [
  { id: '0a1b2c3d-4e5f-4a6b-8c7d-8e9fa0b1c2d3', text: 'How do we hear from people who never come?' },
  { id: '1b2c3d4e-5f6a-4b7c-8d9e-9fa0b1c2d3e4', text: 'What makes a session feel safe to speak in?' },
];

function modalInput(overrides: Partial<AarModalInput> = {}): AarModalInput {
  return {
    people: ['U0AUTHOR', 'U0TEAMMATE'],
    questions: [],
    metadata: {},
    ...overrides,
  };
}

const answered: AarDraft = {
  intended: 'Twenty residents attend',
  whatHappened: 'Fourteen came; three named something new',
  whyDifferent: 'It rained, and the bus route changed that week',
  sustain: 'Speaking in rounds',
  change: 'Check transport before picking the date',
  verdict: 'partly',
  revisedHypothesis: 'If we meet in the library, then we expect more families to come.',
  people: ['U0AUTHOR', 'U0TEAMMATE'],
  channelId: CHANNEL,
  questionId: questions[1]?.id ?? null,
};

/** The view.state.values Slack sends when the after-action review modal is submitted with these answers. */
function aarStateValues(draft: AarDraft): Record<string, Record<string, unknown>> {
  const text = (value: string) => ({ type: 'plain_text_input', value: value === '' ? null : value });
  const option = (value: string | null) => (value === null ? null : { value, text: { text: value } });
  const ids = AAR_INPUTS;
  return {
    [ids.intended.block]: { [ids.intended.action]: text(draft.intended) },
    [ids.whatHappened.block]: { [ids.whatHappened.action]: text(draft.whatHappened) },
    [ids.whyDifferent.block]: { [ids.whyDifferent.action]: text(draft.whyDifferent) },
    [ids.sustain.block]: { [ids.sustain.action]: text(draft.sustain) },
    [ids.change.block]: { [ids.change.action]: text(draft.change) },
    [ids.verdict.block]: {
      [ids.verdict.action]: { type: 'radio_buttons', selected_option: option(draft.verdict) },
    },
    [ids.revisedHypothesis.block]: { [ids.revisedHypothesis.action]: text(draft.revisedHypothesis) },
    [ids.people.block]: { [ids.people.action]: { type: 'multi_users_select', selected_users: draft.people } },
    [ids.channelId.block]: {
      [ids.channelId.action]: { type: 'conversations_select', selected_conversation: draft.channelId },
    },
    [ids.questionId.block]: {
      [ids.questionId.action]: { type: 'static_select', selected_option: option(draft.questionId) },
    },
  };
}

const TEXT_FIELDS = ['whatHappened', 'whyDifferent', 'sustain', 'change'] as const;

describe('buildAarModal', () => {
  it('shows what the before-action review set out to do, instead of asking again', () => {
    const view = buildAarModal(modalInput({ before, metadata: { reviewId: REVIEW_ID, channelId: CHANNEL } }));
    const shown = allText(view.blocks);
    expect(shown).toContain(before.action);
    expect(shown).toContain(before.intendedResults);
    expect(shown).toContain(before.hypothesis);
    expect(findBlock(view, AAR_INPUTS.intended.block)).toBeUndefined();
    // Its channel is the before-action review's own, so there is nothing to choose.
    expect(findBlock(view, AAR_INPUTS.channelId.block)).toBeUndefined();
  });

  it('asks whether the hypothesis held, with one choice per verdict', () => {
    const view = buildAarModal(modalInput({ before }));
    const verdict = blockById(view, AAR_INPUTS.verdict.block);
    expect(verdict.element).toMatchObject({ type: 'radio_buttons', action_id: AAR_INPUTS.verdict.action });
    expect(labels(verdict.element.options)).toEqual([
      'Borne out',
      'Partly borne out',
      'Not borne out',
      'Too early to tell',
    ]);
    expect(verdict.optional).toBeFalsy();
  });

  it('asks what was intended when there is no before-action review, and shares where it was started', () => {
    const view = buildAarModal(modalInput({ channelId: CHANNEL, metadata: { channelId: CHANNEL } }));
    expect(blockById(view, AAR_INPUTS.intended.block).element).toMatchObject({
      type: 'plain_text_input',
      action_id: AAR_INPUTS.intended.action,
    });
    expect(findBlock(view, AAR_INPUTS.channelId.block)).toBeUndefined();
    expect(aarModalMetadataSchema.parse(JSON.parse(view.private_metadata ?? '')).channelId).toBe(CHANNEL);
    expect(findBlock(view, AAR_INPUTS.verdict.block)).toBeUndefined();
  });

  it('asks where to share only when started outside a channel', () => {
    const view = buildAarModal(modalInput());
    expect(checkView(view)).toEqual([]);
    const channel = blockById(view, AAR_INPUTS.channelId.block);
    expect(channel.optional).toBeFalsy();
    expect(channel.element).toMatchObject({
      type: 'conversations_select',
      action_id: AAR_INPUTS.channelId.action,
    });
    expect(channel.element).not.toHaveProperty('initial_conversation');
  });

  // It asked six required answers of a team closing the loop: now what happened, why, and the verdict.
  it('asks what happened, why, and whether the hypothesis held, and the rest optionally', () => {
    const view = buildAarModal(
      modalInput({
        before,
        questions,
        channelId: CHANNEL,
        metadata: { reviewId: REVIEW_ID, channelId: CHANNEL },
      }),
    );
    expect(checkView(view)).toEqual([]);
    expect(counts(view)).toEqual({ blocks: 9, inputs: 8, required: 3 });
    expect(labelsShown(view)).toEqual([
      'What actually happened?',
      'Why was there a difference?',
      'Did our hypothesis hold?',
      'What will we sustain? (optional)',
      'What will we change? (optional)',
      'A revised hypothesis (optional)',
      'Who was involved? (optional)',
      'Which learning question does this speak to? (optional)',
    ]);
  });

  it('asks what was intended, what happened and why, and the rest optionally, without a before-action review', () => {
    const view = buildAarModal(
      modalInput({ questions, channelId: CHANNEL, metadata: { channelId: CHANNEL } }),
    );
    expect(checkView(view)).toEqual([]);
    expect(counts(view)).toEqual({ blocks: 8, inputs: 8, required: 3 });
    expect(labelsShown(view)).toEqual([
      'What did we intend?',
      'What actually happened?',
      'Why was there a difference?',
      'What will we sustain? (optional)',
      'What will we change? (optional)',
      'A revised hypothesis (optional)',
      'Who was involved? (optional)',
      'Which learning question does this speak to? (optional)',
    ]);
  });

  it('gives only what was intended, what happened and why several lines', () => {
    const view = buildAarModal(modalInput());
    const multiline = view.blocks
      .filter((block) => (block as LooseBlock).element?.multiline === true)
      .map((block) => block.block_id);
    expect(multiline).toEqual([
      AAR_INPUTS.intended.block,
      AAR_INPUTS.whatHappened.block,
      AAR_INPUTS.whyDifferent.block,
    ]);
  });

  it.each([
    ['with a before-action review', { before }],
    ['without one', {}],
  ])('asks the four after-action questions and who was involved, %s', (_name, extra) => {
    const view = buildAarModal(modalInput(extra));
    for (const field of [...TEXT_FIELDS, 'revisedHypothesis'] as const) {
      expect(blockById(view, AAR_INPUTS[field].block).element).toMatchObject({
        type: 'plain_text_input',
        action_id: AAR_INPUTS[field].action,
        max_length: MAX_ANSWER_LENGTH,
      });
    }
    expect(blockById(view, AAR_INPUTS.revisedHypothesis.block).optional).toBe(true);
    expect(blockById(view, AAR_INPUTS.people.block).optional).toBe(true);
    expect(blockById(view, AAR_INPUTS.people.block).element).toMatchObject({
      type: 'multi_users_select',
      initial_users: ['U0AUTHOR', 'U0TEAMMATE'],
      max_selected_items: MAX_PEOPLE,
    });
  });

  it('offers no learning question when the channel has none', () => {
    expect(findBlock(buildAarModal(modalInput()), AAR_INPUTS.questionId.block)).toBeUndefined();
  });

  it('offers the channel’s learning questions, optionally', () => {
    const block = blockById(buildAarModal(modalInput({ questions })), AAR_INPUTS.questionId.block);
    expect(block.optional).toBe(true);
    expect(block.element.type).toBe('static_select');
    expect(block.element.options).toEqual(
      questions.map((question) =>
        expect.objectContaining({
          value: question.id,
          text: expect.objectContaining({ text: question.text }),
        }),
      ),
    );
    expect(block.element.initial_option).toBeUndefined();
  });

  it('pre-selects the learning question the review already speaks to', () => {
    const second = questions[1]?.id ?? null;
    const block = blockById(
      buildAarModal(modalInput({ questions, initial: { questionId: second } })),
      AAR_INPUTS.questionId.block,
    );
    expect(block.element.initial_option?.value).toBe(second);
  });

  it('pre-selects nothing when the remembered question has been retired', () => {
    const block = blockById(
      buildAarModal(
        modalInput({ questions, initial: { questionId: '9e9e9e9e-9e9e-4e9e-8e9e-9e9e9e9e9e9e' } }),
      ),
      AAR_INPUTS.questionId.block,
    );
    expect(block.element.initial_option).toBeUndefined();
  });

  it('fills in the saved answers when a review is edited', () => {
    const view = buildAarModal(
      modalInput({
        before,
        questions,
        initial: answered,
        metadata: { editId: AAR_ID, reviewId: REVIEW_ID, channelId: CHANNEL },
      }),
    );
    for (const field of [...TEXT_FIELDS, 'revisedHypothesis'] as const) {
      expect(blockById(view, AAR_INPUTS[field].block).element.initial_value).toBe(answered[field]);
    }
    expect(blockById(view, AAR_INPUTS.verdict.block).element.initial_option?.value).toBe('partly');
    expect(blockById(view, AAR_INPUTS.questionId.block).element.initial_option?.value).toBe(
      answered.questionId,
    );
  });

  it('fills in what was intended when editing a review without a before-action review', () => {
    const view = buildAarModal(modalInput({ initial: answered, channelId: CHANNEL }));
    expect(blockById(view, AAR_INPUTS.intended.block).element.initial_value).toBe(answered.intended);
  });

  it('leaves the answers empty for a new review', () => {
    const view = buildAarModal(modalInput({ before }));
    for (const field of [...TEXT_FIELDS, 'revisedHypothesis'] as const) {
      expect(blockById(view, AAR_INPUTS[field].block).element).not.toHaveProperty('initial_value');
    }
    expect(blockById(view, AAR_INPUTS.verdict.block).element).not.toHaveProperty('initial_option');
  });

  it('remembers what it was opened for', () => {
    const metadata = { reviewId: REVIEW_ID, editId: AAR_ID, channelId: CHANNEL };
    const view = buildAarModal(modalInput({ before, metadata }));
    expect(view.callback_id).toBe(CALLBACKS.aarModal);
    expect(aarModalMetadataSchema.parse(JSON.parse(view.private_metadata ?? ''))).toEqual(metadata);
  });

  it('shows the before-action review’s words as written, not as Slack markup', () => {
    const view = buildAarModal(
      modalInput({ before: { ...before, action: MARKUP, intendedResults: MARKUP, hypothesis: MARKUP } }),
    );
    expectNoRawMarkup(view.blocks);
    expect(allText(view.blocks)).toContain('&lt;!channel&gt;');
  });

  // The verdict question is about this hypothesis; a long intention must not push it out of view.
  it('still shows the hypothesis when the intended results are nearly as long as allowed', () => {
    const view = buildAarModal(
      modalInput({
        before: { ...before, intendedResults: 'We hope to hear from many residents. '.repeat(80) },
      }),
    );
    expect(allText(view.blocks)).toContain(before.hypothesis);
  });

  const longQuestions = Array.from({ length: 100 }, (_, i) => ({
    id: `0a1b2c3d-4e5f-4a6b-8c7d-${String(i).padStart(12, '0')}`,
    text: LONG,
  }));
  const longDraft: AarDraft = {
    intended: LONG,
    whatHappened: LONG,
    whyDifferent: LONG,
    sustain: LONG,
    change: LONG,
    verdict: 'too_early',
    revisedHypothesis: LONG,
    people: MANY_PEOPLE,
    channelId: CHANNEL,
    questionId: longQuestions[99]?.id ?? null,
  };

  it.each([
    [
      'with a before-action review',
      { before: { ...before, action: LONG, intendedResults: LONG, hypothesis: LONG } },
    ],
    ['without one', { channelId: CHANNEL }],
  ])('is a modal Slack accepts with every answer as long as allowed, %s', (_name, extra) => {
    const view = buildAarModal(
      modalInput({
        ...extra,
        people: MANY_PEOPLE,
        questions: longQuestions,
        initial: longDraft,
        metadata: { reviewId: REVIEW_ID, editId: AAR_ID, channelId: CHANNEL },
      }),
    );
    expect(checkView(view)).toEqual([]);
  });

  it('is a modal Slack accepts when nothing is filled in yet', () => {
    expect(checkView(buildAarModal(modalInput({ people: [] })))).toEqual([]);
  });
});

const EMPTY_AAR_DRAFT: AarDraft = {
  intended: '',
  whatHappened: '',
  whyDifferent: '',
  sustain: '',
  change: '',
  verdict: null,
  revisedHypothesis: '',
  people: [],
  channelId: null,
  questionId: null,
};

describe('readAarModal', () => {
  it('reads back exactly what was submitted', () => {
    expect(readAarModal(aarStateValues(answered), null)).toEqual(answered);
  });

  // The channel of a before-action review is settled; a stale selection must not move the summary elsewhere.
  it('keeps a fixed channel whatever was selected', () => {
    const state = aarStateValues({ ...answered, channelId: 'C0ELSEWHERE' });
    expect(readAarModal(state, CHANNEL).channelId).toBe(CHANNEL);
  });

  it('shares where the form was started when it did not ask, and where was picked when it did', () => {
    const { [AAR_INPUTS.channelId.block]: _picked, ...notAsked } = aarStateValues(answered);
    expect(readAarModal(notAsked, null, 'C0STARTED').channelId).toBe('C0STARTED');
    expect(readAarModal(aarStateValues(answered), null, 'C0STARTED').channelId).toBe(CHANNEL);
  });

  it('reads cleared answers as empty', () => {
    const draft = readAarModal(
      aarStateValues({ ...answered, revisedHypothesis: '', verdict: null, questionId: null, people: [] }),
      null,
    );
    expect(draft).toMatchObject({ revisedHypothesis: '', verdict: null, questionId: null, people: [] });
  });

  it('reads a state with no blocks at all as an empty draft', () => {
    expect(readAarModal({}, null)).toEqual(EMPTY_AAR_DRAFT);
  });

  it.each<[string, string, unknown, Partial<AarDraft>]>([
    ['a text block that is a string', AAR_INPUTS.whatHappened.block, 'oops', { whatHappened: '' }],
    ['an answer that is a number', AAR_INPUTS.sustain.block, { value: { value: 42 } }, { sustain: '' }],
    ['a verdict block that is null', AAR_INPUTS.verdict.block, null, { verdict: null }],
    [
      'a verdict whose value is a number',
      AAR_INPUTS.verdict.block,
      { value: { selected_option: { value: 1 } } },
      { verdict: null },
    ],
    [
      'people that are not a list',
      AAR_INPUTS.people.block,
      { value: { selected_users: 'U0AUTHOR' } },
      { people: [] },
    ],
    [
      'a person who is not text',
      AAR_INPUTS.people.block,
      { value: { selected_users: ['U0AUTHOR', 7] } },
      { people: [] },
    ],
    [
      'a channel that is an object',
      AAR_INPUTS.channelId.block,
      { value: { selected_conversation: { id: CHANNEL } } },
      { channelId: null },
    ],
    [
      'a question under another action',
      AAR_INPUTS.questionId.block,
      { other: { selected_option: { value: 'q' } } },
      { questionId: null },
    ],
  ])('treats %s as unanswered and keeps the other answers', (_name, blockId, garbled, change) => {
    const state = { ...aarStateValues(answered), [blockId]: garbled } as Parameters<typeof readAarModal>[0];
    expect(readAarModal(state, null)).toEqual({ ...answered, ...change });
  });

  it.each([
    ['with a before-action review', true, modalInput({ before })],
    ['without one', false, modalInput()],
  ])(
    'turns an empty submission %s into messages under the modal’s own blocks',
    (_name, hasBeforeReview, input) => {
      const result = validateAarDraft(readAarModal({}, null), { hasBeforeReview });
      if (result.ok) throw new Error('an empty submission must not be accepted');
      const byBlock = aarErrorsByBlock(result.errors);
      const shown = new Set(buildAarModal(input).blocks.map((block) => block.block_id));
      // A fixed channel is never asked for, so its error could not be shown; the service always supplies one.
      const expected = Object.keys(byBlock).filter(
        (block) => hasBeforeReview === false || block !== AAR_INPUTS.channelId.block,
      );
      for (const blockId of expected) expect(shown.has(blockId)).toBe(true);
      expect(Object.keys(byBlock)).toHaveLength(Object.keys(result.errors).length);
    },
  );
});

describe('aarErrorsByBlock', () => {
  const fields = Object.entries(AAR_INPUTS).map(([field, ids]) => [field as AarField, ids.block] as const);

  it.each(fields)('puts a %s error under block %s', (field, block) => {
    expect(aarErrorsByBlock({ [field]: 'Fix this.' })).toEqual({ [block]: 'Fix this.' });
  });

  it('maps several errors at once, and nothing when there are none', () => {
    expect(aarErrorsByBlock({ sustain: 'S', verdict: 'V' })).toEqual({ aar_sustain: 'S', aar_verdict: 'V' });
    expect(aarErrorsByBlock({})).toEqual({});
  });
});

function aar(overrides: Partial<AarForDisplay> = {}): AarForDisplay {
  return {
    id: AAR_ID,
    authorId: 'U0AUTHOR',
    intended: 'Twenty residents attend',
    whatHappened: 'Fourteen came; three named something new',
    whyDifferent: 'It rained, and the bus route changed that week',
    sustain: 'Speaking in rounds',
    change: 'Check transport before picking the date',
    verdict: 'partly',
    revisedHypothesis: 'If we meet in the library, then we expect more families to come.',
    people: ['U0AUTHOR', 'U0TEAMMATE', 'U0THIRD'],
    ...overrides,
  };
}

const VOICES = { added: 2, involved: 3, anonymous: 1 };

function fieldTexts(blocks: readonly KnownBlock[]): string[] {
  return blocks.flatMap((block) =>
    block.type === 'section' && block.fields ? block.fields.map((field) => field.text) : [],
  );
}

describe('buildAarSummary', () => {
  it('is headed "After-action review"', () => {
    const { blocks } = buildAarSummary(aar(), before, VOICES);
    expect(blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'After-action review' } });
  });

  it('shows the five answers under their labels, taking the intention from the before-action review', () => {
    const { blocks } = buildAarSummary(aar(), before, VOICES);
    expect(fieldTexts(blocks)).toEqual([
      `*What we intended*\n${before.intendedResults}`,
      '*What actually happened*\nFourteen came; three named something new',
      '*Why the difference*\nIt rained, and the bus route changed that week',
      '*What we will sustain*\nSpeaking in rounds',
      '*What we will change*\nCheck transport before picking the date',
    ]);
    expect(allText(blocks)).toContain(before.action);
  });

  it('says "Nothing noted" under what to sustain and change when they were left empty', () => {
    const { blocks } = buildAarSummary(
      aar({ sustain: '', change: '', revisedHypothesis: null }),
      before,
      VOICES,
    );
    expect(checkMessageBlocks(blocks)).toEqual([]);
    expect(fieldTexts(blocks).slice(3)).toEqual([
      '*What we will sustain*\n_Nothing noted_',
      '*What we will change*\n_Nothing noted_',
    ]);
  });

  it('shows what was intended as written when there is no before-action review', () => {
    const { blocks } = buildAarSummary(aar(), undefined, VOICES);
    expect(fieldTexts(blocks)[0]).toBe('*What we intended*\nTwenty residents attend');
  });

  it.each(Object.entries(VERDICT_LABELS) as Array<[Verdict, string]>)(
    'shows the hypothesis with the verdict %s',
    (verdict, label) => {
      const { text, blocks } = buildAarSummary(aar({ verdict }), before, VOICES);
      const shown = allText(blocks);
      expect(shown).toContain(`*Our hypothesis:* ${before.hypothesis}`);
      expect(shown).toContain(`*Verdict:* ${label}`);
      expect(text).toContain(label.toLowerCase());
    },
  );

  it('shows no hypothesis or verdict when there is no before-action review', () => {
    const { blocks } = buildAarSummary(aar(), undefined, VOICES);
    expect(allText(blocks)).not.toMatch(/Our hypothesis|Verdict/);
  });

  it('shows the revised hypothesis only when there is one', () => {
    const withIt = allText(buildAarSummary(aar(), before, VOICES).blocks);
    expect(withIt).toContain(
      '*Revised hypothesis:* If we meet in the library, then we expect more families to come.',
    );
    const without = allText(buildAarSummary(aar({ revisedHypothesis: null }), before, VOICES).blocks);
    expect(without).not.toContain('Revised hypothesis');
  });

  it('names the people involved and who wrote it', () => {
    const shown = allText(buildAarSummary(aar(), before, VOICES).blocks);
    expect(shown).toContain('<@U0AUTHOR>, <@U0TEAMMATE>, <@U0THIRD>');
    expect(shown).toContain('Reviewed by <@U0AUTHOR>');
  });

  it.each([
    [VOICES, '2 of 3 people involved have added theirs, plus 1 anonymous perspective'],
    [{ added: 1, involved: 1, anonymous: 0 }, '1 of 1 person involved has added theirs'],
  ])('says how many voices are in: %j', (voices, line) => {
    expect(allText(buildAarSummary(aar(), before, voices).blocks)).toContain(line);
  });

  it('offers everyone a way to add their perspective, and its author a menu', () => {
    const elements = elementsIn(buildAarSummary(aar(), before, VOICES).blocks);
    const button = elements.find((element) => element.type === 'button');
    expect(button).toMatchObject({
      action_id: ACTIONS.addPerspective,
      text: { text: 'Add my perspective' },
      value: `after:${AAR_ID}`,
    });
    const menu = elements.find((element) => element.type === 'overflow');
    expect(menu?.action_id).toBe(ACTIONS.reviewMenu);
    expect(optionValues(menu)).toEqual([`edit:after:${AAR_ID}`, `delete:after:${AAR_ID}`]);
  });

  it('shows what people wrote as written, not as Slack markup', () => {
    const message = buildAarSummary(
      aar({
        intended: MARKUP,
        whatHappened: MARKUP,
        whyDifferent: MARKUP,
        sustain: MARKUP,
        change: MARKUP,
        revisedHypothesis: MARKUP,
      }),
      { ...before, action: MARKUP, hypothesis: MARKUP },
      VOICES,
    );
    expectNoRawMarkup(message);
    expect(fieldTexts(message.blocks)[1]).toBe(
      '*What actually happened*\n&lt;!channel&gt; what went &lt;@U123&gt; well? &lt;https://evil.example|click&gt;',
    );
  });

  it('keeps the notification text to the action and the verdict', () => {
    expect(buildAarSummary(aar(), before, VOICES).text).toBe(
      `After-action review: ${before.action}. Hypothesis: partly borne out.`,
    );
    expect(buildAarSummary(aar(), undefined, VOICES).text).toBe(
      'After-action review: Twenty residents attend.',
    );
  });

  it.each([
    ['with a before-action review', { ...before, action: LONG, hypothesis: LONG, intendedResults: LONG }],
    ['without one', undefined],
  ])('is a message Slack accepts with every answer as long as allowed, %s', (_name, context) => {
    const message = buildAarSummary(
      aar({
        intended: LONG,
        whatHappened: LONG,
        whyDifferent: LONG,
        sustain: LONG,
        change: LONG,
        revisedHypothesis: LONG,
        people: MANY_PEOPLE,
      }),
      context,
      { added: MAX_PEOPLE, involved: MAX_PEOPLE, anonymous: 999 },
    );
    expect(checkMessageBlocks(message.blocks)).toEqual([]);
    expect(message.text.length).toBeLessThanOrEqual(3000);
  });
});

function checkIn(kind: CheckInKind, overrides: Partial<Parameters<typeof buildCheckIn>[1]> = {}) {
  return buildCheckIn(kind, {
    occurrenceId: OCCURRENCE_ID,
    reviewId: REVIEW_ID,
    action: before.action,
    lookBackOn: '2026-06-05',
    timeZone: 'Europe/London',
    people: ['U0AUTHOR', 'U0TEAMMATE'],
    departed: 0,
    ...overrides,
  });
}

const CHECK_IN_KINDS: CheckInKind[] = ['pre_check_in', 'post_check_in', 'aar_reminder'];

describe('buildCheckIn', () => {
  it('asks before the action how confident the team is, from 1 to 5', () => {
    const { blocks, text } = checkIn('pre_check_in');
    expect(text).toBe(`Pre-action check-in: ${before.action}`);
    const select = elementsIn(blocks).find((element) => element.type === 'static_select');
    expect(select?.action_id).toBe(ACTIONS.checkInConfidence);
    expect(labels(select?.options as LooseOption[])).toEqual([
      '1 of 5',
      '2 of 5',
      '3 of 5',
      '4 of 5',
      '5 of 5',
    ]);
    expect(optionValues(select)).toEqual([1, 2, 3, 4, 5].map((level) => `${OCCURRENCE_ID}|${level}`));
    expect(elementsIn(blocks).some((element) => element.type === 'button')).toBe(false);
  });

  it('reminds the team on the look-back day what they planned', () => {
    const { text, blocks } = checkIn('post_check_in');
    expect(text).toBe(`Time to look back: ${before.action}`);
    expect(allText(blocks)).toContain(
      'We planned to look back on <!date^1780657200^{date_long_pretty}|Friday 5 June 2026>.',
    );
  });

  it('says a review is still waiting when the reminder comes', () => {
    expect(checkIn('aar_reminder').text).toBe(`Still waiting for its look-back: ${before.action}`);
  });

  it.each<CheckInKind>(['post_check_in', 'aar_reminder'])(
    '%s offers to start the after-action review',
    (kind) => {
      const elements = elementsIn(checkIn(kind).blocks);
      expect(elements).toEqual([
        expect.objectContaining({
          type: 'button',
          action_id: ACTIONS.startAar,
          text: expect.objectContaining({ text: 'Start after-action review' }),
          value: REVIEW_ID,
        }),
      ]);
    },
  );

  it.each(CHECK_IN_KINDS)('%s mentions the people involved', (kind) => {
    expect(allText(checkIn(kind).blocks)).toContain('<@U0AUTHOR>, <@U0TEAMMATE>');
  });

  it.each(
    CHECK_IN_KINDS.flatMap((kind) => [
      [kind, 0, null],
      [kind, 1, '1 person involved is no longer in this workspace'],
      [kind, 2, '2 people involved are no longer in this workspace'],
    ]) as Array<[CheckInKind, number, string | null]>,
  )('%s with %i departed people says so only when there are some', (kind, departed, line) => {
    const shown = allText(checkIn(kind, { departed }).blocks);
    if (line) expect(shown).toContain(line);
    else expect(shown).not.toContain('no longer in this workspace');
  });

  it.each(CHECK_IN_KINDS)('%s shows the action as written, not as Slack markup', (kind) => {
    expectNoRawMarkup(checkIn(kind, { action: MARKUP }));
  });

  it.each(CHECK_IN_KINDS)('%s is a message Slack accepts at its longest', (kind) => {
    const message = checkIn(kind, { action: LONG, people: MANY_PEOPLE, departed: MAX_PEOPLE });
    expect(checkMessageBlocks(message.blocks)).toEqual([]);
  });

  it.each(CHECK_IN_KINDS)('%s is a message Slack accepts with nobody left to mention', (kind) => {
    expect(checkMessageBlocks(checkIn(kind, { people: [], departed: 2 }).blocks)).toEqual([]);
  });
});

describe('buildCheckInUndeliverable', () => {
  it.each([
    ['is_archived', 'because the channel is archived'],
    ['channel_not_found', 'because I can no longer see the channel'],
    ['not_in_channel', 'because I am no longer a member of the channel'],
    ['ratelimited', 'because Slack refused the post (ratelimited)'],
  ])('explains %s to the author and keeps the review', (error, reason) => {
    const { text, blocks } = buildCheckInUndeliverable(before.action, CHANNEL, error);
    expect(text).toContain(reason);
    expect(text).toContain(`<#${CHANNEL}>`);
    expect(text).toContain('The review is kept');
    expect(allText(blocks)).toBe(text);
    expect(checkMessageBlocks(blocks)).toEqual([]);
  });

  it('shows an unknown error code and the action as written, not as Slack markup', () => {
    const message = buildCheckInUndeliverable(MARKUP, CHANNEL, '<!channel>');
    expectNoRawMarkup(message);
    expect(message.text).toContain('Slack refused the post (&lt;!channel&gt;)');
  });

  it('is a message Slack accepts with a long action and error', () => {
    const message = buildCheckInUndeliverable(LONG, CHANNEL, LONG);
    expect(checkMessageBlocks(message.blocks)).toEqual([]);
  });
});

const beforeKeys = ['intendedResults', 'anticipatedChallenges', 'lessonsFromBefore', 'successFactors'];
const afterKeys = ['whatHappened', 'whyDifferent', 'sustain', 'change'];

function perspectiveModal(overrides: Partial<Parameters<typeof buildPerspectiveModal>[0]> = {}) {
  return buildPerspectiveModal({
    metadata: { target: 'after', id: AAR_ID },
    subject: before.action,
    allowAnonymous: true,
    ...overrides,
  });
}

describe('buildPerspectiveModal', () => {
  it('asks the before-action questions about a before-action review, with no anonymity', () => {
    const view = perspectiveModal({ metadata: { target: 'before', id: REVIEW_ID }, allowAnonymous: false });
    const inputs = view.blocks.filter((block) => block.type === 'input') as LooseBlock[];
    expect(inputs.map((block) => block.block_id)).toEqual(
      beforeKeys.map((key) => PERSPECTIVE_INPUTS.answer(key).block),
    );
    expect(inputs.map((block) => (block.label as { text: string }).text)).toEqual([
      'What results do you intend, and how will you know?',
      'What challenges do you anticipate?',
      'What have you learned from similar situations?',
      'What will make us successful this time?',
    ]);
    expect(findBlock(view, PERSPECTIVE_INPUTS.anonymous.block)).toBeUndefined();
  });

  it('asks the after-action questions and offers to share anonymously', () => {
    const view = perspectiveModal();
    for (const key of afterKeys) {
      const block = blockById(view, PERSPECTIVE_INPUTS.answer(key).block);
      expect(block.optional).toBe(true);
      expect(block.element).toMatchObject({ type: 'plain_text_input', max_length: MAX_ANSWER_LENGTH });
    }
    const anonymous = blockById(view, PERSPECTIVE_INPUTS.anonymous.block);
    expect(anonymous.element.type).toBe('checkboxes');
    expect(optionValues(anonymous.element)).toEqual(['anonymous']);
    expect(view.title).toMatchObject({ text: 'Add my perspective' });
  });

  // An edited perspective already carries a name; ticking "anonymous" then could not take it back.
  it('is titled "Edit my perspective" and offers no anonymity when editing', () => {
    const view = perspectiveModal({ metadata: { target: 'after', id: AAR_ID, editId: PERSPECTIVE_ID } });
    expect(view.title).toMatchObject({ text: 'Edit my perspective' });
    expect(findBlock(view, PERSPECTIVE_INPUTS.anonymous.block)).toBeUndefined();
  });

  it('fills in the answers already given', () => {
    const view = perspectiveModal({ initial: { whatHappened: 'Fewer came', change: 'Book earlier' } });
    expect(blockById(view, PERSPECTIVE_INPUTS.answer('whatHappened').block).element.initial_value).toBe(
      'Fewer came',
    );
    expect(blockById(view, PERSPECTIVE_INPUTS.answer('change').block).element.initial_value).toBe(
      'Book earlier',
    );
    expect(blockById(view, PERSPECTIVE_INPUTS.answer('sustain').block).element).not.toHaveProperty(
      'initial_value',
    );
  });

  it('remembers what it is a perspective on', () => {
    const metadata = { target: 'before' as const, id: REVIEW_ID, editId: PERSPECTIVE_ID };
    const view = perspectiveModal({ metadata });
    expect(view.callback_id).toBe(CALLBACKS.perspectiveModal);
    expect(perspectiveMetadataSchema.parse(JSON.parse(view.private_metadata ?? ''))).toEqual(metadata);
  });

  it('shows the subject as written, not as Slack markup', () => {
    const view = perspectiveModal({ subject: MARKUP });
    expectNoRawMarkup(view.blocks);
    expect(allText(view.blocks)).toContain('&lt;!channel&gt;');
  });

  it.each([
    ['before', { target: 'before' as const, id: REVIEW_ID }, false],
    ['after', { target: 'after' as const, id: AAR_ID }, true],
    ['after, edited', { target: 'after' as const, id: AAR_ID, editId: PERSPECTIVE_ID }, true],
  ])('is a modal Slack accepts at its longest: %s', (_name, metadata, allowAnonymous) => {
    const initial = Object.fromEntries(PERSPECTIVE_QUESTIONS[metadata.target].map(([key]) => [key, LONG]));
    const view = perspectiveModal({
      metadata,
      allowAnonymous,
      subject: LONG,
      initial,
      notice: '<@U0AUTHOR> saved the after-action review for this a moment ago.',
    });
    expect(checkView(view)).toEqual([]);
  });
});

function perspectiveState(answers: Record<string, unknown>, anonymous: unknown = undefined) {
  const values: Record<string, Record<string, unknown>> = {};
  for (const [key, value] of Object.entries(answers)) {
    values[PERSPECTIVE_INPUTS.answer(key).block] = {
      [PERSPECTIVE_INPUTS.answer(key).action]: { type: 'plain_text_input', value },
    };
  }
  if (anonymous !== undefined) {
    values[PERSPECTIVE_INPUTS.anonymous.block] = {
      [PERSPECTIVE_INPUTS.anonymous.action]: { type: 'checkboxes', selected_options: anonymous },
    };
  }
  return values;
}

describe('readPerspectiveModal', () => {
  it('keeps the trimmed answers and drops the empty ones', () => {
    const state = perspectiveState({
      whatHappened: '  Fewer came \n',
      whyDifferent: '   ',
      sustain: null,
      change: 'Book earlier',
    });
    expect(readPerspectiveModal(state, 'after')).toEqual({
      answers: { whatHappened: 'Fewer came', change: 'Book earlier' },
      anonymous: false,
    });
  });

  it('reads only the questions asked about that kind of review', () => {
    const state = perspectiveState({ intendedResults: 'Twenty people', whatHappened: 'Fewer came' });
    expect(readPerspectiveModal(state, 'before').answers).toEqual({ intendedResults: 'Twenty people' });
  });

  it.each<[string, unknown, boolean]>([
    ['ticked', [{ value: 'anonymous' }], true],
    ['left empty', [], false],
    ['absent', undefined, false],
    ['not a list', 'anonymous', false],
    ['some other value', [{ value: 'named' }], false],
  ])('reads anonymity %s', (_name, selected, expected) => {
    expect(readPerspectiveModal(perspectiveState({ sustain: 'Rounds' }, selected), 'after').anonymous).toBe(
      expected,
    );
  });

  it('treats garbled answers as unanswered', () => {
    const state = {
      ...perspectiveState({ change: 'Book earlier' }),
      [PERSPECTIVE_INPUTS.answer('sustain').block]: 'oops',
      [PERSPECTIVE_INPUTS.answer('whatHappened').block]: { value: { value: 42 } },
    } as Parameters<typeof readPerspectiveModal>[0];
    expect(readPerspectiveModal(state, 'after')).toEqual({
      answers: { change: 'Book earlier' },
      anonymous: false,
    });
  });
});

describe('buildPerspectiveMessage', () => {
  const named = {
    id: PERSPECTIVE_ID,
    target: 'after' as const,
    userId: 'U0TEAMMATE',
    answers: { whatHappened: 'Fewer came', change: 'Book earlier' },
  };

  it('names its author and gives them a menu', () => {
    const { text, blocks } = buildPerspectiveMessage(named);
    expect(text).toBe('Perspective from <@U0TEAMMATE>');
    const menu = elementsIn(blocks).find((element) => element.type === 'overflow');
    expect(optionValues(menu)).toEqual([
      `edit:perspective:${PERSPECTIVE_ID}`,
      `delete:perspective:${PERSPECTIVE_ID}`,
    ]);
  });

  it('shows only the questions that were answered, under their labels', () => {
    expect(fieldTexts(buildPerspectiveMessage(named).blocks)).toEqual([
      '*What actually happened, as you saw it?*\nFewer came',
      '*What should we change?*\nBook earlier',
    ]);
  });

  // Nothing links an anonymous perspective to anyone, so no one could be checked as its owner.
  it('says "An anonymous perspective", with no menu and no user anywhere', () => {
    const message = buildPerspectiveMessage({ ...named, userId: null });
    expect(message.text).toBe('An anonymous perspective');
    expect(allText(message.blocks)).toContain('An anonymous perspective');
    expect(elementsIn(message.blocks)).toEqual([]);
    expect(JSON.stringify(message)).not.toMatch(/<@|U0TEAMMATE/);
  });

  it('shows answers as written, not as Slack markup', () => {
    const message = buildPerspectiveMessage({ ...named, answers: { sustain: MARKUP } });
    expectNoRawMarkup(message);
  });

  it.each(['before', 'after'] as const)('is a message Slack accepts at its longest (%s)', (target) => {
    const answers = Object.fromEntries(PERSPECTIVE_QUESTIONS[target].map(([key]) => [key, LONG]));
    const message = buildPerspectiveMessage({ ...named, target, answers });
    expect(checkMessageBlocks(message.blocks)).toEqual([]);
  });

  it('is a message Slack accepts with no answers at all', () => {
    expect(checkMessageBlocks(buildPerspectiveMessage({ ...named, answers: {} }).blocks)).toEqual([]);
  });
});

const THINGS: ReviewThing[] = ['before', 'after', 'perspective'];

describe('menuValue and parseMenuValue', () => {
  it.each(THINGS.flatMap((thing) => (['edit', 'delete'] as const).map((verb) => [verb, thing] as const)))(
    'reads back %s of a %s',
    (verb, thing) => {
      expect(parseMenuValue(menuValue(verb, thing, REVIEW_ID))).toEqual({ verb, thing, id: REVIEW_ID });
    },
  );

  it.each([
    ['an unknown verb', `share:before:${REVIEW_ID}`],
    ['an unknown thing', `edit:question:${REVIEW_ID}`],
    ['a short id', 'edit:before:3b9f1c2e'],
    ['an id with a letter beyond f', `edit:before:${REVIEW_ID.replace('3b9f', '3b9g')}`],
    ['something after the id', `edit:before:${REVIEW_ID}:more`],
    ['a missing part', `edit:${REVIEW_ID}`],
    ['nothing', ''],
    // Right length and alphabet, but not a uuid: the database would reject it as an id.
    ['only dashes', `delete:after:${'-'.repeat(36)}`],
  ])('refuses %s', (_name, value) => {
    expect(parseMenuValue(value)).toBeUndefined();
  });
});

describe('voicesLine', () => {
  it.each([
    [
      { added: 2, involved: 3, anonymous: 1 },
      '2 of 3 people involved have added theirs, plus 1 anonymous perspective',
    ],
    [{ added: 1, involved: 1, anonymous: 0 }, '1 of 1 person involved has added theirs'],
    [{ added: 1, involved: 4, anonymous: 0 }, '1 of 4 people involved has added theirs'],
    [
      { added: 0, involved: 3, anonymous: 2 },
      '0 of 3 people involved have added theirs, plus 2 anonymous perspectives',
    ],
  ])('for %j says "%s"', (voices, line) => {
    expect(voicesLine(voices)).toEqual({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `:speech_balloon: ${line}` }],
    });
  });
});

describe('buildDeleteConfirm', () => {
  it.each([
    [
      'before',
      'before-action review',
      'Its perspectives, its check-ins and the answers given to them are deleted with it',
    ],
    [
      'after',
      'after-action review',
      'A before-action review it looked back on opens again, waiting for a look-back.',
    ],
    ['perspective', 'perspective', 'the count of perspectives goes down by one'],
  ] as Array<[ReviewThing, string, string]>)(
    'asks before deleting a %s, saying what goes with it',
    (thing, name, goes) => {
      const view = buildDeleteConfirm(thing, AAR_ID);
      expect(checkView(view)).toEqual([]);
      expect(view.callback_id).toBe(CALLBACKS.confirmDelete);
      expect(JSON.parse(view.private_metadata)).toEqual({ thing, id: AAR_ID });
      expect(allText(view.blocks)).toContain(`Delete this ${name}?`);
      expect(allText(view.blocks)).toContain(goes);
      expect(allText(view.blocks)).toContain('cannot be undone');
      expect(view.close.text).toBe('Keep it');
    },
  );
});

describe('deletedNotice', () => {
  it.each([
    ['before', '_This before-action review was deleted by its author._'],
    ['after', '_This after-action review was deleted by its author._'],
    ['perspective', '_This perspective was deleted by its author._'],
  ] as Array<[ReviewThing, string]>)('leaves a note where a %s was', (thing, text) => {
    const notice = deletedNotice(thing);
    expect(notice.text).toBe(text);
    expect(allText(notice.blocks)).toBe(text);
    expect(checkMessageBlocks(notice.blocks)).toEqual([]);
  });
});
