import { and, eq, inArray, isNotNull, isNull } from 'drizzle-orm';
import { isUuid } from '../../domain/ids.js';
import { FALLBACK_TIME_ZONE } from '../../domain/time.js';
import type { Database } from '../client.js';
import {
  type ChannelSettings,
  channelSettings,
  channelWelcomes,
  customPrompts,
  type Rhythm,
  type RhythmKind,
  rhythms,
} from '../schema.js';
import { inWorkspace, joinWithin, type WorkspaceScope, workspaceOf } from './scope.js';

export interface ChannelCalendarInput {
  timeZone: string;
  workDays: number[];
  pauseUntil: string | null;
  skipDates: string[];
}

export interface RhythmInput {
  kind: RhythmKind;
  enabled: boolean;
  days: number[];
  localTime: string;
  nextDueAt: Date | null;
}

export async function findChannelSettings(
  db: Database,
  scope: WorkspaceScope,
  channelId: string,
): Promise<ChannelSettings | undefined> {
  const [row] = await db
    .select()
    .from(channelSettings)
    .where(and(inWorkspace(channelSettings, scope), eq(channelSettings.channelId, channelId)));
  return row;
}

/** The zone a channel's calendar keeps: its settings', or the fallback before anyone has set it up. */
export async function findChannelTimeZone(
  db: Database,
  scope: WorkspaceScope,
  channelId: string,
): Promise<string> {
  return (await findChannelSettings(db, scope, channelId))?.timeZone ?? FALLBACK_TIME_ZONE;
}

export async function listChannelRhythms(
  db: Database,
  scope: WorkspaceScope,
  channelId: string,
): Promise<Rhythm[]> {
  return db
    .select()
    .from(rhythms)
    .where(and(inWorkspace(rhythms, scope), eq(rhythms.channelId, channelId)));
}

/**
 * Saves a channel's calendar and all its rhythms at once. Saving also lifts a pause that a Slack error
 * caused: whoever saves has seen the channel is usable again. The steward is kept from the first save:
 * `stewardId` when the channel already had one from its questions or prompts, else whoever saves.
 */
export async function saveChannelRhythms(
  db: Database,
  scope: WorkspaceScope,
  channelId: string,
  change: {
    calendar: ChannelCalendarInput;
    rhythms: RhythmInput[];
    userId: string;
    stewardId?: string;
    now: Date;
  },
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx
      .insert(channelSettings)
      .values({
        ...workspaceOf(scope),
        channelId,
        ...change.calendar,
        stewardId: change.stewardId ?? change.userId,
        createdAt: change.now,
        updatedAt: change.now,
      })
      .onConflictDoUpdate({
        target: [channelSettings.teamId, channelSettings.channelId],
        set: { ...change.calendar, pausedReason: null, pausedAt: null, updatedAt: change.now },
      });
    for (const rhythm of change.rhythms) {
      await tx
        .insert(rhythms)
        .values({
          ...workspaceOf(scope),
          channelId,
          ...rhythm,
          updatedBy: change.userId,
          createdAt: change.now,
          updatedAt: change.now,
        })
        .onConflictDoUpdate({
          target: [rhythms.teamId, rhythms.channelId, rhythms.kind],
          set: {
            enabled: rhythm.enabled,
            days: rhythm.days,
            localTime: rhythm.localTime,
            nextDueAt: rhythm.nextDueAt,
            updatedBy: change.userId,
            updatedAt: change.now,
          },
        });
    }
  });
}

/**
 * Stops a channel's rhythms after Slack refused a post there. Returns the settings only the first
 * time, so the steward is told once rather than on every tick.
 */
export async function pauseChannelRhythms(
  db: Database,
  scope: WorkspaceScope,
  channelId: string,
  pause: { reason: string; now: Date },
): Promise<ChannelSettings | undefined> {
  return db.transaction(async (tx) => {
    await tx
      .update(rhythms)
      .set({ nextDueAt: null, updatedAt: pause.now })
      .where(and(inWorkspace(rhythms, scope), eq(rhythms.channelId, channelId)));
    const [paused] = await tx
      .update(channelSettings)
      .set({ pausedReason: pause.reason, pausedAt: pause.now, updatedAt: pause.now })
      .where(
        and(
          inWorkspace(channelSettings, scope),
          eq(channelSettings.channelId, channelId),
          isNull(channelSettings.pausedReason),
        ),
      )
      .returning();
    return paused;
  });
}

/** True only the first time a channel is welcomed. */
export async function recordWelcome(
  db: Database,
  scope: WorkspaceScope,
  channelId: string,
  now: Date,
): Promise<boolean> {
  const inserted = await db
    .insert(channelWelcomes)
    .values({ ...workspaceOf(scope), channelId, welcomedAt: now })
    .onConflictDoNothing()
    .returning();
  return inserted.length > 0;
}

/**
 * Records that the app was removed from a channel. A channel it was in without ever being welcomed (it
 * joined before welcomes existed) gets its row now, which also spares it a welcome when it comes back.
 */
export async function recordAppRemoved(
  db: Database,
  scope: WorkspaceScope,
  channelId: string,
  now: Date,
): Promise<void> {
  await db
    .insert(channelWelcomes)
    .values({ ...workspaceOf(scope), channelId, welcomedAt: now, appRemovedAt: now })
    .onConflictDoUpdate({
      target: [channelWelcomes.teamId, channelWelcomes.channelId],
      set: { appRemovedAt: now },
    });
}

/** The app is in the channel again (invited back, or joined where a person asked it to post). */
export async function recordAppPresent(
  db: Database,
  scope: WorkspaceScope,
  channelId: string,
): Promise<boolean> {
  const lifted = await db
    .update(channelWelcomes)
    .set({ appRemovedAt: null })
    .where(
      and(
        inWorkspace(channelWelcomes, scope),
        eq(channelWelcomes.channelId, channelId),
        isNotNull(channelWelcomes.appRemovedAt),
      ),
    )
    .returning({ channelId: channelWelcomes.channelId });
  return lifted.length > 0;
}

/** When the app was removed from a channel it has not been back in since; null while it is welcome there. */
export async function appRemovedAt(
  db: Database,
  scope: WorkspaceScope,
  channelId: string,
): Promise<Date | null> {
  const [row] = await db
    .select({ removedAt: channelWelcomes.appRemovedAt })
    .from(channelWelcomes)
    .where(and(inWorkspace(channelWelcomes, scope), eq(channelWelcomes.channelId, channelId)));
  return row?.removedAt ?? null;
}

/** Joins a rhythm to its channel's calendar. */
export const rhythmCalendar = joinWithin(
  channelSettings,
  channelSettings.channelId,
  rhythms,
  rhythms.channelId,
);

export interface UpcomingRhythm {
  rhythm: Rhythm;
  settings: ChannelSettings;
}

/** Rhythms with a next occurrence, optionally for some channels only (operators' view, all workspaces). */
export async function listScheduledRhythms(
  db: Database,
  channelIds?: readonly string[],
): Promise<UpcomingRhythm[]> {
  const rows = await db
    .select({ rhythm: rhythms, settings: channelSettings })
    .from(rhythms)
    .innerJoin(channelSettings, rhythmCalendar)
    .where(
      and(
        isNotNull(rhythms.nextDueAt),
        channelIds && channelIds.length > 0 ? inArray(rhythms.channelId, [...channelIds]) : undefined,
      ),
    )
    .orderBy(rhythms.nextDueAt);
  return rows;
}

export async function listCustomPrompts(db: Database, scope: WorkspaceScope, channelId: string) {
  return db
    .select()
    .from(customPrompts)
    .where(
      and(
        inWorkspace(customPrompts, scope),
        eq(customPrompts.channelId, channelId),
        isNull(customPrompts.retiredAt),
      ),
    )
    .orderBy(customPrompts.createdAt);
}

export async function changeCustomPrompts(
  db: Database,
  scope: WorkspaceScope,
  channelId: string,
  change: { add: string[]; retire: string[]; userId: string; now: Date },
): Promise<void> {
  await db.transaction(async (tx) => {
    if (change.add.length > 0) {
      await tx.insert(customPrompts).values(
        change.add.map((text) => ({
          ...workspaceOf(scope),
          channelId,
          text,
          createdBy: change.userId,
          createdAt: change.now,
        })),
      );
    }
    const retire = change.retire.filter(isUuid);
    if (retire.length > 0) {
      await tx
        .update(customPrompts)
        .set({ retiredAt: change.now })
        .where(
          and(
            inWorkspace(customPrompts, scope),
            eq(customPrompts.channelId, channelId),
            inArray(customPrompts.id, retire),
          ),
        );
    }
  });
}
