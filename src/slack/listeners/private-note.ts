import type { AllMiddlewareArgs, BlockAction, SlashCommand } from '@slack/bolt';
import { describeError } from '../../logger.js';
import type { ServiceDeps } from '../../services/deps.js';
import { type PrivateNote, tellPrivately as tellPerson } from '../../services/tell.js';

type Client = AllMiddlewareArgs['client'];
type ClickArgs = { client: Client; body: BlockAction };
type CommandArgs = { client: Client; command: SlashCommand };

/** Whoever clicked or typed, and the channel they did it in, if any. */
function whereFrom(args: ClickArgs | CommandArgs): { userId: string; channelId: string | undefined } {
  return 'command' in args
    ? { userId: args.command.user_id, channelId: args.command.channel_id }
    : { userId: args.body.user.id, channelId: args.body.channel?.id };
}

/**
 * A note only the person who clicked or typed a command sees: in the channel they are in when there is
 * one and it takes the note, otherwise in their DM with the app.
 */
export async function tellPrivately(
  deps: ServiceDeps,
  args: ClickArgs | CommandArgs,
  note: string | PrivateNote['message'],
): Promise<void> {
  await tellPerson(args.client, deps.log, {
    ...whereFrom(args),
    message: typeof note === 'string' ? { text: note } : note,
  });
}

const TRY_AGAIN = 'Slack didn’t open that in time. Please try again; nothing was lost.';

/**
 * Runs what a click does after it was acknowledged. When Slack refuses (an expired trigger, a
 * channel gone), the person is told instead of the click silently doing nothing.
 */
export async function afterClick(
  deps: ServiceDeps,
  args: ClickArgs,
  work: () => Promise<void>,
): Promise<void> {
  try {
    await work();
  } catch (error) {
    deps.log.warn({ err: describeError(error), user: args.body.user.id }, 'click could not be completed');
    await tellPrivately(deps, args, TRY_AGAIN);
  }
}
