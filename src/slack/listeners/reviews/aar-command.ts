import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { describeError } from '../../../logger.js';
import type { ServiceDeps } from '../../../services/deps.js';
import { describeOpenReviews } from '../../../services/reviews.js';
import { scopeOf } from '../scope.js';

const UNAVAILABLE =
  'I couldn’t look up this channel’s reviews just now. Please try `/aar` again in a moment.';

export function aarCommand(deps: ServiceDeps) {
  return async ({ command, ack, context }: SlackCommandMiddlewareArgs & AllMiddlewareArgs) => {
    const scope = scopeOf(context, command.team_id);
    if (!scope) {
      await ack({ response_type: 'ephemeral', text: UNAVAILABLE });
      return;
    }
    try {
      const message = await describeOpenReviews(deps, scope, command.channel_id);
      await ack({ response_type: 'ephemeral', ...message });
    } catch (error) {
      deps.log.error(
        { err: describeError(error), team: scope.teamId, channel: command.channel_id },
        'open reviews not listed',
      );
      await ack({ response_type: 'ephemeral', text: UNAVAILABLE });
    }
  };
}
