import {
  and,
  asc,
  desc,
  eq,
  inArray,
  isNotNull,
  lt,
  lte,
  ne,
  notInArray,
  or,
  type SQL,
  sql,
} from 'drizzle-orm';
import { isUuid } from '../../domain/ids.js';
import type { WithdrawnReason } from '../../domain/occurrence-outcome.js';
import type { Database } from '../client.js';
import {
  CHECK_IN_KINDS,
  type ChannelSettings,
  type CheckInKind,
  channelSettings,
  EFFECT_KINDS,
  type EffectKind,
  type EffectPayload,
  type Occurrence,
  occurrences,
  type Rhythm,
  rhythms,
  WORKFLOW_PROMPT_KINDS,
} from '../schema.js';
import { rhythmCalendar } from './rhythms.js';
import { inWorkspace, type WorkspaceScope, workspaceOf } from './scope.js';

/** How a rhythm's next instant is found; the scheduler passes the pure schedule function. */
export type NextInstant = (rhythm: Rhythm, settings: ChannelSettings, after: Date) => Date | null;

/** Bounds the catch-up after long downtime: the rest is recorded on the following ticks. */
const MAX_OCCURRENCES_PER_RHYTHM_PER_TICK = 50;

/**
 * Turns every rhythm whose next instant has passed into occurrence rows and moves the rhythm on. Rows
 * older than the grace window are recorded as missed, so a return from downtime is not a burst of stale
 * prompts. Rhythm rows are locked with SKIP LOCKED, so replicas share the work without waiting.
 */
export async function recordDueOccurrences(
  db: Database,
  now: Date,
  graceMs: number,
  nextInstant: NextInstant,
  limit: number,
): Promise<{ rhythms: number; pending: number; missed: number; unreadable: string[] }> {
  return db.transaction(async (tx) => {
    const due = await tx
      .select({ rhythm: rhythms, settings: channelSettings })
      .from(rhythms)
      .innerJoin(channelSettings, rhythmCalendar)
      .where(and(eq(rhythms.enabled, true), lte(rhythms.nextDueAt, now)))
      .orderBy(asc(rhythms.nextDueAt))
      .limit(limit)
      .for('update', { of: rhythms, skipLocked: true });

    let pending = 0;
    let missed = 0;
    const unreadable: string[] = [];
    for (const { rhythm, settings } of due) {
      let dueAt: Date | null = rhythm.nextDueAt;
      const rows: Array<typeof occurrences.$inferInsert> = [];
      for (let step = 0; dueAt && dueAt <= now && step < MAX_OCCURRENCES_PER_RHYTHM_PER_TICK; step += 1) {
        const stale = now.getTime() - dueAt.getTime() > graceMs;
        rows.push({
          teamId: rhythm.teamId,
          enterpriseId: rhythm.enterpriseId,
          channelId: rhythm.channelId,
          rhythmId: rhythm.id,
          kind: rhythm.kind,
          dueAt,
          status: stale ? 'missed' : 'pending',
          createdAt: now,
          updatedAt: now,
        });
        if (stale) missed += 1;
        else pending += 1;
        try {
          dueAt = nextInstant(rhythm, settings, dueAt);
        } catch {
          // A schedule that cannot be read (a zone no longer known) stops alone instead of stalling every tick.
          unreadable.push(rhythm.id);
          dueAt = null;
        }
      }
      if (rows.length > 0) await tx.insert(occurrences).values(rows).onConflictDoNothing();
      await tx.update(rhythms).set({ nextDueAt: dueAt, updatedAt: now }).where(eq(rhythms.id, rhythm.id));
    }
    return { rhythms: due.length, pending, missed, unreadable };
  });
}

/** Occurrences that waited past the grace window (every replica down, or Slack refusing for hours). */
export async function missStaleOccurrences(db: Database, now: Date, graceMs: number): Promise<number> {
  const cutoff = new Date(now.getTime() - graceMs);
  const missed = await db
    .update(occurrences)
    .set({ status: 'missed', error: null, leaseUntil: null, updatedAt: now })
    .where(
      and(
        lt(occurrences.dueAt, cutoff),
        // A summary is owed to someone who saved a review, and a workflow's question to a run waiting to
        // end: each is posted late rather than never.
        notInArray(occurrences.kind, [...EFFECT_KINDS, ...WORKFLOW_PROMPT_KINDS]),
        or(
          eq(occurrences.status, 'pending'),
          and(eq(occurrences.status, 'claimed'), lt(occurrences.leaseUntil, now)),
        ),
      ),
    )
    .returning({ id: occurrences.id });
  return missed.length;
}

/** Due, and either waiting or left by a process whose lease ran out (it died, or gave the claim back). */
function claimableAt(now: Date): SQL | undefined {
  return and(
    lte(occurrences.dueAt, now),
    or(
      eq(occurrences.status, 'pending'),
      and(eq(occurrences.status, 'claimed'), lt(occurrences.leaseUntil, now)),
    ),
  );
}

/** What every claim writes: a fresh fencing token, a lease on the app's clock, one more attempt. */
function claimedAt(now: Date, leaseMs: number) {
  return {
    status: 'claimed' as const,
    claimToken: sql`gen_random_uuid()`,
    leaseUntil: new Date(now.getTime() + leaseMs),
    attempts: sql`${occurrences.attempts} + 1`,
    updatedAt: now,
  };
}

/**
 * Claims due occurrences for this process: pending ones, and claimed ones whose lease ran out (their
 * process died). SKIP LOCKED lets replicas claim side by side; the lease hands abandoned work on.
 */
export async function claimDueOccurrences(
  db: Database,
  now: Date,
  leaseMs: number,
  limit: number,
): Promise<Occurrence[]> {
  const claimable = db
    .select({ id: occurrences.id })
    .from(occurrences)
    .where(claimableAt(now))
    .orderBy(asc(occurrences.dueAt))
    .limit(limit)
    .for('update', { skipLocked: true });
  return db
    .update(occurrences)
    .set(claimedAt(now, leaseMs))
    .where(inArray(occurrences.id, claimable))
    .returning();
}

/**
 * Claims one occurrence by id, as the tick would: the process that wrote it delivers it at once. Nothing
 * when it is not claimable (already posted, or another process holds it).
 */
export async function claimOccurrence(
  db: Database,
  occurrenceId: string,
  now: Date,
  leaseMs: number,
): Promise<Occurrence | undefined> {
  const claimable = db
    .select({ id: occurrences.id })
    .from(occurrences)
    .where(and(eq(occurrences.id, occurrenceId), claimableAt(now)))
    .for('update', { skipLocked: true });
  const [claimed] = await db
    .update(occurrences)
    .set(claimedAt(now, leaseMs))
    .where(inArray(occurrences.id, claimable))
    .returning();
  return claimed;
}

export async function setOccurrencePrompt(
  db: Database,
  claim: Claim,
  prompt: { key: string; text: string; now: Date },
): Promise<void> {
  await db
    .update(occurrences)
    .set({ promptKey: prompt.key, promptText: prompt.text, updatedAt: prompt.now })
    .where(heldBy(claim));
}

/** The claim a process holds: the occurrence and the token its claim was given. */
export interface Claim {
  id: string;
  claimToken: string | null;
}

function heldBy(claim: Claim) {
  return and(
    eq(occurrences.id, claim.id),
    eq(occurrences.status, 'claimed'),
    eq(occurrences.claimToken, claim.claimToken ?? ''),
  );
}

/**
 * Extends a claim before each try at posting. False means another process has taken the occurrence
 * over, and this one must not post it.
 */
export async function renewClaim(
  db: Database,
  claim: Claim,
  lease: { now: Date; leaseUntil: Date },
): Promise<boolean> {
  const renewed = await db
    .update(occurrences)
    .set({ leaseUntil: lease.leaseUntil, updatedAt: lease.now })
    .where(heldBy(claim))
    .returning({ id: occurrences.id });
  return renewed.length > 0;
}

/** Only the holder of the claim records the outcome; a process whose claim was taken over changes nothing. */
export async function markOccurrencePosted(
  db: Database,
  claim: Claim,
  posted: { messageTs: string | null; now: Date },
): Promise<boolean> {
  const updated = await db
    .update(occurrences)
    .set({
      status: 'posted',
      messageTs: posted.messageTs,
      postedAt: posted.now,
      leaseUntil: null,
      error: null,
      updatedAt: posted.now,
    })
    .where(heldBy(claim))
    .returning({ id: occurrences.id });
  return updated.length > 0;
}

/** `givenUp`: Slack's answer was worth retrying, but the attempts ran out; `error` is its last code. */
export async function markOccurrenceFailed(
  db: Database,
  claim: Claim,
  failure: { error: string; givenUp: boolean; now: Date },
): Promise<boolean> {
  const failed = await db
    .update(occurrences)
    .set({
      status: 'failed',
      error: failure.error,
      givenUp: failure.givenUp,
      leaseUntil: null,
      updatedAt: failure.now,
    })
    .where(heldBy(claim))
    .returning({ id: occurrences.id });
  return failed.length > 0;
}

/**
 * A check-in no longer wanted (its review was closed or deleted) is withdrawn, not failed. False when the
 * claim was no longer this process's, so nothing that follows from the withdrawal is written twice.
 */
export async function markOccurrenceCancelled(
  db: Database,
  claim: Claim,
  cancellation: { reason: WithdrawnReason; now: Date },
): Promise<boolean> {
  const cancelled = await db
    .update(occurrences)
    .set({
      status: 'cancelled',
      withdrawnReason: cancellation.reason,
      error: null,
      leaseUntil: null,
      updatedAt: cancellation.now,
    })
    .where(heldBy(claim))
    .returning({ id: occurrences.id });
  return cancelled.length > 0;
}

/**
 * Keeps the claim but shortens its lease to `retryAt`, so any replica may try again from then on
 * (and, since the outcome may be unknown, will look before posting).
 */
export async function deferOccurrence(
  db: Database,
  claim: Claim,
  deferral: { retryAt: Date; error: string; now: Date },
): Promise<void> {
  await db
    .update(occurrences)
    .set({ leaseUntil: deferral.retryAt, error: deferral.error, updatedAt: deferral.now })
    .where(heldBy(claim));
}

/**
 * Gives a claim back untried, to be claimed again at `until`: what it waits for (its review's summary)
 * is not there yet. The attempt is not counted, since nothing was sent.
 */
export async function postponeOccurrence(
  db: Database,
  claim: Claim,
  postponement: { until: Date; now: Date },
): Promise<void> {
  await db
    .update(occurrences)
    .set({
      status: 'pending',
      dueAt: postponement.until,
      leaseUntil: null,
      claimToken: null,
      attempts: sql`greatest(${occurrences.attempts} - 1, 0)`,
      error: null,
      updatedAt: postponement.now,
    })
    .where(heldBy(claim));
}

/** Which review a summary effect belongs to: a before-action review's or an after-action review's. */
export type SummaryOf = { kind: 'summary'; reviewId: string } | { kind: 'aar_summary'; aarId: string };

function summaryKey(summary: SummaryOf) {
  return summary.kind === 'summary'
    ? and(eq(occurrences.reviewId, summary.reviewId), eq(occurrences.kind, 'summary'))
    : and(eq(occurrences.afterActionReviewId, summary.aarId), eq(occurrences.kind, 'aar_summary'));
}

/**
 * Writes the effect that posts a review's summary, due at once; call it in the transaction that saves
 * the review. A replayed submission finds the effect written the first time.
 */
export async function recordSummaryEffect(
  db: Database,
  scope: WorkspaceScope,
  summary: SummaryOf & { channelId: string; now: Date },
): Promise<Occurrence> {
  const [inserted] = await db
    .insert(occurrences)
    .values({
      ...workspaceOf(scope),
      channelId: summary.channelId,
      kind: summary.kind,
      ...(summary.kind === 'summary'
        ? { reviewId: summary.reviewId }
        : { afterActionReviewId: summary.aarId }),
      dueAt: summary.now,
      status: 'pending',
      createdAt: summary.now,
      updatedAt: summary.now,
    })
    .onConflictDoNothing()
    .returning();
  if (inserted) return inserted;
  const existing = await findSummaryEffect(db, scope, summary);
  if (!existing) throw new Error('summary effect vanished between conflict and read');
  return existing;
}

export async function findSummaryEffect(
  db: Database,
  scope: WorkspaceScope,
  summary: SummaryOf,
): Promise<Occurrence | undefined> {
  const [row] = await db
    .select()
    .from(occurrences)
    .where(and(inWorkspace(occurrences, scope), summaryKey(summary)));
  return row;
}

/**
 * Puts a summary that failed for good back in the queue, due now, with its attempts counted afresh.
 * Nothing when it is posted, waiting or held by a process.
 */
export async function rearmSummaryEffect(
  db: Database,
  scope: WorkspaceScope,
  summary: SummaryOf & { now: Date },
): Promise<Occurrence | undefined> {
  const [row] = await db
    .update(occurrences)
    .set({
      status: 'pending',
      dueAt: summary.now,
      attempts: 0,
      error: null,
      withdrawnReason: null,
      givenUp: false,
      leaseUntil: null,
      claimToken: null,
      updatedAt: summary.now,
    })
    .where(
      and(
        inWorkspace(occurrences, scope),
        summaryKey(summary),
        inArray(occurrences.status, ['failed', 'missed', 'cancelled']),
      ),
    )
    .returning();
  return row;
}

/** Prompt keys already posted in a channel, oldest first, for rotation. */
export async function usedPromptKeys(
  db: Database,
  scope: WorkspaceScope,
  channelId: string,
): Promise<string[]> {
  const rows = await db
    .select({ key: occurrences.promptKey })
    .from(occurrences)
    .where(
      and(
        inWorkspace(occurrences, scope),
        eq(occurrences.channelId, channelId),
        isNotNull(occurrences.promptKey),
      ),
    )
    .orderBy(asc(occurrences.dueAt), asc(occurrences.createdAt));
  return rows.map((row) => row.key as string);
}

export async function findOccurrenceByMessage(
  db: Database,
  scope: WorkspaceScope,
  channelId: string,
  messageTs: string,
): Promise<Occurrence | undefined> {
  const [row] = await db
    .select()
    .from(occurrences)
    .where(
      and(
        inWorkspace(occurrences, scope),
        eq(occurrences.channelId, channelId),
        eq(occurrences.messageTs, messageTs),
        // A reply under a review's summary answers its check-in, not the summary.
        notInArray(occurrences.kind, [...EFFECT_KINDS]),
      ),
    );
  return row;
}

export async function findOccurrence(
  db: Database,
  scope: WorkspaceScope,
  occurrenceId: string,
): Promise<Occurrence | undefined> {
  if (!isUuid(occurrenceId)) return undefined;
  const [row] = await db
    .select()
    .from(occurrences)
    .where(and(inWorkspace(occurrences, scope), eq(occurrences.id, occurrenceId)));
  return row;
}

/**
 * Schedules (or moves) a review's check-ins. One row per (review, kind): a check-in already posted or
 * cancelled keeps its state, and a pending one moves to its new time.
 */
export async function scheduleCheckIns(
  db: Database,
  scope: WorkspaceScope,
  review: { id: string; channelId: string },
  times: Array<{ kind: CheckInKind; dueAt: Date; withdrawn?: WithdrawnReason }>,
  now: Date,
): Promise<void> {
  for (const time of times) {
    // A check-in written as withdrawn keeps why, so what people see can say it will not come.
    const status = time.withdrawn ? ('cancelled' as const) : ('pending' as const);
    const withdrawnReason = time.withdrawn ?? null;
    await db
      .insert(occurrences)
      .values({
        ...workspaceOf(scope),
        channelId: review.channelId,
        reviewId: review.id,
        kind: time.kind,
        dueAt: time.dueAt,
        status,
        withdrawnReason,
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoUpdate({
        target: [occurrences.reviewId, occurrences.kind],
        // A withdrawn check-in comes back when its review is open again (its after-action review was
        // deleted, or a pre-action check-in was asked for again); one already posted stays as it was.
        set: { dueAt: time.dueAt, status, error: null, withdrawnReason, updatedAt: now },
        setWhere: inArray(occurrences.status, ['pending', 'cancelled']),
      });
  }
}

/** Withdraws a review's check-ins that have not been posted (its pre-action check-in was turned off). */
export async function cancelCheckIn(
  db: Database,
  scope: WorkspaceScope,
  reviewId: string,
  kind: CheckInKind,
  now: Date,
) {
  await db
    .update(occurrences)
    .set({ status: 'cancelled', withdrawnReason: 'check_in_turned_off', updatedAt: now })
    .where(
      and(
        inWorkspace(occurrences, scope),
        eq(occurrences.reviewId, reviewId),
        eq(occurrences.kind, kind),
        eq(occurrences.status, 'pending'),
      ),
    );
}

/** A review's check-ins, whatever became of them. */
export async function listReviewCheckIns(
  db: Database,
  scope: WorkspaceScope,
  reviewId: string,
): Promise<Occurrence[]> {
  return db
    .select()
    .from(occurrences)
    .where(
      and(
        inWorkspace(occurrences, scope),
        eq(occurrences.reviewId, reviewId),
        inArray(occurrences.kind, [...CHECK_IN_KINDS]),
      ),
    );
}

/** The newest check-in posted in a review's thread: where a reply in that thread belongs. */
export async function latestPostedCheckIn(
  db: Database,
  scope: WorkspaceScope,
  reviewId: string,
): Promise<Occurrence | undefined> {
  const [row] = await db
    .select()
    .from(occurrences)
    .where(
      and(
        inWorkspace(occurrences, scope),
        eq(occurrences.reviewId, reviewId),
        eq(occurrences.status, 'posted'),
        notInArray(occurrences.kind, [...EFFECT_KINDS]),
      ),
    )
    .orderBy(desc(occurrences.postedAt))
    .limit(1);
  return row;
}

/** An effect of a state change, other than a review's summary (which has its own key, see recordSummaryEffect). */
export interface EffectToRecord {
  kind: Exclude<EffectKind, 'summary' | 'aar_summary'>;
  channelId: string;
  /** Unique in the workspace, derived from the change: writing it again (a replay) adds nothing. */
  key: string;
  perspectiveId?: string;
  digestId?: string;
  payload?: EffectPayload;
  now: Date;
}

/**
 * Writes an effect due at once; call it in the transaction of the change it follows. Returns the id
 * to deliver now, or undefined when the same change already wrote it.
 */
export async function recordEffect(
  db: Database,
  scope: WorkspaceScope,
  effect: EffectToRecord,
): Promise<string | undefined> {
  const [inserted] = await db
    .insert(occurrences)
    .values({
      ...workspaceOf(scope),
      channelId: effect.channelId,
      kind: effect.kind,
      effectKey: effect.key,
      perspectiveId: effect.perspectiveId ?? null,
      digestId: effect.digestId ?? null,
      payload: effect.payload ?? null,
      dueAt: effect.now,
      status: 'pending',
      createdAt: effect.now,
      updatedAt: effect.now,
    })
    .onConflictDoNothing({ target: [occurrences.teamId, occurrences.effectKey] })
    .returning({ id: occurrences.id });
  return inserted?.id;
}

/** Whether a perspective's earlier effect, the one that posts its message, is still to be delivered. */
export async function perspectiveEffectOnItsWay(
  db: Database,
  scope: WorkspaceScope,
  effect: { perspectiveId: string; exceptId: string; writtenAt: Date },
): Promise<boolean> {
  const rows = await db
    .select({ id: occurrences.id })
    .from(occurrences)
    .where(
      and(
        inWorkspace(occurrences, scope),
        eq(occurrences.perspectiveId, effect.perspectiveId),
        inArray(occurrences.status, ['pending', 'claimed']),
        ne(occurrences.id, effect.exceptId),
        lte(occurrences.createdAt, effect.writtenAt),
      ),
    )
    .limit(1);
  return rows.length > 0;
}
