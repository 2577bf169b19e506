import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { Database } from '../client.js';
import { type DigestItemVote, digestItemVotes, digests } from '../schema.js';
import { inWorkspace, type WorkspaceScope, workspaceOf } from './scope.js';

/** How one item of a digest was received: counts only, never who. */
export interface DigestItemTally {
  itemKey: string;
  useful: number;
  notUseful: number;
}

export interface DigestTallies {
  digestId: string;
  items: DigestItemTally[];
}

/** What a click did to the person's vote on an item. */
export type VoteChange = 'recorded' | 'changed' | 'unchanged';

/**
 * One vote per person per item: the first click records it, the other button changes it, and the same
 * button again leaves it as it was. The digest must belong to the scope; the vote takes its channel.
 * Undefined when the scope holds no such digest.
 */
export async function recordDigestItemVote(
  db: Database,
  params: {
    scope: WorkspaceScope;
    digestId: string;
    itemKey: string;
    userId: string;
    vote: DigestItemVote;
    now: Date;
  },
): Promise<VoteChange | undefined> {
  const { scope, digestId, itemKey, userId, vote, now } = params;
  return db.transaction(async (tx) => {
    // Locked so a channel's data cannot be deleted between finding its digest and voting on it.
    const [digest] = await tx
      .select({ id: digests.id, channelId: digests.channelId })
      .from(digests)
      .where(and(inWorkspace(digests, scope), eq(digests.id, digestId)))
      .for('share');
    if (!digest) return undefined;
    const [before] = await tx
      .select({ vote: digestItemVotes.vote })
      .from(digestItemVotes)
      .where(
        and(
          inWorkspace(digestItemVotes, scope),
          eq(digestItemVotes.digestId, digest.id),
          eq(digestItemVotes.itemKey, itemKey),
          eq(digestItemVotes.userId, userId),
        ),
      );
    if (before?.vote === vote) return 'unchanged';
    // Two clicks at once from the same person meet at the unique key: the later one wins.
    await tx
      .insert(digestItemVotes)
      .values({
        ...workspaceOf(scope),
        channelId: digest.channelId,
        digestId: digest.id,
        itemKey,
        userId,
        vote,
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoUpdate({
        target: [
          digestItemVotes.teamId,
          digestItemVotes.digestId,
          digestItemVotes.itemKey,
          digestItemVotes.userId,
        ],
        set: { vote, updatedAt: now },
      });
    return before ? 'changed' : 'recorded';
  });
}

function tallyColumns() {
  return {
    itemKey: digestItemVotes.itemKey,
    useful: sql<number>`count(*) filter (where ${digestItemVotes.vote} = 'useful')::int`,
    notUseful: sql<number>`count(*) filter (where ${digestItemVotes.vote} = 'not_useful')::int`,
  };
}

/**
 * The channel's most recent posted digest and how its items were received, or undefined before the
 * first digest.
 */
export async function lastDigestTallies(
  db: Database,
  params: { scope: WorkspaceScope; channelId: string },
): Promise<DigestTallies | undefined> {
  const { scope, channelId } = params;
  const [last] = await db
    .select({ id: digests.id })
    .from(digests)
    .where(and(inWorkspace(digests, scope), eq(digests.channelId, channelId), eq(digests.status, 'posted')))
    .orderBy(desc(digests.windowEnd), desc(digests.edition))
    .limit(1);
  if (!last) return undefined;
  const items = await db
    .select(tallyColumns())
    .from(digestItemVotes)
    .where(and(inWorkspace(digestItemVotes, scope), eq(digestItemVotes.digestId, last.id)))
    .groupBy(digestItemVotes.itemKey)
    .orderBy(asc(digestItemVotes.itemKey));
  return { digestId: last.id, items };
}

/** How the items of every digest in a channel were received, for an export: counts only. */
export async function channelDigestTallies(
  db: Database,
  params: { scope: WorkspaceScope; channelId: string },
): Promise<DigestTallies[]> {
  const { scope, channelId } = params;
  const rows = await db
    .select({ digestId: digestItemVotes.digestId, ...tallyColumns() })
    .from(digestItemVotes)
    .where(and(inWorkspace(digestItemVotes, scope), eq(digestItemVotes.channelId, channelId)))
    .groupBy(digestItemVotes.digestId, digestItemVotes.itemKey)
    .orderBy(asc(digestItemVotes.digestId), asc(digestItemVotes.itemKey));
  const byDigest = new Map<string, DigestItemTally[]>();
  for (const { digestId, ...tally } of rows)
    byDigest.set(digestId, [...(byDigest.get(digestId) ?? []), tally]);
  return [...byDigest].map(([digestId, items]) => ({ digestId, items }));
}

function theirVotes(scope: WorkspaceScope, userId: string) {
  return and(inWorkspace(digestItemVotes, scope), eq(digestItemVotes.userId, userId));
}

export async function countDigestItemVotesBy(
  db: Database,
  params: { scope: WorkspaceScope; userId: string },
): Promise<number> {
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(digestItemVotes)
    .where(theirVotes(params.scope, params.userId));
  return row?.count ?? 0;
}

/** Deletes a person's votes in one workspace; returns how many went. */
export async function deleteDigestItemVotesBy(
  db: Database,
  params: { scope: WorkspaceScope; userId: string },
): Promise<number> {
  const gone = await db
    .delete(digestItemVotes)
    .where(theirVotes(params.scope, params.userId))
    .returning({ id: digestItemVotes.id });
  return gone.length;
}
