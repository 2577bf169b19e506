import type { KnownBlock, ModalView } from '@slack/types';
import type { BeforeActionReview } from '../../db/schema.js';
import { hypothesisSentence } from '../../domain/review.js';
import { ACTIONS, CALLBACKS } from '../ids.js';
import { slackDate } from './dates.js';
import { mentionList, type SlackMessage } from './message.js';
import { addPerspectiveButton, ownerMenu, type Voices, voicesLine } from './review-controls.js';
import { chunkMrkdwn, foldMrkdwn, foldPlain, LIMITS } from './text.js';

export type ReviewForDisplay = Pick<
  BeforeActionReview,
  | 'id'
  | 'action'
  | 'authorId'
  | 'channelId'
  | 'intendedResults'
  | 'anticipatedChallenges'
  | 'lessonsFromBefore'
  | 'successFactors'
  | 'hypothesisIf'
  | 'hypothesisThen'
  | 'hypothesisBecause'
  | 'lookBackOn'
  | 'timeZone'
> & { people: readonly string[] };

/** Long enough for a real answer, short enough that four of them read at a glance. */
const GLANCE_ANSWER_LENGTH = 280;
const GLANCE_ACTION_LENGTH = 600;

const ANSWERS = [
  ['intendedResults', 'Intended results'],
  ['anticipatedChallenges', 'Challenges we anticipate'],
  ['lessonsFromBefore', 'Lessons from before'],
  ['successFactors', 'What will make us successful'],
] as const;

const NOTHING_NOTED = '_Nothing noted_';

function hypothesisOf(review: ReviewForDisplay): string {
  return hypothesisSentence({
    action: review.hypothesisIf,
    expectation: review.hypothesisThen,
    because: review.hypothesisBecause,
  });
}

export function buildBarSummary(review: ReviewForDisplay, voices?: Voices): SlackMessage {
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: 'Before-action review', emoji: true } },
    {
      type: 'section',
      text: { type: 'mrkdwn', text: `*${foldMrkdwn(review.action, GLANCE_ACTION_LENGTH)}*` },
    },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `:bulb: *Our hypothesis*\n${foldMrkdwn(hypothesisOf(review), LIMITS.sectionText - 40)}`,
      },
    },
    {
      type: 'section',
      fields: ANSWERS.map(([field, label]) => ({
        type: 'mrkdwn' as const,
        text: `*${label}*\n${review[field] ? foldMrkdwn(review[field], GLANCE_ANSWER_LENGTH) : NOTHING_NOTED}`,
      })),
    },
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: `:calendar: Look back on *${slackDate(review.lookBackOn, review.timeZone)}*   :busts_in_silhouette: ${mentionList(review.people)}   Started by <@${review.authorId}>`,
        },
      ],
    },
    ...(voices ? [voicesLine(voices)] : []),
    {
      type: 'actions',
      elements: [
        addPerspectiveButton('before', review.id),
        {
          type: 'button',
          action_id: ACTIONS.readReviewInFull,
          text: { type: 'plain_text', text: 'Read in full' },
          value: review.id,
        },
        ownerMenu('before', review.id),
      ],
    },
  ];
  return {
    text: `Before-action review: ${foldMrkdwn(review.action, LIMITS.headerText)} (look back on ${slackDate(review.lookBackOn, review.timeZone)})`,
    blocks,
  };
}

/** Every answer, unabridged: the summary folds long answers, this is where they are read whole. */
export function buildReviewInFull(review: ReviewForDisplay): ModalView {
  const sections: Array<[string, string]> = [
    ['What we are about to do', review.action],
    ...ANSWERS.map(([field, label]): [string, string] => [label, review[field]]),
    ['Our hypothesis', hypothesisOf(review)],
  ];
  const blocks: KnownBlock[] = sections.flatMap(([label, text]): KnownBlock[] => [
    { type: 'section', text: { type: 'mrkdwn', text: `*${label}*` } },
    ...(text
      ? chunkMrkdwn(text, LIMITS.sectionText).map(
          (chunk): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text: chunk } }),
        )
      : [{ type: 'context' as const, elements: [{ type: 'mrkdwn' as const, text: NOTHING_NOTED }] }]),
  ]);
  blocks.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: `Look back on ${slackDate(review.lookBackOn, review.timeZone)} · People involved: ${mentionList(review.people)}`,
      },
    ],
  });
  return {
    type: 'modal',
    callback_id: CALLBACKS.reviewInFull,
    title: { type: 'plain_text', text: foldPlain('Before-action review', LIMITS.modalTitle) },
    close: { type: 'plain_text', text: 'Close' },
    blocks,
  };
}

export type ShareProblem = 'not_in_channel' | 'channel_not_found' | 'is_archived' | 'other';

const SHARE_ADVICE: Record<ShareProblem, (channel: string) => string> = {
  not_in_channel: (channel) =>
    `I’m not a member of ${channel}. Open the channel, type \`/invite @Learning Thread\`, then press *Try again*.`,
  channel_not_found: (channel) =>
    `I can’t see ${channel}; private channels need an invitation. Open it, type \`/invite @Learning Thread\`, then press *Try again*.`,
  is_archived: (channel) =>
    `${channel} is archived. Unarchive it and press *Try again*, or start the review again in another channel.`,
  other: () => 'Slack did not accept the message just now. Press *Try again* in a minute.',
};

/** Sent privately to the author when the summary could not be posted; nothing they wrote is lost. */
export function buildShareFailedNotice(
  review: Pick<ReviewForDisplay, 'id' | 'action' | 'channelId'>,
  problem: ShareProblem,
): SlackMessage {
  const channel = `<#${review.channelId}>`;
  const action = foldMrkdwn(review.action, 200);
  return {
    text: `Your before-action review “${action}” is saved, but I couldn’t share it in ${channel}.`,
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `:floppy_disk: Your before-action review *${action}* is saved, but I couldn’t share it in ${channel}.\n${SHARE_ADVICE[problem](channel)}`,
        },
      },
      {
        type: 'actions',
        elements: [
          {
            type: 'button',
            action_id: ACTIONS.retryShare,
            text: { type: 'plain_text', text: 'Try again' },
            value: review.id,
          },
          {
            type: 'button',
            action_id: ACTIONS.readReviewInFull,
            text: { type: 'plain_text', text: 'Read in full' },
            value: review.id,
          },
        ],
      },
    ],
  };
}
