import type { WebClient } from '@slack/web-api';
import { knownChannels } from '../db/queries/portrait.js';
import { listPrivateAnswers } from '../db/queries/responses.js';
import { listReviewsForPerson } from '../db/queries/reviews.js';
import type { WorkspaceScope } from '../db/queries/scope.js';
import { previousQuarter, quarterContaining } from '../domain/quarters.js';
import { calendarDateIn } from '../domain/time.js';
import { describeError } from '../logger.js';
import { buildHome, MAX_HOME_PRIVATE_ANSWERS, MAX_HOME_REVIEWS } from '../slack/views/home.js';
import { type HomePortrait, type PortraitChannel, portraitLinks } from '../slack/views/portrait.js';
import type { ServiceDeps } from './deps.js';
import { loadPermalinks, loadPortraits } from './portrait.js';

/** The Web API methods the Home tab needs. */
export interface HomeSlack {
  views: Pick<WebClient['views'], 'publish'>;
  conversations: Pick<WebClient['conversations'], 'members' | 'info'>;
  chat: Pick<WebClient['chat'], 'getPermalink'>;
}

/** Channels asked about per Home tab: beyond these a workspace's channels are not searched for the person. */
const MAX_CHANNELS_CHECKED = 50;
const MEMBER_PAGES = 10;

/** The people in a channel, or none when Slack will not say (private, and the app is not in it). */
async function membersOf(slack: HomeSlack, channelId: string): Promise<Set<string>> {
  const members = new Set<string>();
  try {
    let cursor: string | undefined;
    for (let page = 0; page < MEMBER_PAGES; page += 1) {
      const answer = await slack.conversations.members({
        channel: channelId,
        limit: 1000,
        ...(cursor ? { cursor } : {}),
      });
      for (const member of answer.members ?? []) members.add(member);
      cursor = answer.response_metadata?.next_cursor || undefined;
      if (!cursor) break;
    }
  } catch {
    // Not a channel the app can read: it is not offered.
  }
  return members;
}

async function nameOf(slack: HomeSlack, channelId: string): Promise<string | null> {
  try {
    return (await slack.conversations.info({ channel: channelId })).channel?.name ?? null;
  } catch {
    return null;
  }
}

/** The team channels the app knows that the person is in, with how many people each has. */
async function channelsOf(deps: ServiceDeps, slack: HomeSlack, scope: WorkspaceScope, userId: string) {
  const known = (await knownChannels(deps.db, scope)).slice(0, MAX_CHANNELS_CHECKED);
  const checked = await Promise.all(
    known.map(async (channel) => ({ ...channel, members: await membersOf(slack, channel.channelId) })),
  );
  const theirs = checked.filter((channel) => channel.members.has(userId));
  return Promise.all(
    theirs.map(async (channel) => ({
      ...channel,
      name: await nameOf(slack, channel.channelId),
      memberCount: channel.members.size,
    })),
  );
}

async function portraitFor(
  deps: ServiceDeps,
  slack: HomeSlack,
  scope: WorkspaceScope,
  userId: string,
  chosen: string | undefined,
): Promise<HomePortrait | 'none'> {
  const channels = await channelsOf(deps, slack, scope, userId);
  const channel = channels.find((entry) => entry.channelId === chosen) ?? channels[0];
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
    current: currentPortrait,
    previous: previousPortrait,
    permalinks,
    today: calendarDateIn(now, channel.timeZone),
  };
}

/**
 * Draws the person's Home tab: the portrait of their team channel (`channelId` when they picked one),
 * the reviews they are part of and their own private answers, one more of which is read than is listed,
 * so the tab can say when older ones are left out. When the portrait cannot be read, the rest still shows.
 */
export async function publishHome(
  deps: ServiceDeps,
  slack: HomeSlack,
  scope: WorkspaceScope,
  userId: string,
  choice: { channelId?: string } = {},
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
  const [reviews, privateAnswers, drawn] = await Promise.all([
    listReviewsForPerson(deps.db, scope, userId, MAX_HOME_REVIEWS),
    listPrivateAnswers(deps.db, scope, { userId, limit: MAX_HOME_PRIVATE_ANSWERS + 1 }),
    portrait,
  ]);
  await slack.views.publish({ user_id: userId, view: buildHome(reviews, privateAnswers, drawn) });
}
