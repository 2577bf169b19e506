import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { historyPeriodExamples, readHistoryPeriod } from '../../../domain/history-period.js';
import { isTeamChannel } from '../../../domain/ids.js';
import { describeError } from '../../../logger.js';
import type { ServiceDeps } from '../../../services/deps.js';
import { historyTimeZone, shareLearningHistory } from '../../../services/learning-history.js';
import { historyOutcomeMessage, historyPeriodNotRead } from '../../views/learning-history.js';
import { escapeMrkdwn } from '../../views/text.js';
import { tellPrivately } from '../private-note.js';
import { IN_A_CHANNEL, scopeOf } from '../scope.js';

type CommandArgs = Pick<
  SlackCommandMiddlewareArgs & AllMiddlewareArgs,
  'command' | 'ack' | 'client' | 'context'
>;

/**
 * `/learning history [period]`: the channel's learning history for a quarter, last quarter, this
 * quarter so far or a range of days, shared with the channel. A period that cannot be read is said
 * back at once; the history itself is put together after the acknowledgement.
 */
export async function historyCommand(deps: ServiceDeps, args: CommandArgs): Promise<void> {
  const { command, ack, client, context } = args;
  const scope = scopeOf(context, command.team_id);
  if (!scope || !isTeamChannel(command.channel_id)) {
    await ack({ response_type: 'ephemeral', text: IN_A_CHANNEL });
    return;
  }
  const now = deps.clock();
  const timeZone = await historyTimeZone(deps, scope, command.channel_id);
  const words = (command.text ?? '').trim().split(/\s+/).slice(1).join(' ');
  const reading = readHistoryPeriod(words, { now, timeZone });
  if (!reading.ok) {
    const typed = `${command.command} ${(command.text ?? '').trim()}`;
    await ack({
      response_type: 'ephemeral',
      text: historyPeriodNotRead(typed, reading.problem, historyPeriodExamples(now, timeZone)),
    });
    return;
  }
  const { period } = reading;
  await ack({
    response_type: 'ephemeral',
    text: `Putting together the learning history of <#${command.channel_id}> for ${escapeMrkdwn(period.label)}…`,
  });
  try {
    const outcome = await shareLearningHistory(deps, client, scope, {
      channelId: command.channel_id,
      userId: command.user_id,
      period,
      timeZone,
    });
    await tellPrivately(deps, args, historyOutcomeMessage(outcome, command.channel_id, period.label));
  } catch (error) {
    deps.log.error({ err: describeError(error), team: scope.teamId }, 'learning history failed');
    await tellPrivately(
      deps,
      args,
      'The learning history could not be put together just now. Please try `/learning history` again in a minute.',
    );
  }
}
