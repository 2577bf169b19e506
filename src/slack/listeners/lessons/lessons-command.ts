import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { isTeamChannel } from '../../../domain/ids.js';
import type { ServiceDeps } from '../../../services/deps.js';
import { changeLessonSharing, type LessonSharingChange } from '../../../services/lessons.js';
import { lessonsWordNotRead } from '../../views/lessons.js';
import { IN_A_CHANNEL, scopeOf } from '../scope.js';

type CommandArgs = Pick<
  SlackCommandMiddlewareArgs & AllMiddlewareArgs,
  'command' | 'ack' | 'client' | 'context'
>;

const CHANGES: Readonly<Record<string, LessonSharingChange>> = {
  '': 'show',
  share: 'share',
  private: 'private',
};

/** `/learning lessons`, `/learning lessons share` and `/learning lessons private`. */
export async function lessonsCommand(deps: ServiceDeps, args: CommandArgs): Promise<void> {
  const { command, ack, client, context } = args;
  const scope = scopeOf(context, command.team_id);
  if (!scope || !isTeamChannel(command.channel_id)) {
    await ack({ response_type: 'ephemeral', text: IN_A_CHANNEL });
    return;
  }
  const word = (command.text ?? '').trim().split(/\s+/).slice(1).join(' ').toLowerCase();
  const change = CHANGES[word];
  if (change === undefined) {
    await ack({ response_type: 'ephemeral', text: lessonsWordNotRead(word) });
    return;
  }
  await ack();
  await changeLessonSharing(deps, client, scope, {
    channelId: command.channel_id,
    userId: command.user_id,
    change,
  });
}
