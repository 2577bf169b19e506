import { getTableName, is } from 'drizzle-orm';
import { PgTable } from 'drizzle-orm/pg-core';
import type { Database } from '../../src/db/client.js';
import * as schema from '../../src/db/schema.js';

/** Every table src/db/schema.ts declares, found by type so that a table added later is covered too. */
export const ALL_TABLES: readonly PgTable[] = (Object.values(schema) as unknown[]).filter(
  (value): value is PgTable => is(value, PgTable),
);

export type TableSnapshot = Record<string, string[]>;

/**
 * Every row of every table, each as JSON and sorted, so two snapshots are equal only when nothing was
 * inserted, deleted or changed in between.
 */
export async function snapshotTables(db: Database): Promise<TableSnapshot> {
  const snapshot: TableSnapshot = {};
  for (const table of ALL_TABLES) {
    const rows = (await db.select().from(table as never)) as unknown[];
    snapshot[getTableName(table)] = rows.map((row) => JSON.stringify(row)).sort();
  }
  return snapshot;
}

export function rowCounts(snapshot: TableSnapshot): Record<string, number> {
  return Object.fromEntries(Object.entries(snapshot).map(([table, rows]) => [table, rows.length]));
}
