import type {
  AllMiddlewareArgs,
  BlockAction,
  ButtonAction,
  SlackActionMiddlewareArgs,
  SlackEventMiddlewareArgs,
} from '@slack/bolt';
import { describeError } from '../../../logger.js';
import type { ServiceDeps } from '../../../services/deps.js';
import {
  openWorkflowBar,
  runWorkflowStep,
  type StepOutcome,
  type WorkflowStep,
} from '../../../services/workflow-steps.js';
import { slackErrorCode } from '../../errors.js';
import { afterClick, tellPrivately } from '../private-note.js';
import { scopeOf } from '../scope.js';

type StepArgs = SlackEventMiddlewareArgs<'function_executed'> & AllMiddlewareArgs;

/** Said when something unexpected stopped a step: the workflow shows it to whoever ran it. */
const STEP_BROKE =
  'Learning Thread couldn’t finish this step just now. Nothing was posted twice; run the workflow again in a moment.';

/**
 * A Workflow Builder step: Bolt acknowledges the event first, the service posts the step's message
 * through the delivery pipeline, and the step ends with `complete` or `fail` as that went.
 */
export function workflowStep(deps: ServiceDeps, step: WorkflowStep) {
  return async ({ event, inputs, complete, fail, client, context, body }: StepArgs) => {
    const executionId = event.function_execution_id;
    const scope = scopeOf(context, (body as { team_id?: string }).team_id);
    if (!scope) return;
    let outcome: StepOutcome;
    try {
      outcome = await runWorkflowStep(deps, client, scope, { executionId, step, inputs });
    } catch (error) {
      deps.log.error({ err: describeError(error), execution: executionId, step }, 'workflow step broke');
      outcome = { outcome: 'failed', error: STEP_BROKE };
    }
    if (outcome.outcome === 'in_hand') return;
    try {
      if (outcome.outcome === 'completed') await complete({ outputs: outcome.outputs });
      else await fail({ error: outcome.error });
    } catch (error) {
      // Slack sent the run again after the first delivery ended it: the message is there, once.
      const code = slackErrorCode(error);
      if (code && ALREADY_ENDED.has(code))
        deps.log.info({ execution: executionId, step, error: code }, 'workflow step had already ended');
      else
        deps.log.warn({ err: describeError(error), execution: executionId, step }, 'workflow step not ended');
    }
  };
}

/** Slack's answers to ending a run that has already ended (or is no longer known). */
const ALREADY_ENDED: ReadonlySet<string> = new Set([
  'execution_not_in_running_state',
  'function_execution_not_found',
]);

type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

/** “Start the review” on a workflow's invitation: the before-action review form, filled in. */
export function startWorkflowBarButton(deps: ServiceDeps) {
  return async (args: ButtonArgs) => {
    await args.ack();
    await afterClick(deps, args, async () => {
      const scope = scopeOf(args.context, args.body.user.team_id);
      if (!scope) return;
      const opened = await openWorkflowBar(deps, args.client, scope, {
        occurrenceId: args.action.value ?? '',
        triggerId: args.body.trigger_id,
        userId: args.body.user.id,
      });
      if (opened === 'gone')
        await tellPrivately(
          deps,
          args,
          'That invitation is no longer available. Run /bar to start a review.',
        );
    });
  };
}
