import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { buildHelp } from '../../views/help.js';

export function learningCommand() {
  return async ({ command, ack }: SlackCommandMiddlewareArgs & AllMiddlewareArgs) => {
    const [subcommand = 'help'] = (command.text ?? '').trim().split(/\s+/).filter(Boolean);
    const known = subcommand.toLowerCase() === 'help';
    await ack({ response_type: 'ephemeral', ...buildHelp(known ? undefined : subcommand) });
  };
}
