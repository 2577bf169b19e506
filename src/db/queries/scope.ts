import { and, eq, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';

/** The workspace every query is confined to: its team and, inside Enterprise Grid, its organisation. */
export interface WorkspaceScope {
  teamId: string;
  enterpriseId: string | null;
}

interface WorkspaceColumns {
  teamId: AnyPgColumn;
  enterpriseId: AnyPgColumn;
}

/** How a scope's organisation is stored: '' outside Enterprise Grid, so that equality always applies. */
export const storedEnterprise = (scope: WorkspaceScope): string => scope.enterpriseId ?? '';

/** The condition that confines a query on `table` to one workspace. */
export function inWorkspace(table: WorkspaceColumns, scope: WorkspaceScope): SQL {
  return and(eq(table.teamId, scope.teamId), eq(table.enterpriseId, storedEnterprise(scope))) as SQL;
}

/** The workspace columns of a row about to be written in `scope`. */
export function workspaceOf(scope: WorkspaceScope): { teamId: string; enterpriseId: string } {
  return { teamId: scope.teamId, enterpriseId: storedEnterprise(scope) };
}

/** The scope of a stored row, for work that starts from the row (the scheduler) rather than a request. */
export function scopeOfRow(row: { teamId: string; enterpriseId: string }): WorkspaceScope {
  return { teamId: row.teamId, enterpriseId: row.enterpriseId || null };
}

/**
 * A join condition: `leftKey = rightKey`, and the joined row in the same workspace on both sides, so an
 * id copied from another workspace joins nothing.
 */
export function joinWithin(
  left: WorkspaceColumns,
  leftKey: AnyPgColumn,
  right: WorkspaceColumns,
  rightKey: AnyPgColumn,
): SQL {
  return and(
    eq(leftKey, rightKey),
    eq(left.teamId, right.teamId),
    eq(left.enterpriseId, right.enterpriseId),
  ) as SQL;
}
