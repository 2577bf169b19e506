import { z } from 'zod';
import { findOccurrence, recordEffect } from '../db/queries/occurrences.js';
import { findReview } from '../db/queries/reviews.js';
import { scopeOfRow, type WorkspaceScope } from '../db/queries/scope.js';
import {
  findReviewBySummary,
  findWorkflowStepEffect,
  recordWorkflowPrompt,
  workflowStepKey,
} from '../db/queries/workflow-steps.js';
import type { Occurrence, WorkflowReviewInvitation } from '../db/schema.js';
import { isTeamChannel } from '../domain/ids.js';
import { MAX_ANSWER_LENGTH, MAX_PEOPLE } from '../domain/review.js';
import { describeError } from '../logger.js';
import { slackErrorCode } from '../slack/errors.js';
import {
  buildReviewInvitation,
  buildWorkflowPrompt,
  type StepProblem,
  stepProblemText,
} from '../slack/views/workflow-steps.js';
import type { Composition, DeliverySlack, Operation } from './delivery.js';
import { deliverNow, effectMetadata } from './delivery.js';
import type { ServiceDeps } from './deps.js';
import { openBarModal, type ReviewSlack } from './reviews.js';

/** The three steps Learning Thread offers Workflow Builder. */
export type WorkflowStep = 'before' | 'after' | 'question';

/** What a step was asked to do, read from the inputs the workflow gave it. */
export type StepRequest =
  | { step: 'before'; channelId: string; action: string; people: string[]; lookBackOn: string | null }
  | { step: 'after'; channelId: string; beforeLink: string | null }
  | { step: 'question'; channelId: string; question: string };

/**
 * How a step ends. Each completes as soon as its message is in the channel, with the message's link:
 * a review may be started hours or days later, or never, and a workflow waiting on it would hang until
 * Slack timed the run out, holding up every step after it.
 */
export type StepOutcome =
  | { outcome: 'completed'; outputs: { message_link: string } }
  | { outcome: 'failed'; error: string }
  /** The same run, sent again while its first delivery is still under way: that one ends the step. */
  | { outcome: 'in_hand' };

// Workflow Builder leaves an optional input out, or sends it empty.
const optionalText = z
  .string()
  .nullish()
  .transform((value) => value?.trim() || null);
const channelInput = z.string().max(40).nullish();
const peopleInput = z
  .array(z.string().max(40))
  .nullish()
  .transform((value) => value ?? []);

const INPUTS = {
  before: z.object({
    channel_id: channelInput,
    action: optionalText,
    people: peopleInput,
    look_back_on: optionalText,
  }),
  after: z.object({ channel_id: channelInput, before_action_review_link: optionalText }),
  question: z.object({ channel_id: channelInput, question: optionalText }),
} as const;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Reads a step's inputs as the workflow sent them; what cannot be used is said as a person would need it. */
export function readStepInputs(step: WorkflowStep, inputs: unknown): StepRequest | StepProblem {
  const parsed = INPUTS[step].safeParse(inputs ?? {});
  if (!parsed.success) return { kind: 'no_channel' };
  const channelId = parsed.data.channel_id;
  if (!channelId || !isTeamChannel(channelId)) return { kind: 'no_channel' };
  if (step === 'before') {
    const data = parsed.data as z.infer<typeof INPUTS.before>;
    if (!data.action) return { kind: 'no_action' };
    if (data.look_back_on && !ISO_DATE.test(data.look_back_on)) return { kind: 'bad_date' };
    return {
      step,
      channelId,
      action: data.action.slice(0, MAX_ANSWER_LENGTH),
      people: [...new Set(data.people)].slice(0, MAX_PEOPLE),
      lookBackOn: data.look_back_on,
    };
  }
  if (step === 'after') {
    const data = parsed.data as z.infer<typeof INPUTS.after>;
    return { step, channelId, beforeLink: data.before_action_review_link };
  }
  const data = parsed.data as z.infer<typeof INPUTS.question>;
  if (!data.question) return { kind: 'no_question' };
  return { step, channelId, question: data.question.slice(0, MAX_ANSWER_LENGTH) };
}

/**
 * The channel and message a Slack message link points at: `https://team.slack.com/archives/C123/p1700000000123456`,
 * possibly with `?thread_ts=…` after it. Undefined for anything else.
 */
export function parseMessageLink(link: string): { channelId: string; ts: string } | undefined {
  let url: URL;
  try {
    url = new URL(link.trim().replace(/^<|>$/g, ''));
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' || !/(^|\.)slack\.com$/.test(url.hostname)) return undefined;
  const match = /^\/archives\/([CG][A-Z0-9]{2,})\/p(\d{10})(\d{6})\/?$/.exec(url.pathname);
  if (!match) return undefined;
  return { channelId: match[1] as string, ts: `${match[2]}.${match[3]}` };
}

/** Slack's answers that mean the channel itself will not take the app's posts. */
const CANNOT_POST: ReadonlySet<string> = new Set([
  'not_in_channel',
  'channel_not_found',
  'is_archived',
  'restricted_action',
]);

async function nameOf(slack: DeliverySlack, channelId: string): Promise<string | null> {
  try {
    const info = await slack.conversations.info({ channel: channelId });
    return (info.channel as { name?: string } | undefined)?.name ?? null;
  } catch {
    return null;
  }
}

async function problem(
  slack: DeliverySlack,
  kind: 'cannot_post' | 'archived' | 'not_a_before_review' | 'not_confirmed',
  channelId: string,
): Promise<StepOutcome> {
  return {
    outcome: 'failed',
    error: stepProblemText({ kind, channelId, channelName: await nameOf(slack, channelId) }),
  };
}

/** The review invitation a before- or after-action step posts, once its inputs are checked. */
async function invitationFor(
  deps: ServiceDeps,
  scope: WorkspaceScope,
  request: Exclude<StepRequest, { step: 'question' }>,
): Promise<WorkflowReviewInvitation | 'not_a_before_review'> {
  if (request.step === 'before') {
    return {
      target: 'before',
      action: request.action,
      people: request.people,
      lookBackOn: request.lookBackOn,
    };
  }
  if (!request.beforeLink) return { target: 'after', reviewId: null };
  const linked = parseMessageLink(request.beforeLink);
  // A review in another channel is looked back on there, not in the channel this workflow posts in.
  if (!linked || linked.channelId !== request.channelId) return 'not_a_before_review';
  const review = await findReviewBySummary(deps.db, scope, linked);
  return review ? { target: 'after', reviewId: review.id } : 'not_a_before_review';
}

/** Writes what the step posts, keyed by the workflow run, so Slack sending the run again posts nothing new. */
async function recordStepEffect(
  deps: ServiceDeps,
  scope: WorkspaceScope,
  executionId: string,
  request: StepRequest,
): Promise<'written' | 'not_a_before_review'> {
  const now = deps.clock();
  if (request.step === 'question') {
    await recordWorkflowPrompt(deps.db, scope, {
      channelId: request.channelId,
      executionId,
      question: request.question,
      now,
    });
    return 'written';
  }
  const invitation = await invitationFor(deps, scope, request);
  if (invitation === 'not_a_before_review') return invitation;
  await recordEffect(deps.db, scope, {
    kind: 'workflow_review',
    channelId: request.channelId,
    key: workflowStepKey(executionId),
    payload: { workflowReview: invitation },
    now,
  });
  return 'written';
}

async function linkTo(slack: DeliverySlack, channelId: string, ts: string): Promise<string> {
  try {
    const answer = await slack.chat.getPermalink({ channel: channelId, message_ts: ts });
    if (answer.permalink) return answer.permalink;
  } catch {
    // The message is there; Slack opens its archive link for anyone who can see the channel.
  }
  return `https://slack.com/archives/${channelId}/p${ts.replace('.', '')}`;
}

/** How the step ends, from what became of its message. */
async function outcomeOf(slack: DeliverySlack, effect: Occurrence): Promise<StepOutcome> {
  if (effect.status === 'posted' && effect.messageTs)
    return {
      outcome: 'completed',
      outputs: { message_link: await linkTo(slack, effect.channelId, effect.messageTs) },
    };
  if (effect.status === 'failed' && effect.error === 'is_archived')
    return problem(slack, 'archived', effect.channelId);
  if (effect.status === 'failed' && CANNOT_POST.has(effect.error ?? ''))
    return problem(slack, 'cannot_post', effect.channelId);
  if (effect.status === 'cancelled' && effect.withdrawnReason === 'app_removed_from_channel')
    return problem(slack, 'cannot_post', effect.channelId);
  return problem(slack, 'not_confirmed', effect.channelId);
}

/**
 * Runs one workflow step: checks its inputs, writes its message as an effect keyed by the run, delivers
 * it at once through the pipeline, and says how the step ends. A run Slack sends again finds the first
 * one's message instead of posting another.
 */
export async function runWorkflowStep(
  deps: ServiceDeps,
  slack: DeliverySlack,
  scope: WorkspaceScope,
  run: { executionId: string; step: WorkflowStep; inputs: unknown },
): Promise<StepOutcome> {
  const context = { execution: run.executionId, step: run.step, team: scope.teamId };
  const request = readStepInputs(run.step, run.inputs);
  if (!('step' in request)) {
    deps.log.info({ ...context, problem: request.kind }, 'workflow step inputs refused');
    return { outcome: 'failed', error: stepProblemText(request) };
  }
  const recorded = await recordStepEffect(deps, scope, run.executionId, request);
  if (recorded === 'not_a_before_review') {
    deps.log.info(context, 'workflow step link is not a before-action review');
    return problem(slack, 'not_a_before_review', request.channelId);
  }
  const written = await findWorkflowStepEffect(deps.db, scope, run.executionId);
  if (!written) throw new Error('a workflow step effect was written but cannot be read back');
  const delivery = written.status === 'pending' ? await deliverNow(deps, slack, written.id) : 'not_claimed';
  const settled = (await findWorkflowStepEffect(deps.db, scope, run.executionId)) ?? written;
  // Another request for the same run (Slack sent it again) holds the delivery: that one ends the step.
  if ((settled.status === 'pending' || settled.status === 'claimed') && delivery === 'not_claimed') {
    deps.log.info({ ...context, occurrence: settled.id }, 'workflow step already under way');
    return { outcome: 'in_hand' };
  }
  const outcome = await outcomeOf(slack, settled);
  deps.log.info(
    { ...context, occurrence: settled.id, status: settled.status, error: settled.error ?? undefined },
    outcome.outcome === 'completed' ? 'workflow step completed' : 'workflow step failed',
  );
  return outcome;
}

/** Composes a workflow's review invitation from what the run stored. */
export async function composeWorkflowReview(
  deps: ServiceDeps,
  _slack: DeliverySlack,
  occurrence: Occurrence,
): Promise<Composition> {
  const payload = occurrence.payload;
  const invitation = payload && 'workflowReview' in payload ? payload.workflowReview : undefined;
  if (!invitation) return { cancel: 'message_gone' };
  let shown = invitation;
  let before: { action: string } | undefined;
  if (invitation.target === 'after' && invitation.reviewId) {
    const review = await findReview(deps.db, scopeOfRow(occurrence), invitation.reviewId);
    // Deleted since the workflow ran: the invitation is to look back without it.
    if (review) before = { action: review.action };
    else shown = { target: 'after', reviewId: null };
  }
  const message = buildReviewInvitation({
    occurrenceId: occurrence.id,
    invitation: shown,
    channelId: occurrence.channelId,
    ...(before ? { before } : {}),
  });
  const operation: Operation = { post: { ...message, metadata: effectMetadata(occurrence.id) } };
  return { operation };
}

/** Composes the reflection question a workflow asked, as a prompt answered like any other. */
export async function composeWorkflowPrompt(
  _deps: ServiceDeps,
  _slack: DeliverySlack,
  occurrence: Occurrence,
): Promise<Composition> {
  if (!occurrence.promptText) return { cancel: 'message_gone' };
  return {
    operation: {
      post: buildWorkflowPrompt({ occurrenceId: occurrence.id, question: occurrence.promptText }),
    },
  };
}

export type WorkflowBarOpening = 'opened' | 'gone';

/**
 * Opens the before-action review form from a workflow's invitation, filled in as the workflow set it:
 * the action, the people involved and the look-back date, to be shared in the invitation's channel.
 */
export async function openWorkflowBar(
  deps: ServiceDeps,
  slack: ReviewSlack,
  scope: WorkspaceScope,
  request: { occurrenceId: string; triggerId: string; userId: string },
): Promise<WorkflowBarOpening> {
  const invitationRow = await findOccurrence(deps.db, scope, request.occurrenceId);
  const payload = invitationRow?.kind === 'workflow_review' ? invitationRow.payload : undefined;
  const invitation = payload && 'workflowReview' in payload ? payload.workflowReview : undefined;
  if (!invitationRow || invitation?.target !== 'before') return 'gone';
  try {
    await openBarModal(deps, slack, scope, {
      triggerId: request.triggerId,
      userId: request.userId,
      channelId: invitationRow.channelId,
      text: invitation.action,
      prefill: { people: invitation.people, lookBackOn: invitation.lookBackOn },
    });
  } catch (error) {
    deps.log.warn(
      { occurrence: invitationRow.id, error: slackErrorCode(error) ?? describeError(error).type },
      'before-action review form from a workflow did not open',
    );
    throw error;
  }
  return 'opened';
}
