import type { AnyBlock, SectionBlock, View } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { type BarField, MAX_PEOPLE, validateBarDraft } from '../../src/domain/review.js';
import {
  BAR_FIELD_INPUTS,
  barErrorsByBlock,
  barModalMetadataSchema,
  readBarModal,
} from '../../src/slack/forms/before-action-review.js';
import { ACTIONS, BAR_EXTRA_INPUTS, BAR_INPUTS, CALLBACKS } from '../../src/slack/ids.js';
import { type BarModalInput, buildBarModal, LESSONS_BLOCK_ID } from '../../src/slack/views/bar-modal.js';
import {
  buildBarSummary,
  buildReviewInFull,
  buildShareFailedNotice,
  type ReviewForDisplay,
  type ShareProblem,
} from '../../src/slack/views/bar-summary.js';
import { buildHome, type HomeReview, MAX_HOME_REVIEWS } from '../../src/slack/views/home.js';
import { buildOpenReviews, MAX_LISTED_REVIEWS, type OpenReview } from '../../src/slack/views/open-reviews.js';
import { barAnswers, barDraft, barStateValues } from '../support/factories.js';
import { checkMessageBlocks, checkView } from '../support/fake-slack.js';

const REVIEW_ID = '0b9f3c1e-5d7a-4c2b-9e8f-1a2b3c4d5e6f';
const TODAY = '2026-11-21';
/** Midday in London, where the reviews listed below are dated, so there it is TODAY. */
const NOW = new Date('2026-11-21T12:00:00Z');
const MENTIONS_AND_MARKUP = '*bold* <!channel> <@U123> DROP TABLE x; --';

function review(overrides: Partial<ReviewForDisplay> = {}): ReviewForDisplay {
  const { lookBackOn, channelId, ...answers } = barAnswers();
  return {
    id: REVIEW_ID,
    authorId: 'U0AUTHOR',
    ...answers,
    lookBackOn: lookBackOn ?? '2026-11-28',
    channelId: channelId ?? 'C0TEAM',
    timeZone: 'Europe/London',
    ...overrides,
  };
}

function modalInput(overrides: Partial<BarModalInput> = {}): BarModalInput {
  return {
    action: 'Run the first community listening session in Leeds',
    channelId: 'C0TEAM',
    authorId: 'U0AUTHOR',
    lookBackOn: '2026-11-28',
    metadata: { timeZone: 'Europe/London' },
    ...overrides,
  };
}

function unescapeMrkdwn(mrkdwn: string): string {
  const entities: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>' };
  return mrkdwn.replace(/&(?:amp|lt|gt);/g, (entity) => entities[entity] as string);
}

/** Every piece of text Slack would render from these blocks, wherever it sits. */
function textsIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(textsIn);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, inner]) =>
    key === 'text' && typeof inner === 'string' ? [inner] : textsIn(inner),
  );
}

function blockById(
  view: View,
  blockId: string,
): Record<string, unknown> & { element: Record<string, unknown> } {
  const block = view.blocks.find((candidate) => candidate.block_id === blockId);
  if (!block) throw new Error(`no block ${blockId}`);
  return block as unknown as Record<string, unknown> & { element: Record<string, unknown> };
}

function sectionText(block: AnyBlock | undefined): string {
  return block?.type === 'section' ? ((block as SectionBlock).text?.text ?? '') : '';
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const FULL_LABELS = [
  'What we are about to do',
  'Intended results',
  'Challenges we anticipate',
  'Lessons from before',
  'What will make us successful',
  'Our hypothesis',
];

/** The text shown under each heading of the "read in full" modal, as the reader sees it. */
function readInFull(view: View): Record<string, string> {
  const shown: Record<string, string> = {};
  let heading: string | undefined;
  for (const block of view.blocks) {
    const text = sectionText(block);
    const label = FULL_LABELS.find((candidate) => text === `*${candidate}*`);
    if (label) {
      heading = label;
      shown[label] = '';
    } else if (block.type === 'section' && heading) {
      shown[heading] += unescapeMrkdwn(text);
    }
  }
  return shown;
}

const EXTREMES: Array<[string, string]> = [
  ['ampersands', '&'.repeat(3000)],
  ['angle brackets', '<'.repeat(3000)],
  ['emoji', '😀'.repeat(3000)],
  ['family emoji', '👩‍👩‍👧'.repeat(600)],
  ['one long word', 'x'.repeat(3000)],
  ['short words', 'ab '.repeat(1000).trim()],
  ['markup', '<!channel> '.repeat(272).trim()],
];

const THIRTY_PEOPLE = Array.from({ length: MAX_PEOPLE }, (_, i) => `U0PERSON${String(i).padStart(2, '0')}`);

function extremeReview(text: string): ReviewForDisplay {
  return review({
    action: text,
    intendedResults: text,
    anticipatedChallenges: text,
    lessonsFromBefore: text,
    successFactors: text,
    hypothesisIf: text,
    hypothesisThen: text,
    hypothesisBecause: text,
    people: THIRTY_PEOPLE,
  });
}

describe('every view stays within what Slack accepts', () => {
  describe.each(EXTREMES)('when every answer is 3000 characters of %s', (_name, text) => {
    const extreme = extremeReview(text);

    it('the summary message', () => {
      const summary = buildBarSummary(extreme);
      expect(checkMessageBlocks(summary.blocks)).toEqual([]);
      expect(summary.text.length).toBeLessThanOrEqual(3000);
      expect(summary.text).not.toMatch(LONE_SURROGATE);
      for (const shown of textsIn(summary.blocks)) expect(shown).not.toMatch(LONE_SURROGATE);
    });

    it('the read-in-full modal, which still shows every answer whole', () => {
      const view = buildReviewInFull(extreme);
      expect(checkView(view)).toEqual([]);
      const shown = readInFull(view);
      expect(shown['What we are about to do']).toBe(text);
      expect(shown['Intended results']).toBe(text);
      expect(shown['Lessons from before']).toBe(text);
    });

    it.each(['not_in_channel', 'channel_not_found', 'is_archived', 'other'] as const)(
      'the share-failed notice (%s)',
      (problem) => {
        const notice = buildShareFailedNotice(extreme, problem);
        expect(checkMessageBlocks(notice.blocks)).toEqual([]);
        expect(notice.text.length).toBeLessThanOrEqual(3000);
      },
    );

    it('the open-reviews list', () => {
      const reviews = Array.from(
        { length: MAX_LISTED_REVIEWS + 5 },
        (): OpenReview => ({ ...extreme, timeZone: 'Pacific/Auckland' }),
      );
      expect(checkMessageBlocks(buildOpenReviews(reviews, 500, NOW, 'C0TEAM').blocks)).toEqual([]);
    });

    it('the App Home', () => {
      const reviews = Array.from({ length: 60 }, (): HomeReview => ({ ...extreme }));
      expect(checkView(buildHome(reviews))).toEqual([]);
    });

    it('the modal prefilled with that action', () => {
      const view = buildBarModal(modalInput({ action: text }));
      expect(checkView(view)).toEqual([]);
    });
  });
});

describe('buildBarSummary', () => {
  const summary = buildBarSummary(
    review({ people: ['U0AUTHOR', 'U0TEAMMATE', 'U0THIRD'], lessonsFromBefore: '' }),
  );
  const [header, action, hypothesis, answers, context, buttons] = summary.blocks;

  it('is a valid message', () => {
    expect(checkMessageBlocks(summary.blocks)).toEqual([]);
  });

  it('opens with the header "Before-action review" and the action', () => {
    expect(header).toMatchObject({
      type: 'header',
      text: { type: 'plain_text', text: 'Before-action review' },
    });
    expect(sectionText(action)).toBe('*Run the first community listening session in Leeds*');
  });

  it('states the hypothesis as one sentence', () => {
    expect(sectionText(hypothesis)).toContain(
      'If we co-host with a group residents already trust, then we expect more first-time voices will speak, because trust travels through existing relationships.',
    );
  });

  it('shows a hypothesis written in the team’s own words as it was written', () => {
    const ownWords = buildBarSummary(
      review({
        hypothesisIf: 'Co-hosting brings out first-time voices',
        hypothesisThen: '',
        hypothesisBecause: null,
      }),
    );
    expect(sectionText(ownWords.blocks[2])).toBe(
      ':bulb: *Our hypothesis*\nCo-hosting brings out first-time voices.',
    );
  });

  it('says "Nothing noted" under each answer a review saved with only the required ones left empty', () => {
    const light = buildBarSummary(
      review({ anticipatedChallenges: '', lessonsFromBefore: '', successFactors: '' }),
    );
    expect(checkMessageBlocks(light.blocks)).toEqual([]);
    const fields =
      light.blocks[3]?.type === 'section' ? (light.blocks[3].fields ?? []).map((field) => field.text) : [];
    expect(fields).toEqual([
      '*Intended results*\nTwenty residents attend and at least five name a local priority we had not heard before',
      '*Challenges we anticipate*\n_Nothing noted_',
      '*Lessons from before*\n_Nothing noted_',
      '*What will make us successful*\n_Nothing noted_',
    ]);
  });

  it('labels the four answers, and says so when nothing was noted', () => {
    const fields = answers?.type === 'section' ? (answers.fields ?? []).map((field) => field.text) : [];
    expect(fields).toEqual([
      '*Intended results*\nTwenty residents attend and at least five name a local priority we had not heard before',
      '*Challenges we anticipate*\nTurnout on a weekday evening; the room may be dominated by the usual voices',
      '*Lessons from before*\n_Nothing noted_',
      '*What will make us successful*\nCo-hosting with the tenants’ association and speaking in rounds',
    ]);
  });

  it('gives the look-back date in words and mentions everyone involved', () => {
    const text = textsIn(context).join('\n');
    expect(text).toContain('Saturday 28 November 2026');
    for (const person of ['U0AUTHOR', 'U0TEAMMATE', 'U0THIRD']) expect(text).toContain(`<@${person}>`);
    expect(summary.text).toContain('Saturday 28 November 2026');
  });

  it('mentions all thirty people when the review has the most allowed', () => {
    const text = textsIn(buildBarSummary(review({ people: THIRTY_PEOPLE })).blocks).join('\n');
    for (const person of THIRTY_PEOPLE) expect(text).toContain(`<@${person}>`);
  });

  it('offers a perspective, the review in full, and its author a menu to edit or delete it', () => {
    expect(buttons).toMatchObject({
      type: 'actions',
      elements: [
        { type: 'button', action_id: ACTIONS.addPerspective, value: `before:${REVIEW_ID}` },
        { type: 'button', action_id: ACTIONS.readReviewInFull, value: REVIEW_ID },
        {
          type: 'overflow',
          action_id: ACTIONS.reviewMenu,
          options: [{ value: `edit:before:${REVIEW_ID}` }, { value: `delete:before:${REVIEW_ID}` }],
        },
      ],
    });
  });

  it('counts the voices that have added theirs, without naming who has not', () => {
    const counted = buildBarSummary(review(), { added: 3, involved: 4, anonymous: 1 });
    const line = textsIn(counted.blocks).find((text) => text.includes('involved'));
    expect(line).toContain('3 of 4 people involved have added theirs, plus 1 anonymous perspective');
    expect(checkMessageBlocks(counted.blocks)).toEqual([]);
  });

  it('folds a long answer with a visible marker and leaves the whole of it to the read-in-full modal', () => {
    const long = Array.from({ length: 120 }, (_, i) => `point${i}`).join(' ');
    const folded = buildBarSummary(review({ anticipatedChallenges: long }));
    const field = textsIn(folded.blocks).find((text) => text.startsWith('*Challenges we anticipate*'));
    expect(field?.endsWith('…')).toBe(true);
    expect(JSON.stringify(folded)).not.toContain(long);
    expect(JSON.stringify(folded)).not.toContain('point119');

    expect(
      readInFull(buildReviewInFull(review({ anticipatedChallenges: long })))['Challenges we anticipate'],
    ).toBe(long);
  });

  it.each([
    ['action', { action: MENTIONS_AND_MARKUP }],
    ['answer', { intendedResults: MENTIONS_AND_MARKUP }],
    ['hypothesis', { hypothesisIf: MENTIONS_AND_MARKUP, hypothesisBecause: '<https://evil.example|click>' }],
  ])('shows what was typed into the %s instead of acting on it', (_where, overrides) => {
    const message = buildBarSummary(review(overrides));
    const everything = [message.text, ...textsIn(message.blocks)].join('\n');
    expect(everything).not.toContain('<!channel>');
    expect(everything).not.toContain('<@U123>');
    expect(everything).not.toContain('<https://');
    expect(everything).toMatch(/&lt;!channel&gt;|&lt;https:\/\/evil\.example\|click&gt;/);
  });

  it('escapes the notification text too', () => {
    const message = buildBarSummary(review({ action: MENTIONS_AND_MARKUP }));
    expect(message.text).toContain('*bold* &lt;!channel&gt; &lt;@U123&gt; DROP TABLE x; --');
    expect(message.text).toContain('Saturday 28 November 2026');
  });
});

describe('buildReviewInFull', () => {
  it('shows every answer and the hypothesis in full, exactly as typed', () => {
    const answers = {
      action: `Launch <the> pilot & see ${'a'.repeat(3200)}`,
      intendedResults: `${'results & more '.repeat(400)}end`,
      anticipatedChallenges: MENTIONS_AND_MARKUP,
      lessonsFromBefore: '&lt; typed as an entity',
      successFactors: `${'👩‍👩‍👧 '.repeat(700)}done`,
    };
    const view = buildReviewInFull(review(answers));
    expect(checkView(view)).toEqual([]);
    expect(readInFull(view)).toEqual({
      'What we are about to do': answers.action,
      'Intended results': answers.intendedResults,
      'Challenges we anticipate': answers.anticipatedChallenges,
      'Lessons from before': answers.lessonsFromBefore,
      'What will make us successful': answers.successFactors,
      'Our hypothesis':
        'If we co-host with a group residents already trust, then we expect more first-time voices will speak, because trust travels through existing relationships.',
    });
    expect(textsIn(view.blocks).join('\n')).not.toContain('<!channel>');
  });

  it('says "Nothing noted" under an empty answer', () => {
    const view = buildReviewInFull(review({ lessonsFromBefore: '' }));
    expect(checkView(view)).toEqual([]);
    const heading = view.blocks.findIndex((block) => sectionText(block) === '*Lessons from before*');
    expect(textsIn(view.blocks[heading + 1])).toEqual(['_Nothing noted_']);
  });

  it('ends with the look-back date and the people involved', () => {
    const view = buildReviewInFull(review());
    const last = textsIn(view.blocks.at(-1)).join('');
    expect(last).toContain('Saturday 28 November 2026');
    expect(last).toContain('<@U0AUTHOR>, <@U0TEAMMATE>');
    expect(view).toMatchObject({ type: 'modal', callback_id: CALLBACKS.reviewInFull });
  });
});

describe('buildShareFailedNotice', () => {
  it.each<[ShareProblem, RegExp]>([
    ['not_in_channel', /`\/invite @Learning Thread`/],
    ['channel_not_found', /`\/invite @Learning Thread`/],
    ['is_archived', /Unarchive it/],
    ['other', /in a minute/],
  ])('for %s says what to do next, and offers "Try again"', (problem, advice) => {
    const notice = buildShareFailedNotice(review(), problem);
    expect(checkMessageBlocks(notice.blocks)).toEqual([]);
    const text = textsIn(notice.blocks).join('\n');
    expect(text).toMatch(advice);
    expect(text).toContain('is saved');
    expect(text).toContain('<#C0TEAM>');
    expect(notice.text).toContain('<#C0TEAM>');
    const buttons = notice.blocks.flatMap((block) => (block.type === 'actions' ? block.elements : []));
    expect(buttons).toContainEqual(
      expect.objectContaining({
        action_id: ACTIONS.retryShare,
        text: expect.objectContaining({ text: 'Try again' }),
        value: REVIEW_ID,
      }),
    );
    expect(buttons).toContainEqual(
      expect.objectContaining({ action_id: ACTIONS.readReviewInFull, value: REVIEW_ID }),
    );
  });

  it('shows the action as typed instead of acting on it', () => {
    const notice = buildShareFailedNotice(review({ action: MENTIONS_AND_MARKUP }), 'not_in_channel');
    for (const text of [notice.text, ...textsIn(notice.blocks)]) {
      expect(text).not.toContain('<!channel>');
      expect(text).not.toContain('<@U123>');
    }
  });
});

type LooseInput = { type: string; block_id?: string; optional?: boolean; label?: { text: string } };

/** What a person sees of a form's inputs, in order: each label, with "(optional)" where Slack adds it. */
function labelsShown(view: View): string[] {
  return (view.blocks as LooseInput[])
    .filter((block) => block.type === 'input')
    .map((block) => `${block.label?.text}${block.optional ? ' (optional)' : ''}`);
}

function counts(view: View) {
  const inputs = (view.blocks as LooseInput[]).filter((block) => block.type === 'input');
  return {
    blocks: view.blocks.length,
    inputs: inputs.length,
    required: inputs.filter((block) => !block.optional).length,
  };
}

const LESSONS_FOUND: BarModalInput['lessons'] = {
  state: 'found',
  basis: 'related',
  lessons: [
    {
      action: 'Bradford listening session',
      date: '12 Oct 2026',
      change: 'Offer childcare',
      sustain: 'Speaking in rounds',
      whyDifferent: 'Parents could not stay',
    },
    { action: 'Door-knocking', date: '2 Nov 2026', change: '', sustain: '', whyDifferent: 'It rained' },
  ],
};

const QUESTIONS = [{ id: 'q-1', text: 'What will it take to hear from people who never come?' }];

describe('buildBarModal', () => {
  const view = buildBarModal(modalInput());

  it('is a valid modal titled "Before-action review" with a submit button', () => {
    expect(checkView(view)).toEqual([]);
    expect(view.title).toMatchObject({ type: 'plain_text', text: 'Before-action review' });
    expect(view.submit).toMatchObject({ type: 'plain_text', text: expect.stringMatching(/\S/) });
    expect(view.callback_id).toBe(CALLBACKS.barModal);
  });

  // A five-minute huddle: it was 18 blocks, 13 inputs and 9 required answers in a channel with a learning
  // question and lessons to offer.
  it('asks four things first and the rest optionally, in 12 blocks, in a channel with all there is to offer', () => {
    const full = buildBarModal(modalInput({ questions: QUESTIONS, lessons: LESSONS_FOUND }));
    expect(checkView(full)).toEqual([]);
    expect(counts(full)).toEqual({ blocks: 12, inputs: 10, required: 4 });
    expect(labelsShown(full)).toEqual([
      'What are we about to do?',
      'What results do we intend, and how will we know?',
      'Our hypothesis',
      'When will we look back?',
      'What challenges do we anticipate? (optional)',
      'What have we or others learned before? (optional)',
      'What will make us successful this time? (optional)',
      'Who is involved? (optional)',
      'Pre-action check-in (optional)',
      'Which learning question does this serve? (optional)',
    ]);
  });

  it('is 9 inputs and 10 blocks in a channel with no learning questions, before lessons are found', () => {
    expect(counts(view)).toEqual({ blocks: 10, inputs: 9, required: 4 });
  });

  it('asks where to share only from a direct message, as the fifth required answer', () => {
    const fromDm = buildBarModal(modalInput({ channelId: undefined }));
    expect(checkView(fromDm)).toEqual([]);
    expect(counts(fromDm)).toEqual({ blocks: 11, inputs: 10, required: 5 });
    expect(labelsShown(fromDm).slice(0, 5)).toEqual([
      'What are we about to do?',
      'What results do we intend, and how will we know?',
      'Our hypothesis',
      'When will we look back?',
      'Share the summary in',
    ]);
    expect(blockById(fromDm, BAR_INPUTS.channelId.block).element).not.toHaveProperty('initial_conversation');
  });

  it('gives only the intended results and the hypothesis several lines', () => {
    const multiline = (view.blocks as Array<LooseInput & { element?: { multiline?: boolean } }>)
      .filter((block) => block.element?.multiline)
      .map((block) => block.block_id);
    expect(multiline).toEqual([BAR_INPUTS.intendedResults.block, BAR_INPUTS.hypothesis.block]);
  });

  it('asks every question under the block ids the submission handler reads', () => {
    const full = buildBarModal(modalInput({ questions: QUESTIONS, channelId: undefined }));
    const inputs = full.blocks.filter((block) => block.type === 'input');
    expect(inputs.map((block) => block.block_id).sort()).toEqual(
      Object.values(BAR_FIELD_INPUTS)
        .map((ids) => ids.block)
        .sort(),
    );
    for (const ids of Object.values(BAR_FIELD_INPUTS)) {
      expect(blockById(full, ids.block).element.action_id).toBe(ids.action);
    }
  });

  it('prefills the action, the look-back date and the author', () => {
    expect(blockById(view, BAR_INPUTS.action.block).element.initial_value).toBe(
      'Run the first community listening session in Leeds',
    );
    expect(blockById(view, BAR_INPUTS.lookBackOn.block).element.initial_date).toBe('2026-11-28');
    expect(blockById(view, BAR_INPUTS.people.block).element.initial_users).toEqual(['U0AUTHOR']);
  });

  it('leaves the action empty when /bar was typed without one', () => {
    const empty = buildBarModal(modalInput({ action: '' }));
    expect(checkView(empty)).toEqual([]);
    expect(blockById(empty, BAR_INPUTS.action.block).element.initial_value).toBeUndefined();
  });

  it('shares in the channel /bar was typed in without asking, and says so', () => {
    expect(view.blocks.find((block) => block.block_id === BAR_INPUTS.channelId.block)).toBeUndefined();
    expect(textsIn(view.blocks[0]).join('')).toContain('The summary is shared in <#C0TEAM>.');
    expect(barModalMetadataSchema.parse(JSON.parse(view.private_metadata ?? '')).channelId).toBe('C0TEAM');
  });

  it('says an edit updates the summary where it already is', () => {
    const edit = buildBarModal(
      modalInput({ metadata: { timeZone: 'Europe/London', editReviewId: REVIEW_ID } }),
    );
    expect(textsIn(edit.blocks[0]).join('')).toContain('Saving updates its summary in <#C0TEAM>.');
  });

  it('carries the author’s time zone and the channel through to the submission', () => {
    const metadata = { ...modalInput().metadata, timeZone: 'Pacific/Auckland' };
    const opened = buildBarModal(modalInput({ metadata }));
    expect(barModalMetadataSchema.parse(JSON.parse(opened.private_metadata ?? ''))).toEqual({
      ...metadata,
      channelId: 'C0TEAM',
    });
  });

  it('fills in every answer when the author edits, the hypothesis as one sentence', () => {
    const edit = buildBarModal(
      modalInput({
        questions: QUESTIONS,
        metadata: { timeZone: 'Europe/London', editReviewId: REVIEW_ID },
        initial: {
          ...barDraft({ hypothesis: 'If we co-host, then we expect more voices, because trust.' }),
          lookBackOn: '2026-12-01',
          people: ['U0AUTHOR', 'U0TEAMMATE'],
          checkInOn: '2026-11-24',
          questionId: 'q-1',
        },
      }),
    );
    expect(checkView(edit)).toEqual([]);
    const answers = barAnswers();
    const prefilled = (ids: { block: string }) => blockById(edit, ids.block).element;
    expect(prefilled(BAR_INPUTS.intendedResults).initial_value).toBe(answers.intendedResults);
    expect(prefilled(BAR_INPUTS.hypothesis).initial_value).toBe(
      'If we co-host, then we expect more voices, because trust.',
    );
    expect(prefilled(BAR_INPUTS.anticipatedChallenges).initial_value).toBe(answers.anticipatedChallenges);
    expect(prefilled(BAR_INPUTS.lessonsFromBefore).initial_value).toBe(answers.lessonsFromBefore);
    expect(prefilled(BAR_INPUTS.successFactors).initial_value).toBe(answers.successFactors);
    expect(prefilled(BAR_INPUTS.lookBackOn).initial_date).toBe('2026-12-01');
    expect(prefilled(BAR_INPUTS.people).initial_users).toEqual(['U0AUTHOR', 'U0TEAMMATE']);
    expect(prefilled(BAR_EXTRA_INPUTS.checkInOn).initial_date).toBe('2026-11-24');
    expect(prefilled(BAR_EXTRA_INPUTS.questionId).initial_option).toMatchObject({ value: 'q-1' });
  });

  it('leaves empty optional answers empty when the author edits', () => {
    const edit = buildBarModal(
      modalInput({
        initial: barDraft({ anticipatedChallenges: '', lessonsFromBefore: '', successFactors: '' }),
      }),
    );
    expect(checkView(edit)).toEqual([]);
    for (const ids of [
      BAR_INPUTS.anticipatedChallenges,
      BAR_INPUTS.lessonsFromBefore,
      BAR_INPUTS.successFactors,
    ])
      expect(blockById(edit, ids.block).element).not.toHaveProperty('initial_value');
  });

  it('starts from the revised hypothesis of the last after-action review, as it was written', () => {
    const next = buildBarModal(
      modalInput({
        startingFrom: {
          action: 'Run the first listening session',
          revisedHypothesis: 'If we meet in the library, then we expect more families to come',
        },
      }),
    );
    expect(checkView(next)).toEqual([]);
    const hypothesis = blockById(next, BAR_INPUTS.hypothesis.block);
    expect(hypothesis.element.initial_value).toBe(
      'If we meet in the library, then we expect more families to come',
    );
    expect((hypothesis.hint as { text: string }).text).toBe(
      'Starting from the revised hypothesis of “Run the first listening session”: keep it, sharpen it or replace it.',
    );
  });

  it('offers lessons just above the question they answer, saying what each one taught', () => {
    const offered = buildBarModal(modalInput({ lessons: LESSONS_FOUND }));
    const at = offered.blocks.findIndex((block) => block.block_id === LESSONS_BLOCK_ID);
    expect(offered.blocks[at + 1]?.block_id).toBe(BAR_INPUTS.lessonsFromBefore.block);
    expect(sectionText(offered.blocks[at]).split('\n')).toEqual([
      '*Related lessons from this channel’s after-action reviews*',
      '• _Bradford listening session_ (12 Oct 2026): change Offer childcare; keep Speaking in rounds',
      '• _Door-knocking_ (2 Nov 2026): why it went as it did: It rained',
    ]);
  });

  it('prefills a 3000-character action whole', () => {
    const action = 'x'.repeat(3000);
    expect(
      blockById(buildBarModal(modalInput({ action })), BAR_INPUTS.action.block).element.initial_value,
    ).toBe(action);
  });

  // A cut through the middle of an emoji leaves half a character that Slack cannot display.
  it('never cuts an over-long action through the middle of a character', () => {
    const action = `Go ${'😀'.repeat(3000)}`;
    const prefilled = String(
      blockById(buildBarModal(modalInput({ action })), BAR_INPUTS.action.block).element.initial_value,
    );
    expect(prefilled.length).toBeLessThanOrEqual(3000);
    expect(prefilled).not.toMatch(LONE_SURROGATE);
  });
});

// Slack writes "(optional)" after an optional input's label itself; the validator every test uses says so.
describe('checkView on labels', () => {
  const withLabel = (text: string, optional: boolean): View => ({
    type: 'modal',
    title: { type: 'plain_text', text: 'A form' },
    submit: { type: 'plain_text', text: 'Save' },
    blocks: [
      {
        type: 'input',
        block_id: 'answer',
        optional,
        label: { type: 'plain_text', text },
        element: { type: 'plain_text_input', action_id: 'value' },
      },
    ],
  });

  it.each([
    ['Pre-action check-in on (optional)', true],
    ['Lessons (Optional)', true],
    ['Optional: who else is involved?', false],
  ])('refuses the label %j', (text, optional) => {
    expect(checkView(withLabel(text, optional))).toEqual([
      'must not say "optional": Slack adds "(optional)" to the label itself [json-pointer:/view/blocks/0/label/text]',
    ]);
  });

  it('accepts a label that leaves it to Slack', () => {
    expect(checkView(withLabel('Pre-action check-in', true))).toEqual([]);
  });
});

describe('readBarModal', () => {
  it('reads back exactly what was typed, the hypothesis as one sentence', () => {
    expect(readBarModal(barStateValues(barAnswers()))).toEqual(barDraft());
    expect(readBarModal(barStateValues(barAnswers())).hypothesis).toBe(
      'If we co-host with a group residents already trust, then we expect more first-time voices will speak, because trust travels through existing relationships.',
    );
  });

  it('reads cleared optional answers as empty text', () => {
    const answers = barAnswers({ anticipatedChallenges: '', lessonsFromBefore: '', successFactors: '' });
    const draft = readBarModal(barStateValues(answers));
    expect(draft).toMatchObject({ anticipatedChallenges: '', lessonsFromBefore: '', successFactors: '' });
  });

  it('shares in the channel the form was opened for when it did not ask, and in the one picked when it did', () => {
    const { [BAR_INPUTS.channelId.block]: _picked, ...notAsked } = barStateValues(barAnswers());
    expect(readBarModal(notAsked, 'C0OPENEDIN').channelId).toBe('C0OPENEDIN');
    expect(readBarModal(notAsked).channelId).toBeNull();
    expect(readBarModal(barStateValues(barAnswers({ channelId: 'C0PICKED' })), 'C0OPENEDIN').channelId).toBe(
      'C0PICKED',
    );
  });

  const EMPTY_DRAFT = {
    action: '',
    intendedResults: '',
    hypothesis: '',
    anticipatedChallenges: '',
    lessonsFromBefore: '',
    successFactors: '',
    lookBackOn: null,
    people: [],
    channelId: null,
  };

  it('reads a state with no blocks at all as an empty draft', () => {
    expect(readBarModal({})).toEqual(EMPTY_DRAFT);
  });

  it.each<[string, BarField, unknown]>([
    ['a text block that is not an object', 'action', 'oops'],
    ['a text block without its action', 'intendedResults', { other: { value: 'x' } }],
    ['a text value that is a number', 'successFactors', { value: { value: 42 } }],
    ['a text value that is null', 'hypothesis', { value: null }],
    ['a date that is a number', 'lookBackOn', { value: { selected_date: 20261128 } }],
    ['a date block that is null', 'lookBackOn', null],
    ['people that are not all ids', 'people', { value: { selected_users: ['U1', 7] } }],
    ['people that are not a list', 'people', { value: { selected_users: 'U1' } }],
    ['a channel that is an object', 'channelId', { value: { selected_conversation: { id: 'C1' } } }],
  ])('treats %s as unanswered and keeps the other answers', (_name, field, garbled) => {
    const values = {
      ...barStateValues(barAnswers()),
      [BAR_FIELD_INPUTS[field].block]: garbled,
    } as Parameters<typeof readBarModal>[0];
    const draft = readBarModal(values);
    expect(draft).toEqual({ ...barDraft(), [field]: EMPTY_DRAFT[field] });
  });

  it('turns an empty submission into messages shown under the modal’s own blocks', () => {
    const result = validateBarDraft(readBarModal({}), TODAY);
    if (result.ok) throw new Error('an empty submission must not be accepted');
    const byBlock = barErrorsByBlock(result.errors);
    // From a direct message, the only form that can lack a channel.
    const form = buildBarModal(modalInput({ channelId: undefined }));
    const blockIds = new Set(form.blocks.map((block) => block.block_id));
    expect(Object.keys(byBlock).length).toBe(Object.keys(result.errors).length);
    for (const blockId of Object.keys(byBlock)) expect(blockIds.has(blockId)).toBe(true);
    expect(byBlock[BAR_INPUTS.hypothesis.block]).toMatch(/If we …, then we expect …/);
  });
});

describe('barErrorsByBlock', () => {
  it.each(Object.entries(BAR_FIELD_INPUTS))('puts a %s error under block %o', (field, ids) => {
    expect(barErrorsByBlock({ [field]: 'Fix this.' })).toEqual({ [ids.block]: 'Fix this.' });
  });

  it('maps several errors at once and nothing when there are none', () => {
    expect(barErrorsByBlock({ action: 'A', hypothesis: 'H', channelId: 'C' })).toEqual({
      bar_action: 'A',
      bar_hypothesis: 'H',
      bar_channel: 'C',
    });
    expect(barErrorsByBlock({})).toEqual({});
  });
});

describe('buildOpenReviews', () => {
  const open = (i: number, lookBackOn = '2026-11-28', timeZone = 'Europe/London'): OpenReview => ({
    id: `review-${i}`,
    action: `Action number ${i}`,
    lookBackOn,
    authorId: `U0AUTHOR${i}`,
    timeZone,
  });

  it('says there is nothing waiting, and how to start', () => {
    const message = buildOpenReviews([], 0, NOW, 'C0TEAM');
    expect(checkMessageBlocks(message.blocks)).toEqual([]);
    expect(message.text).toMatch(/No before-action reviews are waiting/);
    expect(textsIn(message.blocks).join('\n')).toContain('/bar');
  });

  it('marks a review whose look-back date has passed', () => {
    const message = buildOpenReviews([open(1, '2026-11-20'), open(2, TODAY), open(3)], 3, NOW, 'C0TEAM');
    expect(checkMessageBlocks(message.blocks)).toEqual([]);
    const [, overdue, dueToday, later] = message.blocks
      .filter((block) => block.type === 'section')
      .map(sectionText);
    expect(overdue).toContain(
      ':hourglass: Look-back was due <!date^1795176000^{date_long_pretty}|Friday 20 November 2026>',
    );
    expect(dueToday).toContain(
      'Look back on <!date^1795262400^{date_long_pretty}|Saturday 21 November 2026>',
    );
    expect(dueToday).not.toContain(':hourglass:');
    expect(later).toContain('Look back on <!date^1795867200^{date_long_pretty}|Saturday 28 November 2026>');
    expect(later).toContain('<@U0AUTHOR3>');
  });

  // The same instant is still the 20th in Los Angeles but already the 21st in Auckland.
  it.each([
    ['America/Los_Angeles', false],
    ['Pacific/Auckland', true],
  ])('judges a look-back due on the 20th by the review’s own calendar (%s)', (timeZone, overdue) => {
    const message = buildOpenReviews(
      [open(1, '2026-11-20', timeZone)],
      1,
      new Date('2026-11-21T03:00:00Z'),
      'C0TEAM',
    );
    expect(checkMessageBlocks(message.blocks)).toEqual([]);
    const line = sectionText(message.blocks[1]);
    expect(line.includes(':hourglass: Look-back was due <!date^')).toBe(overdue);
    expect(line.includes('Look back on <!date^')).toBe(!overdue);
    // Midday on the 20th where the review lives, so readers there see that day.
    const midday = timeZone === 'Pacific/Auckland' ? 1795129200 : 1795204800;
    expect(line).toContain(`<!date^${midday}^{date_long_pretty}|Friday 20 November 2026>`);
  });

  it('lets each listed review be looked back on or read in full, and offers a review without one', () => {
    const message = buildOpenReviews([open(1), open(2)], 2, NOW, 'C0TEAM');
    const buttons = message.blocks.flatMap((block) => (block.type === 'actions' ? block.elements : []));
    expect(buttons).toEqual([
      expect.objectContaining({ action_id: ACTIONS.startAar, value: 'review-1' }),
      expect.objectContaining({ action_id: ACTIONS.readReviewInFull, value: 'review-1' }),
      expect.objectContaining({ action_id: ACTIONS.startAar, value: 'review-2' }),
      expect.objectContaining({ action_id: ACTIONS.readReviewInFull, value: 'review-2' }),
      expect.objectContaining({ action_id: ACTIONS.startAarWithoutBar, value: 'C0TEAM' }),
    ]);
  });

  it(`lists at most ${MAX_LISTED_REVIEWS} and counts the rest`, () => {
    const reviews = Array.from({ length: 40 }, (_, i) => open(i));
    const message = buildOpenReviews(reviews, 52, NOW, 'C0TEAM');
    expect(checkMessageBlocks(message.blocks)).toEqual([]);
    expect(message.blocks.length).toBeLessThanOrEqual(50);
    const texts = textsIn(message.blocks).join('\n');
    expect(texts).toContain(`Action number ${MAX_LISTED_REVIEWS - 1}`);
    expect(texts).not.toContain(`Action number ${MAX_LISTED_REVIEWS}*`);
    expect(texts).toContain('(52)');
    expect(texts).toContain(`…and ${52 - MAX_LISTED_REVIEWS} older ones.`);
    expect(message.text).toContain('52');
  });

  it('does not claim older ones when every review is listed', () => {
    const message = buildOpenReviews([open(1), open(2)], 2, NOW, 'C0TEAM');
    expect(textsIn(message.blocks).join('\n')).not.toContain('older');
  });

  it('speaks of a single review in the singular', () => {
    expect(buildOpenReviews([open(1)], 1, NOW, 'C0TEAM').text).not.toMatch(/\b1 before-action reviews are\b/);
    const oneMore = Array.from({ length: MAX_LISTED_REVIEWS + 1 }, (_, i) => open(i));
    const texts = textsIn(buildOpenReviews(oneMore, MAX_LISTED_REVIEWS + 1, NOW, 'C0TEAM').blocks).join('\n');
    expect(texts).not.toContain('…and 1 older ones.');
  });

  it('shows the action as typed instead of acting on it', () => {
    const message = buildOpenReviews([{ ...open(1), action: MENTIONS_AND_MARKUP }], 1, NOW, 'C0TEAM');
    expect(textsIn(message.blocks).join('\n')).not.toContain('<!channel>');
  });
});

describe('buildHome', () => {
  const home = (i: number, lookBackOn = '2026-11-28'): HomeReview => ({
    id: `review-${i}`,
    action: `Action number ${i}`,
    timeZone: 'Europe/London',
    lookBackOn,
    channelId: 'C0TEAM',
  });

  it('invites a first review when there are no open loops', () => {
    const view = buildHome([]);
    expect(checkView(view)).toEqual([]);
    const texts = textsIn(view.blocks).join('\n');
    expect(texts).toContain('No open loops');
    expect(texts).toContain('/bar');
    expect(JSON.stringify(view.blocks)).toContain(`"action_id":"${ACTIONS.startBar}"`);
  });

  it('lists open loops with where and when to look back, and says when a look-back date has gone by', () => {
    const view = buildHome([home(1), home(2, '2026-11-20')], [], undefined, { now: NOW });
    expect(checkView(view)).toEqual([]);
    const texts = textsIn(view.blocks).join('\n');
    expect(texts).toContain('*Your open loops*');
    expect(texts).toContain(
      '*Action number 1*\n<#C0TEAM> · look back on <!date^1795867200^{date_long_pretty}|Saturday 28 November 2026>',
    );
    expect(texts).toContain(
      '*Action number 2*\n<#C0TEAM> · the look-back date was <!date^1795176000^{date_long_pretty}|Friday 20 November 2026>: time for the after-action review',
    );
    expect(texts).not.toContain('No open loops');
  });

  it(`stays within 100 blocks with many open loops, listing the first ${MAX_HOME_REVIEWS} and counting the rest`, () => {
    const view = buildHome(
      Array.from({ length: MAX_HOME_REVIEWS }, (_, i) => home(i)),
      [],
      undefined,
      { openLoops: 250 },
    );
    expect(checkView(view)).toEqual([]);
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    const opened = JSON.stringify(view.blocks).match(/"value":"review-\d+"/g) ?? [];
    expect(opened).toHaveLength(MAX_HOME_REVIEWS);
    expect(textsIn(view.blocks).join('\n')).toContain(`…and ${250 - MAX_HOME_REVIEWS} more`);
  });

  it('shows the action as typed instead of acting on it', () => {
    const view = buildHome([{ ...home(1), action: MENTIONS_AND_MARKUP }]);
    expect(textsIn(view.blocks).join('\n')).not.toContain('<!channel>');
  });
});
