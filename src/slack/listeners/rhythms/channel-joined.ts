import type {
  AllMiddlewareArgs,
  BlockAction,
  ButtonAction,
  SlackActionMiddlewareArgs,
  SlackEventMiddlewareArgs,
} from '@slack/bolt';
import { pauseChannelRhythms } from '../../../db/queries/rhythms.js';
import { isTeamChannel } from '../../../domain/ids.js';
import type { ServiceDeps } from '../../../services/deps.js';
import { openRhythmModal, welcomeChannel } from '../../../services/rhythms.js';
import { afterClick } from '../private-note.js';
import { scopeOf } from '../scope.js';

/** The app's own arrival in a channel is the only join that earns a welcome. */
export function memberJoinedChannel(deps: ServiceDeps) {
  return async ({
    event,
    client,
    context,
  }: SlackEventMiddlewareArgs<'member_joined_channel'> & AllMiddlewareArgs) => {
    if (!context.botUserId || event.user !== context.botUserId) return;
    const scope = scopeOf(context);
    if (!scope) return;
    await welcomeChannel(deps, client, scope, event.channel);
  };
}

export function setUpRhythmButton(deps: ServiceDeps) {
  return async ({
    ack,
    body,
    action,
    client,
    context,
  }: SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs) => {
    await ack();
    await afterClick(deps, { client, body }, async () => {
      const scope = scopeOf(context, body.user.team_id);
      const channelId = body.channel?.id ?? action.value;
      if (!scope || !isTeamChannel(channelId)) return;
      await openRhythmModal(deps, client, scope, {
        triggerId: body.trigger_id,
        userId: body.user.id,
        channelId,
      });
    });
  };
}

/**
 * Removing the app is how a team silences it. With chat:write.public Slack would still accept posts in
 * a public channel, so the removal itself pauses the channel's rhythms.
 */
export function appLeftChannel(deps: ServiceDeps) {
  return async ({
    event,
    context,
  }: SlackEventMiddlewareArgs<'channel_left' | 'group_left'> & AllMiddlewareArgs) => {
    const scope = scopeOf(context);
    if (!scope) return;
    const paused = await pauseChannelRhythms(deps.db, scope, event.channel, {
      reason: 'removed_from_channel',
      now: deps.clock(),
    });
    deps.log.info(
      { team: scope.teamId, channel: event.channel, paused: Boolean(paused) },
      'app removed from channel',
    );
  };
}
