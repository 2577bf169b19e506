import type { AllMiddlewareArgs, BlockAction } from '@slack/bolt';
import { describeError } from '../../logger.js';
import type { ServiceDeps } from '../../services/deps.js';

type ActionArgs = { client: AllMiddlewareArgs['client']; body: BlockAction };

/** A note only the person who clicked sees: in the channel when there is one, otherwise in their DM with the app. */
export async function tellPrivately(args: ActionArgs, text: string): Promise<void> {
  const channel = args.body.channel?.id;
  if (channel) await args.client.chat.postEphemeral({ channel, user: args.body.user.id, text });
  else await args.client.chat.postMessage({ channel: args.body.user.id, text });
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
    await tellPrivately(args, TRY_AGAIN).catch(() => {});
  }
}
