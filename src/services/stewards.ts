import type { WebClient } from '@slack/web-api';
import type { WorkspaceScope } from '../db/queries/scope.js';
import {
  type ChannelStewards,
  claimChannel,
  findChannelStewards,
  replaceStewards,
} from '../db/queries/stewards.js';
import type { StewardsDraft } from '../slack/forms/stewards.js';
import {
  buildNotAStewardNote,
  buildStewardsModal,
  buildStewardsSaved,
  everySteward,
  MAX_ADDED_STEWARDS,
  notAStewardError,
  type SettingsArea,
} from '../slack/views/stewards.js';
import type { ServiceDeps } from './deps.js';
import { isWorkspaceAdmin } from './people.js';
import { tellPrivately } from './tell.js';

export interface AccessSlack {
  users: Pick<WebClient['users'], 'info'>;
}

export interface StewardsSlack extends AccessSlack {
  views: Pick<WebClient['views'], 'open'>;
  chat: Pick<WebClient['chat'], 'postEphemeral' | 'postMessage'>;
}

/**
 * Whether someone may change a channel's settings, and why. `unclaimed`: nobody has set the channel up
 * yet, so whoever saves first becomes its steward.
 */
export type ChannelAccess =
  | { allowed: true; as: 'unclaimed' | 'steward' | 'admin'; stewards: ChannelStewards }
  | { allowed: false; stewards: ChannelStewards };

export async function channelAccess(
  deps: ServiceDeps,
  slack: AccessSlack,
  scope: WorkspaceScope,
  request: { channelId: string; userId: string },
): Promise<ChannelAccess> {
  const stewards = await findChannelStewards(deps.db, scope, request.channelId);
  // A request that names nobody can neither claim a channel nor be anyone's steward.
  if (!request.userId) return { allowed: false, stewards };
  const everyone = everySteward(stewards);
  if (everyone.length === 0) return { allowed: true, as: 'unclaimed', stewards };
  if (everyone.includes(request.userId)) return { allowed: true, as: 'steward', stewards };
  if (await isWorkspaceAdmin(slack, request.userId)) return { allowed: true, as: 'admin', stewards };
  return { allowed: false, stewards };
}

/** Tells someone privately who looks after the channel: where they are, or by direct message. */
async function tellWhoToAsk(
  deps: ServiceDeps,
  slack: Pick<StewardsSlack, 'chat'>,
  scope: WorkspaceScope,
  request: { channelId: string; userId: string },
  area: SettingsArea,
  stewards: ChannelStewards,
): Promise<void> {
  deps.log.info(
    { team: scope.teamId, channel: request.channelId, user: request.userId, area },
    'settings refused to a non-steward',
  );
  if (!request.userId) return;
  const note = buildNotAStewardNote({ channelId: request.channelId, area, stewards: everySteward(stewards) });
  await tellPrivately(slack, deps.log, {
    userId: request.userId,
    channelId: request.channelId,
    message: note,
  });
}

/**
 * The check before a channel's settings form opens. False when the person was refused, and has been
 * told privately whom to ask instead.
 */
export async function mayOpenChannelSettings(
  deps: ServiceDeps,
  slack: AccessSlack & Pick<StewardsSlack, 'chat'>,
  scope: WorkspaceScope,
  request: { channelId: string; userId: string },
  area: SettingsArea,
): Promise<boolean> {
  const access = await channelAccess(deps, slack, scope, request);
  if (access.allowed) return true;
  await tellWhoToAsk(deps, slack, scope, request, area, access.stewards);
  return false;
}

/**
 * The same check when a form comes back: the form may be stale (removed as a steward since) or forged.
 * The refusal is returned for the form to show, so nothing the person typed is lost.
 */
export async function checkSubmissionAccess(
  deps: ServiceDeps,
  slack: AccessSlack,
  scope: WorkspaceScope,
  request: { channelId: string; userId: string },
  area: SettingsArea,
): Promise<{ allowed: true; access: ChannelAccess & { allowed: true } } | { allowed: false; error: string }> {
  const access = await channelAccess(deps, slack, scope, request);
  if (access.allowed) return { allowed: true, access };
  deps.log.info(
    { team: scope.teamId, channel: request.channelId, user: request.userId, area },
    'settings submission refused to a non-steward',
  );
  return { allowed: false, error: notAStewardError(area) };
}

/** After the first save of questions or prompts in a channel nobody has set up, the saver looks after it. */
export async function claimIfUnclaimed(
  deps: ServiceDeps,
  scope: WorkspaceScope,
  access: ChannelAccess & { allowed: true },
  request: { channelId: string; userId: string },
): Promise<void> {
  if (access.as !== 'unclaimed') return;
  if (await claimChannel(deps.db, scope, request.channelId, request.userId, deps.clock())) {
    deps.log.info({ team: scope.teamId, channel: request.channelId }, 'channel steward recorded');
  }
}

export async function openStewardsModal(
  deps: ServiceDeps,
  slack: StewardsSlack,
  scope: WorkspaceScope,
  request: { triggerId: string; userId: string; channelId: string },
): Promise<void> {
  const access = await channelAccess(deps, slack, scope, request);
  if (!access.allowed) {
    await tellWhoToAsk(deps, slack, scope, request, 'stewards', access.stewards);
    return;
  }
  await slack.views.open({
    trigger_id: request.triggerId,
    view: buildStewardsModal({ channelId: request.channelId, ...access.stewards }),
  });
}

export type StewardsSubmission =
  | { outcome: 'invalid'; errors: Partial<Record<keyof StewardsDraft, string>> }
  | { outcome: 'saved'; view: ReturnType<typeof buildStewardsSaved> };

export async function saveStewards(
  deps: ServiceDeps,
  slack: AccessSlack,
  scope: WorkspaceScope,
  submission: { userId: string; channelId: string; draft: StewardsDraft },
): Promise<StewardsSubmission> {
  const check = await checkSubmissionAccess(deps, slack, scope, submission, 'stewards');
  if (!check.allowed) return { outcome: 'invalid', errors: { added: check.error } };
  // In a channel nobody has set up, saving this form is setting it up.
  const unclaimed = check.access.as === 'unclaimed';
  const founderId = check.access.stewards.founderId ?? (unclaimed ? submission.userId : null);
  const chosen = submission.draft.added.filter((id) => id !== founderId);
  if (chosen.length > MAX_ADDED_STEWARDS) {
    return {
      outcome: 'invalid',
      errors: { added: `Choose up to ${MAX_ADDED_STEWARDS} people.` },
    };
  }
  const founderRow = unclaimed ? [submission.userId] : [];
  const counts = await replaceStewards(deps.db, scope, submission.channelId, {
    keep: founderId,
    userIds: [...founderRow, ...chosen],
    addedBy: submission.userId,
    now: deps.clock(),
  });
  const stewards = await findChannelStewards(deps.db, scope, submission.channelId);
  deps.log.info(
    {
      team: scope.teamId,
      channel: submission.channelId,
      ...counts,
      stewards: everySteward(stewards).length,
    },
    'channel stewards changed',
  );
  return { outcome: 'saved', view: buildStewardsSaved({ channelId: submission.channelId, ...stewards }) };
}
