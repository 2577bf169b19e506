import { recordDigestItemVote } from '../db/queries/digest-feedback.js';
import type { WorkspaceScope } from '../db/queries/scope.js';
import type { DigestItemVote } from '../db/schema.js';
import { parseFeedbackValue, voteThanks } from '../slack/views/digest-feedback.js';
import type { ServiceDeps } from './deps.js';

export type DigestVoteOutcome = { outcome: 'voted'; thanks: string } | { outcome: 'refused' };

/**
 * A "Useful" or "Not useful" click under an item of a digest's details. The digest must be one this
 * workspace posted: a value naming any other is refused without a word, as if the click never came.
 * Logs carry ids and the kind of change, never the item's words.
 */
export async function voteOnDigestItem(
  deps: ServiceDeps,
  scope: WorkspaceScope,
  click: { userId: string; value: string; vote: DigestItemVote },
): Promise<DigestVoteOutcome> {
  const named = parseFeedbackValue(click.value);
  const change = named
    ? await recordDigestItemVote(deps.db, {
        scope,
        digestId: named.digestId,
        itemKey: named.itemKey,
        userId: click.userId,
        vote: click.vote,
        now: deps.clock(),
      })
    : undefined;
  if (!named || !change) {
    deps.log.warn({ team: scope.teamId, user: click.userId }, 'digest vote refused');
    return { outcome: 'refused' };
  }
  deps.log.info({ team: scope.teamId, digest: named.digestId, change }, 'digest vote saved');
  return { outcome: 'voted', thanks: voteThanks(change, click.vote, named.itemKey) };
}
