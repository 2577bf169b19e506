import type {
  AllMiddlewareArgs,
  BlockAction,
  ButtonAction,
  SlackActionMiddlewareArgs,
  SlackEventMiddlewareArgs,
} from '@slack/bolt';
import { isTeamChannel } from '../../../domain/ids.js';
import { appAddedToChannel, appRemovedFromChannel } from '../../../services/channel-presence.js';
import type { ServiceDeps } from '../../../services/deps.js';
import { openRhythmModal } from '../../../services/rhythms.js';
import { afterClick } from '../private-note.js';
import { scopeOf } from '../scope.js';

/** The app's own arrival in a channel: the only join that earns a welcome, and the end of a removal. */
export function memberJoinedChannel(deps: ServiceDeps) {
  return async ({
    event,
    client,
    context,
  }: SlackEventMiddlewareArgs<'member_joined_channel'> & AllMiddlewareArgs) => {
    if (!context.botUserId || event.user !== context.botUserId) return;
    const scope = scopeOf(context);
    if (!scope) return;
    await appAddedToChannel(deps, client, scope, event.channel);
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

/** `channel_left` / `group_left`: the app was removed from a channel, and must stay quiet there. */
export function appLeftChannel(deps: ServiceDeps) {
  return async ({
    event,
    client,
    context,
  }: SlackEventMiddlewareArgs<'channel_left' | 'group_left'> & AllMiddlewareArgs) => {
    const scope = scopeOf(context);
    if (!scope) return;
    await appRemovedFromChannel(deps, client, scope, event.channel);
  };
}
