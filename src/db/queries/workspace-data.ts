import { eq } from 'drizzle-orm';
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
  digests,
  learningNotes,
  learningQuestions,
  occurrences,
  perspectives,
  processedEvents,
  responses,
  reviewPeople,
  rhythms,
  skips,
} from '../schema.js';

/** Every table that holds a workspace's data, children before the rows they point at. */
const WORKSPACE_TABLES: ReadonlyArray<readonly [string, PgTable, PgColumn]> = [
  ['learning_notes', learningNotes, learningNotes.teamId],
  ['digests', digests, digests.teamId],
  ['skips', skips, skips.teamId],
  ['responses', responses, responses.teamId],
  ['perspectives', perspectives, perspectives.teamId],
  ['after_action_review_people', afterActionReviewPeople, afterActionReviewPeople.teamId],
  ['after_action_reviews', afterActionReviews, afterActionReviews.teamId],
  ['occurrences', occurrences, occurrences.teamId],
  ['review_people', reviewPeople, reviewPeople.teamId],
  ['before_action_reviews', beforeActionReviews, beforeActionReviews.teamId],
  ['rhythms', rhythms, rhythms.teamId],
  ['custom_prompts', customPrompts, customPrompts.teamId],
  ['learning_questions', learningQuestions, learningQuestions.teamId],
  ['channel_stewards', channelStewards, channelStewards.teamId],
  ['channel_welcomes', channelWelcomes, channelWelcomes.teamId],
  ['channel_settings', channelSettings, channelSettings.teamId],
  ['processed_events', processedEvents, processedEvents.teamId],
];

/** Deletes everything a workspace left behind, in one transaction; returns the rows removed per table. */
export async function purgeWorkspaceData(db: Database, teamId: string): Promise<Record<string, number>> {
  return db.transaction(async (tx) => {
    const removed: Record<string, number> = {};
    for (const [name, table, teamColumn] of WORKSPACE_TABLES) {
      const rows = await tx.delete(table).where(eq(teamColumn, teamId)).returning();
      removed[name] = rows.length;
    }
    return removed;
  });
}
