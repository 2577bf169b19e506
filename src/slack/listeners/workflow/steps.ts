import type {
  AllMiddlewareArgs,
  BlockAction,
  ButtonAction,
  SlackActionMiddlewareArgs,
  SlackEventMiddlewareArgs,
} from '@slack/bolt';
import { describeError } from '../../../logger.js';
import { deliverAllNow } from '../../../services/delivery.js';
import type { ServiceDeps } from '../../../services/deps.js';
import { openWorkflowBar, recordWorkflowStep, type WorkflowStep } from '../../../services/workflow-steps.js';
import { slackErrorCode } from '../../errors.js';
import { stepProblemText } from '../../views/workflow-steps.js';
import { afterClick, tellPrivately } from '../private-note.js';
import { scopeOf } from '../scope.js';

type StepArgs = SlackEventMiddlewareArgs<'function_executed'> & AllMiddlewareArgs;

/**
 * A Workflow Builder step: Bolt acknowledges the event first, the service writes the step's message (or,
 * for inputs it cannot use, the run's failure), and the delivery pipeline posts it and then ends the run.
 */
export function workflowStep(deps: ServiceDeps, step: WorkflowStep) {
  return async ({ event, inputs, fail, client, context, body }: StepArgs) => {
    const executionId = event.function_execution_id;
    const scope = scopeOf(context, (body as { team_id?: string }).team_id);
    if (!scope) return;
    let written: readonly string[];
    try {
      written = await recordWorkflowStep(deps, client, scope, { executionId, step, inputs });
    } catch (error) {
      deps.log.error({ err: describeError(error), execution: executionId, step }, 'workflow step broke');
      await failUnrecorded(deps, fail, { executionId, step });
      return;
    }
    await deliverAllNow(deps, client, written);
  };
}

/** Slack's answers to ending a run that has already ended (or is no longer known). */
const ALREADY_ENDED: ReadonlySet<string> = new Set([
  'execution_not_in_running_state',
  'function_execution_not_found',
]);

/** Ends a run nothing could be recorded for (the database was out of reach): there is nothing to deliver. */
async function failUnrecorded(
  deps: ServiceDeps,
  fail: StepArgs['fail'],
  run: { executionId: string; step: WorkflowStep },
): Promise<void> {
  try {
    await fail({ error: stepProblemText({ kind: 'broke' }) });
  } catch (error) {
    const code = slackErrorCode(error);
    if (code && ALREADY_ENDED.has(code))
      deps.log.info(
        { execution: run.executionId, step: run.step, error: code },
        'workflow step had already ended',
      );
    else
      deps.log.warn(
        { err: describeError(error), execution: run.executionId, step: run.step },
        'workflow step not ended',
      );
  }
}

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
