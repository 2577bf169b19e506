import { z } from 'zod';
import type { Database } from '../db/client.js';
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
import type { Composition, DeliverySlack, FollowUps, Operation, Settlement } from './delivery.js';
import { effectMetadata } from './delivery.js';
import type { ServiceDeps } from './deps.js';
import { openBarModal, type ReviewSlack } from './reviews.js';

/** The three steps Learning Thread offers Workflow Builder. */
export type WorkflowStep = 'before' | 'after' | 'question';

/** What a step was asked to do, read from the inputs the workflow gave it. */
export type StepRequest =
  | { step: 'before'; channelId: string; action: string; people: string[]; lookBackOn: string | null }
  | { step: 'after'; channelId: string; beforeLink: string | null }
  | { step: 'question'; channelId: string; question: string };

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

/**
 * Writes what the step posts, keyed by the workflow run. Its id, to deliver at once; undefined when Slack
 * sent the run again and the first request wrote it (that delivery, or the next tick, ends the step).
 */
async function recordStepEffect(
  deps: ServiceDeps,
  scope: WorkspaceScope,
  executionId: string,
  request: StepRequest,
): Promise<string | undefined | 'not_a_before_review'> {
  const now = deps.clock();
  if (request.step === 'question') {
    return recordWorkflowPrompt(deps.db, scope, {
      channelId: request.channelId,
      executionId,
      question: request.question,
      now,
    });
  }
  const invitation = await invitationFor(deps, scope, request);
  if (invitation === 'not_a_before_review') return invitation;
  return recordEffect(deps.db, scope, {
    kind: 'workflow_review',
    channelId: request.channelId,
    key: workflowStepKey(executionId),
    payload: { workflowReview: invitation },
    now,
  });
}

/** How a run ends: with its outputs (the link to its message is added as it is sent), or a sentence. */
type StepEnding = { outputs?: Record<string, string> } | { error: string };

/**
 * Writes how a workflow run ends, to be sent through the pipeline; in the transaction of what decided it.
 * Keyed by the run, so it is written once however often that is decided.
 */
export async function recordStepCompletion(
  db: Database,
  scope: WorkspaceScope,
  completion: { executionId: string; channelId: string; now: Date; ending: StepEnding },
): Promise<FollowUps> {
  const id = await recordEffect(db, scope, {
    kind: 'workflow_completion',
    // The channel the step posts in, so the run's effects read together; a run that named none, none.
    channelId: completion.channelId,
    key: `workflow_completion:${completion.executionId}`,
    payload: { completion: { executionId: completion.executionId, ...completion.ending } },
    now: completion.now,
  });
  return id ? [id] : [];
}

/** The channel a run's inputs named, as far as it can be read, for a run that ends before posting. */
function channelNamed(inputs: unknown): string {
  const named = z.object({ channel_id: z.string().max(40) }).safeParse(inputs);
  return named.success ? named.data.channel_id : '';
}

/**
 * Records one run of a workflow step and returns what to deliver at once: the step's message, keyed by the
 * run, whose settling writes the run's completion (its link) or failure (why, as a person can act on it);
 * or, when the inputs cannot be used, the failure alone. The listener never ends a run itself, so a run
 * whose message Slack defers is completed when the message goes out, and one whose process dies after
 * posting is completed by the next tick.
 */
export async function recordWorkflowStep(
  deps: ServiceDeps,
  slack: DeliverySlack,
  scope: WorkspaceScope,
  run: { executionId: string; step: WorkflowStep; inputs: unknown },
): Promise<FollowUps> {
  const context = { execution: run.executionId, step: run.step, team: scope.teamId };
  const request = readStepInputs(run.step, run.inputs);
  if (!('step' in request)) {
    deps.log.info({ ...context, problem: request.kind }, 'workflow step inputs refused');
    return recordStepCompletion(deps.db, scope, {
      executionId: run.executionId,
      channelId: channelNamed(run.inputs),
      now: deps.clock(),
      ending: { error: stepProblemText(request) },
    });
  }
  const recorded = await recordStepEffect(deps, scope, run.executionId, request);
  if (recorded === 'not_a_before_review') {
    deps.log.info(context, 'workflow step link is not a before-action review');
    const channelName = await nameOf(slack, request.channelId);
    return recordStepCompletion(deps.db, scope, {
      executionId: run.executionId,
      channelId: request.channelId,
      now: deps.clock(),
      ending: {
        error: stepProblemText({ kind: 'not_a_before_review', channelId: request.channelId, channelName }),
      },
    });
  }
  deps.log.info({ ...context, occurrence: recorded, again: !recorded }, 'workflow step recorded');
  return recorded ? [recorded] : [];
}

/** Why a step's message was refused, as the person who ran the workflow can act on it. */
function refusalProblem(error: string): 'archived' | 'cannot_post' | 'not_posted' {
  if (error === 'is_archived') return 'archived';
  return CANNOT_POST.has(error) ? 'cannot_post' : 'not_posted';
}

/** The run a step's message belongs to, read from its key. */
function executionOf(effect: Occurrence): string | undefined {
  const prefix = workflowStepKey('');
  return effect.effectKey?.startsWith(prefix) ? effect.effectKey.slice(prefix.length) : undefined;
}

/**
 * What a step's message settles into: the run's completion once it is posted, its failure once Slack
 * refuses it or the pipeline gives it up. The channel's name is read now, as nothing may ask Slack
 * inside the transaction that settles.
 */
async function stepEnding(
  slack: DeliverySlack,
  occurrence: Occurrence,
): Promise<{ settle: Settlement; withdrawn: (tx: Database, now: Date) => Promise<FollowUps> }> {
  const executionId = executionOf(occurrence);
  const scope = scopeOfRow(occurrence);
  const channelId = occurrence.channelId;
  const channelName = await nameOf(slack, channelId);
  const end = (tx: Database, now: Date, ending: StepEnding) =>
    executionId
      ? recordStepCompletion(tx, scope, { executionId, channelId, now, ending })
      : Promise.resolve([]);
  const notPosted = { error: stepProblemText({ kind: 'not_posted', channelId, channelName }) };
  return {
    settle: {
      delivered: (tx, _ts, now) => end(tx, now, {}),
      refused: (tx, refusal, now) =>
        end(tx, now, {
          error: stepProblemText({ kind: refusalProblem(refusal.error), channelId, channelName }),
        }),
    },
    withdrawn: (tx, now) => end(tx, now, notPosted),
  };
}

/** Composes a workflow's review invitation from what the run stored. */
export async function composeWorkflowReview(
  deps: ServiceDeps,
  slack: DeliverySlack,
  occurrence: Occurrence,
): Promise<Composition> {
  const ending = await stepEnding(slack, occurrence);
  const payload = occurrence.payload;
  const invitation = payload && 'workflowReview' in payload ? payload.workflowReview : undefined;
  if (!invitation) return { cancel: 'message_gone', withdrawn: ending.withdrawn };
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
  return { operation, settle: ending.settle };
}

/** Composes the reflection question a workflow asked, as a prompt answered like any other. */
export async function composeWorkflowPrompt(
  _deps: ServiceDeps,
  slack: DeliverySlack,
  occurrence: Occurrence,
): Promise<Composition> {
  const ending = await stepEnding(slack, occurrence);
  if (!occurrence.promptText) return { cancel: 'message_gone', withdrawn: ending.withdrawn };
  return {
    operation: {
      post: buildWorkflowPrompt({ occurrenceId: occurrence.id, question: occurrence.promptText }),
    },
    settle: ending.settle,
  };
}

/** Answers that say Slack may give the link when asked again. */
const ASK_AGAIN: ReadonlySet<string> = new Set([
  'ratelimited',
  'request_error',
  'http_error',
  'unknown_error',
]);

/** Composes the end of a workflow run: its failure as written, or its completion with its message's link. */
export async function composeWorkflowCompletion(
  deps: ServiceDeps,
  slack: DeliverySlack,
  occurrence: Occurrence,
): Promise<Composition> {
  const payload = occurrence.payload;
  const completion = payload && 'completion' in payload ? payload.completion : undefined;
  if (!completion) return { cancel: 'message_gone' };
  const { executionId } = completion;
  if (completion.error !== undefined)
    return { operation: { failStep: { executionId, error: completion.error } } };
  const step = await findWorkflowStepEffect(deps.db, scopeOfRow(occurrence), executionId);
  if (!step?.messageTs) return { cancel: 'message_gone' };
  let link: string;
  try {
    const answer = await slack.chat.getPermalink({ channel: step.channelId, message_ts: step.messageTs });
    link = answer.permalink ?? archiveLink(step.channelId, step.messageTs);
  } catch (error) {
    if (ASK_AGAIN.has(slackErrorCode(error) ?? 'unknown_error')) return { postpone: 'permalink_unavailable' };
    link = archiveLink(step.channelId, step.messageTs);
  }
  return {
    operation: { completeStep: { executionId, outputs: { ...completion.outputs, message_link: link } } },
  };
}

/** The message's archive link, which Slack opens for anyone who can see the channel. */
function archiveLink(channelId: string, ts: string): string {
  return `https://slack.com/archives/${channelId}/p${ts.replace('.', '')}`;
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
