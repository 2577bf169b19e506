import { describe, expect, it } from 'vitest';
import { buildLessonSharingState, buildLessonsShared } from '../../src/slack/views/lessons.js';
import {
  buildOverview,
  MAX_OVERVIEW_CHANNELS,
  type OverviewChannel,
} from '../../src/slack/views/overview.js';
import { checkMessageBlocks } from '../support/block-kit.js';

function channel(index: number, overrides: Partial<OverviewChannel> = {}): OverviewChannel {
  return {
    channelId: `C0CHANNEL${index}`,
    loops: { opened: 3, closed: 2, stillOpen: 1 },
    questions: 2,
    voicesPerWeek: { thisQuarter: 4.25, lastQuarter: 5 },
    lastDigest: {
      headline: 'Weekly learning digest · 30 Nov – 6 Dec',
      link: 'https://example.slack.com/archives/C0/p1',
    },
    ...overrides,
  };
}

describe('the stewards’ overview', () => {
  it('says each channel in numbers and links, the trend of voices in words', () => {
    const message = buildOverview({ channels: [channel(1)], more: 0, notShown: 0 });
    expect(checkMessageBlocks(message.blocks)).toEqual([]);
    expect(JSON.stringify(message.blocks)).toContain(
      '*<#C0CHANNEL1>*\\nLoops this quarter: 3 opened, 2 closed, 1 still open · 2 learning questions · 4.3 voices a week, down from 5 last quarter · last digest <https://example.slack.com/archives/C0/p1|Weekly learning digest · 30 Nov – 6 Dec>',
    );
  });

  it('stays inside a message’s 50 blocks, counting the channels it leaves out', () => {
    const channels = Array.from({ length: 60 }, (_, index) => channel(index));
    const message = buildOverview({ channels, more: 5, notShown: 2 });
    expect(checkMessageBlocks(message.blocks)).toEqual([]);
    expect(message.blocks.length).toBeLessThanOrEqual(50);
    expect(message.blocks.filter((block) => block.type === 'section')).toHaveLength(MAX_OVERVIEW_CHANNELS);
    const footer = JSON.stringify(message.blocks.at(-1));
    expect(footer).toContain('And 25 more channels with a rhythm.');
    expect(footer).toContain('2 channels with a rhythm are not shown: private channels you are not in');
  });

  it('keeps a digest headline from breaking its link', () => {
    const message = buildOverview({
      channels: [channel(1, { lastDigest: { headline: 'Odd <b>|c> headline', link: 'https://x.test/p' } })],
      more: 0,
      notShown: 0,
    });
    expect(JSON.stringify(message.blocks)).toContain('<https://x.test/p|Odd bc headline>');
  });

  it('says so when no channel has a rhythm yet', () => {
    expect(buildOverview({ channels: [], more: 0, notShown: 0 }).text).toBe(
      'No channel in this workspace has a rhythm yet. `/learning rhythm` in a channel sets one.',
    );
  });
});

describe('sharing a channel’s lessons', () => {
  it('says what sharing means, and that a private channel’s lessons reach only its members', () => {
    expect(buildLessonsShared('G0BOARD', false, true).text).toBe(
      '<#G0BOARD> now shares its lessons with the workspace. Its after-action reviews’ lessons are offered in the before-action review forms of other channels in this workspace, labelled with this channel and the date. As the channel is private, only its members see them. Only what after-action reviews say is shared; anonymous answers never are. `/learning lessons private` stops it.',
    );
    expect(buildLessonSharingState('C0TEAM', { shared: false }, false).text).toBe(
      '<#C0TEAM> keeps its lessons to itself: its before-action review forms offer lessons from its own after-action reviews and from channels that share theirs. `/learning lessons share` (stewards) would offer its after-action reviews’ lessons in other channels’ before-action review forms too, labelled with this channel and the date; anonymous answers are never shared.',
    );
  });
});
