import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { isTeamChannel } from '../../../domain/ids.js';
import type { ServiceDeps } from '../../../services/deps.js';
import { showOverview } from '../../../services/overview.js';
import { scopeOf } from '../scope.js';

type CommandArgs = Pick<
  SlackCommandMiddlewareArgs & AllMiddlewareArgs,
  'command' | 'ack' | 'client' | 'context'
>;

/** `/learning overview`: the workspace's channels with a rhythm, for stewards and admins, anywhere. */
export async function overviewCommand(deps: ServiceDeps, args: CommandArgs): Promise<void> {
  const { command, ack, client, context } = args;
  const scope = scopeOf(context, command.team_id);
  if (!scope) {
    await ack({ response_type: 'ephemeral', text: 'I couldn’t tell which workspace this is from.' });
    return;
  }
  await ack();
  await showOverview(deps, client, scope, {
    userId: command.user_id,
    // Typed in a direct message, the overview comes as one from the app.
    channelId: isTeamChannel(command.channel_id) ? command.channel_id : null,
  });
}
