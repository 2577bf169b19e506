import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { ServiceDeps } from '../../../services/deps.js';
import { publishHome } from '../../../services/home.js';
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
    await publishHome(deps, client, scope, event.user);
  };
}
