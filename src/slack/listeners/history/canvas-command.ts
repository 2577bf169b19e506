import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { isTeamChannel } from '../../../domain/ids.js';
import type { ServiceDeps } from '../../../services/deps.js';
import { switchHistoryCanvas } from '../../../services/history-canvas.js';
import { IN_A_CHANNEL, scopeOf } from '../scope.js';

type CommandArgs = Pick<
  SlackCommandMiddlewareArgs & AllMiddlewareArgs,
  'command' | 'ack' | 'client' | 'context'
>;

const SWITCHES: Readonly<Record<string, boolean>> = { '': true, on: true, off: false };

/** `/learning canvas` (or `on`) and `/learning canvas off`: the channel's living learning history. */
export async function canvasCommand(deps: ServiceDeps, args: CommandArgs): Promise<void> {
  const { command, ack, client, context } = args;
  const scope = scopeOf(context, command.team_id);
  if (!scope || !isTeamChannel(command.channel_id)) {
    await ack({ response_type: 'ephemeral', text: IN_A_CHANNEL });
    return;
  }
  const word = (command.text ?? '').trim().split(/\s+/).slice(1).join(' ').toLowerCase();
  const on = SWITCHES[word];
  if (on === undefined) {
    await ack({
      response_type: 'ephemeral',
      text: `\`/learning canvas\` turns this channel’s learning history canvas on, and \`/learning canvas off\` stops it; “${word}” is neither.`,
    });
    return;
  }
  await ack();
  await switchHistoryCanvas(deps, client, scope, {
    channelId: command.channel_id,
    userId: command.user_id,
    on,
  });
}
