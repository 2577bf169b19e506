import { and, asc, count, eq, inArray, max, or } from 'drizzle-orm';
import type { Database } from '../client.js';
import {
  afterActionReviews,
  type BeforeActionReview,
  beforeActionReviews,
  perspectives,
  responses,
  reviewPeople,
} from '../schema.js';
import { inWorkspace, type WorkspaceScope } from './scope.js';

/** Open before-action reviews the person wrote or is named in: their loops still waiting to be closed. */
function openAndTheirs(db: Database, scope: WorkspaceScope, userId: string) {
  const named = db
    .select({ reviewId: reviewPeople.reviewId })
    .from(reviewPeople)
    .where(and(inWorkspace(reviewPeople, scope), eq(reviewPeople.userId, userId)));
  return and(
    inWorkspace(beforeActionReviews, scope),
    eq(beforeActionReviews.status, 'open'),
    or(eq(beforeActionReviews.authorId, userId), inArray(beforeActionReviews.id, named)),
  );
}

/**
 * The person's open loops in every channel of the workspace, the soonest look-back date first, and how
 * many there are in all, so a list cut short can say so.
 */
export async function openLoopsOf(
  db: Database,
  scope: WorkspaceScope,
  params: { userId: string; limit: number },
): Promise<{ reviews: BeforeActionReview[]; total: number }> {
  const [reviews, [counted]] = await Promise.all([
    db
      .select()
      .from(beforeActionReviews)
      .where(openAndTheirs(db, scope, params.userId))
      .orderBy(
        asc(beforeActionReviews.lookBackOn),
        asc(beforeActionReviews.createdAt),
        asc(beforeActionReviews.id),
      )
      .limit(params.limit),
    db
      .select({ total: count() })
      .from(beforeActionReviews)
      .where(openAndTheirs(db, scope, params.userId)),
  ]);
  return { reviews, total: counted?.total ?? reviews.length };
}

/**
 * When the person last did something in each channel: a review they wrote or were named in, an
 * after-action review they wrote, a perspective or an answer with their name on it. Anonymous words
 * carry no user id, so they never count here.
 */
export async function latestActivityByChannel(
  db: Database,
  scope: WorkspaceScope,
  userId: string,
): Promise<Map<string, Date>> {
  const named = db
    .select({ reviewId: reviewPeople.reviewId })
    .from(reviewPeople)
    .where(and(inWorkspace(reviewPeople, scope), eq(reviewPeople.userId, userId)));
  const rounds = await Promise.all([
    db
      .select({ channelId: beforeActionReviews.channelId, at: max(beforeActionReviews.createdAt) })
      .from(beforeActionReviews)
      .where(
        and(
          inWorkspace(beforeActionReviews, scope),
          or(eq(beforeActionReviews.authorId, userId), inArray(beforeActionReviews.id, named)),
        ),
      )
      .groupBy(beforeActionReviews.channelId),
    db
      .select({ channelId: afterActionReviews.channelId, at: max(afterActionReviews.createdAt) })
      .from(afterActionReviews)
      .where(and(inWorkspace(afterActionReviews, scope), eq(afterActionReviews.authorId, userId)))
      .groupBy(afterActionReviews.channelId),
    db
      .select({ channelId: perspectives.channelId, at: max(perspectives.createdAt) })
      .from(perspectives)
      .where(and(inWorkspace(perspectives, scope), eq(perspectives.userId, userId)))
      .groupBy(perspectives.channelId),
    db
      .select({ channelId: responses.channelId, at: max(responses.createdAt) })
      .from(responses)
      .where(and(inWorkspace(responses, scope), eq(responses.userId, userId)))
      .groupBy(responses.channelId),
  ]);
  const latest = new Map<string, Date>();
  for (const row of rounds.flat()) {
    if (!row.at) continue;
    const at = new Date(row.at);
    const known = latest.get(row.channelId);
    if (!known || at > known) latest.set(row.channelId, at);
  }
  return latest;
}
