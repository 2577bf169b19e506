import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { ServiceDeps } from '../../../services/deps.js';
import { pickedChannelOf, publishHome } from '../../../services/home.js';
import { scopeOf } from '../scope.js';

export function appHomeOpened(deps: ServiceDeps) {
  return async ({
    event,
    client,
    context,
  }: SlackEventMiddlewareArgs<'app_home_opened'> & AllMiddlewareArgs) => {
    if (event.tab !== 'home') return;
    const scope = scopeOf(context);
    if (!scope) return;
    // The tab as the person last left it: a channel they picked stays picked.
    await publishHome(deps, client, scope, event.user, { channelId: pickedChannelOf(event.view) });
  };
}
