import { randomBytes } from 'node:crypto';
import type { Installation } from '@slack/bolt';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Distribution } from '../../src/config.js';
import { createDatabase, type DatabaseHandle } from '../../src/db/client.js';
import { installations } from '../../src/db/schema.js';
import { createLogger } from '../../src/logger.js';
import { createInstallationStore, type TokenRefresh } from '../../src/slack/installation-store.js';
import { createTestDatabase, DRIVERS, type TestDatabase } from '../support/databases.js';
import { LogCapture } from '../support/harness.js';

const OLD_KEY = { id: 'k1', key: randomBytes(32) };
const NEW_KEY = { id: 'k2', key: randomBytes(32) };
const NOW = new Date('2026-11-23T09:00:00Z');

function distribution(keys: Distribution['keys']): Distribution {
  return {
    clientId: '1.2',
    clientSecret: 'abcdef0123456789',
    stateSecret: 'state-secret-0123456789',
    keys,
    retentionDays: 30,
  };
}

function installation(teamId: string, expiresInSeconds?: number): Installation {
  return {
    team: { id: teamId, name: teamId },
    enterprise: undefined,
    user: { id: 'U0INSTALLER', token: undefined, scopes: undefined },
    bot: {
      token: `xoxb-${teamId}-first`,
      id: 'B0BOT',
      userId: 'U0BOT',
      scopes: ['chat:write'],
      ...(expiresInSeconds
        ? {
            refreshToken: `xoxe-${teamId}-first`,
            expiresAt: Math.floor(NOW.getTime() / 1000) + expiresInSeconds,
          }
        : {}),
    },
    isEnterpriseInstall: false,
    tokenType: 'bot',
  } as Installation;
}

describe.each(DRIVERS)('the installation store (%s)', (driver) => {
  let testDatabase: TestDatabase;
  let handle: DatabaseHandle;
  let replica: DatabaseHandle | undefined;
  const logs = new LogCapture();
  const deps = (db: DatabaseHandle) => ({ db: db.db, log: createLogger('silent', logs), clock: () => NOW });

  beforeAll(async () => {
    testDatabase = await createTestDatabase(driver);
    handle = createDatabase(testDatabase.settings);
    await handle.migrate();
    if (driver === 'postgres') replica = createDatabase(testDatabase.settings);
  });

  afterAll(async () => {
    await replica?.close();
    await handle?.close();
    await testDatabase?.drop();
  });

  const query = (teamId: string) => ({
    teamId,
    enterpriseId: undefined,
    isEnterpriseInstall: false as const,
  });

  it('keeps a key rotation readable, and seals again with the new key on first read', async () => {
    const refuse = async (): Promise<TokenRefresh> => ({});
    await createInstallationStore(deps(handle), distribution([OLD_KEY]), refuse).storeInstallation(
      installation('T0ROTATE'),
    );
    const rotated = createInstallationStore(deps(handle), distribution([NEW_KEY, OLD_KEY]), refuse);
    expect((await rotated.fetchInstallation(query('T0ROTATE'))).bot?.token).toBe('xoxb-T0ROTATE-first');
    const [row] = await handle.db.select().from(installations);
    expect(row?.keyId).toBe('k2');
    // Once every row is sealed with the new key, the old one can go.
    const newOnly = createInstallationStore(deps(handle), distribution([NEW_KEY]), refuse);
    expect((await newOnly.fetchInstallation(query('T0ROTATE'))).bot?.token).toBe('xoxb-T0ROTATE-first');
  });

  it('binds a sealed installation to its workspace: copied onto another workspace’s row, it does not open', async () => {
    const store = createInstallationStore(deps(handle), distribution([NEW_KEY]), async () => ({}));
    await store.storeInstallation(installation('T0VICTIM'));
    await store.storeInstallation(installation('T0THIEF'));
    const rows = await handle.db.select().from(installations);
    const victim = rows.find((row) => row.teamId === 'T0VICTIM');
    await handle.db
      .update(installations)
      .set({ sealedInstallation: victim?.sealedInstallation })
      .where(eq(installations.teamId, 'T0THIEF'));
    await expect(store.fetchInstallation(query('T0THIEF'))).rejects.toThrow(/could not be opened/);
  });

  it('refreshes an expiring token once when two replicas need it at the same moment', async () => {
    let refreshes = 0;
    // Whichever replica holds the row answers only once the other is queued behind its lock, so they meet
    // mid-refresh however the two are scheduled. PGlite is one connection: the second transaction is
    // queued behind the first from the start.
    const otherReplicaWaits = async () => {
      if (!replica) return;
      const lockWaiters = async () => {
        const result = (await handle.db.execute(
          sql`select count(*)::int as waiting from pg_stat_activity
              where datname = current_database() and wait_event_type = 'Lock'`,
        )) as unknown as { rows: Array<{ waiting: number }> };
        return result.rows[0]?.waiting ?? 0;
      };
      await expect.poll(lockWaiters, { timeout: 20_000 }).toBeGreaterThan(0);
    };
    const refresh = async (refreshToken: string): Promise<TokenRefresh> => {
      refreshes += 1;
      await otherReplicaWaits();
      return {
        access_token: `xoxb-refreshed-${refreshToken}`,
        refresh_token: 'xoxe-next',
        expires_in: 43_200,
      };
    };
    await createInstallationStore(deps(handle), distribution([NEW_KEY]), refresh).storeInstallation(
      installation('T0EXPIRES', 3_600),
    );
    const first = createInstallationStore(deps(handle), distribution([NEW_KEY]), refresh);
    const second = createInstallationStore(deps(replica ?? handle), distribution([NEW_KEY]), refresh);
    const [a, b] = await Promise.all([
      first.fetchInstallation(query('T0EXPIRES')),
      second.fetchInstallation(query('T0EXPIRES')),
    ]);
    expect(refreshes).toBe(1);
    expect(a.bot?.token).toBe('xoxb-refreshed-xoxe-T0EXPIRES-first');
    expect(b.bot?.token).toBe(a.bot?.token);
    expect(b.bot?.refreshToken).toBe('xoxe-next');
  });

  it('forgets the tokens on uninstall, and a later install brings the workspace back', async () => {
    const store = createInstallationStore(deps(handle), distribution([NEW_KEY]), async () => ({}));
    await store.storeInstallation(installation('T0LEAVES'));
    await store.deleteInstallation?.(query('T0LEAVES'));
    await expect(store.fetchInstallation(query('T0LEAVES'))).rejects.toThrow(/no installation/);
    const [left] = (await handle.db.select().from(installations)).filter((row) => row.teamId === 'T0LEAVES');
    expect(left?.sealedInstallation).toBeNull();
    expect(left?.purgeAfter?.getTime()).toBe(NOW.getTime() + 30 * 86_400_000);
    await store.storeInstallation(installation('T0LEAVES'));
    const [back] = (await handle.db.select().from(installations)).filter((row) => row.teamId === 'T0LEAVES');
    expect(back).toMatchObject({ uninstalledAt: null, purgeAfter: null });
  });
});
