import type { WebClient } from '@slack/web-api';
import { pauseChannelRhythms, recordAppPresent, recordAppRemoved } from '../db/queries/rhythms.js';
import type { WorkspaceScope } from '../db/queries/scope.js';
import { isTeamChannel } from '../domain/ids.js';
import { slackErrorCode } from '../slack/errors.js';
import type { ServiceDeps } from './deps.js';
import { type WelcomeSlack, welcomeChannel } from './rhythms.js';

/**
 * Removing the app is how a team silences it. With chat:write.public Slack would still accept its posts in
 * a public channel, so the removal is recorded: the channel's rhythms pause, and delivery posts nothing of
 * the app's own there (prompts, digests, check-ins) until it is back.
 */
export async function appRemovedFromChannel(
  deps: ServiceDeps,
  slack: PresenceSlack,
  scope: WorkspaceScope,
  channelId: string,
): Promise<void> {
  if (!isTeamChannel(channelId) || !(await removalConfirmed(slack, channelId))) {
    deps.log.info({ team: scope.teamId }, 'removal not confirmed by Slack, nothing recorded');
    return;
  }
  const now = deps.clock();
  const paused = await deps.db.transaction(async (tx) => {
    await recordAppRemoved(tx, scope, channelId, now);
    return pauseChannelRhythms(tx, scope, channelId, { reason: 'removed_from_channel', now });
  });
  deps.log.info(
    { team: scope.teamId, channel: channelId, paused: Boolean(paused) },
    'app removed from channel',
  );
}

export type PresenceSlack = Pick<WebClient, 'conversations'>;

/**
 * Events can arrive late or out of order (a removal after the invitation that undid it), so Slack is
 * asked whether the app is still there. A channel Slack cannot find has nothing to keep quiet; when Slack
 * cannot be asked, the removal is believed, as staying quiet is the safer mistake.
 */
async function removalConfirmed(slack: PresenceSlack, channelId: string): Promise<boolean> {
  try {
    const info = await slack.conversations.info({ channel: channelId });
    return info.channel?.is_member !== true;
  } catch (error) {
    return slackErrorCode(error) !== 'channel_not_found';
  }
}

/**
 * The app is in a channel: invited for the first time, which earns the one welcome, or back after a
 * removal, when check-ins still to come there go ahead as planned. Rhythms paused by the removal wait for
 * a steward to save them again, as after any pause.
 */
export async function appAddedToChannel(
  deps: ServiceDeps,
  slack: WelcomeSlack,
  scope: WorkspaceScope,
  channelId: string,
): Promise<void> {
  if (await recordAppPresent(deps.db, scope, channelId))
    deps.log.info({ team: scope.teamId, channel: channelId }, 'app back in channel');
  await welcomeChannel(deps, slack, scope, channelId);
}
