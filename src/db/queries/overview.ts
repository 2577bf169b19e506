import { and, desc, eq, inArray, isNotNull } from 'drizzle-orm';
import type { Database } from '../client.js';
import { channelSettings, channelStewards, digests, rhythms } from '../schema.js';
import { inWorkspace, type WorkspaceScope } from './scope.js';

/** Channels of the workspace with at least one rhythm on. */
export async function channelsWithRhythm(db: Database, scope: WorkspaceScope): Promise<string[]> {
  const rows = await db
    .selectDistinct({ channelId: rhythms.channelId })
    .from(rhythms)
    .where(and(inWorkspace(rhythms, scope), eq(rhythms.enabled, true)))
    .orderBy(rhythms.channelId);
  return rows.map((row) => row.channelId);
}

/** Whether the person looks after any channel of the workspace. */
export async function isStewardOfAnyChannel(
  db: Database,
  scope: WorkspaceScope,
  userId: string,
): Promise<boolean> {
  if (!userId) return false;
  const [founded, added] = await Promise.all([
    db
      .select({ channelId: channelSettings.channelId })
      .from(channelSettings)
      .where(and(inWorkspace(channelSettings, scope), eq(channelSettings.stewardId, userId)))
      .limit(1),
    db
      .select({ channelId: channelStewards.channelId })
      .from(channelStewards)
      .where(and(inWorkspace(channelStewards, scope), eq(channelStewards.userId, userId)))
      .limit(1),
  ]);
  return founded.length + added.length > 0;
}

export interface PostedDigest {
  windowStart: Date;
  windowEnd: Date;
  messageTs: string;
  /** Posted by someone who asked for it, rather than on the schedule. */
  byHand: boolean;
}

/** Each channel's latest posted digest: its week and the message it was posted as. */
export async function latestPostedDigests(
  db: Database,
  scope: WorkspaceScope,
  channelIds: readonly string[],
): Promise<Map<string, PostedDigest>> {
  if (channelIds.length === 0) return new Map();
  const rows = await db
    .selectDistinctOn([digests.channelId], {
      channelId: digests.channelId,
      windowStart: digests.windowStart,
      windowEnd: digests.windowEnd,
      messageTs: digests.messageTs,
      requestedBy: digests.requestedBy,
    })
    .from(digests)
    .where(
      and(
        inWorkspace(digests, scope),
        inArray(digests.channelId, [...channelIds]),
        eq(digests.status, 'posted'),
        isNotNull(digests.messageTs),
      ),
    )
    .orderBy(digests.channelId, desc(digests.windowEnd), desc(digests.createdAt));
  return new Map(
    rows.map((row) => [
      row.channelId,
      {
        windowStart: row.windowStart,
        windowEnd: row.windowEnd,
        messageTs: row.messageTs as string,
        byHand: row.requestedBy !== null,
      },
    ]),
  );
}
