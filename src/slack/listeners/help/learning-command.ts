import type {
  AllMiddlewareArgs,
  BlockAction,
  ButtonAction,
  SlackActionMiddlewareArgs,
  SlackCommandMiddlewareArgs,
} from '@slack/bolt';
import { isTeamChannel } from '../../../domain/ids.js';
import { nearestWord } from '../../../domain/nearest-word.js';
import { describeError } from '../../../logger.js';
import type { ServiceDeps } from '../../../services/deps.js';
import { openQuestionsModal } from '../../../services/questions.js';
import { openPromptsModal, openRhythmModal } from '../../../services/rhythms.js';
import { openStewardsModal } from '../../../services/stewards.js';
import {
  buildAllCommands,
  buildHelp,
  buildUnknownSubcommand,
  LEARNING_SUBCOMMANDS,
} from '../../views/help.js';
import { digestCommand } from '../digest/digest-command.js';
import { canvasCommand } from '../history/canvas-command.js';
import { historyCommand } from '../history/history-command.js';
import { lessonsCommand } from '../lessons/lessons-command.js';
import { overviewCommand } from '../lessons/overview-command.js';
import { ownershipCommand } from '../ownership/commands.js';
import { afterClick } from '../private-note.js';
import { IN_A_CHANNEL, scopeOf } from '../scope.js';

/** Subcommands that open a form for the channel they are typed in. */
const CHANNEL_SETTINGS = new Set(['rhythm', 'prompts', 'questions', 'stewards']);

/** `/learning <subcommand>`: help, and the settings that belong to the channel it is typed in. */
export function learningCommand(deps: ServiceDeps) {
  return async ({
    command,
    ack,
    client,
    context,
    respond,
  }: SlackCommandMiddlewareArgs & AllMiddlewareArgs) => {
    const [word = 'help'] = (command.text ?? '').trim().split(/\s+/).filter(Boolean);
    const subcommand = word.toLowerCase();
    if (subcommand === 'digest') {
      await digestCommand(deps, { command, ack, client, context });
      return;
    }
    if (subcommand === 'canvas') {
      await canvasCommand(deps, { command, ack, client, context });
      return;
    }
    if (subcommand === 'lessons') {
      await lessonsCommand(deps, { command, ack, client, context });
      return;
    }
    if (subcommand === 'overview') {
      await overviewCommand(deps, { command, ack, client, context });
      return;
    }
    if (subcommand === 'history') {
      await historyCommand(deps, { command, ack, client, context });
      return;
    }
    const ownership = ownershipCommand(subcommand);
    if (ownership) {
      await ownership(deps, { command, ack, client, context });
      return;
    }
    if (subcommand === 'help') {
      await ack({ response_type: 'ephemeral', ...buildHelp() });
      return;
    }
    if (!CHANNEL_SETTINGS.has(subcommand)) {
      // A slip of the keyboard gets the command it most likely meant, not the whole of help.
      const nearest = nearestWord(subcommand, LEARNING_SUBCOMMANDS);
      await ack({ response_type: 'ephemeral', ...buildUnknownSubcommand(word, nearest) });
      return;
    }
    const scope = scopeOf(context, command.team_id);
    if (!scope || !isTeamChannel(command.channel_id)) {
      await ack({ response_type: 'ephemeral', text: IN_A_CHANNEL });
      return;
    }
    await ack();
    const request = { triggerId: command.trigger_id, userId: command.user_id, channelId: command.channel_id };
    try {
      if (subcommand === 'rhythm') await openRhythmModal(deps, client, scope, request);
      else if (subcommand === 'questions') await openQuestionsModal(deps, client, scope, request);
      else if (subcommand === 'stewards') await openStewardsModal(deps, client, scope, request);
      else await openPromptsModal(deps, client, scope, request);
    } catch (error) {
      deps.log.error({ err: describeError(error), subcommand }, 'settings modal did not open');
      await respond({
        response_type: 'ephemeral',
        text: `Slack didn’t open the form in time. Please run \`/learning ${subcommand}\` again.`,
      });
    }
  };
}

/** "More commands" under the short help: every command, in a window of its own. */
export function moreCommandsButton(deps: ServiceDeps) {
  return async (args: SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs) => {
    await args.ack();
    await afterClick(deps, args, async () => {
      await args.client.views.open({ trigger_id: args.body.trigger_id, view: buildAllCommands() });
    });
  };
}
