import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type DatabaseHandle } from '../../src/db/client.js';
import { claimOccurrence } from '../../src/db/queries/occurrences.js';
import { occurrences } from '../../src/db/schema.js';
import { createTestDatabase, DRIVERS, type TestDatabase } from '../support/databases.js';

const NOW = new Date('2026-11-23T09:30:00Z');

/**
 * A process stopped (frozen, paused by its host) between two statements of a transaction keeps the rows
 * it locked for as long as its session lives, and claims with SKIP LOCKED pass them by. Postgres ends
 * such a session; the process lives on when it wakes, and only that transaction fails.
 */
describe.runIf(DRIVERS.includes('postgres'))('a process stopped inside a transaction (postgres)', () => {
  let testDatabase: TestDatabase;
  let stalled: DatabaseHandle;
  let other: DatabaseHandle;
  const poolErrors: Error[] = [];

  beforeAll(async () => {
    testDatabase = await createTestDatabase('postgres');
    other = createDatabase(testDatabase.settings);
    await other.migrate();
    stalled = createDatabase(testDatabase.settings, {
      idleInTransactionMs: 500,
      onPoolError: (error) => poolErrors.push(error),
    });
  });

  afterAll(async () => {
    await stalled?.close();
    await other?.close();
    await testDatabase?.drop();
  });

  it('gives its row locks up, so another process claims the row, and fails only that transaction', async () => {
    const [row] = await other.db
      .insert(occurrences)
      .values({ teamId: 'T0STALL', channelId: 'C0STALL', kind: 'week_ahead', dueAt: NOW, status: 'pending' })
      .returning({ id: occurrences.id });
    const id = row?.id as string;

    let locked = () => {};
    const rowLocked = new Promise<void>((resolve) => {
      locked = resolve;
    });
    let wake = () => {};
    const stopped = new Promise<void>((resolve) => {
      wake = resolve;
    });
    const transaction = stalled.db
      .transaction(async (tx) => {
        await tx.update(occurrences).set({ error: 'stalled' }).where(eq(occurrences.id, id));
        locked();
        // Stopped here: nothing more goes over its connection until it wakes.
        await stopped;
        await tx.update(occurrences).set({ error: 'woke' }).where(eq(occurrences.id, id));
      })
      .then(
        () => 'committed',
        () => 'failed',
      );
    await rowLocked;

    expect(await claimOccurrence(other.db, id, NOW, 60_000)).toBeUndefined();
    await expect
      .poll(async () => (await claimOccurrence(other.db, id, NOW, 60_000))?.id, {
        timeout: 20_000,
        interval: 100,
      })
      .toBe(id);

    wake();
    expect(await transaction).toBe('failed');
    expect(poolErrors.map((error) => (error as { code?: string }).code)).toContain('25P03');
    const [after] = await other.db.select().from(occurrences).where(eq(occurrences.id, id));
    expect({ status: after?.status, error: after?.error }).toEqual({ status: 'claimed', error: null });
    // The woken process goes on working on a fresh connection.
    await stalled.ping();
  });
});
