import { and, asc, eq, notInArray, sql } from 'drizzle-orm';
import type { Database } from '../client.js';
import { channelSettings, channelStewards } from '../schema.js';
import { inWorkspace, type WorkspaceScope, workspaceOf } from './scope.js';

/** Who looks after a channel, besides workspace admins and owners. */
export interface ChannelStewards {
  /** Whoever first set the channel up; null while nobody has. */
  founderId: string | null;
  /** People the stewards added, oldest first, never the founder. */
  added: string[];
}

const inChannel = (scope: WorkspaceScope, channelId: string) =>
  and(inWorkspace(channelStewards, scope), eq(channelStewards.channelId, channelId));

/**
 * A channel's stewards. Once rhythms are saved the founder is the settings' steward; before that it is
 * the person whose first save of questions, prompts or stewards recorded them, the one row they added
 * for themselves, which is why the earliest such row counts.
 */
export async function findChannelStewards(
  db: Database,
  scope: WorkspaceScope,
  channelId: string,
): Promise<ChannelStewards> {
  const [settings, rows] = await Promise.all([
    db
      .select({ stewardId: channelSettings.stewardId })
      .from(channelSettings)
      .where(and(inWorkspace(channelSettings, scope), eq(channelSettings.channelId, channelId))),
    db
      .select({ userId: channelStewards.userId, addedBy: channelStewards.addedBy })
      .from(channelStewards)
      .where(inChannel(scope, channelId))
      .orderBy(asc(channelStewards.createdAt), asc(channelStewards.userId)),
  ]);
  const founderId = settings[0]?.stewardId ?? rows.find((row) => row.userId === row.addedBy)?.userId ?? null;
  return { founderId, added: rows.map((row) => row.userId).filter((id) => id !== founderId) };
}

/**
 * Records `userId` as the channel's first steward, only while the channel has neither settings nor
 * stewards. One statement, so two first saves at once cannot both claim an empty channel by reading
 * it empty first. True when this call made them the steward.
 */
export async function claimChannel(
  db: Database,
  scope: WorkspaceScope,
  channelId: string,
  userId: string,
  now: Date,
): Promise<boolean> {
  const { teamId, enterpriseId } = workspaceOf(scope);
  const result = await db.execute(sql`
    insert into ${channelStewards} (team_id, enterprise_id, channel_id, user_id, added_by, created_at)
    select ${teamId}, ${enterpriseId}, ${channelId}, ${userId}, ${userId}, ${now.toISOString()}::timestamptz
    where not exists (
      select 1 from ${channelStewards}
      where team_id = ${teamId} and enterprise_id = ${enterpriseId} and channel_id = ${channelId}
    )
    and not exists (
      select 1 from ${channelSettings}
      where team_id = ${teamId} and enterprise_id = ${enterpriseId} and channel_id = ${channelId}
    )
    on conflict do nothing
    returning user_id`);
  return ((result as { rows?: unknown[] }).rows?.length ?? 0) > 0;
}

/**
 * Makes the channel's steward rows exactly `keep` plus `userIds`. People already listed keep the row
 * (and who added them); `keep`, the founder, is never removed.
 */
export async function replaceStewards(
  db: Database,
  scope: WorkspaceScope,
  channelId: string,
  change: { keep: string | null; userIds: readonly string[]; addedBy: string; now: Date },
): Promise<{ added: number; removed: number }> {
  const staying = [...new Set([...(change.keep ? [change.keep] : []), ...change.userIds])];
  return db.transaction(async (tx) => {
    const removed = await tx
      .delete(channelStewards)
      .where(
        and(
          inChannel(scope, channelId),
          staying.length > 0 ? notInArray(channelStewards.userId, staying) : undefined,
        ),
      )
      .returning({ userId: channelStewards.userId });
    const added =
      change.userIds.length === 0
        ? []
        : await tx
            .insert(channelStewards)
            .values(
              [...new Set(change.userIds)].map((userId) => ({
                ...workspaceOf(scope),
                channelId,
                userId,
                addedBy: change.addedBy,
                createdAt: change.now,
              })),
            )
            .onConflictDoNothing()
            .returning({ userId: channelStewards.userId });
    return { added: added.length, removed: removed.length };
  });
}
