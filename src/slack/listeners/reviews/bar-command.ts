import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { describeError } from '../../../logger.js';
import type { ServiceDeps } from '../../../services/deps.js';
import { openBarModal } from '../../../services/reviews.js';

export function barCommand(deps: ServiceDeps) {
  return async ({ command, ack, client, respond }: SlackCommandMiddlewareArgs & AllMiddlewareArgs) => {
    await ack();
    try {
      await openBarModal(deps, client, {
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
