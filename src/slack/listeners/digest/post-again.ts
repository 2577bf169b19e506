import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { isTeamChannel } from '../../../domain/ids.js';
import type { ServiceDeps } from '../../../services/deps.js';
import { postDigestNow } from '../../../services/digest.js';
import { afterClick } from '../private-note.js';
import { scopeOf } from '../scope.js';
import { postOutcomeMessage } from './digest-command.js';

/** "Post another digest": a second digest in one week, only because a person confirmed it. */
export function postDigestAgainButton(deps: ServiceDeps) {
  return async (args: SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs) => {
    const { ack, action, body, client, context, respond } = args;
    await ack();
    const scope = scopeOf(context, body.team?.id);
    const channelId = action.value ?? '';
    if (!scope || !isTeamChannel(channelId)) return;
    await afterClick(deps, { client, body }, async () => {
      const outcome = await postDigestNow(deps, client, scope, {
        channelId,
        userId: body.user.id,
        again: true,
      });
      // The question is replaced by its answer, so the button cannot be pressed twice.
      await respond({ replace_original: true, ...postOutcomeMessage(outcome, channelId) });
    });
  };
}
