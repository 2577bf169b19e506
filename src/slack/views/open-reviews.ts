import type { KnownBlock } from '@slack/types';
import { calendarDateIn } from '../../domain/time.js';
import { ACTIONS } from '../ids.js';
import type { ReviewForDisplay } from './bar-summary.js';
import { slackDate } from './dates.js';
import type { SlackMessage } from './message.js';
import { foldMrkdwn } from './text.js';

function countOf(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** Keeps the reply well under Slack's 50-block message limit (two blocks per review, plus four). */
export const MAX_LISTED_REVIEWS = 15;

export type OpenReview = Pick<ReviewForDisplay, 'id' | 'action' | 'lookBackOn' | 'authorId'> & {
  timeZone: string;
};

/** `total` may exceed the reviews given: only the newest are listed, and the rest are counted. */
/** The way to look back on something that had no before-action review. */
function withoutBarButton(channelId: string): KnownBlock {
  return {
    type: 'actions',
    elements: [
      {
        type: 'button',
        action_id: ACTIONS.startAarWithoutBar,
        text: { type: 'plain_text', text: 'A review without a before-action review' },
        value: channelId,
      },
    ],
  };
}

/**
 * `/aar`: the channel's open before-action reviews, newest first, each with a way to start its
 * after-action review, and a way to review something that had none.
 */
export function buildOpenReviews(
  reviews: readonly OpenReview[],
  total: number,
  now: Date,
  channelId: string,
): SlackMessage {
  if (total === 0) {
    return {
      text: 'No before-action reviews are waiting to be looked back on here.',
      blocks: [
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: 'No before-action reviews are waiting to be looked back on here. Start one with `/bar what we are about to do`, or look back on something without one:',
          },
        },
        withoutBarButton(channelId),
      ],
    };
  }
  const shown = reviews.slice(0, MAX_LISTED_REVIEWS);
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      text: { type: 'mrkdwn', text: `*Before-action reviews waiting to be looked back on* (${total})` },
    },
    ...shown.flatMap((review): KnownBlock[] => [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `*${foldMrkdwn(review.action, 200)}*\n${review.lookBackOn < calendarDateIn(now, review.timeZone) ? ':hourglass: Look-back was due' : 'Look back on'} ${slackDate(review.lookBackOn, review.timeZone)} · started by <@${review.authorId}>`,
        },
      },
      {
        type: 'actions',
        elements: [
          {
            type: 'button',
            style: 'primary',
            action_id: ACTIONS.startAar,
            text: { type: 'plain_text', text: 'Start after-action review' },
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
    ]),
  ];
  if (total > shown.length) {
    blocks.push({
      type: 'context',
      elements: [
        { type: 'mrkdwn', text: `…and ${countOf(total - shown.length, 'older one', 'older ones')}.` },
      ],
    });
  }
  blocks.push(withoutBarButton(channelId));
  const waiting = total === 1 ? '1 before-action review is' : `${total} before-action reviews are`;
  return { text: `${waiting} waiting to be looked back on.`, blocks };
}
