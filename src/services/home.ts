import type { WebClient } from '@slack/web-api';
import { latestActivityByChannel, openLoopsOf } from '../db/queries/home.js';
import { knownChannels } from '../db/queries/portrait.js';
import { listPrivateAnswers } from '../db/queries/responses.js';
import type { WorkspaceScope } from '../db/queries/scope.js';
import { previousQuarter, quarterContaining } from '../domain/quarters.js';
import { calendarDateIn } from '../domain/time.js';
import { describeError } from '../logger.js';
import { buildHome, MAX_HOME_PRIVATE_ANSWERS, MAX_HOME_REVIEWS } from '../slack/views/home.js';
import { type HomePortrait, type PortraitChannel, portraitLinks } from '../slack/views/portrait.js';
import type { ServiceDeps } from './deps.js';
import { channelMembers } from './people.js';
import { loadPermalinks, loadPortraits } from './portrait.js';

/** The Web API methods the Home tab needs. */
export interface HomeSlack {
  views: Pick<WebClient['views'], 'publish'>;
  conversations: Pick<WebClient['conversations'], 'members' | 'info'>;
  chat: Pick<WebClient['chat'], 'getPermalink'>;
}

/** Channels asked about per Home tab: beyond these a workspace's channels are not searched for the person. */
const MAX_CHANNELS_CHECKED = 50;

/** The people in a channel, or none when Slack will not say (private, and the app is not in it). */
async function membersOf(slack: HomeSlack, channelId: string): Promise<Set<string>> {
  try {
    return await channelMembers(slack, channelId);
  } catch {
    // Not a channel the app can read: it is not offered.
    return new Set();
  }
}

async function nameOf(slack: HomeSlack, channelId: string): Promise<string | null> {
  try {
    return (await slack.conversations.info({ channel: channelId })).channel?.name ?? null;
  } catch {
    return null;
  }
}

/**
 * The team channels the app knows that the person is in, with how many people each has: the one they
 * were last active in first, then the rest by name.
 */
async function channelsOf(deps: ServiceDeps, slack: HomeSlack, scope: WorkspaceScope, userId: string) {
  const [all, activity] = await Promise.all([
    knownChannels(deps.db, scope),
    latestActivityByChannel(deps.db, scope, userId),
  ]);
  // Where they were active is asked about first, so the cap never hides it.
  const known = [...all]
    .sort((a, b) => (activity.get(b.channelId)?.getTime() ?? 0) - (activity.get(a.channelId)?.getTime() ?? 0))
    .slice(0, MAX_CHANNELS_CHECKED);
  const checked = await Promise.all(
    known.map(async (channel) => ({ ...channel, members: await membersOf(slack, channel.channelId) })),
  );
  const theirs = checked.filter((channel) => channel.members.has(userId));
  const named = await Promise.all(
    theirs.map(async (channel) => ({
      ...channel,
      name: await nameOf(slack, channel.channelId),
      memberCount: channel.members.size,
    })),
  );
  return orderChannels(named, activity);
}

/** The most recently active channel first; the others by name, as the picker reads, and by id without one. */
export function orderChannels<T extends { channelId: string; name: string | null }>(
  channels: readonly T[],
  activity: ReadonlyMap<string, Date>,
): T[] {
  const byName = [...channels].sort(
    (a, b) =>
      (a.name ?? '\uffff').localeCompare(b.name ?? '\uffff') ||
      (a.channelId < b.channelId ? -1 : a.channelId > b.channelId ? 1 : 0),
  );
  let latest: T | undefined;
  for (const channel of byName) {
    const at = activity.get(channel.channelId);
    if (at && (!latest || at > (activity.get(latest.channelId) as Date))) latest = channel;
  }
  return latest ? [latest, ...byName.filter((channel) => channel !== latest)] : byName;
}

async function portraitFor(
  deps: ServiceDeps,
  slack: HomeSlack,
  scope: WorkspaceScope,
  userId: string,
  chosen: string | undefined,
): Promise<HomePortrait | 'none'> {
  const channels = await channelsOf(deps, slack, scope, userId);
  const picked = channels.find((entry) => entry.channelId === chosen);
  const channel = picked ?? channels[0];
  if (!channel) return 'none';
  const now = deps.clock();
  const current = quarterContaining(now, channel.timeZone);
  const previous = previousQuarter(current, channel.timeZone);
  const [currentPortrait, previousPortrait] = (await loadPortraits(deps, scope, {
    channelId: channel.channelId,
    quarters: [current, previous],
    // The app itself is a member, not one of the team.
    members: Math.max(0, channel.memberCount - 1),
    timeZone: channel.timeZone,
  })) as [HomePortrait['current'], HomePortrait['previous']];
  const permalinks = await loadPermalinks(slack, portraitLinks(currentPortrait));
  return {
    channels: channels.map((entry): PortraitChannel => ({ id: entry.channelId, name: entry.name })),
    channelId: channel.channelId,
    ...(picked ? { picked: true } : {}),
    current: currentPortrait,
    previous: previousPortrait,
    permalinks,
    today: calendarDateIn(now, channel.timeZone),
  };
}

/**
 * Draws the person's Home tab: the portrait of their team channel (`channelId` when they picked one, and
 * it is still theirs; otherwise the one they were last active in), their open loops and their own private
 * answers, one more of which is read than is listed, so the tab can say when older ones are left out.
 * When the portrait cannot be read, the rest still shows.
 */
export async function publishHome(
  deps: ServiceDeps,
  slack: HomeSlack,
  scope: WorkspaceScope,
  userId: string,
  choice: { channelId?: string | undefined } = {},
): Promise<void> {
  const { conversations, chat } = slack;
  const portrait =
    conversations && chat
      ? portraitFor(deps, { ...slack, conversations, chat }, scope, userId, choice.channelId).catch(
          (error) => {
            deps.log.warn({ team: scope.teamId, err: describeError(error) }, 'portrait not drawn');
            return undefined;
          },
        )
      : Promise.resolve(undefined);
  const [loops, privateAnswers, drawn] = await Promise.all([
    openLoopsOf(deps.db, scope, { userId, limit: MAX_HOME_REVIEWS }),
    listPrivateAnswers(deps.db, scope, { userId, limit: MAX_HOME_PRIVATE_ANSWERS + 1 }),
    portrait,
  ]);
  await slack.views.publish({
    user_id: userId,
    view: buildHome(loops.reviews, privateAnswers, drawn, { now: deps.clock(), openLoops: loops.total }),
  });
}

/**
 * The channel a person picked on the Home tab, as the tab they are looking at remembers it: Slack sends
 * that view with a click on it and when the tab is opened. Anything else there is not a pick.
 */
export function pickedChannelOf(
  view: { type?: string; private_metadata?: string } | undefined,
): string | undefined {
  if (view?.type !== 'home') return undefined;
  const metadata = view.private_metadata ?? '';
  return /^[CG][A-Z0-9]{2,}$/.test(metadata) ? metadata : undefined;
}
