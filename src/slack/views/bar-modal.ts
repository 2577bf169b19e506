import type { InputBlock, KnownBlock, ModalView } from '@slack/types';
import { type BarDraft, MAX_ANSWER_LENGTH, MAX_PEOPLE } from '../../domain/review.js';
import { BAR_FIELD_INPUTS, type BarModalMetadata } from '../forms/before-action-review.js';
import { CALLBACKS } from '../ids.js';
import { type QuestionOption, questionOption } from './after-action.js';
import { foldMrkdwn, foldPlain } from './text.js';

export interface BarModalInput {
  /** Prefilled "what we are about to do", usually the slash command's text. */
  action: string;
  /**
   * Where the summary goes; absent when /bar was typed somewhere the bot cannot post (a DM), and only then
   * does the form ask.
   */
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
  /** When the lesson was written: Slack date formatting, read in each reader's own format. */
  date: string;
  /** The channel that shared it, by name; null for the form's own channel. */
  channelName?: string | null;
  change: string;
  sustain: string;
  whyDifferent: string;
}

export const LESSONS_BLOCK_ID = 'bar_lessons_offered';

/** One lesson in a line: what it was about and what it taught, whichever of that was written down. */
function lessonLine(lesson: LessonLine): string {
  const about = lesson.action.trim() ? `_${foldMrkdwn(lesson.action, 100)}_` : '_A review_';
  const taught = [
    lesson.change.trim() ? `change ${foldMrkdwn(lesson.change, 200)}` : '',
    lesson.sustain.trim() ? `keep ${foldMrkdwn(lesson.sustain, 120)}` : '',
  ].filter(Boolean);
  if (taught.length === 0 && lesson.whyDifferent.trim())
    taught.push(`why it went as it did: ${foldMrkdwn(lesson.whyDifferent, 200)}`);
  const from = lesson.channelName ? `#${foldMrkdwn(lesson.channelName, 80)} · ` : '';
  return `${about} (${from}${lesson.date})${taught.length > 0 ? `: ${taught.join('; ')}` : ''}`;
}

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
  const fromShared = offer.lessons.some((lesson) => lesson.channelName);
  const whose = fromShared
    ? 'after-action reviews here and in channels that share theirs'
    : 'this channel’s after-action reviews';
  const heading = `*${offer.basis === 'related' ? 'Related' : 'Recent'} lessons from ${whose}*`;
  const lines = offer.lessons.map((lesson) => `• ${lessonLine(lesson)}`);
  return [
    {
      type: 'section',
      block_id: LESSONS_BLOCK_ID,
      text: { type: 'mrkdwn', text: [heading, ...lines].join('\n') },
    },
  ];
}

interface TextQuestion {
  ids: { block: string; action: string };
  label: string;
  placeholder: string;
  hint?: string;
  multiline: boolean;
  optional: boolean;
}

// What a review cannot do without comes first, with the look-back date; the rest may stay empty.
const REQUIRED: Record<'action' | 'intendedResults' | 'hypothesis', Omit<TextQuestion, 'hint'>> = {
  action: {
    ids: BAR_FIELD_INPUTS.action,
    label: 'What are we about to do?',
    placeholder: 'The action, in a few words',
    multiline: false,
    optional: false,
  },
  intendedResults: {
    ids: BAR_FIELD_INPUTS.intendedResults,
    label: 'What results do we intend, and how will we know?',
    placeholder: 'The results that matter, and the sign we got there',
    multiline: true,
    optional: false,
  },
  hypothesis: {
    ids: BAR_FIELD_INPUTS.hypothesis,
    label: 'Our hypothesis',
    placeholder: 'If we …, then we expect …, because …',
    multiline: true,
    optional: false,
  },
};

const OPTIONAL: Record<'anticipatedChallenges' | 'lessonsFromBefore' | 'successFactors', TextQuestion> = {
  anticipatedChallenges: {
    ids: BAR_FIELD_INPUTS.anticipatedChallenges,
    label: 'What challenges do we anticipate?',
    placeholder: 'What could get in the way, even what is awkward to say',
    multiline: false,
    optional: true,
  },
  lessonsFromBefore: {
    ids: BAR_FIELD_INPUTS.lessonsFromBefore,
    label: 'What have we or others learned before?',
    placeholder: 'A past review, another team’s story',
    multiline: false,
    optional: true,
  },
  successFactors: {
    ids: BAR_FIELD_INPUTS.successFactors,
    label: 'What will make us successful this time?',
    placeholder: 'What we will do differently, or keep doing',
    multiline: false,
    optional: true,
  },
};

function textInput(question: TextQuestion, initialValue?: string): InputBlock {
  return {
    type: 'input',
    block_id: question.ids.block,
    optional: question.optional,
    label: { type: 'plain_text', text: question.label },
    ...(question.hint ? { hint: { type: 'plain_text', text: question.hint } } : {}),
    element: {
      type: 'plain_text_input',
      action_id: question.ids.action,
      multiline: question.multiline,
      max_length: MAX_ANSWER_LENGTH,
      placeholder: { type: 'plain_text', text: question.placeholder },
      ...(initialValue ? { initial_value: foldPlain(initialValue, MAX_ANSWER_LENGTH) } : {}),
    },
  };
}

/** Asked only when /bar was typed where the summary cannot go, such as a direct message. */
function channelPicker(): InputBlock {
  return {
    type: 'input',
    block_id: BAR_FIELD_INPUTS.channelId.block,
    label: { type: 'plain_text', text: 'Share the summary in' },
    element: {
      type: 'conversations_select',
      action_id: BAR_FIELD_INPUTS.channelId.action,
      filter: { include: ['public', 'private'], exclude_bot_users: true },
      placeholder: { type: 'plain_text', text: 'Pick the team’s channel' },
    },
  };
}

function introduction(input: BarModalInput): KnownBlock {
  const where = input.channelId
    ? input.metadata.editReviewId
      ? ` Saving updates its summary in <#${input.channelId}>.`
      : ` The summary is shared in <#${input.channelId}>.`
    : '';
  return {
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: `Five minutes before the work starts. Anything marked optional can wait.${where}`,
      },
    ],
  };
}

export function buildBarModal(input: BarModalInput): ModalView {
  const initial = input.initial;
  const startingFrom = input.startingFrom
    ? `Starting from the revised hypothesis of “${foldPlain(input.startingFrom.action, 150)}”: keep it, sharpen it or replace it.`
    : undefined;
  const blocks: KnownBlock[] = [
    introduction(input),
    textInput(REQUIRED.action, initial?.action ?? input.action),
    textInput(REQUIRED.intendedResults, initial?.intendedResults),
    textInput(
      { ...REQUIRED.hypothesis, ...(startingFrom ? { hint: startingFrom } : {}) },
      initial?.hypothesis ?? input.startingFrom?.revisedHypothesis,
    ),
    {
      type: 'input',
      block_id: BAR_FIELD_INPUTS.lookBackOn.block,
      label: { type: 'plain_text', text: 'When will we look back?' },
      element: {
        type: 'datepicker',
        action_id: BAR_FIELD_INPUTS.lookBackOn.action,
        initial_date: initial?.lookBackOn ?? input.lookBackOn,
      },
    },
    ...(input.channelId ? [] : [channelPicker()]),
    textInput(OPTIONAL.anticipatedChallenges, initial?.anticipatedChallenges),
    ...lessonsBlocks(input.lessons),
    textInput(OPTIONAL.lessonsFromBefore, initial?.lessonsFromBefore),
    textInput(OPTIONAL.successFactors, initial?.successFactors),
    {
      type: 'input',
      block_id: BAR_FIELD_INPUTS.people.block,
      optional: true,
      label: { type: 'plain_text', text: 'Who is involved?' },
      element: {
        type: 'multi_users_select',
        action_id: BAR_FIELD_INPUTS.people.action,
        initial_users: initial?.people && initial.people.length > 0 ? initial.people : [input.authorId],
        max_selected_items: MAX_PEOPLE,
        placeholder: { type: 'plain_text', text: 'Everyone who will act or look back' },
      },
    },
    {
      type: 'input',
      block_id: BAR_FIELD_INPUTS.checkInOn.block,
      optional: true,
      label: { type: 'plain_text', text: 'Pre-action check-in' },
      hint: {
        type: 'plain_text',
        text: 'At 10:00 that day (or on the next work day, when that is less than an hour away), the thread asks: anything changed? How confident are we?',
      },
      element: {
        type: 'datepicker',
        action_id: BAR_FIELD_INPUTS.checkInOn.action,
        placeholder: { type: 'plain_text', text: 'The day we act' },
        ...(initial?.checkInOn ? { initial_date: initial.checkInOn } : {}),
      },
    },
  ];
  if (input.questions && input.questions.length > 0) {
    const options = input.questions.slice(0, 100).map(questionOption);
    const chosen = options.find((option) => option.value === initial?.questionId);
    blocks.push({
      type: 'input',
      block_id: BAR_FIELD_INPUTS.questionId.block,
      optional: true,
      label: { type: 'plain_text', text: 'Which learning question does this serve?' },
      element: {
        type: 'static_select',
        action_id: BAR_FIELD_INPUTS.questionId.action,
        options,
        ...(chosen ? { initial_option: chosen } : {}),
      },
    });
  }
  // The form that does not ask where to share carries the answer, so the submission finds it.
  const metadata: BarModalMetadata = {
    ...input.metadata,
    ...(input.channelId ? { channelId: input.channelId } : {}),
  };
  return {
    type: 'modal',
    callback_id: CALLBACKS.barModal,
    title: { type: 'plain_text', text: 'Before-action review' },
    submit: { type: 'plain_text', text: 'Save and share' },
    close: { type: 'plain_text', text: 'Cancel' },
    private_metadata: JSON.stringify(metadata),
    blocks,
  };
}
