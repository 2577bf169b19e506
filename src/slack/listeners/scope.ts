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

/** Said when a channel-level command is typed in a direct message or a group DM. */
export const IN_A_CHANNEL = 'Run this in the team channel you want to set up (not in a direct message).';
