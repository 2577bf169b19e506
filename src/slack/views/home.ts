import type { HomeView, KnownBlock } from '@slack/types';
import { calendarDateIn } from '../../domain/time.js';
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

/** Open loops listed: with the portrait and the private answers, the tab stays inside Slack's 100 blocks. */
export const MAX_HOME_REVIEWS = 20;
/** Two blocks each: with the reviews, the tab stays well inside Slack's 100 blocks. */
export const MAX_HOME_PRIVATE_ANSWERS = 15;

/** An open before-action review the person wrote or is named in: a loop of theirs still to close. */
export type HomeReview = Pick<ReviewForDisplay, 'id' | 'action' | 'lookBackOn' | 'channelId' | 'timeZone'>;

/** One of the person's own private answers, newest first, with the prompt it answered. */
export interface HomePrivateAnswer {
  id: string;
  occurrenceId: string;
  text: string;
  prompt: AnsweredPrompt;
}

export interface HomeContext {
  /** Tells a look-back date still to come from one gone by. */
  now?: Date;
  /** How many open loops the person has in all, when more than are listed. */
  openLoops?: number;
}

/**
 * The person's Home tab: their team's portrait, then their own: their open loops, their private answers
 * and what they can do with their data. Without `portrait` the tab has no team part; `'none'` says how
 * to begin one. The view keeps the channel the person picked, and only a picked one, so a redraw for
 * another reason shows it again.
 */
export function buildHome(
  reviews: readonly HomeReview[],
  privateAnswers: readonly HomePrivateAnswer[] = [],
  portrait?: HomePortrait | 'none',
  context: HomeContext = {},
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
    ...openLoopBlocks(reviews, context),
    ...privateAnswerBlocks(privateAnswers),
    ...yourDataBlocks(),
  ];
  const picked = portrait && portrait !== 'none' && portrait.picked ? portrait.channelId : undefined;
  return { type: 'home', blocks, ...(picked ? { private_metadata: picked } : {}) };
}

/** "look back on Friday", or, once the date has gone by, that the after-action review is due. */
function lookBackWords(review: HomeReview, now: Date | undefined): string {
  const date = slackDate(review.lookBackOn, review.timeZone);
  if (now && review.lookBackOn < calendarDateIn(now, review.timeZone))
    return `the look-back date was ${date}: time for the after-action review`;
  return `look back on ${date}`;
}

/** The loops the person is part of that are still open, in every channel, the soonest look-back first. */
function openLoopBlocks(reviews: readonly HomeReview[], context: HomeContext): KnownBlock[] {
  const blocks: KnownBlock[] = [
    { type: 'divider' },
    { type: 'section', text: { type: 'mrkdwn', text: '*Your open loops*' } },
  ];
  const listed = reviews.slice(0, MAX_HOME_REVIEWS);
  if (listed.length === 0) {
    blocks.push({
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: 'No open loops. Before your next piece of work, type `/bar what we are about to do` in your team’s channel.',
        },
      ],
    });
    return blocks;
  }
  blocks.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: 'Before-action reviews you wrote or are named in, waiting for an after-action review.',
      },
    ],
  });
  for (const review of listed) {
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `*${foldMrkdwn(review.action, 200)}*\n<#${review.channelId}> · ${lookBackWords(review, context.now)}`,
      },
      accessory: {
        type: 'button',
        action_id: ACTIONS.readReviewInFull,
        text: { type: 'plain_text', text: 'Read in full' },
        value: review.id,
      },
    });
  }
  const more = Math.max(context.openLoops ?? 0, reviews.length) - listed.length;
  if (more > 0)
    blocks.push({
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: `…and ${more} more, with later look-back dates. \`/aar\` in a channel lists the ones open there.`,
        },
      ],
    });
  return blocks;
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

/**
 * What a person can do with what they wrote. Forgetting is a command, not a button: its button carries a
 * confirmation made for one person and good for 15 minutes, which a tab that stays for days cannot hold.
 */
function yourDataBlocks(): KnownBlock[] {
  return [
    { type: 'divider' },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: '*Your data*\nWhat you wrote is yours. A copy of everything you wrote with your name on it, from every channel, comes to you in a direct message.',
      },
      accessory: {
        type: 'button',
        action_id: ACTIONS.exportMine,
        text: { type: 'plain_text', text: 'Export what I wrote' },
      },
    },
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: 'To delete everything you wrote, in every channel, type `/learning forget-me`: it shows what would go before anything does. A workspace admin can export a channel’s learning history, with `/learning export` in the channel.',
        },
      ],
    },
  ];
}
