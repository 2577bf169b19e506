import type { HomeView, KnownBlock } from '@slack/types';
import { ACTIONS } from '../ids.js';
import type { ReviewForDisplay } from './bar-summary.js';
import { slackDate } from './dates.js';
import { type HomePortrait, noPortraitBlocks, portraitBlocks } from './portrait.js';
import {
  type AnsweredPrompt,
  describeAnsweredPrompt,
  editAnswerButton,
  withdrawAnswerButton,
} from './prompt.js';
import { foldMrkdwn } from './text.js';

/** With the portrait and the private answers, the tab stays inside Slack's 100 blocks. */
export const MAX_HOME_REVIEWS = 10;
/** Two blocks each: with the reviews, the tab stays well inside Slack's 100 blocks. */
export const MAX_HOME_PRIVATE_ANSWERS = 15;

export type HomeReview = Pick<ReviewForDisplay, 'id' | 'action' | 'lookBackOn' | 'channelId' | 'timeZone'> & {
  status: 'open' | 'closed';
};

/** One of the person's own private answers, newest first, with the prompt it answered. */
export interface HomePrivateAnswer {
  id: string;
  occurrenceId: string;
  text: string;
  prompt: AnsweredPrompt;
}

/**
 * The person's Home tab: their team's portrait, then their own: the reviews they are part of, their
 * private answers and what they can do with their data. Without `portrait` the tab has no team part;
 * `'none'` says how to begin one.
 */
export function buildHome(
  reviews: readonly HomeReview[],
  privateAnswers: readonly HomePrivateAnswer[] = [],
  portrait?: HomePortrait | 'none',
): HomeView {
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
    ...(portrait === 'none' ? noPortraitBlocks() : portrait ? portraitBlocks(portrait) : []),
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
  blocks.push(...privateAnswerBlocks(privateAnswers), ...yourDataBlocks());
  return {
    type: 'home',
    blocks,
    ...(portrait && portrait !== 'none' ? { private_metadata: portrait.channelId } : {}),
  };
}

/** Only the person sees their Home tab, so it is where their private answers can be changed or taken back. */
function privateAnswerBlocks(answers: readonly HomePrivateAnswer[]): KnownBlock[] {
  if (answers.length === 0) return [];
  const listed = answers.slice(0, MAX_HOME_PRIVATE_ANSWERS);
  const blocks: KnownBlock[] = [
    { type: 'divider' },
    { type: 'section', text: { type: 'mrkdwn', text: '*Your private answers*' } },
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text:
            listed.length < answers.length
              ? `Only you see these. The ${listed.length} most recent: edit one, or withdraw it to delete it.`
              : 'Only you see these. Edit one, or withdraw it to delete it.',
        },
      ],
    },
  ];
  for (const answer of listed) {
    blocks.push(
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `Your answer to ${describeAnsweredPrompt(answer.prompt)}\n>${foldMrkdwn(answer.text, 300).replace(/\n/g, '\n>')}`,
        },
      },
      { type: 'actions', elements: [editAnswerButton(answer.occurrenceId), withdrawAnswerButton(answer.id)] },
    );
  }
  return blocks;
}

/** What a person can do with what they wrote: the commands that already do it, said where they will look. */
function yourDataBlocks(): KnownBlock[] {
  return [
    { type: 'divider' },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: '*Your data*\n• To delete everything you wrote, in every channel, type `/learning forget-me`: it shows what would go before anything does.\n• A workspace admin can export a channel’s learning history, with `/learning export` in the channel.',
      },
    },
  ];
}
