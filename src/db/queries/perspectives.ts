import { and, asc, eq } from 'drizzle-orm';
import { startOfUtcHour } from '../../domain/coarse-time.js';
import { isUuid } from '../../domain/ids.js';
import type { Database } from '../client.js';
import { type Perspective, type PerspectiveTarget, perspectives } from '../schema.js';
import { inWorkspace, type WorkspaceScope, workspaceOf } from './scope.js';

export interface PerspectiveOf {
  target: PerspectiveTarget;
  id: string;
}

function onReview(of: PerspectiveOf) {
  return of.target === 'before'
    ? eq(perspectives.beforeActionReviewId, of.id)
    : eq(perspectives.afterActionReviewId, of.id);
}

/** Stores a perspective; anonymous ones keep no user id and no source, so nothing leads back to a person. */
export async function createPerspective(
  db: Database,
  scope: WorkspaceScope,
  input: {
    of: PerspectiveOf;
    channelId: string;
    userId: string;
    anonymous: boolean;
    answers: Record<string, string>;
    viewId: string;
    now: Date;
  },
): Promise<Perspective | undefined> {
  // Like anonymous answers, an anonymous perspective keeps only the hour it arrived.
  const at = input.anonymous ? startOfUtcHour(input.now) : input.now;
  const [stored] = await db
    .insert(perspectives)
    .values({
      ...workspaceOf(scope),
      channelId: input.channelId,
      target: input.of.target,
      beforeActionReviewId: input.of.target === 'before' ? input.of.id : null,
      afterActionReviewId: input.of.target === 'after' ? input.of.id : null,
      userId: input.anonymous ? null : input.userId,
      answers: input.answers,
      sourceViewId: input.anonymous ? null : input.viewId,
      createdAt: at,
      updatedAt: at,
    })
    .onConflictDoNothing()
    .returning();
  return stored;
}

export async function listPerspectives(
  db: Database,
  scope: WorkspaceScope,
  of: PerspectiveOf,
): Promise<Perspective[]> {
  return db
    .select()
    .from(perspectives)
    .where(and(inWorkspace(perspectives, scope), onReview(of)))
    .orderBy(asc(perspectives.createdAt));
}

export async function findPerspective(
  db: Database,
  scope: WorkspaceScope,
  id: string,
): Promise<Perspective | undefined> {
  if (!isUuid(id)) return undefined;
  const [row] = await db
    .select()
    .from(perspectives)
    .where(and(inWorkspace(perspectives, scope), eq(perspectives.id, id)));
  return row;
}

export async function recordPerspectiveMessage(db: Database, scope: WorkspaceScope, id: string, ts: string) {
  await db
    .update(perspectives)
    .set({ messageTs: ts })
    .where(and(inWorkspace(perspectives, scope), eq(perspectives.id, id)));
}

export async function updatePerspective(
  db: Database,
  scope: WorkspaceScope,
  id: string,
  answers: Record<string, string>,
  now: Date,
): Promise<void> {
  await db
    .update(perspectives)
    .set({ answers, updatedAt: now })
    .where(and(inWorkspace(perspectives, scope), eq(perspectives.id, id)));
}

export async function deletePerspective(db: Database, scope: WorkspaceScope, id: string): Promise<void> {
  await db.delete(perspectives).where(and(inWorkspace(perspectives, scope), eq(perspectives.id, id)));
}
