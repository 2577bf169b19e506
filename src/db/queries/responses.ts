import { and, desc, eq, getTableColumns, isNull, lt, ne, sql } from 'drizzle-orm';
import { startOfUtcHour } from '../../domain/coarse-time.js';
import type { TextFeatures } from '../../domain/digest/text.js';
import { isUuid } from '../../domain/ids.js';
import { FALLBACK_TIME_ZONE } from '../../domain/time.js';
import type { Database } from '../client.js';
import {
  channelSettings,
  type OccurrenceKind,
  occurrences,
  processedEvents,
  type Response,
  responses,
  type SkipReason,
  skips,
} from '../schema.js';
import { inWorkspace, joinWithin, storedEnterprise, type WorkspaceScope, workspaceOf } from './scope.js';

const threadSource = (messageTs: string) => `message:${messageTs}`;

/** The response a thread reply became, found by the message it came from. */
function threadReply(scope: WorkspaceScope, message: { channelId: string; messageTs: string }) {
  return and(
    inWorkspace(responses, scope),
    eq(responses.channelId, message.channelId),
    eq(responses.sourceKey, threadSource(message.messageTs)),
  );
}

/** Stores a thread reply once; a replayed message finds the first copy and returns undefined. */
export async function recordThreadReply(
  db: Database,
  scope: WorkspaceScope,
  reply: {
    occurrenceId: string;
    channelId: string;
    userId: string;
    text: string;
    messageTs: string;
    features: TextFeatures;
    now: Date;
  },
): Promise<Response | undefined> {
  const [stored] = await db
    .insert(responses)
    .values({
      ...workspaceOf(scope),
      channelId: reply.channelId,
      occurrenceId: reply.occurrenceId,
      userId: reply.userId,
      kind: 'thread',
      text: reply.text,
      terms: reply.features.terms,
      sentiment: reply.features.sentiment,
      sourceKey: threadSource(reply.messageTs),
      createdAt: reply.now,
      updatedAt: reply.now,
    })
    .onConflictDoNothing()
    .returning();
  return stored;
}

export async function updateThreadReply(
  db: Database,
  scope: WorkspaceScope,
  change: { channelId: string; messageTs: string; text: string; features: TextFeatures; now: Date },
): Promise<boolean> {
  const updated = await db
    .update(responses)
    .set({
      text: change.text,
      terms: change.features.terms,
      sentiment: change.features.sentiment,
      updatedAt: change.now,
    })
    .where(threadReply(scope, change))
    .returning({ id: responses.id });
  return updated.length > 0;
}

export async function deleteThreadReply(
  db: Database,
  scope: WorkspaceScope,
  removal: { channelId: string; messageTs: string },
): Promise<boolean> {
  const deleted = await db
    .delete(responses)
    .where(threadReply(scope, removal))
    .returning({ id: responses.id });
  return deleted.length > 0;
}

/**
 * A person's private answer to a prompt is one row, found again under this key whichever form it came
 * from: the unique source index is what keeps a second form, or two sent at once, from adding another.
 */
export const privateAnswerKey = (occurrenceId: string, userId: string) => `private:${occurrenceId}:${userId}`;

/** Written answers only: a pre-action check-in's confidence is stored as a private row without words. */
const isPrivateAnswer = and(eq(responses.kind, 'private'), isNull(responses.confidence));

/** What a modal answer's save did: a first answer, a changed one, or nothing new (the same form again). */
export type ModalResponseStored = { response: Response; created: boolean } | undefined;

/**
 * Stores an answer given in a modal. A private answer is one per person per prompt: answering again
 * rewrites it, and the same words sent again change nothing. Anonymous answers keep no user id, no source
 * and only the hour they arrived, so nothing stored can be matched back to a person, or to another of
 * their answers.
 */
export async function recordModalResponse(
  db: Database,
  scope: WorkspaceScope,
  answer:
    | {
        kind: 'private';
        occurrenceId: string;
        channelId: string;
        userId: string;
        text: string;
        /** The form it came from; the answer is found by its prompt and person, whatever the form. */
        viewId?: string;
        questionId: string | null;
        features: TextFeatures;
        quotable: boolean;
        now: Date;
      }
    | {
        kind: 'anonymous';
        occurrenceId: string;
        channelId: string;
        text: string;
        questionId: string | null;
        features: TextFeatures;
        now: Date;
      },
): Promise<ModalResponseStored> {
  const words = {
    text: answer.text,
    terms: answer.features.terms,
    sentiment: answer.features.sentiment,
    questionId: answer.questionId,
  };
  const row = {
    ...workspaceOf(scope),
    channelId: answer.channelId,
    occurrenceId: answer.occurrenceId,
    kind: answer.kind,
    ...words,
  };
  if (answer.kind === 'anonymous') {
    const createdAt = startOfUtcHour(answer.now);
    const [stored] = await db
      .insert(responses)
      .values({ ...row, userId: null, sourceKey: null, quotable: false, createdAt, updatedAt: createdAt })
      .onConflictDoNothing()
      .returning();
    return stored && { response: stored, created: true };
  }
  const [stored] = await db
    .insert(responses)
    .values({
      ...row,
      userId: answer.userId,
      sourceKey: privateAnswerKey(answer.occurrenceId, answer.userId),
      quotable: answer.quotable,
      createdAt: answer.now,
      updatedAt: answer.now,
    })
    .onConflictDoUpdate({
      target: [responses.teamId, responses.channelId, responses.sourceKey],
      set: { ...words, quotable: answer.quotable, updatedAt: answer.now },
      setWhere: sql`(${responses.text}, ${responses.questionId}, ${responses.quotable}) is distinct from (excluded.text, excluded.question_id, excluded.quotable)`,
    })
    // xmax is 0 only on a row this statement inserted, so an edit is told apart from a first answer.
    .returning({ ...getTableColumns(responses), created: sql<boolean>`(xmax = 0)` });
  if (!stored) return undefined;
  const { created, ...response } = stored;
  return { response, created };
}

/** The person's own private answer to a prompt, if they gave one. */
export async function findPrivateAnswer(
  db: Database,
  scope: WorkspaceScope,
  by: { occurrenceId: string; userId: string },
): Promise<Response | undefined> {
  const [found] = await db
    .select()
    .from(responses)
    .where(
      and(
        inWorkspace(responses, scope),
        isPrivateAnswer,
        eq(responses.occurrenceId, by.occurrenceId),
        eq(responses.userId, by.userId),
        eq(responses.sourceKey, privateAnswerKey(by.occurrenceId, by.userId)),
      ),
    );
  return found;
}

/** A private answer with what its author needs to recognise the prompt it answered. */
export interface PrivateAnswerListed {
  id: string;
  occurrenceId: string;
  channelId: string;
  userId: string | null;
  text: string;
  /** The prompt's message, whose thread is where its answers are talked about. */
  promptTs: string | null;
  prompt: { kind: OccurrenceKind; promptText: string | null; dueAt: Date; timeZone: string };
}

function privateAnswersWithPrompts(db: Database) {
  return db
    .select({
      id: responses.id,
      occurrenceId: responses.occurrenceId,
      channelId: responses.channelId,
      userId: responses.userId,
      text: responses.text,
      promptTs: occurrences.messageTs,
      kind: occurrences.kind,
      promptText: occurrences.promptText,
      dueAt: occurrences.dueAt,
      timeZone: channelSettings.timeZone,
    })
    .from(responses)
    .innerJoin(occurrences, joinWithin(occurrences, occurrences.id, responses, responses.occurrenceId))
    .leftJoin(
      channelSettings,
      joinWithin(channelSettings, channelSettings.channelId, responses, responses.channelId),
    )
    .$dynamic();
}

function listed(row: {
  id: string;
  occurrenceId: string;
  channelId: string;
  userId: string | null;
  text: string;
  promptTs: string | null;
  kind: OccurrenceKind;
  promptText: string | null;
  dueAt: Date;
  timeZone: string | null;
}): PrivateAnswerListed {
  const { kind, promptText, dueAt, timeZone, ...answer } = row;
  return { ...answer, prompt: { kind, promptText, dueAt, timeZone: timeZone ?? FALLBACK_TIME_ZONE } };
}

/** One private answer by its id, whoever wrote it: the caller decides what its author may do. */
export async function findPrivateAnswerById(
  db: Database,
  scope: WorkspaceScope,
  responseId: string,
): Promise<PrivateAnswerListed | undefined> {
  if (!isUuid(responseId)) return undefined;
  const [found] = await privateAnswersWithPrompts(db).where(
    and(inWorkspace(responses, scope), isPrivateAnswer, eq(responses.id, responseId)),
  );
  return found && listed(found);
}

/** A person's private answers, the newest first. */
export async function listPrivateAnswers(
  db: Database,
  scope: WorkspaceScope,
  by: { userId: string; limit: number },
): Promise<PrivateAnswerListed[]> {
  const rows = await privateAnswersWithPrompts(db)
    .where(and(inWorkspace(responses, scope), isPrivateAnswer, eq(responses.userId, by.userId)))
    .orderBy(desc(responses.createdAt), desc(responses.id))
    .limit(by.limit);
  return rows.map(listed);
}

/**
 * Deletes a private answer for its author, and only for them: the author is part of the condition, so an
 * answer of anyone else's is never touched. True when it was deleted now.
 */
export async function deletePrivateAnswer(
  db: Database,
  scope: WorkspaceScope,
  answer: { responseId: string; userId: string },
): Promise<boolean> {
  if (!isUuid(answer.responseId)) return false;
  const deleted = await db
    .delete(responses)
    .where(
      and(
        inWorkspace(responses, scope),
        isPrivateAnswer,
        eq(responses.id, answer.responseId),
        eq(responses.userId, answer.userId),
      ),
    )
    .returning({ id: responses.id });
  return deleted.length > 0;
}

/**
 * One skip per person per prompt; choosing another reason replaces the first. True when this changed
 * what is stored; false when the same skip arrived again (a retry, a double click).
 */
export async function recordSkip(
  db: Database,
  scope: WorkspaceScope,
  skip: { occurrenceId: string; channelId: string; userId: string; reason: SkipReason; now: Date },
): Promise<boolean> {
  const { now, ...row } = skip;
  const changed = await db
    .insert(skips)
    .values({ ...workspaceOf(scope), ...row, createdAt: now })
    .onConflictDoUpdate({
      target: [skips.occurrenceId, skips.userId],
      set: { reason: skip.reason },
      setWhere: sql`${skips.reason} is distinct from excluded.reason`,
    })
    .returning({ id: skips.id });
  return changed.length > 0;
}

/** True the first time an event id is seen; false for Slack's re-deliveries of it. */
export async function claimEvent(
  db: Database,
  scope: WorkspaceScope,
  event: { eventId: string; now: Date },
): Promise<boolean> {
  const inserted = await db
    .insert(processedEvents)
    .values({ ...workspaceOf(scope), eventId: event.eventId, receivedAt: event.now })
    .onConflictDoNothing()
    .returning();
  return inserted.length > 0;
}

/** Slack stops re-delivering an event within the hour; ids older than `before` are no longer needed. */
export async function forgetProcessedEvents(db: Database, before: Date): Promise<number> {
  const removed = await db
    .delete(processedEvents)
    .where(lt(processedEvents.receivedAt, before))
    .returning({ eventId: processedEvents.eventId });
  return removed.length;
}

/**
 * A pre-action check-in's confidence, one per person per check-in; choosing again replaces it. True
 * when this changed what is stored; false when the same choice arrived again.
 */
export async function recordConfidenceAnswer(
  db: Database,
  scope: WorkspaceScope,
  answer: { occurrenceId: string; channelId: string; userId: string; confidence: number; now: Date },
): Promise<boolean> {
  const changed = await db
    .insert(responses)
    .values({
      ...workspaceOf(scope),
      channelId: answer.channelId,
      occurrenceId: answer.occurrenceId,
      userId: answer.userId,
      kind: 'private',
      text: '',
      confidence: answer.confidence,
      sourceKey: `confidence:${answer.occurrenceId}:${answer.userId}`,
      createdAt: answer.now,
      updatedAt: answer.now,
    })
    .onConflictDoUpdate({
      target: [responses.teamId, responses.channelId, responses.sourceKey],
      set: { confidence: answer.confidence, updatedAt: answer.now },
      setWhere: sql`${responses.confidence} is distinct from excluded.confidence`,
    })
    .returning({ id: responses.id });
  return changed.length > 0;
}

/**
 * Holds, until the transaction ends, a lock on one person's doings in one channel, so two replicas
 * asking "is this their first?" at the same moment answer one after the other.
 */
export async function lockPersonInChannel(
  tx: Database,
  scope: WorkspaceScope,
  subject: { purpose: string; channelId: string; userId: string },
): Promise<void> {
  const name = [subject.purpose, scope.teamId, storedEnterprise(scope), subject.channelId, subject.userId];
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${name.join(':')}, 0))`);
}

/**
 * Whether a thread reply just stored is the first its author has saved in the channel: the replies
 * themselves are the memory, so it holds across restarts and replicas, and a person who asked to be
 * forgotten is not remembered here either. Run in the reply's transaction: the lock, per person and
 * channel and held until it commits, makes a second first reply saved at the same moment on another
 * replica wait and then see this one.
 */
export async function isFirstThreadReplyInChannel(
  tx: Database,
  scope: WorkspaceScope,
  reply: { responseId: string; channelId: string; userId: string },
): Promise<boolean> {
  await lockPersonInChannel(tx, scope, { purpose: 'first-thread-reply', ...reply });
  const earlier = await tx
    .select({ id: responses.id })
    .from(responses)
    .where(
      and(
        inWorkspace(responses, scope),
        eq(responses.channelId, reply.channelId),
        eq(responses.userId, reply.userId),
        eq(responses.kind, 'thread'),
        ne(responses.id, reply.responseId),
      ),
    )
    .limit(1);
  return earlier.length === 0;
}
