import { pauseChannelRhythms, recordAppPresent, recordAppRemoved } from '../db/queries/rhythms.js';
import type { WorkspaceScope } from '../db/queries/scope.js';
import type { ServiceDeps } from './deps.js';
import { type WelcomeSlack, welcomeChannel } from './rhythms.js';

/**
 * Removing the app is how a team silences it. With chat:write.public Slack would still accept its posts in
 * a public channel, so the removal is recorded: the channel's rhythms pause, and delivery posts nothing of
 * the app's own there (prompts, digests, check-ins) until it is back.
 */
export async function appRemovedFromChannel(
  deps: ServiceDeps,
  scope: WorkspaceScope,
  channelId: string,
): Promise<void> {
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
