import type { Button, KnownBlock, ModalView } from '@slack/types';
import type { OccurrenceKind, RhythmKind, SkipReason } from '../../db/schema.js';
import { MAX_ANSWER_LENGTH } from '../../domain/review.js';
import { calendarDateIn } from '../../domain/time.js';
import { ACTIONS, CALLBACKS, PROMPT_ANSWER_INPUTS, QUOTABLE_VALUE } from '../ids.js';
import { type QuestionOption, questionOption } from './after-action.js';
import { slackDate } from './dates.js';
import type { SlackMessage } from './message.js';
import { foldMrkdwn, foldPlain, LIMITS } from './text.js';

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

/** What a person wrote privately to a prompt, brought back into the form when they answer it again. */
export interface PrivateAnswerShown {
  text: string;
  questionId: string | null;
  quotable: boolean;
}

const MODE_EXPLANATION: Record<AnswerMode, string> = {
  private:
    'Your answer is saved with your name for the team’s patterns, and is not posted in the channel. The digest quotes it only if you tick the box, and never names you. You can edit or withdraw it later.',
  anonymous:
    'Your answer is saved with no name and no user id, only the hour it arrived. It counts in the team’s patterns like any other answer. No name is kept with it, so it cannot be edited or withdrawn later.',
};

const QUOTABLE_OPTION = {
  text: { type: 'plain_text' as const, text: 'My words may be quoted, without my name' },
  value: QUOTABLE_VALUE,
};

/** Above the explanation when the form holds an answer already given: saving changes it, not adds one. */
const EDITING_EXPLANATION = 'This is the answer you gave before: saving replaces it.';

export function buildAnswerModal(input: {
  mode: AnswerMode;
  promptText: string;
  metadata: string;
  questions?: readonly QuestionOption[];
  /** The person's own private answer to this prompt, when they gave one: the form edits it. */
  answer?: PrivateAnswerShown;
}): ModalView {
  const questions = (input.questions ?? []).slice(0, 100);
  const answer = input.mode === 'private' ? input.answer : undefined;
  const chosenQuestion = questions.find((question) => question.id === answer?.questionId);
  const title = answer
    ? 'Edit your answer'
    : input.mode === 'private'
      ? 'Answer privately'
      : 'Answer anonymously';
  const explanation = answer
    ? `${EDITING_EXPLANATION} ${MODE_EXPLANATION.private}`
    : MODE_EXPLANATION[input.mode];
  return {
    type: 'modal',
    callback_id: CALLBACKS.promptAnswer,
    private_metadata: input.metadata,
    title: { type: 'plain_text', text: title },
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
          max_length: MAX_ANSWER_LENGTH,
          placeholder: { type: 'plain_text', text: 'A sentence is plenty' },
          ...(answer ? { initial_value: foldPlain(answer.text, MAX_ANSWER_LENGTH) } : {}),
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
                options: questions.map(questionOption),
                ...(chosenQuestion ? { initial_option: questionOption(chosenQuestion) } : {}),
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
                options: [QUOTABLE_OPTION],
                ...(answer?.quotable ? { initial_options: [QUOTABLE_OPTION] } : {}),
              },
            },
          ]
        : []),
      { type: 'context', elements: [{ type: 'mrkdwn', text: explanation }] },
    ],
  };
}

/** A prompt's name, for answers listed away from the prompt itself. */
export function promptTitle(kind: OccurrenceKind): string {
  if (kind === 'workflow_prompt') return 'Workflow question';
  return kind in PROMPT_TITLES ? PROMPT_TITLES[kind as keyof typeof PROMPT_TITLES] : 'Prompt';
}

/** Which prompt a private answer answered, as its author recognises it: its name, day and question. */
export interface AnsweredPrompt {
  kind: OccurrenceKind;
  promptText: string | null;
  dueAt: Date;
  /** The channel's own time zone, so the day is the one the prompt was posted on there. */
  timeZone: string;
}

/** "the mid-week reflection from <day>: “What surprised you this week?”", the day as each reader says it. */
export function describeAnsweredPrompt(prompt: AnsweredPrompt): string {
  const day = slackDate(calendarDateIn(prompt.dueAt, prompt.timeZone), prompt.timeZone);
  const question = prompt.promptText ? `: “${foldMrkdwn(prompt.promptText, 200)}”` : '';
  return `the ${promptTitle(prompt.kind).toLowerCase()} from ${day}${question}`;
}

/**
 * Opens the person's own private answer to a prompt: "Answer privately" on a prompt they answered
 * already brings their answer back to edit, so Edit is the same button under another name.
 */
export function editAnswerButton(occurrenceId: string): Button {
  return {
    type: 'button',
    action_id: ACTIONS.answerPrivately,
    text: { type: 'plain_text', text: 'Edit' },
    value: occurrenceId,
  };
}

const WITHDRAW_QUESTION = {
  title: 'Withdraw your answer?',
  text: 'It will be deleted and will not appear in any digest from now on.',
} as const;

/** Withdraws one private answer, after Slack has asked its author to confirm. */
export function withdrawAnswerButton(responseId: string): Button {
  return {
    type: 'button',
    action_id: ACTIONS.withdrawPrivateAnswer,
    text: { type: 'plain_text', text: 'Withdraw' },
    value: responseId,
    confirm: {
      title: { type: 'plain_text', text: WITHDRAW_QUESTION.title },
      text: { type: 'plain_text', text: WITHDRAW_QUESTION.text },
      confirm: { type: 'plain_text', text: 'Withdraw' },
      deny: { type: 'plain_text', text: 'Keep it' },
      style: 'danger',
    },
  };
}

/**
 * The quiet note after a private answer is saved: what happened, and the two things its author can do
 * with it from here.
 */
export function buildPrivateAnswerSaved(saved: {
  responseId: string;
  occurrenceId: string;
  edited: boolean;
}): SlackMessage {
  const text = saved.edited ? CONFIRMATIONS.privateEdited : CONFIRMATIONS.private;
  return {
    text,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text } },
      {
        type: 'actions',
        elements: [editAnswerButton(saved.occurrenceId), withdrawAnswerButton(saved.responseId)],
      },
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: 'Your private answers are also on the app’s Home tab, to edit or withdraw.',
          },
        ],
      },
    ],
  };
}

export function buildAnswerWithdrawn(prompt: AnsweredPrompt): SlackMessage {
  const text = `Withdrawn: your answer to ${describeAnsweredPrompt(prompt)} is deleted.`;
  return {
    text,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text } },
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: 'It will not appear in any digest from now on.' }],
      },
    ],
  };
}

export const CONFIRMATIONS = {
  // Said once per person and channel: from then on the reaction on each saved reply says it.
  thread:
    'Saved your reply as a reflection. From now on, your replies in this channel get a :memo: when they are saved, and no note like this.',
  note: 'Saved as a learning note: it comes back in next week’s digest. From now on, your notes in this channel get a :memo: when they are saved, and no note like this.',
  private: 'Saved your answer privately. Thank you.',
  privateEdited: 'Updated the answer you gave privately. Thank you.',
  anonymous:
    'Saved your answer anonymously. No name is kept with it, so it cannot be edited or withdrawn later. Thank you.',
  skip: (reason: SkipReason) =>
    `Skipped (${SKIP_LABELS[reason].toLowerCase()}). Saying so helps the team too.`,
  gone: 'That prompt is no longer open for answers.',
  answerGone: 'That answer is no longer stored, so there is nothing to withdraw.',
  notYourAnswer: 'Only the person who gave an answer can withdraw it. Nothing was changed.',
} as const;
