import { and, eq, lt, sql } from 'drizzle-orm';
import { startOfUtcHour } from '../../domain/coarse-time.js';
import type { TextFeatures } from '../../domain/digest/text.js';
import type { Database } from '../client.js';
import { processedEvents, type Response, responses, type SkipReason, skips } from '../schema.js';
import { inWorkspace, type WorkspaceScope, workspaceOf } from './scope.js';

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
 * Stores an answer given in a modal. Anonymous answers keep no user id, no source and only the hour they
 * arrived, so nothing stored can be matched back to a person.
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
        viewId: string;
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
): Promise<Response | undefined> {
  const identity =
    answer.kind === 'private'
      ? {
          userId: answer.userId,
          sourceKey: `view:${answer.viewId}`,
          createdAt: answer.now,
          quotable: answer.quotable,
        }
      : { userId: null, sourceKey: null, createdAt: startOfUtcHour(answer.now), quotable: false };
  const [stored] = await db
    .insert(responses)
    .values({
      ...workspaceOf(scope),
      channelId: answer.channelId,
      occurrenceId: answer.occurrenceId,
      kind: answer.kind,
      text: answer.text,
      terms: answer.features.terms,
      sentiment: answer.features.sentiment,
      questionId: answer.questionId,
      ...identity,
      updatedAt: identity.createdAt,
    })
    .onConflictDoNothing()
    .returning();
  return stored;
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
