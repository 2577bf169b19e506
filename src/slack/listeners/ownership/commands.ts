import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { readExportPeriod } from '../../../domain/export-period.js';
import { isTeamChannel } from '../../../domain/ids.js';
import { calendarDateIn } from '../../../domain/time.js';
import { describeError } from '../../../logger.js';
import type { ServiceDeps } from '../../../services/deps.js';
import {
  askToDeleteChannelData,
  describeForgetting,
  exportChannel,
  exportMine,
} from '../../../services/ownership.js';
import type { SlackMessage } from '../../views/message.js';
import { EXPORT_IN_A_CHANNEL, exportPeriodNotRead, MY_WORDS_FAILED, noteOf } from '../../views/ownership.js';
import { tellPrivately } from '../private-note.js';
import { scopeOf } from '../scope.js';

type CommandArgs = Pick<
  SlackCommandMiddlewareArgs & AllMiddlewareArgs,
  'command' | 'ack' | 'client' | 'context'
>;

const TRY_AGAIN = 'That could not be done just now. Please try again in a minute.';

/**
 * `/learning forget-me`, anywhere, a direct message included. The counts go back in the command's own
 * reply: Slack shows it privately wherever the command was typed, even where the app cannot post.
 */
async function forgetMeCommand(deps: ServiceDeps, args: CommandArgs): Promise<void> {
  const { command, ack, context } = args;
  const scope = scopeOf(context, command.team_id);
  if (!scope) {
    await ack({ response_type: 'ephemeral', text: TRY_AGAIN });
    return;
  }
  try {
    const message = await describeForgetting(deps, scope, command.user_id);
    await ack({ response_type: 'ephemeral', ...message });
  } catch (error) {
    deps.log.error({ err: describeError(error), team: scope.teamId }, 'forget-me not counted');
    await ack({ response_type: 'ephemeral', text: TRY_AGAIN });
  }
}

/** `/learning export` and `/learning delete-channel-data`: admins only, for the channel typed in. */
function channelCommand(
  run: (
    deps: ServiceDeps,
    args: CommandArgs,
    scope: NonNullable<ReturnType<typeof scopeOf>>,
  ) => Promise<SlackMessage>,
) {
  return async (deps: ServiceDeps, args: CommandArgs): Promise<void> => {
    const { command, ack, context } = args;
    const scope = scopeOf(context, command.team_id);
    if (!scope || !isTeamChannel(command.channel_id)) {
      await ack({ response_type: 'ephemeral', text: EXPORT_IN_A_CHANNEL });
      return;
    }
    await ack();
    try {
      await tellPrivately(deps, args, await run(deps, args, scope));
    } catch (error) {
      deps.log.error({ err: describeError(error), team: scope.teamId }, 'ownership command failed');
      await tellPrivately(deps, args, noteOf(TRY_AGAIN));
    }
  };
}

/** What follows the subcommand: `/learning export 2026-11-01 2026-11-30` gives the two dates. */
function wordsAfterSubcommand(text: string | undefined): string {
  return (text ?? '').trim().split(/\s+/).slice(1).join(' ');
}

/**
 * `/learning export mine`, anywhere and for anyone: their own words, every channel, in their direct
 * messages with the app; what happened is said where they typed it.
 */
async function exportMineCommand(deps: ServiceDeps, args: CommandArgs): Promise<void> {
  const { command, ack, context } = args;
  const scope = scopeOf(context, command.team_id);
  if (!scope) {
    await ack({ response_type: 'ephemeral', text: TRY_AGAIN });
    return;
  }
  await ack();
  try {
    const sent = await exportMine(deps, args.client, scope, command.user_id);
    await tellPrivately(deps, args, sent.text);
  } catch (error) {
    deps.log.error({ err: describeError(error), team: scope.teamId }, 'own words not exported');
    await tellPrivately(deps, args, MY_WORDS_FAILED);
  }
}

/**
 * `/learning export [from to | last N days]`: dates that cannot be read are said back at once, as typed.
 * `/learning export mine` is anyone's own words instead.
 */
async function exportCommand(deps: ServiceDeps, args: CommandArgs): Promise<void> {
  if (wordsAfterSubcommand(args.command.text).toLowerCase() === 'mine') {
    await exportMineCommand(deps, args);
    return;
  }
  const reading = readExportPeriod(wordsAfterSubcommand(args.command.text));
  if (!reading.ok) {
    const typed = `${args.command.command} ${(args.command.text ?? '').trim()}`;
    const today = calendarDateIn(deps.clock(), 'UTC');
    await args.ack({ response_type: 'ephemeral', text: exportPeriodNotRead(typed, reading.problem, today) });
    return;
  }
  const run = channelCommand(async (deps, { command, client }, scope) =>
    noteOf(
      await exportChannel(deps, client, scope, {
        userId: command.user_id,
        channelId: command.channel_id,
        period: reading.request,
      }),
    ),
  );
  await run(deps, args);
}

const deleteChannelDataCommand = channelCommand((deps, { command, client }, scope) =>
  askToDeleteChannelData(deps, client, scope, { userId: command.user_id, channelId: command.channel_id }),
);

const OWNERSHIP_COMMANDS: Record<string, (deps: ServiceDeps, args: CommandArgs) => Promise<void>> = {
  'forget-me': forgetMeCommand,
  export: exportCommand,
  'delete-channel-data': deleteChannelDataCommand,
};

/** The `/learning` subcommands about who owns the words: undefined for any other subcommand. */
export function ownershipCommand(subcommand: string) {
  return Object.hasOwn(OWNERSHIP_COMMANDS, subcommand) ? OWNERSHIP_COMMANDS[subcommand] : undefined;
}
