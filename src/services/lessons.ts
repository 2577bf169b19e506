import type { WebClient } from '@slack/web-api';
import {
  type ChannelLesson,
  channelsSharingLessons,
  findLessonSharing,
  keepLessonsPrivate,
  lessonsOfChannels,
  shareLessons,
} from '../db/queries/lessons.js';
import type { WorkspaceScope } from '../db/queries/scope.js';
import { claimChannel } from '../db/queries/stewards.js';
import { relatedLessons } from '../domain/digest/lessons.js';
import { formatShortDate } from '../domain/time.js';
import { slackErrorCode } from '../slack/errors.js';
import { slackDateFormatted } from '../slack/views/dates.js';
import {
  buildLessonSharingState,
  buildLessonsKeptPrivate,
  buildLessonsShared,
} from '../slack/views/lessons.js';
import type { SlackMessage } from '../slack/views/message.js';
import type { ServiceDeps } from './deps.js';
import { historyTimeZone } from './learning-history.js';
import { channelMembers } from './people.js';
import { type AccessSlack, mayOpenChannelSettings } from './stewards.js';
import { type TellSlack, tellPrivately } from './tell.js';

/** What reading another channel's lessons needs from Slack: whether it is private, and who is in it. */
export interface ChannelReadSlack {
  conversations: Pick<WebClient['conversations'], 'info' | 'members'>;
}

export type LessonSharingSlack = AccessSlack & TellSlack & ChannelReadSlack;

/** Lessons looked at before each action, from the channel itself and from those sharing theirs. */
const OWN_LESSONS_CONSIDERED = 200;
const SHARED_LESSONS_CONSIDERED = 200;
/** Shared channels looked at before each action, the most recently reviewed first. */
const MAX_SHARED_CHANNELS = 30;
/** Channels asked about at once, so one form does not burst Slack's per-method limits. */
const LOOKUPS_AT_ONCE = 5;

/** A lesson as the form offers it: the channel it came from, named, when it is not the form's own. */
export interface OfferedLesson extends ChannelLesson {
  fromChannel: { name: string } | null;
}

export interface Readable {
  name: string;
  isPrivate: boolean;
}

/** Whether a channel is private, and its name, as Slack says; undefined when Slack will not say. */
async function channelFacts(
  deps: ServiceDeps,
  slack: ChannelReadSlack,
  channelId: string,
): Promise<Readable | undefined> {
  try {
    const { channel } = await slack.conversations.info({ channel: channelId });
    if (!channel) return undefined;
    return {
      name: channel.name || channelId,
      isPrivate: channelId.startsWith('G') || Boolean(channel.is_private || channel.is_mpim || channel.is_im),
    };
  } catch (error) {
    deps.log.info(
      { channel: channelId, error: slackErrorCode(error) ?? 'unknown_error' },
      'channel not read',
    );
    return undefined;
  }
}

async function isMember(
  deps: ServiceDeps,
  slack: ChannelReadSlack,
  channelId: string,
  userId: string,
): Promise<boolean> {
  try {
    return (await channelMembers(slack, channelId)).has(userId);
  } catch (error) {
    deps.log.info(
      { channel: channelId, error: slackErrorCode(error) ?? 'unknown_error' },
      'members not read',
    );
    return false;
  }
}

/**
 * Whether `userId` may read a shared channel's lessons, and its name. A private channel counts only
 * when they are among its members; when Slack cannot say, the answer is no.
 */
export async function readableBy(
  deps: ServiceDeps,
  slack: ChannelReadSlack,
  channelId: string,
  userId: string,
): Promise<Readable | undefined> {
  const facts = await channelFacts(deps, slack, channelId);
  if (!facts) return undefined;
  if (facts.isPrivate && !(await isMember(deps, slack, channelId, userId))) return undefined;
  return facts;
}

export async function inBatches<T, R>(
  items: readonly T[],
  size: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += size)
    results.push(...(await Promise.all(items.slice(start, start + size).map(work))));
  return results;
}

/**
 * The lessons a before-action review form offers: the channel's own after-action reviews and those of
 * channels in the same workspace that share theirs and the person may read, ranked together by meaning.
 */
export async function lessonsForBeforeAction(
  deps: ServiceDeps,
  slack: ChannelReadSlack,
  scope: WorkspaceScope,
  request: { channelId: string; userId: string; about: string },
): Promise<{ basis: 'related' | 'recent'; lessons: OfferedLesson[]; sharedChannels: number }> {
  const [own, sharing] = await Promise.all([
    lessonsOfChannels(deps.db, scope, { channelIds: [request.channelId], limit: OWN_LESSONS_CONSIDERED }),
    channelsSharingLessons(deps.db, scope, { except: request.channelId, limit: MAX_SHARED_CHANNELS }),
  ]);
  const checked = await inBatches(sharing, LOOKUPS_AT_ONCE, async (channelId) => ({
    channelId,
    readable: await readableBy(deps, slack, channelId, request.userId),
  }));
  const names = new Map(
    checked.flatMap(({ channelId, readable }) => (readable ? [[channelId, readable.name] as const] : [])),
  );
  const shared = await lessonsOfChannels(deps.db, scope, {
    channelIds: [...names.keys()],
    limit: SHARED_LESSONS_CONSIDERED,
  });
  const { basis, lessons } = relatedLessons(request.about, [...own, ...shared]);
  return {
    basis,
    sharedChannels: names.size,
    lessons: lessons.map((lesson) => {
      const name = names.get(lesson.channelId);
      return { ...lesson, fromChannel: lesson.channelId === request.channelId || !name ? null : { name } };
    }),
  };
}

/** A lesson's date as each reader shows dates, with the channel's date as the fallback. */
export function lessonDate(lesson: { createdAt: Date }, timeZone: string): string {
  return slackDateFormatted(lesson.createdAt, '{date_short}', formatShortDate(lesson.createdAt, timeZone));
}

export type LessonSharingChange = 'show' | 'share' | 'private';

/**
 * `/learning lessons` (anyone: whether the channel shares its lessons), `share` and `private`
 * (stewards and admins; others are told whom to ask).
 */
export async function changeLessonSharing(
  deps: ServiceDeps,
  slack: LessonSharingSlack,
  scope: WorkspaceScope,
  request: { channelId: string; userId: string; change: LessonSharingChange },
): Promise<void> {
  const { channelId, userId, change } = request;
  const tell = (message: SlackMessage) => tellPrivately(slack, deps.log, { userId, channelId, message });
  const isPrivate =
    channelId.startsWith('G') || Boolean((await channelFacts(deps, slack, channelId))?.isPrivate);
  if (change === 'show') {
    const sharing = await findLessonSharing(deps.db, scope, channelId);
    const timeZone = await historyTimeZone(deps, scope, channelId);
    await tell(
      buildLessonSharingState(
        channelId,
        sharing
          ? {
              shared: true,
              sharedBy: sharing.sharedBy,
              sharedOn: lessonDate({ createdAt: sharing.sharedAt }, timeZone),
            }
          : { shared: false },
        isPrivate,
      ),
    );
    return;
  }
  if (!(await mayOpenChannelSettings(deps, slack, scope, { channelId, userId }, 'lessons'))) return;
  const now = deps.clock();
  if (change === 'share') {
    const newly = await deps.db.transaction(async (tx) => {
      // In a channel nobody looks after yet, whoever shares its lessons becomes its steward.
      await claimChannel(tx, scope, channelId, userId, now);
      return shareLessons(tx, scope, { channelId, userId, now });
    });
    deps.log.info({ team: scope.teamId, channel: channelId, newly }, 'lessons shared with the workspace');
    await tell(buildLessonsShared(channelId, !newly, isPrivate));
    return;
  }
  const wasShared = await keepLessonsPrivate(deps.db, scope, channelId);
  deps.log.info({ team: scope.teamId, channel: channelId, wasShared }, 'lessons kept to the channel');
  await tell(buildLessonsKeptPrivate(channelId, wasShared));
}
