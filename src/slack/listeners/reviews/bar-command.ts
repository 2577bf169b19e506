import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { describeError } from '../../../logger.js';
import type { ServiceDeps } from '../../../services/deps.js';
import { openBarModal } from '../../../services/reviews.js';
import { scopeOf } from '../scope.js';

export function barCommand(deps: ServiceDeps) {
  return async ({
    command,
    ack,
    client,
    respond,
    context,
  }: SlackCommandMiddlewareArgs & AllMiddlewareArgs) => {
    await ack();
    const scope = scopeOf(context, command.team_id) ?? { teamId: command.team_id, enterpriseId: null };
    try {
      await openBarModal(deps, client, scope, {
        triggerId: command.trigger_id,
        userId: command.user_id,
        channelId: command.channel_id,
        text: command.text ?? '',
      });
    } catch (error) {
      deps.log.error(
        { err: describeError(error), user: command.user_id },
        'before-action review modal did not open',
      );
      await respond({
        response_type: 'ephemeral',
        text: 'Slack didn’t open the review form in time. Please run `/bar` again; nothing was lost.',
      });
    }
  };
}
