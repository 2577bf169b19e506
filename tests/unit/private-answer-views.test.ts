import type { AnyBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { ACTIONS, PROMPT_ANSWER_INPUTS, QUOTABLE_VALUE } from '../../src/slack/ids.js';
import {
  buildHome,
  type HomePrivateAnswer,
  type HomeReview,
  MAX_HOME_PRIVATE_ANSWERS,
} from '../../src/slack/views/home.js';
import {
  buildAnswerModal,
  buildAnswerWithdrawn,
  buildPrivateAnswerSaved,
  CONFIRMATIONS,
} from '../../src/slack/views/prompt.js';
import { checkMessageBlocks, checkView } from '../support/fake-slack.js';

const OCCURRENCE_ID = '6c0f2b7e-1d3a-4e5f-8a9b-0c1d2e3f4a5b';
const RESPONSE_ID = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
const QUESTION = { id: '1b2c3d4e-5f60-4718-9a0b-c1d2e3f4a5b6', text: 'What will it take to reach families?' };
const MARKUP = '*bold* <!channel> <@U123> <https://evil.example|a link>';
/** Monday 23 November 2026, 09:30 in London. */
const MONDAY_PROMPT = new Date('2026-11-23T09:30:00Z');

/** Every piece of text Slack would render from these blocks, wherever it sits. */
function textsIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(textsIn);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, inner]) =>
    key === 'text' && typeof inner === 'string' ? [inner] : textsIn(inner),
  );
}

interface Button {
  action_id: string;
  value: string;
  text: { text: string };
  confirm?: unknown;
}

function buttonsIn(value: unknown): Button[] {
  if (Array.isArray(value)) return value.flatMap(buttonsIn);
  if (typeof value !== 'object' || value === null) return [];
  const here = (value as { type?: string }).type === 'button' ? [value as Button] : [];
  return [...here, ...Object.values(value).flatMap(buttonsIn)];
}

function element(blocks: readonly AnyBlock[], blockId: string): Record<string, unknown> {
  const block = blocks.find((candidate) => candidate.block_id === blockId) as
    | { element: Record<string, unknown> }
    | undefined;
  if (!block) throw new Error(`no block ${blockId}`);
  return block.element;
}

describe('the private answer form, opened on a prompt already answered privately', () => {
  const metadata = JSON.stringify({ occurrenceId: OCCURRENCE_ID, mode: 'private' });
  const answer = { text: 'The venue was too far', questionId: QUESTION.id, quotable: true };

  it('brings back the answer, its learning question and its choice to be quoted, to edit', () => {
    const view = buildAnswerModal({
      mode: 'private',
      promptText: 'What will you try this week?',
      metadata,
      questions: [QUESTION],
      answer,
    });
    expect(checkView(view)).toEqual([]);
    expect(view.title.text).toBe('Edit your answer');
    expect(element(view.blocks, PROMPT_ANSWER_INPUTS.answer.block).initial_value).toBe(answer.text);
    expect(element(view.blocks, PROMPT_ANSWER_INPUTS.questionId.block).initial_option).toMatchObject({
      value: QUESTION.id,
    });
    expect(element(view.blocks, PROMPT_ANSWER_INPUTS.quotable.block).initial_options).toEqual([
      expect.objectContaining({ value: QUOTABLE_VALUE }),
    ]);
    expect(textsIn(view.blocks).join('\n')).toContain(
      'This is the answer you gave before: saving replaces it.',
    );
  });

  it('leaves out a learning question since retired, and an answer not to be quoted stays unticked', () => {
    const view = buildAnswerModal({
      mode: 'private',
      promptText: 'What will you try this week?',
      metadata,
      questions: [QUESTION],
      answer: { ...answer, questionId: '00000000-0000-4000-8000-000000000000', quotable: false },
    });
    expect(checkView(view)).toEqual([]);
    expect(element(view.blocks, PROMPT_ANSWER_INPUTS.questionId.block).initial_option).toBeUndefined();
    expect(element(view.blocks, PROMPT_ANSWER_INPUTS.quotable.block).initial_options).toBeUndefined();
  });

  it('stays within Slack’s limits with an answer longer than the form holds', () => {
    const view = buildAnswerModal({
      mode: 'private',
      promptText: 'What will you try this week?',
      metadata,
      answer: { ...answer, text: `${'word '.repeat(1000)}end` },
    });
    expect(checkView(view)).toEqual([]);
  });

  it('tells a first private answer it can be edited or withdrawn later', () => {
    const view = buildAnswerModal({ mode: 'private', promptText: 'What will you try this week?', metadata });
    expect(view.title.text).toBe('Answer privately');
    expect(element(view.blocks, PROMPT_ANSWER_INPUTS.answer.block).initial_value).toBeUndefined();
    expect(textsIn(view.blocks).join('\n')).toContain('You can edit or withdraw it later.');
  });
});

describe('the anonymous answer form', () => {
  it('says that nothing kept with the answer lets it be edited or withdrawn, and brings nothing back', () => {
    const view = buildAnswerModal({
      mode: 'anonymous',
      promptText: 'What will you try this week?',
      metadata: JSON.stringify({ occurrenceId: OCCURRENCE_ID, mode: 'anonymous' }),
      answer: { text: 'Not for an anonymous form', questionId: null, quotable: false },
    });
    expect(checkView(view)).toEqual([]);
    expect(view.title.text).toBe('Answer anonymously');
    expect(element(view.blocks, PROMPT_ANSWER_INPUTS.answer.block).initial_value).toBeUndefined();
    expect(textsIn(view.blocks).join('\n')).toContain(
      'No name is kept with it, so it cannot be edited or withdrawn later.',
    );
    expect(CONFIRMATIONS.anonymous).toContain('cannot be edited or withdrawn later');
  });
});

describe('buildPrivateAnswerSaved', () => {
  it.each([
    [false, 'Saved your answer privately. Thank you.'],
    [true, 'Updated the answer you gave privately. Thank you.'],
  ])('offers Edit and Withdraw under the note (edited: %s)', (edited, text) => {
    const note = buildPrivateAnswerSaved({ responseId: RESPONSE_ID, occurrenceId: OCCURRENCE_ID, edited });
    expect(checkMessageBlocks(note.blocks)).toEqual([]);
    expect(note.text).toBe(text);
    expect(buttonsIn(note.blocks)).toEqual([
      expect.objectContaining({
        action_id: ACTIONS.answerPrivately,
        value: OCCURRENCE_ID,
        text: expect.objectContaining({ text: 'Edit' }),
      }),
      expect.objectContaining({
        action_id: ACTIONS.withdrawPrivateAnswer,
        value: RESPONSE_ID,
        text: expect.objectContaining({ text: 'Withdraw' }),
        confirm: {
          title: { type: 'plain_text', text: 'Withdraw your answer?' },
          text: {
            type: 'plain_text',
            text: 'It will be deleted and will not appear in any digest from now on.',
          },
          confirm: { type: 'plain_text', text: 'Withdraw' },
          deny: { type: 'plain_text', text: 'Keep it' },
          style: 'danger',
        },
      }),
    ]);
  });
});

describe('buildAnswerWithdrawn', () => {
  it('names the prompt the answer was given to, on the day it was posted in its channel', () => {
    const note = buildAnswerWithdrawn({
      kind: 'week_ahead',
      promptText: 'What will you try this week?',
      dueAt: MONDAY_PROMPT,
      timeZone: 'Europe/London',
    });
    expect(checkMessageBlocks(note.blocks)).toEqual([]);
    expect(note.text).toBe(
      'Withdrawn: your answer to the week-ahead check-in from <!date^1795435200^{date_long_pretty}|Monday 23 November 2026>: “What will you try this week?” is deleted.',
    );
  });

  it('shows a prompt’s markup as typed', () => {
    const note = buildAnswerWithdrawn({
      kind: 'mid_week',
      promptText: MARKUP,
      dueAt: MONDAY_PROMPT,
      timeZone: 'UTC',
    });
    expect(textsIn(note.blocks).join('\n')).not.toContain('<!channel>');
  });
});

describe('buildHome with private answers', () => {
  const review = (i: number): HomeReview => ({
    id: `review-${i}`,
    action: `Action number ${i}`,
    timeZone: 'Europe/London',
    lookBackOn: '2026-11-28',
    channelId: 'C0TEAM',
  });
  const answer = (i: number, text = `Answer number ${i}`): HomePrivateAnswer => ({
    id: `answer-${i}`,
    occurrenceId: `prompt-${i}`,
    text,
    prompt: { kind: 'mid_week', promptText: 'What surprised you?', dueAt: MONDAY_PROMPT, timeZone: 'UTC' },
  });

  it('lists them under their prompts with Edit and Withdraw', () => {
    const view = buildHome([review(1)], [answer(1), answer(2)]);
    expect(checkView(view)).toEqual([]);
    const texts = textsIn(view.blocks).join('\n');
    expect(texts).toContain('*Your private answers*');
    expect(texts).toContain(
      'Your answer to the mid-week reflection from <!date^1795435200^{date_long_pretty}|Monday 23 November 2026>: “What surprised you?”\n>Answer number 1',
    );
    expect(texts).toContain('Only you see these. Edit one, or withdraw it to delete it.');
    const buttons = buttonsIn(view.blocks).filter((button) => button.action_id !== ACTIONS.readReviewInFull);
    expect(buttons.map((button) => [button.text.text, button.value])).toEqual([
      ['Start a before-action review', undefined],
      ['Edit', 'prompt-1'],
      ['Withdraw', 'answer-1'],
      ['Edit', 'prompt-2'],
      ['Withdraw', 'answer-2'],
      ['Export what I wrote', undefined],
    ]);
  });

  it('leaves the section out for someone with no private answers', () => {
    expect(textsIn(buildHome([review(1)], []).blocks).join('\n')).not.toContain('Your private answers');
  });

  it(`stays within 100 blocks with the most reviews and answers, listing the ${MAX_HOME_PRIVATE_ANSWERS} newest answers`, () => {
    const view = buildHome(
      Array.from({ length: 250 }, (_, i) => review(i)),
      Array.from({ length: 250 }, (_, i) => answer(i)),
    );
    expect(checkView(view)).toEqual([]);
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    const withdraws = buttonsIn(view.blocks).filter(
      (button) => button.action_id === ACTIONS.withdrawPrivateAnswer,
    );
    expect(withdraws).toHaveLength(MAX_HOME_PRIVATE_ANSWERS);
    expect(withdraws[0]?.value).toBe('answer-0');
    expect(textsIn(view.blocks).join('\n')).toContain(`The ${MAX_HOME_PRIVATE_ANSWERS} most recent`);
  });

  it('shows an answer’s words as typed, on several lines, within the limits', () => {
    const view = buildHome([], [answer(1, `${MARKUP}\nsecond line`), answer(2, '<'.repeat(3000))]);
    expect(checkView(view)).toEqual([]);
    const texts = textsIn(view.blocks).join('\n');
    expect(texts).not.toContain('<!channel>');
    expect(texts).toContain('&lt;!channel&gt;');
    expect(texts).toContain('\n>second line');
  });
});
