import type { KnownBlock, ModalView } from '@slack/types';
import type { RhythmKind, SkipReason } from '../../db/schema.js';
import { ACTIONS, CALLBACKS, PROMPT_ANSWER_INPUTS, QUOTABLE_VALUE } from '../ids.js';
import { type QuestionOption, questionOption } from './after-action.js';
import type { SlackMessage } from './message.js';
import { foldMrkdwn, LIMITS } from './text.js';

/**
 * Tags each prompt so a post whose outcome was lost can be found again instead of posted twice. The
 * value is older than the name, and prompts already in channels carry it.
 */
export const PROMPT_EVENT_TYPE = 'learning_thread_nudge';

export const PROMPT_TITLES: Record<Exclude<RhythmKind, 'digest'>, string> = {
  week_ahead: 'Week-ahead check-in',
  mid_week: 'Mid-week reflection',
  look_back: 'Look-back',
};

export const SKIP_LABELS: Record<SkipReason, string> = {
  not_relevant: 'Not relevant this week',
  no_capacity: 'No capacity this week',
  not_safe: 'Not safe to say',
  other: 'Another reason',
};

export interface PromptContent {
  occurrenceId: string;
  kind: Exclude<RhythmKind, 'digest'>;
  promptText: string;
  /** The channel's learning questions, named under the week-ahead check-in it asks people to serve. */
  questions?: readonly string[];
}

export type PromptMetadata = { event_type: string; event_payload: { occurrence_id: string } };

export function promptMetadata(occurrenceId: string): PromptMetadata {
  return { event_type: PROMPT_EVENT_TYPE, event_payload: { occurrence_id: occurrenceId } };
}

export function buildPrompt(prompt: PromptContent): SlackMessage & { metadata: PromptMetadata } {
  const title = PROMPT_TITLES[prompt.kind];
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      text: { type: 'mrkdwn', text: `*${title}*\n${foldMrkdwn(prompt.promptText, LIMITS.sectionText - 60)}` },
    },
    ...(prompt.questions && prompt.questions.length > 0
      ? [
          {
            type: 'context' as const,
            elements: [
              {
                type: 'mrkdwn' as const,
                text: foldMrkdwn(
                  `Our learning questions:\n${prompt.questions.map((question) => `• ${question}`).join('\n')}`,
                  2900,
                ),
              },
            ],
          },
        ]
      : []),
    {
      type: 'context',
      elements: [{ type: 'mrkdwn', text: 'Reply in this thread in a sentence, or answer here:' }],
    },
    {
      type: 'actions',
      elements: [
        {
          type: 'button',
          action_id: ACTIONS.answerPrivately,
          text: { type: 'plain_text', text: 'Answer privately' },
          value: prompt.occurrenceId,
        },
        {
          type: 'button',
          action_id: ACTIONS.answerAnonymously,
          text: { type: 'plain_text', text: 'Answer anonymously' },
          value: prompt.occurrenceId,
        },
        {
          type: 'static_select',
          action_id: ACTIONS.skipPrompt,
          placeholder: { type: 'plain_text', text: 'Skip…' },
          options: (Object.keys(SKIP_LABELS) as SkipReason[]).map((reason) => ({
            text: { type: 'plain_text' as const, text: SKIP_LABELS[reason] },
            value: `${prompt.occurrenceId}|${reason}`,
          })),
        },
      ],
    },
  ];
  return {
    text: `${title}: ${foldMrkdwn(prompt.promptText, 200)}`,
    blocks,
    metadata: promptMetadata(prompt.occurrenceId),
  };
}

export type AnswerMode = 'private' | 'anonymous';

const MODE_EXPLANATION: Record<AnswerMode, string> = {
  private:
    'Your answer is saved with your name for the team’s patterns, and is not posted in the channel. The digest quotes it only if you tick the box, and never names you.',
  anonymous:
    'Your answer is saved with no name and no user id, only the hour it arrived. It counts in the team’s patterns like any other answer.',
};

export function buildAnswerModal(input: {
  mode: AnswerMode;
  promptText: string;
  metadata: string;
  questions?: readonly QuestionOption[];
}): ModalView {
  const questions = input.questions ?? [];
  return {
    type: 'modal',
    callback_id: CALLBACKS.promptAnswer,
    private_metadata: input.metadata,
    title: { type: 'plain_text', text: input.mode === 'private' ? 'Answer privately' : 'Answer anonymously' },
    submit: { type: 'plain_text', text: 'Save' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: foldMrkdwn(input.promptText, LIMITS.sectionText) } },
      {
        type: 'input',
        block_id: PROMPT_ANSWER_INPUTS.answer.block,
        label: { type: 'plain_text', text: 'Your answer' },
        element: {
          type: 'plain_text_input',
          action_id: PROMPT_ANSWER_INPUTS.answer.action,
          multiline: true,
          max_length: 3000,
          placeholder: { type: 'plain_text', text: 'A sentence is plenty' },
        },
      },
      ...(questions.length > 0
        ? [
            {
              type: 'input' as const,
              block_id: PROMPT_ANSWER_INPUTS.questionId.block,
              optional: true,
              label: { type: 'plain_text' as const, text: 'Which learning question does this speak to?' },
              element: {
                type: 'static_select' as const,
                action_id: PROMPT_ANSWER_INPUTS.questionId.action,
                options: questions.slice(0, 100).map(questionOption),
              },
            },
          ]
        : []),
      ...(input.mode === 'private'
        ? [
            {
              type: 'input' as const,
              block_id: PROMPT_ANSWER_INPUTS.quotable.block,
              optional: true,
              label: { type: 'plain_text' as const, text: 'In the weekly digest' },
              element: {
                type: 'checkboxes' as const,
                action_id: PROMPT_ANSWER_INPUTS.quotable.action,
                options: [
                  {
                    text: { type: 'plain_text' as const, text: 'My words may be quoted, without my name' },
                    value: QUOTABLE_VALUE,
                  },
                ],
              },
            },
          ]
        : []),
      { type: 'context', elements: [{ type: 'mrkdwn', text: MODE_EXPLANATION[input.mode] }] },
    ],
  };
}

export const CONFIRMATIONS = {
  thread: 'Saved your reply as a reflection. Thank you.',
  note: 'Saved as a learning note: it comes back in next week’s digest. Thank you.',
  private: 'Saved your answer privately. Thank you.',
  anonymous: 'Saved your answer anonymously: no name is kept with it. Thank you.',
  skip: (reason: SkipReason) =>
    `Skipped (${SKIP_LABELS[reason].toLowerCase()}). Saying so helps the team too.`,
  gone: 'That prompt is no longer open for answers.',
} as const;
