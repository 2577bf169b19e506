import type { KnownBlock } from '@slack/types';
import type { WorkflowReviewInvitation } from '../../db/schema.js';
import { formatLongDate } from '../../domain/time.js';
import { ACTIONS } from '../ids.js';
import type { SlackMessage } from './message.js';
import { mentionList } from './message.js';
import { buildPrompt, type PromptMetadata } from './prompt.js';
import { foldMrkdwn, LIMITS } from './text.js';

/** What the message a workflow posts says, besides the review it invites. */
export interface ReviewInvitationContent {
  occurrenceId: string;
  invitation: WorkflowReviewInvitation;
  /** The before-action review an after-action one looks back on, when the workflow named one. */
  before?: { action: string };
  /** The channel an after-action review without a before-action review is for. */
  channelId: string;
}

function beforeInvitation(
  occurrenceId: string,
  invitation: Extract<WorkflowReviewInvitation, { target: 'before' }>,
): SlackMessage {
  const lines = [
    '*Time for a before-action review*',
    `Before we start on _${foldMrkdwn(invitation.action, 300)}_, five minutes together: what we intend, what might get in the way, what we learned before, and the hypothesis we will test.`,
    ...(invitation.people.length > 0 ? [`With ${mentionList(invitation.people)}.`] : []),
    ...(invitation.lookBackOn ? [`Looking back on ${formatLongDate(invitation.lookBackOn)}.`] : []),
  ];
  const blocks: KnownBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text: lines.join('\n') } },
    {
      type: 'actions',
      elements: [
        {
          type: 'button',
          action_id: ACTIONS.startWorkflowBar,
          style: 'primary',
          text: { type: 'plain_text', text: 'Start the review' },
          value: occurrenceId,
        },
      ],
    },
    {
      type: 'context',
      elements: [{ type: 'mrkdwn', text: 'Anyone here can start it; the form opens filled in.' }],
    },
  ];
  return { text: `Time for a before-action review: ${foldMrkdwn(invitation.action, 200)}`, blocks };
}

function afterInvitation(content: ReviewInvitationContent, reviewId: string | null): SlackMessage {
  const about = content.before
    ? `Time to look back on _${foldMrkdwn(content.before.action, 300)}_: what we intended, what actually happened, why the difference, and what we will keep and change.`
    : 'Time to look back: what we intended, what actually happened, why the difference, and what we will keep and change.';
  const blocks: KnownBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text: `*Time for an after-action review*\n${about}` } },
    {
      type: 'actions',
      elements: [
        {
          type: 'button',
          action_id: reviewId ? ACTIONS.startAar : ACTIONS.startAarWithoutBar,
          style: 'primary',
          text: { type: 'plain_text', text: 'Start the review' },
          value: reviewId ?? content.channelId,
        },
      ],
    },
    {
      type: 'context',
      elements: [
        { type: 'mrkdwn', text: 'Everyone involved can add their own perspective once it is saved.' },
      ],
    },
  ];
  return {
    text: content.before
      ? `Time for an after-action review: ${foldMrkdwn(content.before.action, 200)}`
      : 'Time for an after-action review',
    blocks,
  };
}

/** The message a workflow posts to start a review: its button opens the form, filled in as the workflow set it. */
export function buildReviewInvitation(content: ReviewInvitationContent): SlackMessage {
  return content.invitation.target === 'before'
    ? beforeInvitation(content.occurrenceId, content.invitation)
    : afterInvitation(content, content.invitation.reviewId);
}

/**
 * A reflection question a workflow asked, posted as a prompt: the same ways to answer (a thread reply,
 * privately, anonymously) or skip, under a heading that says where it came from.
 */
export function buildWorkflowPrompt(prompt: {
  occurrenceId: string;
  question: string;
}): SlackMessage & { metadata: PromptMetadata } {
  // The rhythm prompt's answer buttons and skip menu, so answering works the same whatever asked.
  const asRhythm = buildPrompt({
    occurrenceId: prompt.occurrenceId,
    kind: 'mid_week',
    promptText: prompt.question,
  });
  const heading: KnownBlock = {
    type: 'section',
    text: {
      type: 'mrkdwn',
      text: `*A question for the team*\n${foldMrkdwn(prompt.question, LIMITS.sectionText - 60)}`,
    },
  };
  return {
    ...asRhythm,
    text: `A question for the team: ${foldMrkdwn(prompt.question, 200)}`,
    blocks: [heading, ...asRhythm.blocks.slice(1)],
  };
}

/** Why a workflow step stopped, as the person running the workflow reads it in Slackbot's message. */
export type StepProblem =
  | { kind: 'cannot_post'; channelId: string; channelName: string | null }
  | { kind: 'archived'; channelId: string; channelName: string | null }
  | { kind: 'not_a_before_review'; channelId: string; channelName: string | null }
  | { kind: 'no_channel' }
  | { kind: 'no_question' }
  | { kind: 'no_action' }
  | { kind: 'bad_date' }
  /** Slack refused the message for a reason the channel does not explain, or kept deferring it until the app gave up. */
  | { kind: 'not_posted'; channelId: string; channelName: string | null }
  /** Something unexpected stopped the step before anything was posted. */
  | { kind: 'broke' };

/**
 * The channel's name written out where the app can read it; otherwise (a private channel it is not in)
 * a mention, which Slackbot's message shows as the name to anyone who can see the channel.
 */
function channelName(problem: { channelId: string; channelName: string | null }): string {
  return problem.channelName ? `#${problem.channelName}` : `<#${problem.channelId}>`;
}

/** Why a step stopped, in the words Slackbot's message gives the person who ran the workflow. */
export function stepProblemText(problem: StepProblem): string {
  switch (problem.kind) {
    case 'cannot_post':
      return `Learning Thread can’t post in ${channelName(problem)}: add it to the channel with /invite @Learning Thread, then run the workflow again.`;
    case 'archived':
      return `${channelName(problem)} is archived, so nothing more can be posted there. Choose another channel in the workflow, then run it again.`;
    case 'not_a_before_review':
      return `That link isn’t a before-action review in ${channelName(problem)}. Copy the link of the review’s summary message (More actions › Copy link), or leave the link empty to look back without one.`;
    case 'no_channel':
      return 'Choose the channel the step posts in, then run the workflow again.';
    case 'no_question':
      return 'The question is empty: write the question the team should reflect on, then run the workflow again.';
    case 'no_action':
      return 'Say what the team is about to do (the action), then run the workflow again.';
    case 'bad_date':
      return 'The look-back date isn’t a date Learning Thread can read. Choose one with the date picker, or leave it empty.';
    case 'not_posted':
      return `Slack didn’t take the message in ${channelName(problem)}, so this step stops here. Run the workflow again a little later.`;
    case 'broke':
      return 'Learning Thread couldn’t finish this step just now. Nothing was posted twice; run the workflow again in a moment.';
  }
}
