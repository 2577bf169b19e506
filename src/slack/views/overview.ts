import type { KnownBlock } from '@slack/types';
import type { SlackMessage } from './message.js';
import { foldPlain, LIMITS } from './text.js';

/** One channel with a rhythm, in numbers and links only: nothing people wrote. */
export interface OverviewChannel {
  channelId: string;
  loops: { opened: number; closed: number; stillOpen: number };
  questions: number;
  voicesPerWeek: { thisQuarter: number; lastQuarter: number };
  /** The channel's latest digest: its header's words and a link to it, when Slack gave one. */
  lastDigest: { headline: string; link: string | null } | null;
}

/** Channels shown at most: one section each, well inside a message's 50 blocks. */
export const MAX_OVERVIEW_CHANNELS = 40;

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

function rounded(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

function voicesLine(voices: OverviewChannel['voicesPerWeek']): string {
  const now = rounded(voices.thisQuarter);
  const before = rounded(voices.lastQuarter);
  const perWeek = `${now} ${now === '1' ? 'voice' : 'voices'} a week`;
  if (now === before) return `${perWeek}, as last quarter`;
  return `${perWeek}, ${voices.thisQuarter > voices.lastQuarter ? 'up' : 'down'} from ${before} last quarter`;
}

function digestLine(digest: OverviewChannel['lastDigest']): string {
  if (!digest) return 'no digest yet';
  // The headline is the digest's own header (its period), never what people wrote.
  const words = foldPlain(digest.headline, 120).replace(/[<>|]/g, '');
  return digest.link ? `last digest <${digest.link}|${words}>` : `last digest ${words}`;
}

export function overviewLine(channel: OverviewChannel): string {
  const { loops } = channel;
  return [
    `*<#${channel.channelId}>*`,
    [
      `Loops this quarter: ${loops.opened} opened, ${loops.closed} closed, ${loops.stillOpen} still open`,
      plural(channel.questions, 'learning question', 'learning questions'),
      voicesLine(channel.voicesPerWeek),
      digestLine(channel.lastDigest),
    ].join(' · '),
  ].join('\n');
}

/**
 * `/learning overview`, shown only to the steward or admin who asked: each channel with a rhythm, this
 * quarter so far beside the last.
 */
export function buildOverview(input: {
  channels: readonly OverviewChannel[];
  /** Channels with a rhythm beyond those shown. */
  more: number;
  /** Private channels the person is not in, and channels Slack would not describe: counted, never named. */
  notShown: number;
}): SlackMessage {
  const notShown =
    input.notShown > 0
      ? [
          `${plural(input.notShown, 'channel', 'channels')} with a rhythm ${input.notShown === 1 ? 'is' : 'are'} not shown: private channels you are not in, or ones Slack would not tell me about.`,
        ]
      : [];
  if (input.channels.length === 0) {
    const text = [
      input.notShown > 0
        ? 'No channel you can see in this workspace has a rhythm.'
        : 'No channel in this workspace has a rhythm yet. `/learning rhythm` in a channel sets one.',
      ...notShown,
    ].join(' ');
    return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
  }
  const shown = input.channels.slice(0, MAX_OVERVIEW_CHANNELS);
  const more = input.more + input.channels.length - shown.length;
  const blocks: KnownBlock[] = [
    {
      type: 'header',
      text: { type: 'plain_text', text: foldPlain('Learning across the workspace', LIMITS.headerText) },
    },
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: `Only you can see this. ${plural(shown.length + more, 'channel has', 'channels have')} a rhythm; each shows this quarter so far beside the last, in numbers and links only.`,
        },
      ],
    },
    ...shown.map(
      (channel): KnownBlock => ({
        type: 'section',
        text: { type: 'mrkdwn', text: overviewLine(channel) },
      }),
    ),
  ];
  const footer = [
    ...(more > 0 ? [`And ${plural(more, 'more channel', 'more channels')} with a rhythm.`] : []),
    ...notShown,
  ];
  if (footer.length > 0)
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: footer.join(' ') }] });
  return {
    text: `Learning across the workspace: ${plural(shown.length + more, 'channel', 'channels')} with a rhythm.`,
    blocks,
  };
}

export const OVERVIEW_REFUSED =
  'Only channel stewards and workspace admins can see the overview of the workspace’s channels. `/learning stewards` in a channel shows who looks after it.';
