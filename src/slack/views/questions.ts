import type { KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import { type ActiveQuestion, MAX_QUESTION_LENGTH } from '../../domain/questions.js';
import { CALLBACKS, QUESTION_INPUTS } from '../ids.js';
import { foldMrkdwn, foldPlain, LIMITS } from './text.js';

const TITLE = 'Learning questions';
const FRAMING_EXAMPLE = 'What will it take to …?';

/**
 * The limit keeps a team to five, but two people saving at once can briefly leave more; past this many
 * the confirmation (two blocks a question) would outgrow a modal, so the oldest are the ones shown.
 */
const MAX_SHOWN = 40;

const questionOption = (question: ActiveQuestion): PlainTextOption => ({
  text: { type: 'plain_text', text: foldPlain(question.text, LIMITS.optionText) },
  value: question.id,
});

export function buildQuestionsModal(input: {
  channelId: string;
  active: readonly ActiveQuestion[];
}): ModalView {
  const shown = input.active.slice(0, MAX_SHOWN);
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `Learning questions are <#${input.channelId}>’s compass: the few live questions the team is working out through its real work, not a plan to follow. Keep one to five, and reword them as the work changes. Reviews and private or anonymous answers can be tagged with one, and the week-ahead check-in names them, so what you learn gathers around the question it serves.`,
      },
    },
    ...shown.map(
      (question, index): KnownBlock => ({
        type: 'input',
        block_id: QUESTION_INPUTS.existing(question.id).block,
        optional: true,
        label: { type: 'plain_text', text: `Question ${index + 1}` },
        element: {
          type: 'plain_text_input',
          action_id: QUESTION_INPUTS.existing(question.id).action,
          initial_value: question.text,
          // The rule counts characters, Slack counts UTF-16 units: double room so a saved question with
          // emoji still fits, and the save check does the real counting.
          max_length: MAX_QUESTION_LENGTH * 2,
        },
      }),
    ),
  ];
  if (shown.length > 0) {
    blocks.push({
      type: 'input',
      block_id: QUESTION_INPUTS.retire.block,
      optional: true,
      label: { type: 'plain_text', text: 'Retire' },
      hint: {
        type: 'plain_text',
        text: 'Retired questions stop being offered; what was tagged with them keeps the link.',
      },
      element: {
        type: 'multi_static_select',
        action_id: QUESTION_INPUTS.retire.action,
        placeholder: { type: 'plain_text', text: 'Questions the team has moved past' },
        options: shown.map(questionOption),
      },
    });
  }
  blocks.push({
    type: 'input',
    block_id: QUESTION_INPUTS.add.block,
    optional: true,
    label: { type: 'plain_text', text: 'Add questions, one per line' },
    hint: {
      type: 'plain_text',
      text: `Try the form “${FRAMING_EXAMPLE}”: it points at something the team can act towards. Up to ${MAX_QUESTION_LENGTH} characters each.`,
    },
    element: {
      type: 'plain_text_input',
      action_id: QUESTION_INPUTS.add.action,
      multiline: true,
      max_length: 3000,
      placeholder: {
        type: 'plain_text',
        text: 'What will it take to hear from the families we are not reaching yet?',
      },
    },
  });
  return {
    type: 'modal',
    callback_id: CALLBACKS.learningQuestions,
    private_metadata: JSON.stringify({ channelId: input.channelId }),
    title: { type: 'plain_text', text: TITLE },
    submit: { type: 'plain_text', text: 'Save' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks,
  };
}

/** Replaces the form after saving: the questions as they now stand, with a hint where the form could help. */
export function buildQuestionsSaved(saved: {
  channelId: string;
  active: readonly ActiveQuestion[];
  notFramed: readonly string[];
}): ModalView {
  const notFramed = new Set(saved.notFramed);
  const shown = saved.active.slice(0, MAX_SHOWN);
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      text: { type: 'mrkdwn', text: `Saved. <#${saved.channelId}>’s learning questions are now:` },
    },
  ];
  for (const [index, question] of shown.entries()) {
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `*${index + 1}.* ${foldMrkdwn(question.text, LIMITS.sectionText - 10)}`,
      },
    });
    if (notFramed.has(question.id)) {
      blocks.push({
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: `Perhaps try it as “${FRAMING_EXAMPLE}”: naming what it would take turns a topic into something the team can act on and learn from.`,
          },
        ],
      });
    }
  }
  blocks.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: 'Reword or retire them whenever the work moves on, with `/learning questions` in this channel.',
      },
    ],
  });
  return {
    type: 'modal',
    callback_id: CALLBACKS.learningQuestionsSaved,
    title: { type: 'plain_text', text: TITLE },
    close: { type: 'plain_text', text: 'Done' },
    blocks,
  };
}
