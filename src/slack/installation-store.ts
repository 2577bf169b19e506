import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import { eq } from 'drizzle-orm';
import type { Distribution, EncryptionKey } from '../config.js';
import {
  findInstallation,
  type InstallationKey,
  lockInstallation,
  markUninstalled,
  saveInstallation,
} from '../db/queries/installations.js';
import { installations } from '../db/schema.js';
import { describeError } from '../logger.js';
import { seal, sealedWith, unseal } from '../security/sealing.js';
import type { ServiceDeps } from '../services/deps.js';
import { workspaceJoinedOrganisation } from '../services/workspaces.js';

/** Slack refreshes a bot token that expires within two hours; so do we, before anyone uses it. */
const REFRESH_WITHIN_MS = 2 * 3_600_000;

export interface TokenRefresh {
  access_token?: string;
  refresh_token?: string;
  expires_in?: number;
}

export type RefreshToken = (refreshToken: string) => Promise<TokenRefresh>;

function contextOf(key: InstallationKey): string {
  return `${key.enterpriseId ?? ''}|${key.isEnterpriseInstall ? '' : (key.teamId ?? '')}`;
}

function keyOfInstallation(installation: Installation): InstallationKey {
  return {
    teamId: installation.team?.id ?? null,
    enterpriseId: installation.enterprise?.id ?? null,
    isEnterpriseInstall: Boolean(installation.isEnterpriseInstall),
  };
}

export class NotInstalledError extends Error {
  constructor() {
    super('this workspace has no installation of the app');
    this.name = 'NotInstalledError';
  }
}

/**
 * Bolt's installation store over our database. Installations are sealed with the current key; reading
 * one sealed with an older key seals it again with the current one, so retiring a key only needs every
 * workspace to have been read once. An expiring bot token is refreshed here, under a row lock, so
 * replicas refreshing at the same moment take turns instead of each spending the refresh token.
 */
export function createInstallationStore(
  deps: ServiceDeps,
  distribution: Distribution,
  refresh: RefreshToken,
): InstallationStore & {
  fetch(key: InstallationKey): Promise<Installation>;
  moveIntoOrganisation(teamId: string, enterpriseId: string): Promise<boolean>;
} {
  const first = distribution.keys[0];
  if (!first) throw new Error('an encryption key is needed to store installations');
  const current: EncryptionKey = first;

  async function store(key: InstallationKey, installation: Installation, installedBy: string | null) {
    await saveInstallation(
      deps.db,
      key,
      {
        botUserId: installation.bot?.userId ?? null,
        keyId: current.id,
        sealedInstallation: seal(JSON.stringify(installation), current, contextOf(key)),
        botTokenExpiresAt: installation.bot?.expiresAt ? new Date(installation.bot.expiresAt * 1000) : null,
        installedBy,
      },
      deps.clock(),
    );
  }

  async function fetch(key: InstallationKey): Promise<Installation> {
    return deps.db.transaction(async (tx) => {
      const row = await lockInstallation(tx, key);
      if (!row?.sealedInstallation) throw new NotInstalledError();
      const installation = JSON.parse(
        unseal(row.sealedInstallation, distribution.keys, contextOf(key)),
      ) as Installation;
      const bot = installation.bot;
      const expiring =
        bot?.refreshToken &&
        bot.expiresAt &&
        bot.expiresAt * 1000 - deps.clock().getTime() < REFRESH_WITHIN_MS;
      if (expiring && bot?.refreshToken) {
        const renewed = await refresh(bot.refreshToken);
        if (!renewed.access_token || !renewed.refresh_token || !renewed.expires_in)
          throw new Error('token refresh answered without a token');
        bot.token = renewed.access_token;
        bot.refreshToken = renewed.refresh_token;
        bot.expiresAt = Math.floor(deps.clock().getTime() / 1000) + renewed.expires_in;
        deps.log.info({ team: key.teamId, enterprise: key.enterpriseId }, 'bot token refreshed');
      }
      if (expiring || sealedWith(row.sealedInstallation) !== current.id) {
        await tx
          .update(installations)
          .set({
            keyId: current.id,
            sealedInstallation: seal(JSON.stringify(installation), current, contextOf(key)),
            botTokenExpiresAt: bot?.expiresAt ? new Date(bot.expiresAt * 1000) : null,
            updatedAt: deps.clock(),
          })
          .where(eq(installations.id, row.id));
      }
      return installation;
    });
  }

  /**
   * A workspace that joined an organisation: its installation is sealed again under the organisation,
   * whose id now comes with every request. True when there was one to move.
   */
  async function moveIntoOrganisation(teamId: string, enterpriseId: string): Promise<boolean> {
    const before: InstallationKey = { teamId, enterpriseId: null, isEnterpriseInstall: false };
    const after: InstallationKey = { teamId, enterpriseId, isEnterpriseInstall: false };
    return deps.db.transaction(async (tx) => {
      const row = await lockInstallation(tx, before);
      if (!row) return false;
      // Installed again from inside the organisation already: that installation is the current one.
      if (await findInstallation(tx, after)) {
        await tx.delete(installations).where(eq(installations.id, row.id));
        return true;
      }
      const installation = row.sealedInstallation
        ? (JSON.parse(unseal(row.sealedInstallation, distribution.keys, contextOf(before))) as Installation)
        : undefined;
      if (installation) installation.enterprise = { id: enterpriseId };
      await tx
        .update(installations)
        .set({
          enterpriseId,
          ...(installation
            ? {
                keyId: current.id,
                sealedInstallation: seal(JSON.stringify(installation), current, contextOf(after)),
              }
            : {}),
          updatedAt: deps.clock(),
        })
        .where(eq(installations.id, row.id));
      return true;
    });
  }

  return {
    fetch,
    moveIntoOrganisation,
    async storeInstallation(installation) {
      const key = keyOfInstallation(installation as Installation);
      await store(key, installation as Installation, (installation as Installation).user?.id ?? null);
      deps.log.info(
        { team: key.teamId, enterprise: key.enterpriseId, orgWide: key.isEnterpriseInstall },
        'app installed',
      );
      // Installed from inside an organisation by a workspace that installed before joining it.
      if (!key.isEnterpriseInstall && key.teamId && key.enterpriseId)
        await workspaceJoinedOrganisation(deps, { moveIntoOrganisation }, key.teamId, key.enterpriseId);
    },
    async fetchInstallation(query: InstallationQuery<boolean>) {
      const key: InstallationKey = {
        teamId: query.teamId ?? null,
        enterpriseId: query.enterpriseId ?? null,
        isEnterpriseInstall: query.isEnterpriseInstall,
      };
      try {
        return await fetch(key);
      } catch (error) {
        // A workspace of an organisation installed org-wide is covered by the organisation's installation.
        if (error instanceof NotInstalledError && !key.isEnterpriseInstall && key.enterpriseId) {
          const orgWide = { ...key, teamId: null, isEnterpriseInstall: true };
          if (await findInstallation(deps.db, orgWide)) return fetch(orgWide);
        }
        if (!(error instanceof NotInstalledError))
          deps.log.error({ team: key.teamId, err: describeError(error) }, 'installation could not be read');
        throw error;
      }
    },
    async deleteInstallation(query: InstallationQuery<boolean>) {
      const now = deps.clock();
      await markUninstalled(
        deps.db,
        {
          teamId: query.teamId ?? null,
          enterpriseId: query.enterpriseId ?? null,
          isEnterpriseInstall: query.isEnterpriseInstall,
        },
        { now, purgeAfter: new Date(now.getTime() + distribution.retentionDays * 86_400_000) },
      );
    },
  };
}
