import type { AllMiddlewareArgs, Context, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { InstallationKey } from '../../../db/queries/installations.js';
import type { ServiceDeps } from '../../../services/deps.js';
import {
  type InstallationMover,
  workspaceJoinedOrganisation,
  workspaceLeft,
} from '../../../services/workspaces.js';

/**
 * The installation an event speaks for: an organisation installed org-wide (every workspace in it), or
 * one workspace. Undefined when the event names neither.
 */
function installationOf(context: Context, body: unknown): InstallationKey | undefined {
  const teamId = context.teamId ?? (body as { team_id?: string }).team_id ?? null;
  const enterpriseId = context.enterpriseId ?? null;
  const isEnterpriseInstall = Boolean(context.isEnterpriseInstall && enterpriseId);
  if (!isEnterpriseInstall && !teamId) return undefined;
  return { teamId, enterpriseId, isEnterpriseInstall };
}

/** `app_uninstalled`: the workspace removed the app; its tokens are already void. */
export function appUninstalled(deps: ServiceDeps) {
  return async ({ context, body }: SlackEventMiddlewareArgs<'app_uninstalled'> & AllMiddlewareArgs) => {
    const installation = installationOf(context, body);
    if (installation) await workspaceLeft(deps, deps.distribution, installation, 'app_uninstalled');
  };
}

/** `tokens_revoked`: only the bot's own tokens matter; a person revoking their user token changes nothing here. */
export function tokensRevoked(deps: ServiceDeps) {
  return async ({ event, context, body }: SlackEventMiddlewareArgs<'tokens_revoked'> & AllMiddlewareArgs) => {
    const botTokens = (event.tokens as { bot?: unknown[] } | undefined)?.bot ?? [];
    const installation = installationOf(context, body);
    if (installation && botTokens.length > 0)
      await workspaceLeft(deps, deps.distribution, installation, 'tokens_revoked');
  };
}

/** `grid_migration_finished`: the workspace is now part of an Enterprise Grid organisation. */
export function gridMigrationFinished(deps: ServiceDeps, installations: InstallationMover | undefined) {
  return async ({ event, body }: SlackEventMiddlewareArgs<'grid_migration_finished'> & AllMiddlewareArgs) => {
    const teamId = (body as { team_id?: unknown }).team_id;
    const enterpriseId: unknown = event.enterprise_id;
    if (typeof teamId !== 'string' || !teamId || typeof enterpriseId !== 'string' || !enterpriseId) return;
    await workspaceJoinedOrganisation(deps, installations, teamId, enterpriseId);
  };
}
