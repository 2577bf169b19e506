import type { InputBlock, KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import type { AfterActionReview, CheckInKind, Verdict } from '../../db/schema.js';
import { type AarDraft, VERDICT_LABELS } from '../../domain/after-action.js';
import { MAX_ANSWER_LENGTH, MAX_PEOPLE } from '../../domain/review.js';
import type { AarModalMetadata } from '../forms/after-action-review.js';
import { AAR_INPUTS, ACTIONS, CALLBACKS } from '../ids.js';
import { slackDate } from './dates.js';
import { mentionList, type SlackMessage } from './message.js';
import { addPerspectiveButton, ownerMenu, type Voices, voicesLine } from './review-controls.js';
import { foldMrkdwn, foldPlain, LIMITS } from './text.js';

export interface BeforeReviewContext {
  action: string;
  intendedResults: string;
  hypothesis: string;
  lookBackOn: string;
}

export interface QuestionOption {
  id: string;
  text: string;
}

export interface AarModalInput {
  before?: BeforeReviewContext;
  people: readonly string[];
  channelId?: string;
  questions: readonly QuestionOption[];
  initial?: Partial<AarDraft>;
  metadata: AarModalMetadata;
}

type AarText = 'intended' | 'whatHappened' | 'whyDifferent' | 'sustain' | 'change';

interface AarTextQuestion {
  label: string;
  placeholder: string;
  /** Only the answers the review is about get the room of several lines. */
  multiline: boolean;
  optional: boolean;
}

// What happened and why is the heart of the review; keeping and changing may follow in a later round.
const TEXT_QUESTIONS: Record<AarText, AarTextQuestion> = {
  intended: {
    label: 'What did we intend?',
    placeholder: 'The results we were aiming for',
    multiline: true,
    optional: false,
  },
  whatHappened: {
    label: 'What actually happened?',
    placeholder: 'The results, as they turned out',
    multiline: true,
    optional: false,
  },
  whyDifferent: {
    label: 'Why was there a difference?',
    placeholder: 'What explains the gap, or the match',
    multiline: true,
    optional: false,
  },
  sustain: {
    label: 'What will we sustain?',
    placeholder: 'What worked and is worth keeping',
    multiline: false,
    optional: true,
  },
  change: {
    label: 'What will we change?',
    placeholder: 'What we will do differently next time',
    multiline: false,
    optional: true,
  },
};

function textInput(field: AarText, initial?: string): InputBlock {
  const ids = AAR_INPUTS[field];
  const question = TEXT_QUESTIONS[field];
  return {
    type: 'input',
    block_id: ids.block,
    optional: question.optional,
    label: { type: 'plain_text', text: question.label },
    element: {
      type: 'plain_text_input',
      action_id: ids.action,
      multiline: question.multiline,
      max_length: MAX_ANSWER_LENGTH,
      placeholder: { type: 'plain_text', text: question.placeholder },
      ...(initial ? { initial_value: foldPlain(initial, MAX_ANSWER_LENGTH) } : {}),
    },
  };
}

const verdictOption = (verdict: Verdict): PlainTextOption => ({
  text: { type: 'plain_text', text: VERDICT_LABELS[verdict] },
  value: verdict,
});

export function questionOption(question: QuestionOption): PlainTextOption {
  return {
    text: { type: 'plain_text', text: foldPlain(question.text, LIMITS.optionText) },
    value: question.id,
  };
}

/**
 * Asks what happened and why (and, after a before-action review, whether its hypothesis held) first; the
 * rest is optional. The channel is asked for only when it cannot be known: a review with no before-action
 * review, started outside a channel.
 */
export function buildAarModal(input: AarModalInput): ModalView {
  const { before, initial = {} } = input;
  const blocks: KnownBlock[] = [];
  if (before) {
    // Each part is shortened on its own, so long intentions can never push the hypothesis out of view.
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: [
          `*What we set out to do:* ${foldMrkdwn(before.action, 600)}`,
          `*Intended results:* ${foldMrkdwn(before.intendedResults, 1000)}`,
          `*Our hypothesis:* ${foldMrkdwn(before.hypothesis, 1300)}`,
        ].join('\n'),
      },
    });
  } else {
    blocks.push(textInput('intended', initial.intended));
  }
  blocks.push(
    textInput('whatHappened', initial.whatHappened),
    textInput('whyDifferent', initial.whyDifferent),
  );
  if (before) {
    const verdicts = (Object.keys(VERDICT_LABELS) as Verdict[]).map(verdictOption);
    const chosen = verdicts.find((option) => option.value === initial.verdict);
    blocks.push({
      type: 'input',
      block_id: AAR_INPUTS.verdict.block,
      label: { type: 'plain_text', text: 'Did our hypothesis hold?' },
      element: {
        type: 'radio_buttons',
        action_id: AAR_INPUTS.verdict.action,
        options: verdicts,
        ...(chosen ? { initial_option: chosen } : {}),
      },
    });
  }
  if (!before && !input.channelId) {
    blocks.push({
      type: 'input',
      block_id: AAR_INPUTS.channelId.block,
      label: { type: 'plain_text', text: 'Share the summary in' },
      element: {
        type: 'conversations_select',
        action_id: AAR_INPUTS.channelId.action,
        filter: { include: ['public', 'private'], exclude_bot_users: true },
        placeholder: { type: 'plain_text', text: 'Pick the team’s channel' },
      },
    });
  }
  blocks.push(textInput('sustain', initial.sustain), textInput('change', initial.change), {
    type: 'input',
    block_id: AAR_INPUTS.revisedHypothesis.block,
    optional: true,
    label: { type: 'plain_text', text: 'A revised hypothesis' },
    hint: { type: 'plain_text', text: 'The next /bar in this channel starts from it.' },
    element: {
      type: 'plain_text_input',
      action_id: AAR_INPUTS.revisedHypothesis.action,
      max_length: MAX_ANSWER_LENGTH,
      placeholder: { type: 'plain_text', text: 'If we …, then we expect …' },
      ...(initial.revisedHypothesis
        ? { initial_value: foldPlain(initial.revisedHypothesis, MAX_ANSWER_LENGTH) }
        : {}),
    },
  });
  blocks.push({
    type: 'input',
    block_id: AAR_INPUTS.people.block,
    optional: true,
    label: { type: 'plain_text', text: 'Who was involved?' },
    element: {
      type: 'multi_users_select',
      action_id: AAR_INPUTS.people.action,
      max_selected_items: MAX_PEOPLE,
      ...(input.people.length > 0 ? { initial_users: input.people.slice(0, MAX_PEOPLE) } : {}),
    },
  });
  if (input.questions.length > 0) {
    const options = input.questions.slice(0, 100).map(questionOption);
    const chosen = options.find((option) => option.value === initial.questionId);
    blocks.push({
      type: 'input',
      block_id: AAR_INPUTS.questionId.block,
      optional: true,
      label: { type: 'plain_text', text: 'Which learning question does this speak to?' },
      element: {
        type: 'static_select',
        action_id: AAR_INPUTS.questionId.action,
        options,
        ...(chosen ? { initial_option: chosen } : {}),
      },
    });
  }
  // The form that does not ask where to share carries the answer, so the submission finds it.
  const metadata: AarModalMetadata = {
    ...input.metadata,
    ...(input.channelId && !input.metadata.channelId ? { channelId: input.channelId } : {}),
  };
  return {
    type: 'modal',
    callback_id: CALLBACKS.aarModal,
    private_metadata: JSON.stringify(metadata),
    title: { type: 'plain_text', text: 'After-action review' },
    submit: { type: 'plain_text', text: 'Save and share' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks,
  };
}

const GLANCE = 280;
/** What an answer left empty reads as, the same words as the before-action review's summary. */
const NOTHING_NOTED = '_Nothing noted_';

export type AarForDisplay = Pick<
  AfterActionReview,
  | 'id'
  | 'authorId'
  | 'intended'
  | 'whatHappened'
  | 'whyDifferent'
  | 'sustain'
  | 'change'
  | 'verdict'
  | 'revisedHypothesis'
> & { people: readonly string[] };

export function buildAarSummary(
  aar: AarForDisplay,
  before: BeforeReviewContext | undefined,
  voices: Voices,
): SlackMessage {
  const intended = before?.intendedResults ?? aar.intended;
  const fields: Array<[string, string]> = [
    ['What we intended', intended],
    ['What actually happened', aar.whatHappened],
    ['Why the difference', aar.whyDifferent],
    ['What we will sustain', aar.sustain],
    ['What we will change', aar.change],
  ];
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: 'After-action review' } },
  ];
  if (before) {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `*${foldMrkdwn(before.action, 600)}*` } });
  }
  blocks.push({
    type: 'section',
    fields: fields.map(([label, value]) => ({
      type: 'mrkdwn' as const,
      text: `*${label}*\n${value.trim() ? foldMrkdwn(value, GLANCE) : NOTHING_NOTED}`,
    })),
  });
  if (before) {
    const verdict = aar.verdict ? VERDICT_LABELS[aar.verdict] : 'No verdict';
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `:bulb: *Our hypothesis:* ${foldMrkdwn(before.hypothesis, 2400)}\n*Verdict:* ${verdict}`,
      },
    });
  }
  if (aar.revisedHypothesis) {
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `:arrows_counterclockwise: *Revised hypothesis:* ${foldMrkdwn(aar.revisedHypothesis, 2800)}`,
      },
    });
  }
  blocks.push(
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: `:busts_in_silhouette: ${mentionList(aar.people)}   Reviewed by <@${aar.authorId}>`,
        },
      ],
    },
    voicesLine(voices),
    { type: 'actions', elements: [addPerspectiveButton('after', aar.id), ownerMenu('after', aar.id)] },
  );
  const subject = before ? foldMrkdwn(before.action, 150) : foldMrkdwn(intended, 150);
  const verdictText =
    before && aar.verdict ? ` Hypothesis: ${VERDICT_LABELS[aar.verdict].toLowerCase()}.` : '';
  return { text: `After-action review: ${subject}.${verdictText}`, blocks };
}

const CONFIDENCE_LEVELS = [1, 2, 3, 4, 5] as const;

/** The check-ins a before-action review receives in its own thread. */
export function buildCheckIn(
  kind: CheckInKind,
  input: {
    occurrenceId: string;
    reviewId: string;
    action: string;
    lookBackOn: string;
    timeZone: string;
    people: readonly string[];
    departed: number;
  },
): SlackMessage {
  const action = foldMrkdwn(input.action, 300);
  const people = input.people.length > 0 ? `${mentionList(input.people)} ` : '';
  const departed =
    input.departed > 0
      ? `\n_${input.departed} ${input.departed === 1 ? 'person' : 'people'} involved ${input.departed === 1 ? 'is' : 'are'} no longer in this workspace._`
      : '';
  const startButton = {
    type: 'actions' as const,
    elements: [
      {
        type: 'button' as const,
        style: 'primary' as const,
        action_id: ACTIONS.startAar,
        text: { type: 'plain_text' as const, text: 'Start after-action review' },
        value: input.reviewId,
      },
    ],
  };
  if (kind === 'pre_check_in') {
    const text = `*Pre-action check-in:* ${action}\n${people}Anything changed since we planned this? Reply in this thread. And how confident are we, from 1 to 5?${departed}`;
    return {
      text: `Pre-action check-in: ${action}`,
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text } },
        {
          type: 'actions',
          elements: [
            {
              type: 'static_select',
              action_id: ACTIONS.checkInConfidence,
              placeholder: { type: 'plain_text', text: 'How confident? 1–5' },
              options: CONFIDENCE_LEVELS.map((level) => ({
                text: { type: 'plain_text' as const, text: `${level} of 5` },
                value: `${input.occurrenceId}|${level}`,
              })),
            },
          ],
        },
      ],
    };
  }
  if (kind === 'post_check_in') {
    const text = `*Time to look back:* ${action}\n${people}We planned to look back on ${slackDate(input.lookBackOn, input.timeZone)}. What actually happened, compared with what we intended?${departed}`;
    return {
      text: `Time to look back: ${action}`,
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }, startButton],
    };
  }
  const text = `*Still open:* ${action}\n${people}This review is still waiting for its look-back. A few minutes together now will close the loop.${departed}`;
  return {
    text: `Still waiting for its look-back: ${action}`,
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }, startButton],
  };
}

const UNDELIVERABLE: Record<string, string> = {
  is_archived: 'the channel is archived',
  channel_not_found: 'I can no longer see the channel',
  not_in_channel: 'I am no longer a member of the channel',
};

/** Sent to a review's author when its check-in could not be posted; the review itself is untouched. */
export function buildCheckInUndeliverable(action: string, channelId: string, error: string): SlackMessage {
  const reason = UNDELIVERABLE[error] ?? `Slack refused the post (${foldMrkdwn(error, 60)})`;
  const text = `I couldn’t post the check-in for “${foldMrkdwn(action, 200)}” in <#${channelId}> because ${reason}. The review is kept: once the channel is usable again, close the loop with \`/aar\` there, or use “A review without a before-action review” from \`/aar\` in another channel.`;
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}
