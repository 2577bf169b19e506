import type { AnyBlock, SectionBlock, View } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { type BarField, MAX_PEOPLE, validateBarDraft } from '../../src/domain/review.js';
import {
  barErrorsByBlock,
  barModalMetadataSchema,
  readBarModal,
} from '../../src/slack/forms/before-action-review.js';
import { ACTIONS, BAR_EXTRA_INPUTS, BAR_INPUTS, CALLBACKS } from '../../src/slack/ids.js';
import { type BarModalInput, buildBarModal } from '../../src/slack/views/bar-modal.js';
import {
  buildBarSummary,
  buildReviewInFull,
  buildShareFailedNotice,
  type ReviewForDisplay,
  type ShareProblem,
} from '../../src/slack/views/bar-summary.js';
import { buildHome, type HomeReview, MAX_HOME_REVIEWS } from '../../src/slack/views/home.js';
import { buildOpenReviews, MAX_LISTED_REVIEWS, type OpenReview } from '../../src/slack/views/open-reviews.js';
import { barAnswers, barStateValues } from '../support/factories.js';
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
      const reviews = Array.from({ length: 60 }, (): HomeReview => ({ ...extreme, status: 'open' }));
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

describe('buildBarModal', () => {
  const view = buildBarModal(modalInput());

  it('is a valid modal titled "Before-action review" with a submit button', () => {
    expect(checkView(view)).toEqual([]);
    expect(view.title).toMatchObject({ type: 'plain_text', text: 'Before-action review' });
    expect(view.submit).toMatchObject({ type: 'plain_text', text: expect.stringMatching(/\S/) });
    expect(view.callback_id).toBe(CALLBACKS.barModal);
  });

  it('asks every question under the block ids the submission handler reads', () => {
    const inputs = view.blocks.filter((block) => block.type === 'input');
    // The optional pre-action check-in date is the one input beyond the review's own questions.
    expect(inputs.map((block) => block.block_id).sort()).toEqual(
      [...Object.values(BAR_INPUTS).map((ids) => ids.block), BAR_EXTRA_INPUTS.checkInOn.block].sort(),
    );
    for (const ids of Object.values(BAR_INPUTS)) {
      expect(blockById(view, ids.block).element.action_id).toBe(ids.action);
    }
  });

  it.each(Object.keys(BAR_INPUTS) as BarField[])(
    'marks %s as optional only when it may be left blank',
    (field) => {
      const optional = field === 'lessonsFromBefore' || field === 'hypothesisBecause';
      expect(Boolean(blockById(view, BAR_INPUTS[field].block).optional)).toBe(optional);
    },
  );

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

  it('suggests the channel /bar was typed in, and none when there is no such channel', () => {
    expect(blockById(view, BAR_INPUTS.channelId.block).element.initial_conversation).toBe('C0TEAM');
    const fromDm = buildBarModal(modalInput({ channelId: undefined }));
    expect(checkView(fromDm)).toEqual([]);
    expect(blockById(fromDm, BAR_INPUTS.channelId.block).element).not.toHaveProperty('initial_conversation');
  });

  it('carries the author’s time zone through to the submission', () => {
    const metadata = { ...modalInput().metadata, timeZone: 'Pacific/Auckland' };
    const opened = buildBarModal(modalInput({ metadata }));
    expect(barModalMetadataSchema.parse(JSON.parse(opened.private_metadata ?? ''))).toEqual(metadata);
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

describe('readBarModal', () => {
  it('reads back exactly what was submitted', () => {
    const answers = barAnswers();
    expect(readBarModal(barStateValues(answers))).toEqual(answers);
  });

  it('reads cleared optional answers as empty text', () => {
    const answers = barAnswers({ lessonsFromBefore: '', hypothesisBecause: '' });
    const draft = readBarModal(barStateValues(answers));
    expect(draft.lessonsFromBefore).toBe('');
    expect(draft.hypothesisBecause).toBe('');
  });

  const EMPTY_DRAFT = {
    action: '',
    intendedResults: '',
    anticipatedChallenges: '',
    lessonsFromBefore: '',
    successFactors: '',
    hypothesisIf: '',
    hypothesisThen: '',
    hypothesisBecause: '',
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
    ['a text value that is null', 'hypothesisIf', { value: null }],
    ['a date that is a number', 'lookBackOn', { value: { selected_date: 20261128 } }],
    ['a date block that is null', 'lookBackOn', null],
    ['people that are not all ids', 'people', { value: { selected_users: ['U1', 7] } }],
    ['people that are not a list', 'people', { value: { selected_users: 'U1' } }],
    ['a channel that is an object', 'channelId', { value: { selected_conversation: { id: 'C1' } } }],
  ])('treats %s as unanswered and keeps the other answers', (_name, field, garbled) => {
    const answers = barAnswers();
    const values = { ...barStateValues(answers), [BAR_INPUTS[field].block]: garbled } as Parameters<
      typeof readBarModal
    >[0];
    const draft = readBarModal(values);
    expect(draft).toEqual({ ...answers, [field]: EMPTY_DRAFT[field] });
  });

  it('turns an empty submission into messages shown under the modal’s own blocks', () => {
    const result = validateBarDraft(readBarModal({}), TODAY);
    if (result.ok) throw new Error('an empty submission must not be accepted');
    const byBlock = barErrorsByBlock(result.errors);
    const blockIds = new Set(buildBarModal(modalInput()).blocks.map((block) => block.block_id));
    expect(Object.keys(byBlock).length).toBe(Object.keys(result.errors).length);
    for (const blockId of Object.keys(byBlock)) expect(blockIds.has(blockId)).toBe(true);
    expect(byBlock[BAR_INPUTS.people.block]).toMatch(/at least one person/);
  });
});

describe('barErrorsByBlock', () => {
  it.each(Object.entries(BAR_INPUTS))('puts a %s error under block %o', (field, ids) => {
    expect(barErrorsByBlock({ [field]: 'Fix this.' })).toEqual({ [ids.block]: 'Fix this.' });
  });

  it('maps several errors at once and nothing when there are none', () => {
    expect(barErrorsByBlock({ action: 'A', people: 'P', channelId: 'C' })).toEqual({
      bar_action: 'A',
      bar_people: 'P',
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
  const home = (i: number, status: HomeReview['status'] = 'open'): HomeReview => ({
    id: `review-${i}`,
    action: `Action number ${i}`,
    timeZone: 'Europe/London',
    lookBackOn: '2026-11-28',
    channelId: 'C0TEAM',
    status,
  });

  it('invites a first review when there are none', () => {
    const view = buildHome([]);
    expect(checkView(view)).toEqual([]);
    const texts = textsIn(view.blocks).join('\n');
    expect(texts).toContain('None yet');
    expect(texts).toContain('/bar');
    expect(JSON.stringify(view.blocks)).toContain(`"action_id":"${ACTIONS.startBar}"`);
  });

  it('lists open and closed reviews with where and when to look back', () => {
    const view = buildHome([home(1), home(2, 'closed')]);
    expect(checkView(view)).toEqual([]);
    const texts = textsIn(view.blocks).join('\n');
    expect(texts).toContain(
      '*Action number 1*\n<#C0TEAM> · look back on <!date^1795867200^{date_long_pretty}|Saturday 28 November 2026>',
    );
    expect(texts).toContain('*Action number 2*\n<#C0TEAM> · looked back');
    expect(texts).not.toContain('None yet');
  });

  it(`stays within 100 blocks with many reviews, listing the first ${MAX_HOME_REVIEWS}`, () => {
    const view = buildHome(Array.from({ length: 250 }, (_, i) => home(i)));
    expect(checkView(view)).toEqual([]);
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    const opened = JSON.stringify(view.blocks).match(/"value":"review-\d+"/g) ?? [];
    expect(opened).toHaveLength(MAX_HOME_REVIEWS);
  });

  it('shows the action as typed instead of acting on it', () => {
    const view = buildHome([{ ...home(1), action: MENTIONS_AND_MARKUP }]);
    expect(textsIn(view.blocks).join('\n')).not.toContain('<!channel>');
  });
});
