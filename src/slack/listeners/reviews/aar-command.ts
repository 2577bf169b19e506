import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { ServiceDeps } from '../../../services/deps.js';
import { describeOpenReviews } from '../../../services/reviews.js';
import { scopeOf } from '../scope.js';

export function aarCommand(deps: ServiceDeps) {
  return async ({ command, ack, context }: SlackCommandMiddlewareArgs & AllMiddlewareArgs) => {
    const scope = scopeOf(context, command.team_id);
    if (!scope) {
      await ack();
      return;
    }
    const message = await describeOpenReviews(deps, scope, command.channel_id);
    await ack({ response_type: 'ephemeral', ...message });
  };
}
