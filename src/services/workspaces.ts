import type { Distribution } from '../config.js';
import {
  forgetInstallation,
  type InstallationKey,
  installationsDueForPurge,
  keyOfRow,
  markUninstalled,
  stopWorkspace,
} from '../db/queries/installations.js';
import { moveWorkspaceIntoOrganisation, purgeWorkspaceData } from '../db/queries/workspace-data.js';
import type { ServiceDeps } from './deps.js';

const DAY_MS = 86_400_000;

/**
 * The app was uninstalled or its bot token revoked: the tokens go at once and the workspace's rhythms
 * stop. Its data stays for the retention period, in case it installs again, and is purged after that.
 */
export async function workspaceLeft(
  deps: ServiceDeps,
  distribution: Distribution | undefined,
  key: InstallationKey,
  reason: 'app_uninstalled' | 'tokens_revoked',
): Promise<void> {
  const now = deps.clock();
  await stopWorkspace(deps.db, key, { reason, now });
  const retentionDays = distribution?.retentionDays ?? 30;
  const purgeAfter = new Date(now.getTime() + retentionDays * DAY_MS);
  const installations = distribution ? await markUninstalled(deps.db, key, { now, purgeAfter }) : 0;
  deps.log.warn(
    {
      team: key.teamId,
      enterprise: key.enterpriseId,
      orgWide: key.isEnterpriseInstall,
      reason,
      installations,
    },
    'workspace stopped',
  );
}

/** Deletes the data of workspaces whose retention period ran out without them installing again. */
export async function purgeExpiredWorkspaces(deps: ServiceDeps, now: Date): Promise<number> {
  const due = await installationsDueForPurge(deps.db, now);
  for (const installation of due) {
    const removed = await purgeWorkspaceData(deps.db, keyOfRow(installation));
    await forgetInstallation(deps.db, installation);
    const rows = Object.values(removed).reduce((sum, count) => sum + count, 0);
    deps.log.info(
      { team: installation.teamId, enterprise: installation.enterpriseId, rows },
      'workspace data purged',
    );
  }
  return due.length;
}

/** Where installations are kept, when the app installs into many workspaces. */
export interface InstallationMover {
  moveIntoOrganisation(teamId: string, enterpriseId: string): Promise<boolean>;
}

/**
 * A workspace joined an Enterprise Grid organisation (`grid_migration_finished`, or installing again
 * from inside it): its installation and every row it has move under the organisation, so that the
 * requests Slack now sends with the organisation's id find them. Doing it twice changes nothing.
 */
export async function workspaceJoinedOrganisation(
  deps: ServiceDeps,
  installations: InstallationMover | undefined,
  teamId: string,
  enterpriseId: string,
): Promise<void> {
  // The data first: once the installation has moved, requests naming the organisation are answered,
  // and they should find everything the workspace wrote.
  const moved = await moveWorkspaceIntoOrganisation(deps.db, teamId, enterpriseId);
  const installation = installations ? await installations.moveIntoOrganisation(teamId, enterpriseId) : false;
  const rows = Object.values(moved).reduce((sum, count) => sum + count, 0);
  if (installation || rows > 0)
    deps.log.info(
      { team: teamId, enterprise: enterpriseId, installation, rows },
      'workspace joined an organisation',
    );
}
