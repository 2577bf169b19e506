import { and, inArray, lte, min } from 'drizzle-orm';
import type { Database } from '../client.js';
import { occurrences } from '../schema.js';

/**
 * When the oldest occurrence that is due and not yet delivered (pending, or claimed and not settled) fell
 * due, across every workspace: an operator's measure of how far behind the scheduler runs.
 */
export async function oldestUndeliveredDueAt(db: Database, params: { now: Date }): Promise<Date | undefined> {
  const [row] = await db
    .select({ oldest: min(occurrences.dueAt) })
    .from(occurrences)
    .where(and(inArray(occurrences.status, ['pending', 'claimed']), lte(occurrences.dueAt, params.now)));
  return row?.oldest ?? undefined;
}
