import { and, desc, eq, inArray, ne, sql } from 'drizzle-orm';
import type { PastLesson } from '../../domain/digest/lessons.js';
import type { Database } from '../client.js';
import { afterActionReviews, beforeActionReviews, lessonSharing } from '../schema.js';
import { reviewLookedBackOn } from './after-action.js';
import { inWorkspace, type WorkspaceScope, workspaceOf } from './scope.js';

export type LessonSharing = typeof lessonSharing.$inferSelect;

/** A lesson with the channel whose after-action review taught it. */
export interface ChannelLesson extends PastLesson {
  channelId: string;
}

export async function findLessonSharing(
  db: Database,
  scope: WorkspaceScope,
  channelId: string,
): Promise<LessonSharing | undefined> {
  const [row] = await db
    .select()
    .from(lessonSharing)
    .where(and(inWorkspace(lessonSharing, scope), eq(lessonSharing.channelId, channelId)));
  return row;
}

/** Shares a channel's lessons; sharing again keeps who shared them first and when. True when newly shared. */
export async function shareLessons(
  db: Database,
  scope: WorkspaceScope,
  share: { channelId: string; userId: string; now: Date },
): Promise<boolean> {
  const rows = await db
    .insert(lessonSharing)
    .values({
      ...workspaceOf(scope),
      channelId: share.channelId,
      sharedBy: share.userId,
      sharedAt: share.now,
    })
    .onConflictDoNothing()
    .returning({ channelId: lessonSharing.channelId });
  return rows.length > 0;
}

/** Keeps a channel's lessons to itself again. True when they had been shared. */
export async function keepLessonsPrivate(
  db: Database,
  scope: WorkspaceScope,
  channelId: string,
): Promise<boolean> {
  const rows = await db
    .delete(lessonSharing)
    .where(and(inWorkspace(lessonSharing, scope), eq(lessonSharing.channelId, channelId)))
    .returning({ channelId: lessonSharing.channelId });
  return rows.length > 0;
}

/**
 * Channels of the workspace that share their lessons and have an after-action review to share, the
 * most recently reviewed first: at most `limit`, never `except`.
 */
export async function channelsSharingLessons(
  db: Database,
  scope: WorkspaceScope,
  request: { except: string; limit: number },
): Promise<string[]> {
  const latest = sql<Date>`max(${afterActionReviews.createdAt})`;
  const rows = await db
    .select({ channelId: afterActionReviews.channelId, latest })
    .from(afterActionReviews)
    .innerJoin(
      lessonSharing,
      and(
        eq(lessonSharing.channelId, afterActionReviews.channelId),
        eq(lessonSharing.teamId, afterActionReviews.teamId),
        eq(lessonSharing.enterpriseId, afterActionReviews.enterpriseId),
      ),
    )
    .where(and(inWorkspace(afterActionReviews, scope), ne(afterActionReviews.channelId, request.except)))
    .groupBy(afterActionReviews.channelId)
    .orderBy(desc(latest), afterActionReviews.channelId)
    .limit(request.limit);
  return rows.map((row) => row.channelId);
}

/**
 * The latest after-action reviews of these channels as lessons. Only what the review's author wrote and
 * the action of the review it looked back on: perspectives, which may be anonymous, are never read.
 */
export async function lessonsOfChannels(
  db: Database,
  scope: WorkspaceScope,
  request: { channelIds: readonly string[]; limit: number },
): Promise<ChannelLesson[]> {
  if (request.channelIds.length === 0) return [];
  const rows = await db
    .select({ after: afterActionReviews, action: beforeActionReviews.action })
    .from(afterActionReviews)
    .leftJoin(beforeActionReviews, reviewLookedBackOn)
    .where(
      and(
        inWorkspace(afterActionReviews, scope),
        inArray(afterActionReviews.channelId, [...request.channelIds]),
      ),
    )
    .orderBy(desc(afterActionReviews.createdAt), afterActionReviews.id)
    .limit(request.limit);
  return rows.map(({ after, action }) => ({
    id: after.id,
    channelId: after.channelId,
    action: action ?? after.intended,
    sustain: after.sustain,
    change: after.change,
    whyDifferent: after.whyDifferent,
    revisedHypothesis: after.revisedHypothesis,
    createdAt: after.createdAt,
  }));
}
