import type { KnownBlock } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import {
  channelsWithRhythm,
  isStewardOfAnyChannel,
  latestPostedDigests,
  type PostedDigest,
} from '../db/queries/overview.js';
import { findChannelSettings } from '../db/queries/rhythms.js';
import type { WorkspaceScope } from '../db/queries/scope.js';
import { previousQuarter, quarterContaining } from '../domain/quarters.js';
import { FALLBACK_TIME_ZONE } from '../domain/time.js';
import { digestPeriod } from '../slack/views/digest.js';
import {
  buildOverview,
  MAX_OVERVIEW_CHANNELS,
  OVERVIEW_REFUSED,
  type OverviewChannel,
} from '../slack/views/overview.js';
import type { ServiceDeps } from './deps.js';
import { type ChannelReadSlack, inBatches, readableBy } from './lessons.js';
import { isWorkspaceAdmin } from './people.js';
import { loadPermalinks, loadPortraits } from './portrait.js';
import type { AccessSlack } from './stewards.js';
import { type TellSlack, tellPrivately } from './tell.js';

export type OverviewSlack = AccessSlack &
  TellSlack &
  ChannelReadSlack & { chat: Pick<WebClient['chat'], 'getPermalink'> };

/** Channels read at once: each is a round of queries and a question to Slack. */
const CHANNELS_AT_ONCE = 4;

/**
 * `/learning overview`, for the stewards of any channel and workspace admins: each channel with a
 * rhythm in numbers and links, told only to the person who asked. Private channels they are not in are
 * counted, never named.
 */
export async function showOverview(
  deps: ServiceDeps,
  slack: OverviewSlack,
  scope: WorkspaceScope,
  request: { userId: string; channelId: string | null },
): Promise<void> {
  const { userId } = request;
  const tell = (message: { text: string; blocks?: KnownBlock[] }) =>
    tellPrivately(slack, deps.log, { userId, channelId: request.channelId, message });
  const allowed =
    (await isStewardOfAnyChannel(deps.db, scope, userId)) || (await isWorkspaceAdmin(slack, userId));
  if (!allowed) {
    deps.log.info({ team: scope.teamId, user: userId }, 'overview refused to a non-steward');
    await tell({ text: OVERVIEW_REFUSED });
    return;
  }
  const channelIds = await channelsWithRhythm(deps.db, scope);
  const considered = channelIds.slice(0, MAX_OVERVIEW_CHANNELS);
  const digests = await latestPostedDigests(deps.db, scope, considered);
  const read = await inBatches(considered, CHANNELS_AT_ONCE, async (channelId) => {
    const readable = await readableBy(deps, slack, channelId, userId);
    if (!readable) return undefined;
    return {
      name: readable.name,
      channel: await overviewOf(deps, slack, scope, channelId, digests.get(channelId)),
    };
  });
  // In the order of their names, as Slack's channel list shows them.
  const channels = read
    .filter((entry): entry is { name: string; channel: OverviewChannel } => entry !== undefined)
    .sort((left, right) => left.name.localeCompare(right.name, 'en'))
    .map((entry) => entry.channel);
  deps.log.info(
    { team: scope.teamId, user: userId, channels: channelIds.length, shown: channels.length },
    'overview shown',
  );
  await tell(
    buildOverview({
      channels,
      more: channelIds.length - considered.length,
      notShown: considered.length - channels.length,
    }),
  );
}

async function overviewOf(
  deps: ServiceDeps,
  slack: OverviewSlack,
  scope: WorkspaceScope,
  channelId: string,
  digest: PostedDigest | undefined,
): Promise<OverviewChannel> {
  const timeZone = (await findChannelSettings(deps.db, scope, channelId))?.timeZone ?? FALLBACK_TIME_ZONE;
  const current = quarterContaining(deps.clock(), timeZone);
  const [last, now] = await loadPortraits(deps, scope, {
    channelId,
    quarters: [previousQuarter(current, timeZone), current],
    timeZone,
  });
  const link = digest
    ? (await loadPermalinks(slack, [{ channelId, ts: digest.messageTs }])).values().next().value
    : undefined;
  return {
    channelId,
    loops: {
      opened: now?.loops.opened ?? 0,
      closed: now?.loops.closed ?? 0,
      stillOpen: now?.loops.stillOpen ?? 0,
    },
    questions: now?.questions.length ?? 0,
    voicesPerWeek: {
      thisQuarter: now?.voices.averagePerWeek ?? 0,
      lastQuarter: last?.voices.averagePerWeek ?? 0,
    },
    lastDigest: digest
      ? {
          headline: `Weekly learning digest · ${digestPeriod({ start: digest.windowStart, end: digest.windowEnd }, timeZone, digest.byHand)}`,
          link: link ?? null,
        }
      : null,
  };
}
