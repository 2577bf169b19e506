import { and, eq, inArray, sql } from 'drizzle-orm';
import { isUuid } from '../../domain/ids.js';
import type { Database } from '../client.js';
import { afterActionReviews, beforeActionReviews } from '../schema.js';
import { reviewLookedBackOn } from './after-action.js';
import { inWorkspace, type WorkspaceScope } from './scope.js';

/**
 * The learning question each after-action review served: its own tag, or else the tag of the
 * before-action review it looked back on. Reviews tied to no question are left out.
 */
export async function questionsOfAfterActions(
  db: Database,
  scope: WorkspaceScope,
  params: { channelId: string; afterActionIds: readonly string[] },
): Promise<Map<string, string>> {
  const ids = params.afterActionIds.filter(isUuid);
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({
      id: afterActionReviews.id,
      questionId: sql<
        string | null
      >`coalesce(${afterActionReviews.questionId}, ${beforeActionReviews.questionId})`,
    })
    .from(afterActionReviews)
    .leftJoin(beforeActionReviews, reviewLookedBackOn)
    .where(
      and(
        inWorkspace(afterActionReviews, scope),
        eq(afterActionReviews.channelId, params.channelId),
        inArray(afterActionReviews.id, ids),
      ),
    );
  return new Map(
    rows.flatMap((row) => (row.questionId ? [[row.id, String(row.questionId)] as [string, string]] : [])),
  );
}
