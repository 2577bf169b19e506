import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { isUuid } from '../../domain/ids.js';
import type { Database } from '../client.js';
import { type LearningQuestion, learningQuestions } from '../schema.js';
import { inWorkspace, type WorkspaceScope, workspaceOf } from './scope.js';

const activeIn = (scope: WorkspaceScope, channelId: string) =>
  and(
    inWorkspace(learningQuestions, scope),
    eq(learningQuestions.channelId, channelId),
    isNull(learningQuestions.retiredAt),
  );

/** A channel's learning questions in use, oldest first. */
export async function listActiveQuestions(
  db: Database,
  scope: WorkspaceScope,
  channelId: string,
): Promise<LearningQuestion[]> {
  return db
    .select()
    .from(learningQuestions)
    .where(activeIn(scope, channelId))
    .orderBy(asc(learningQuestions.createdAt), asc(learningQuestions.id));
}

/** One question, retired or not, as long as it belongs to this workspace. */
export async function findQuestion(
  db: Database,
  scope: WorkspaceScope,
  id: string,
): Promise<LearningQuestion | undefined> {
  if (!isUuid(id)) return undefined;
  const [row] = await db
    .select()
    .from(learningQuestions)
    .where(and(inWorkspace(learningQuestions, scope), eq(learningQuestions.id, id)));
  return row;
}

export interface QuestionChanges {
  reword: Array<{ id: string; text: string }>;
  retire: string[];
  add: string[];
  userId: string;
  now: Date;
}

/**
 * Applies one save of a channel's questions at once. Only the channel's active questions can be
 * reworded or retired; other ids match nothing. Retiring keeps the row, so what was tagged with a
 * question still says which question it was.
 */
export async function changeQuestions(
  db: Database,
  scope: WorkspaceScope,
  channelId: string,
  change: QuestionChanges,
): Promise<{ reworded: number; retired: number; added: number }> {
  return db.transaction(async (tx) => {
    let reworded = 0;
    for (const { id, text } of change.reword.filter((item) => isUuid(item.id))) {
      const rows = await tx
        .update(learningQuestions)
        .set({ text, updatedAt: change.now })
        .where(and(activeIn(scope, channelId), eq(learningQuestions.id, id)))
        .returning({ id: learningQuestions.id });
      reworded += rows.length;
    }
    const retire = change.retire.filter(isUuid);
    const retired =
      retire.length === 0
        ? []
        : await tx
            .update(learningQuestions)
            .set({ retiredAt: change.now, updatedAt: change.now })
            .where(and(activeIn(scope, channelId), inArray(learningQuestions.id, retire)))
            .returning({ id: learningQuestions.id });
    if (change.add.length > 0) {
      await tx.insert(learningQuestions).values(
        change.add.map((text, index) => {
          // Rows written together share one instant; a microsecond apart, they list in the order they were typed.
          const at = sql`${change.now.toISOString()}::timestamptz + (${index}::int * interval '1 microsecond')`;
          return {
            ...workspaceOf(scope),
            channelId,
            text,
            createdBy: change.userId,
            createdAt: at,
            updatedAt: at,
          };
        }),
      );
    }
    return { reworded, retired: retired.length, added: change.add.length };
  });
}
