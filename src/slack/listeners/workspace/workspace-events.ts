import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { ServiceDeps } from '../../../services/deps.js';
import { workspaceLeft } from '../../../services/workspaces.js';
import { scopeOf } from '../scope.js';

/** `app_uninstalled`: the workspace removed the app; its tokens are already void. */
export function appUninstalled(deps: ServiceDeps) {
  return async ({ context, body }: SlackEventMiddlewareArgs<'app_uninstalled'> & AllMiddlewareArgs) => {
    const scope = scopeOf(context, (body as { team_id?: string }).team_id);
    if (scope) await workspaceLeft(deps, deps.distribution, scope.teamId, 'app_uninstalled');
  };
}

/** `tokens_revoked`: only the bot's own tokens matter; a person revoking their user token changes nothing here. */
export function tokensRevoked(deps: ServiceDeps) {
  return async ({ event, context, body }: SlackEventMiddlewareArgs<'tokens_revoked'> & AllMiddlewareArgs) => {
    const botTokens = (event.tokens as { bot?: unknown[] } | undefined)?.bot ?? [];
    const scope = scopeOf(context, (body as { team_id?: string }).team_id);
    if (scope && botTokens.length > 0)
      await workspaceLeft(deps, deps.distribution, scope.teamId, 'tokens_revoked');
  };
}
