import type { Context } from '@slack/bolt';
import type { WorkspaceScope } from '../../db/queries/reviews.js';

/**
 * Where single-workspace authorisation leaves the workspace the bot token belongs to (Slack's auth.test
 * at start). Bolt fills `context.teamId` and `context.enterpriseId` from the payload whenever authorize
 * leaves them unset, and an organisation id is unset for a workspace outside Enterprise Grid; this
 * field is authorize's alone, so nothing a payload names can change the scope.
 */
const AUTHORISED_SCOPE = 'authorisedScope';

/** What single-workspace authorize adds to its result: the scope every request of this app belongs to. */
export function authorisedScope(workspace: WorkspaceScope): { [AUTHORISED_SCOPE]: WorkspaceScope } {
  return { [AUTHORISED_SCOPE]: { teamId: workspace.teamId, enterpriseId: workspace.enterpriseId ?? null } };
}

/** The scope authorize fixed for this request, in single-workspace mode. */
export function authorisedScopeOf(context: Context): WorkspaceScope | undefined {
  const scope = (context as { [AUTHORISED_SCOPE]?: WorkspaceScope })[AUTHORISED_SCOPE];
  return scope?.teamId ? scope : undefined;
}

/**
 * The workspace a request belongs to. In single-workspace mode it is the bot token's own workspace,
 * whatever the payload names. With many workspaces, `context.teamId` comes from the installation that
 * authorised the request; org-wide installs can leave it empty, in which case the acting user's own
 * team (within the authorised organisation) is the scope.
 */
export function scopeOf(context: Context, userTeamId?: string): WorkspaceScope | undefined {
  const authorised = authorisedScopeOf(context);
  if (authorised) return authorised;
  const teamId = context.teamId ?? userTeamId;
  if (!teamId) return undefined;
  return { teamId, enterpriseId: context.enterpriseId ?? null };
}

/** Said when a channel-level command is typed in a direct message or a group DM. */
export const IN_A_CHANNEL = 'Run this in the team channel you want to set up (not in a direct message).';
