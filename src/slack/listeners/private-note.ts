import type { AllMiddlewareArgs, BlockAction } from '@slack/bolt';
import { describeError } from '../../logger.js';
import type { ServiceDeps } from '../../services/deps.js';
import { tellPrivately as tellPerson } from '../../services/tell.js';

type ActionArgs = { client: AllMiddlewareArgs['client']; body: BlockAction };

/** A note only the person who clicked sees: in the channel when there is one, otherwise in their DM with the app. */
export async function tellPrivately(deps: ServiceDeps, args: ActionArgs, text: string): Promise<void> {
  await tellPerson(args.client, deps.log, {
    userId: args.body.user.id,
    channelId: args.body.channel?.id,
    message: { text },
  });
}

const TRY_AGAIN = 'Slack didn’t open that in time. Please try again; nothing was lost.';

/**
 * Runs what a click does after it was acknowledged. When Slack refuses (an expired trigger, a
 * channel gone), the person is told instead of the click silently doing nothing.
 */
export async function afterClick(
  deps: ServiceDeps,
  args: ActionArgs,
  work: () => Promise<void>,
): Promise<void> {
  try {
    await work();
  } catch (error) {
    deps.log.warn({ err: describeError(error), user: args.body.user.id }, 'click could not be completed');
    await tellPrivately(deps, args, TRY_AGAIN);
  }
}
