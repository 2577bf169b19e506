import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { describeError } from '../../../logger.js';
import type { ServiceDeps } from '../../../services/deps.js';
import { deleteChannelDataConfirmed, exportMine, forgetMe } from '../../../services/ownership.js';
import { MY_WORDS_FAILED, noteOf } from '../../views/ownership.js';
import { tellPrivately } from '../private-note.js';
import { scopeOf } from '../scope.js';

type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

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
      if (outcome.outcome !== 'refused') await tellPrivately(deps, args, outcome.message);
    } catch (error) {
      deps.log.error({ err: describeError(error), team: scope.teamId }, 'forget-me failed');
      await tellPrivately(deps, args, noteOf(NOT_DONE));
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
      if (note) await tellPrivately(deps, args, note);
    } catch (error) {
      deps.log.error({ err: describeError(error), team: scope.teamId }, 'channel deletion failed');
      await tellPrivately(deps, args, noteOf(NOT_DONE));
    }
  };
}

/**
 * "Export what I wrote", on the Home tab: the person who clicked gets their own words in their direct
 * messages with the app, and the files' note there says what they are. Nothing stored, or a failure, is
 * said in one private line.
 */
export function exportMineButton(deps: ServiceDeps) {
  return async (args: ButtonArgs) => {
    await args.ack();
    const scope = scopeOf(args.context, args.body.team?.id ?? undefined);
    if (!scope) return;
    try {
      const sent = await exportMine(deps, args.client, scope, args.body.user.id);
      if (sent.outcome !== 'sent' || args.body.channel?.id) await tellPrivately(deps, args, sent.text);
    } catch (error) {
      deps.log.error({ err: describeError(error), team: scope.teamId }, 'own words not exported');
      await tellPrivately(deps, args, MY_WORDS_FAILED);
    }
  };
}
