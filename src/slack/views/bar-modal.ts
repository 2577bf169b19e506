import type { InputBlock, KnownBlock, ModalView } from '@slack/types';
import { type BarDraft, type BarField, MAX_ANSWER_LENGTH, MAX_PEOPLE } from '../../domain/review.js';
import type { BarModalMetadata } from '../forms/before-action-review.js';
import { BAR_EXTRA_INPUTS, BAR_INPUTS, CALLBACKS } from '../ids.js';
import { type QuestionOption, questionOption } from './after-action.js';
import { foldMrkdwn, foldPlain } from './text.js';

export interface BarModalInput {
  /** Prefilled "what we are about to do", usually the slash command's text. */
  action: string;
  /** Where the summary goes by default; absent when /bar was typed somewhere the bot cannot post (a DM). */
  channelId: string | undefined;
  authorId: string;
  lookBackOn: string;
  metadata: BarModalMetadata;
  /** The channel's active learning questions, offered as a tag. */
  questions?: readonly QuestionOption[];
  /** Everything already written, when the author edits their review. */
  initial?: Partial<BarDraft> & { questionId?: string | null; checkInOn?: string | null };
  /** A revised hypothesis from the channel's last after-action review, offered as the starting point. */
  startingFrom?: { action: string; revisedHypothesis: string };
  /** Lessons from the channel's after-action reviews: looked up after the form opens, then filled in. */
  lessons?: LessonsOffer;
}

export type LessonsOffer =
  | { state: 'looking' }
  | { state: 'found'; basis: 'related' | 'recent'; lessons: readonly LessonLine[] };

export interface LessonLine {
  action: string;
  /** "12 Oct 2026" */
  date: string;
  change: string;
  sustain: string;
}

export const LESSONS_BLOCK_ID = 'bar_lessons_offered';

function lessonsBlocks(offer: LessonsOffer | undefined): KnownBlock[] {
  if (!offer) return [];
  if (offer.state === 'looking')
    return [
      {
        type: 'context',
        block_id: LESSONS_BLOCK_ID,
        elements: [{ type: 'mrkdwn', text: 'Looking for lessons in this channel’s after-action reviews…' }],
      },
    ];
  if (offer.lessons.length === 0)
    return [
      {
        type: 'context',
        block_id: LESSONS_BLOCK_ID,
        elements: [
          {
            type: 'mrkdwn',
            text: 'No after-action review in this channel speaks to this yet: what you write below may be the first lesson.',
          },
        ],
      },
    ];
  const heading =
    offer.basis === 'related'
      ? '*Related lessons from this channel’s after-action reviews*'
      : '*Recent lessons from this channel’s after-action reviews*';
  const lines = offer.lessons.map(
    (lesson) =>
      `• _${foldMrkdwn(lesson.action, 120)}_ (${lesson.date}): change ${foldMrkdwn(lesson.change, 300)}; keep ${foldMrkdwn(lesson.sustain, 200)}`,
  );
  return [
    {
      type: 'section',
      block_id: LESSONS_BLOCK_ID,
      text: { type: 'mrkdwn', text: [heading, ...lines].join('\n') },
    },
  ];
}

interface TextQuestion {
  field: Exclude<BarField, 'lookBackOn' | 'people' | 'channelId'>;
  label: string;
  placeholder: string;
  hint?: string;
  multiline: boolean;
  optional?: boolean;
}

const TEXT_QUESTIONS: readonly TextQuestion[] = [
  {
    field: 'intendedResults',
    label: 'What are our intended results, and how will we know?',
    placeholder: 'The results that matter, and the sign that tells us we got there',
    multiline: true,
  },
  {
    field: 'anticipatedChallenges',
    label: 'What challenges do we anticipate?',
    placeholder: 'What could get in the way, including what feels awkward to say',
    multiline: true,
  },
  {
    field: 'lessonsFromBefore',
    label: 'What have we or others learned from similar situations?',
    placeholder: 'A past review, another team’s story, something that surprised us last time',
    hint: 'Leave it blank if this really is new ground.',
    multiline: true,
    optional: true,
  },
  {
    field: 'successFactors',
    label: 'What will make us successful this time?',
    placeholder: 'What we will do differently, or keep doing',
    multiline: true,
  },
];

const HYPOTHESIS_QUESTIONS: readonly TextQuestion[] = [
  { field: 'hypothesisIf', label: 'If we …', placeholder: 'what we will do', multiline: false },
  {
    field: 'hypothesisThen',
    label: '… then we expect …',
    placeholder: 'what should follow',
    multiline: false,
  },
  {
    field: 'hypothesisBecause',
    label: '… because …',
    placeholder: 'the reasoning behind our bet',
    multiline: false,
    optional: true,
  },
];

function textInput(question: TextQuestion, initialValue?: string): InputBlock {
  const ids = BAR_INPUTS[question.field];
  return {
    type: 'input',
    block_id: ids.block,
    optional: question.optional ?? false,
    label: { type: 'plain_text', text: question.label },
    ...(question.hint ? { hint: { type: 'plain_text', text: question.hint } } : {}),
    element: {
      type: 'plain_text_input',
      action_id: ids.action,
      multiline: question.multiline,
      max_length: MAX_ANSWER_LENGTH,
      placeholder: { type: 'plain_text', text: question.placeholder },
      ...(initialValue ? { initial_value: foldPlain(initialValue, MAX_ANSWER_LENGTH) } : {}),
    },
  };
}

export function buildBarModal(input: BarModalInput): ModalView {
  const initial = input.initial;
  const blocks: KnownBlock[] = [
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: 'A five-minute huddle before the work starts. Write for your future selves: you will read this again when you look back.',
        },
      ],
    },
    textInput(
      {
        field: 'action',
        label: 'What are we about to do?',
        placeholder: 'The action, in a few words',
        multiline: false,
      },
      initial?.action ?? input.action,
    ),
    ...TEXT_QUESTIONS.flatMap((question) => [
      ...(question.field === 'lessonsFromBefore' ? lessonsBlocks(input.lessons) : []),
      textInput(question, initial?.[question.field] as string | undefined),
    ]),
    { type: 'divider' },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: input.startingFrom
          ? `*Our action hypothesis*\nStarting from the revised hypothesis of “${foldMrkdwn(input.startingFrom.action, 200)}”. Keep it, sharpen it, or replace it.`
          : '*Our action hypothesis*\nOur current best bet, held as something to test rather than a rule to follow.',
      },
    },
    ...HYPOTHESIS_QUESTIONS.map((question) =>
      textInput(question, initial?.[question.field] as string | undefined),
    ),
    { type: 'divider' },
    {
      type: 'input',
      block_id: BAR_INPUTS.lookBackOn.block,
      label: { type: 'plain_text', text: 'When will we look back?' },
      element: {
        type: 'datepicker',
        action_id: BAR_INPUTS.lookBackOn.action,
        initial_date: initial?.lookBackOn ?? input.lookBackOn,
      },
    },
    {
      type: 'input',
      block_id: BAR_EXTRA_INPUTS.checkInOn.block,
      optional: true,
      label: { type: 'plain_text', text: 'Pre-action check-in' },
      hint: {
        type: 'plain_text',
        text: 'On the day of the action, a short check-in in this review’s thread: anything changed? How confident are we?',
      },
      element: {
        type: 'datepicker',
        action_id: BAR_EXTRA_INPUTS.checkInOn.action,
        ...(initial?.checkInOn ? { initial_date: initial.checkInOn } : {}),
      },
    },
    {
      type: 'input',
      block_id: BAR_INPUTS.people.block,
      label: { type: 'plain_text', text: 'Who is involved?' },
      element: {
        type: 'multi_users_select',
        action_id: BAR_INPUTS.people.action,
        initial_users: initial?.people && initial.people.length > 0 ? initial.people : [input.authorId],
        max_selected_items: MAX_PEOPLE,
        placeholder: { type: 'plain_text', text: 'Everyone who will act or look back' },
      },
    },
    {
      type: 'input',
      block_id: BAR_INPUTS.channelId.block,
      label: { type: 'plain_text', text: 'Share the summary in' },
      hint: { type: 'plain_text', text: 'The summary is posted there for the whole team to see.' },
      element: {
        type: 'conversations_select',
        action_id: BAR_INPUTS.channelId.action,
        filter: { include: ['public', 'private'], exclude_bot_users: true },
        ...(input.channelId ? { initial_conversation: input.channelId } : {}),
        placeholder: { type: 'plain_text', text: 'Pick the team’s channel' },
      },
    },
  ];
  if (input.questions && input.questions.length > 0) {
    const options = input.questions.slice(0, 100).map(questionOption);
    const chosen = options.find((option) => option.value === initial?.questionId);
    blocks.push({
      type: 'input',
      block_id: BAR_EXTRA_INPUTS.questionId.block,
      optional: true,
      label: { type: 'plain_text', text: 'Which learning question does this serve?' },
      element: {
        type: 'static_select',
        action_id: BAR_EXTRA_INPUTS.questionId.action,
        options,
        ...(chosen ? { initial_option: chosen } : {}),
      },
    });
  }
  return {
    type: 'modal',
    callback_id: CALLBACKS.barModal,
    title: { type: 'plain_text', text: 'Before-action review' },
    submit: { type: 'plain_text', text: 'Save and share' },
    close: { type: 'plain_text', text: 'Cancel' },
    private_metadata: JSON.stringify(input.metadata),
    blocks,
  };
}
