import type { Context } from '@slack/bolt';
import type { WorkspaceScope } from '../../db/queries/reviews.js';

/**
 * The workspace a request belongs to. Bolt fills `context.teamId` from the payload; org-wide installs can
 * leave it empty, in which case the acting user's own team is the scope.
 */
export function scopeOf(context: Context, userTeamId?: string): WorkspaceScope | undefined {
  const teamId = context.teamId ?? userTeamId;
  if (!teamId) return undefined;
  return { teamId, enterpriseId: context.enterpriseId ?? null };
}
