import { and, eq, isNotNull, lte, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { Database } from '../client.js';
import { channelSettings, type Installation, installations, occurrences, rhythms } from '../schema.js';

/** A workspace, or an organisation installed org-wide (no team). */
export interface InstallationKey {
  teamId: string | null;
  enterpriseId: string | null;
  isEnterpriseInstall: boolean;
}

/**
 * The rows an installation covers in a table with workspace columns: its workspace, or, for an
 * organisation installed org-wide, every workspace of that organisation.
 */
export function reachOf(table: { teamId: PgColumn; enterpriseId: PgColumn }, key: InstallationKey): SQL {
  if (key.isEnterpriseInstall) return eq(table.enterpriseId, key.enterpriseId ?? '');
  return and(eq(table.teamId, key.teamId ?? ''), eq(table.enterpriseId, key.enterpriseId ?? '')) as SQL;
}

/** The key of a stored installation row. */
export function keyOfRow(row: Installation): InstallationKey {
  return {
    teamId: row.teamId || null,
    enterpriseId: row.enterpriseId || null,
    isEnterpriseInstall: row.isEnterpriseInstall,
  };
}

function keyOf(key: InstallationKey) {
  return key.isEnterpriseInstall
    ? and(eq(installations.enterpriseId, key.enterpriseId ?? ''), eq(installations.teamId, ''))
    : and(eq(installations.enterpriseId, key.enterpriseId ?? ''), eq(installations.teamId, key.teamId ?? ''));
}

export async function saveInstallation(
  db: Database,
  key: InstallationKey,
  values: {
    botUserId: string | null;
    keyId: string;
    sealedInstallation: string;
    botTokenExpiresAt: Date | null;
    installedBy: string | null;
  },
  now: Date,
): Promise<void> {
  const identity = {
    teamId: key.isEnterpriseInstall ? '' : (key.teamId ?? ''),
    enterpriseId: key.enterpriseId ?? '',
    isEnterpriseInstall: key.isEnterpriseInstall,
  };
  // Installing again before the data is purged keeps it: the retention clock stops.
  await db
    .insert(installations)
    .values({ ...identity, ...values, createdAt: now, updatedAt: now })
    .onConflictDoUpdate({
      target: [installations.enterpriseId, installations.teamId],
      set: {
        ...values,
        isEnterpriseInstall: key.isEnterpriseInstall,
        uninstalledAt: null,
        purgeAfter: null,
        updatedAt: now,
      },
    });
}

export async function findInstallation(
  db: Database,
  key: InstallationKey,
): Promise<Installation | undefined> {
  const [row] = await db.select().from(installations).where(keyOf(key));
  return row;
}

/**
 * The installation row locked for this transaction, so two replicas refreshing the same expiring token
 * take turns: the second sees the token the first stored.
 */
export async function lockInstallation(
  db: Database,
  key: InstallationKey,
): Promise<Installation | undefined> {
  const [row] = await db.select().from(installations).where(keyOf(key)).for('update');
  return row;
}

/** Tokens gone: nothing sealed is kept, and the workspace's data is purged after `purgeAfter`. */
export async function markUninstalled(
  db: Database,
  key: InstallationKey,
  retention: { now: Date; purgeAfter: Date },
): Promise<number> {
  const rows = await db
    .update(installations)
    .set({
      sealedInstallation: null,
      keyId: null,
      uninstalledAt: retention.now,
      purgeAfter: retention.purgeAfter,
      updatedAt: retention.now,
    })
    .where(keyOf(key))
    .returning({ id: installations.id });
  return rows.length;
}

/** Stops every rhythm an installation covers at once, and withdraws what was waiting to be posted. */
export async function stopWorkspace(
  db: Database,
  key: InstallationKey,
  stop: { reason: 'app_uninstalled' | 'tokens_revoked'; now: Date },
): Promise<void> {
  const { reason, now } = stop;
  await db.transaction(async (tx) => {
    await tx.update(rhythms).set({ nextDueAt: null, updatedAt: now }).where(reachOf(rhythms, key));
    await tx
      .update(channelSettings)
      .set({ pausedReason: reason, pausedAt: now, updatedAt: now })
      .where(reachOf(channelSettings, key));
    await tx
      .update(occurrences)
      .set({ status: 'cancelled', withdrawnReason: reason, error: null, leaseUntil: null, updatedAt: now })
      .where(and(reachOf(occurrences, key), eq(occurrences.status, 'pending')));
  });
}

/** Workspaces whose retention period has run out since they uninstalled the app. */
export async function installationsDueForPurge(db: Database, now: Date): Promise<Installation[]> {
  return db
    .select()
    .from(installations)
    .where(and(isNotNull(installations.uninstalledAt), lte(installations.purgeAfter, now)));
}

export async function forgetInstallation(db: Database, installation: Installation): Promise<void> {
  await db.delete(installations).where(eq(installations.id, installation.id));
}
