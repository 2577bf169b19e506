import { and, eq } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Database } from '../client.js';
import {
  afterActionReviewPeople,
  afterActionReviews,
  beforeActionReviews,
  channelSettings,
  channelStewards,
  channelWelcomes,
  customPrompts,
  digestItemVotes,
  digests,
  historyCanvases,
  learningNotes,
  learningQuestions,
  lessonSharing,
  occurrences,
  perspectives,
  processedEvents,
  responses,
  reviewPeople,
  rhythms,
  skips,
} from '../schema.js';
import { type InstallationKey, reachOf } from './installations.js';

/** Every table that holds a workspace's data, children before the rows they point at. */
const WORKSPACE_TABLES: ReadonlyArray<
  readonly [string, PgTable & { teamId: PgColumn; enterpriseId: PgColumn }]
> = [
  ['learning_notes', learningNotes],
  ['digest_item_votes', digestItemVotes],
  ['digests', digests],
  ['skips', skips],
  ['responses', responses],
  ['perspectives', perspectives],
  ['after_action_review_people', afterActionReviewPeople],
  ['after_action_reviews', afterActionReviews],
  ['occurrences', occurrences],
  ['review_people', reviewPeople],
  ['before_action_reviews', beforeActionReviews],
  ['rhythms', rhythms],
  ['custom_prompts', customPrompts],
  ['learning_questions', learningQuestions],
  ['channel_stewards', channelStewards],
  ['channel_welcomes', channelWelcomes],
  ['history_canvases', historyCanvases],
  ['lesson_sharing', lessonSharing],
  ['channel_settings', channelSettings],
  ['processed_events', processedEvents],
];

/**
 * Deletes everything an installation's workspaces left behind, in one transaction; returns the rows
 * removed per table.
 */
export async function purgeWorkspaceData(
  db: Database,
  key: InstallationKey,
): Promise<Record<string, number>> {
  return db.transaction(async (tx) => {
    const removed: Record<string, number> = {};
    for (const [name, table] of WORKSPACE_TABLES) {
      const rows = await tx.delete(table).where(reachOf(table, key)).returning();
      removed[name] = rows.length;
    }
    return removed;
  });
}

/**
 * A workspace that joins an Enterprise Grid organisation keeps its team id, and from then on Slack names
 * the organisation on everything the workspace sends. Its rows move under the organisation, in one
 * transaction, so they stay in its scope. Returns the rows moved per table; moving again moves nothing.
 */
export async function moveWorkspaceIntoOrganisation(
  db: Database,
  teamId: string,
  enterpriseId: string,
): Promise<Record<string, number>> {
  return db.transaction(async (tx) => {
    const moved: Record<string, number> = {};
    for (const [name, table] of WORKSPACE_TABLES) {
      const rows = await tx
        .update(table)
        .set({ enterpriseId })
        .where(and(eq(table.teamId, teamId), eq(table.enterpriseId, '')))
        .returning();
      moved[name] = rows.length;
    }
    return moved;
  });
}
