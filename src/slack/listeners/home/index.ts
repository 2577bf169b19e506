import type {
  AllMiddlewareArgs,
  BlockAction,
  SlackActionMiddlewareArgs,
  StaticSelectAction,
} from '@slack/bolt';
import type { ServiceDeps } from '../../../services/deps.js';
import { publishHome } from '../../../services/home.js';
import { HOME_ACTIONS } from '../../ids.js';
import type { ListenerRegistry } from '../index.js';
import { scopeOf } from '../scope.js';

type PickArgs = SlackActionMiddlewareArgs<BlockAction<StaticSelectAction>> & AllMiddlewareArgs;

/** Another channel picked on the Home tab: the tab is drawn again with that channel's portrait. */
export function portraitChannelPicked(deps: ServiceDeps) {
  return async ({ ack, body, action, client, context }: PickArgs) => {
    await ack();
    const scope = scopeOf(context, body.team?.id ?? undefined);
    if (!scope) return;
    await publishHome(deps, client, scope, body.user.id, { channelId: action.selected_option?.value });
  };
}

/** Wires the Home tab's own controls. */
export function registerHomeListeners(app: ListenerRegistry, deps: ServiceDeps): void {
  app.action(HOME_ACTIONS.portraitChannel, portraitChannelPicked(deps));
}
