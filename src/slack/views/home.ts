import type { HomeView, KnownBlock } from '@slack/types';
import { ACTIONS } from '../ids.js';
import type { ReviewForDisplay } from './bar-summary.js';
import { slackDate } from './dates.js';
import { foldMrkdwn } from './text.js';

export const MAX_HOME_REVIEWS = 20;

export type HomeReview = Pick<ReviewForDisplay, 'id' | 'action' | 'lookBackOn' | 'channelId' | 'timeZone'> & {
  status: 'open' | 'closed';
};

export function buildHome(reviews: readonly HomeReview[]): HomeView {
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: 'Learning Thread' } },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: 'Before a significant action, take five minutes for a *before-action review*: what you intend, what might get in the way, what you learned before, and the hypothesis you are testing.',
      },
      accessory: {
        type: 'button',
        action_id: ACTIONS.startBar,
        style: 'primary',
        text: { type: 'plain_text', text: 'Start a before-action review' },
      },
    },
    { type: 'divider' },
    { type: 'section', text: { type: 'mrkdwn', text: '*Reviews you are part of*' } },
  ];
  if (reviews.length === 0) {
    blocks.push({
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: 'None yet. Type `/bar what we are about to do` in your team’s channel to begin.',
        },
      ],
    });
  }
  for (const review of reviews.slice(0, MAX_HOME_REVIEWS)) {
    const state =
      review.status === 'open'
        ? `look back on ${slackDate(review.lookBackOn, review.timeZone)}`
        : 'looked back';
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `*${foldMrkdwn(review.action, 200)}*\n<#${review.channelId}> · ${state}`,
      },
      accessory: {
        type: 'button',
        action_id: ACTIONS.readReviewInFull,
        text: { type: 'plain_text', text: 'Read in full' },
        value: review.id,
      },
    });
  }
  return { type: 'home', blocks };
}
