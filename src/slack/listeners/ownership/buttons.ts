import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { describeError } from '../../../logger.js';
import type { ServiceDeps } from '../../../services/deps.js';
import { deleteChannelDataConfirmed, forgetMe } from '../../../services/ownership.js';
import type { SlackMessage } from '../../views/message.js';
import { noteOf } from '../../views/ownership.js';
import { scopeOf } from '../scope.js';

type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

/**
 * A note only the person who clicked sees. The button may sit in a direct message between two people,
 * where the app cannot post, so the note then goes to their direct messages with the app.
 */
async function tellClicker(args: ButtonArgs, message: SlackMessage): Promise<void> {
  const channel = args.body.channel?.id;
  if (channel) {
    try {
      await args.client.chat.postEphemeral({ channel, user: args.body.user.id, ...message });
      return;
    } catch {
      // Falls through to the direct message.
    }
  }
  await args.client.chat.postMessage({ channel: args.body.user.id, ...message });
}

const NOT_DONE = 'That could not be done just now, and nothing was deleted. Please try again.';

/** "Delete everything I wrote". Whose words go is decided by who clicked, never by the button's value. */
export function forgetMeButton(deps: ServiceDeps) {
  return async (args: ButtonArgs) => {
    await args.ack();
    // The workspace the click came from, not the one the user belongs to: a forget-me is per workspace.
    const scope = scopeOf(args.context, args.body.team?.id ?? undefined);
    if (!scope) return;
    try {
      const outcome = await forgetMe(deps, args.client, scope, {
        userId: args.body.user.id,
        value: args.action.value ?? '',
      });
      if (outcome.outcome !== 'refused') await tellClicker(args, outcome.message);
    } catch (error) {
      deps.log.error({ err: describeError(error), team: scope.teamId }, 'forget-me failed');
      await tellClicker(args, noteOf(NOT_DONE)).catch(() => {});
    }
  };
}

/** "Delete this channel's data": the admin who asked, still an admin, confirms. */
export function deleteChannelDataButton(deps: ServiceDeps) {
  return async (args: ButtonArgs) => {
    await args.ack();
    const scope = scopeOf(args.context, args.body.team?.id ?? undefined);
    if (!scope) return;
    try {
      const note = await deleteChannelDataConfirmed(deps, args.client, scope, {
        userId: args.body.user.id,
        value: args.action.value ?? '',
      });
      if (note) await tellClicker(args, note);
    } catch (error) {
      deps.log.error({ err: describeError(error), team: scope.teamId }, 'channel deletion failed');
      await tellClicker(args, noteOf(NOT_DONE)).catch(() => {});
    }
  };
}
