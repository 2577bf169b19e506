import type { AllMiddlewareArgs, Context, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { InstallationKey } from '../../../db/queries/installations.js';
import type { ServiceDeps } from '../../../services/deps.js';
import {
  type InstallationMover,
  workspaceJoinedOrganisation,
  workspaceLeft,
} from '../../../services/workspaces.js';
import { authorisedScopeOf } from '../scope.js';

/**
 * The installation an event speaks for, as its authorisation names it (never the envelope's own
 * `team_id`): an organisation installed org-wide (every workspace in it), or one workspace. Undefined
 * when the authorisation names neither.
 */
function installationOf(context: Context): InstallationKey | undefined {
  const authorised = authorisedScopeOf(context);
  if (authorised) return { ...authorised, isEnterpriseInstall: false };
  const teamId = context.teamId ?? null;
  const enterpriseId = context.enterpriseId ?? null;
  const isEnterpriseInstall = Boolean(context.isEnterpriseInstall && enterpriseId);
  if (!isEnterpriseInstall && !teamId) return undefined;
  return { teamId, enterpriseId, isEnterpriseInstall };
}

/** `app_uninstalled`: the workspace removed the app; its tokens are already void. */
export function appUninstalled(deps: ServiceDeps) {
  return async ({ context }: SlackEventMiddlewareArgs<'app_uninstalled'> & AllMiddlewareArgs) => {
    const installation = installationOf(context);
    if (installation) await workspaceLeft(deps, deps.distribution, installation, 'app_uninstalled');
  };
}

/** `tokens_revoked`: only the bot's own tokens matter; a person revoking their user token changes nothing here. */
export function tokensRevoked(deps: ServiceDeps) {
  return async ({ event, context }: SlackEventMiddlewareArgs<'tokens_revoked'> & AllMiddlewareArgs) => {
    const botTokens = (event.tokens as { bot?: unknown[] } | undefined)?.bot ?? [];
    const installation = installationOf(context);
    if (installation && botTokens.length > 0)
      await workspaceLeft(deps, deps.distribution, installation, 'tokens_revoked');
  };
}

/**
 * `grid_migration_finished`: the workspace is now part of an Enterprise Grid organisation. The workspace
 * that moves is the one whose installation authorised the event (Bolt's context, filled by authorize),
 * never a team the payload names: otherwise any workspace could move another's installation and data.
 * An org-wide installation is no workspace joining, and a workspace already in another organisation
 * does not move again on a payload's word.
 */
export function gridMigrationFinished(deps: ServiceDeps, installations: InstallationMover | undefined) {
  return async ({
    event,
    context,
  }: SlackEventMiddlewareArgs<'grid_migration_finished'> & AllMiddlewareArgs) => {
    const teamId = authorisedScopeOf(context)?.teamId ?? context.teamId;
    const enterpriseId: unknown = event.enterprise_id;
    if (!teamId || context.isEnterpriseInstall || typeof enterpriseId !== 'string' || !enterpriseId) return;
    if (context.enterpriseId && context.enterpriseId !== enterpriseId) {
      deps.log.warn(
        { team: teamId, enterprise: context.enterpriseId },
        'grid migration to another organisation ignored',
      );
      return;
    }
    await workspaceJoinedOrganisation(deps, installations, teamId, enterpriseId);
  };
}
