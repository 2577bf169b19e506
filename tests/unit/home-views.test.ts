import { describe, expect, it } from 'vitest';
import type { Evidence, QuarterPortrait } from '../../src/domain/portrait.js';
import { quarterOf } from '../../src/domain/quarters.js';
import { orderChannels, pickedChannelOf } from '../../src/services/home.js';
import { ACTIONS, HOME_ACTIONS } from '../../src/slack/ids.js';
import {
  buildHome,
  type HomePrivateAnswer,
  type HomeReview,
  MAX_HOME_PRIVATE_ANSWERS,
  MAX_HOME_REVIEWS,
} from '../../src/slack/views/home.js';
import { type HomePortrait, lookBackTiming, medianLine } from '../../src/slack/views/portrait.js';
import { checkView } from '../support/block-kit.js';

const NOW = new Date('2026-11-21T12:00:00Z');
const CHANNEL = 'C0TEAM';
const LONG = 'Ask every family, in person and on paper, what would bring them back. '.repeat(60);
const MARKUP = '<!channel> *bold* <@U0SOMEONE> & <https://example.com|a link>';

/** A block as far as these tests read it. */
interface Shown {
  type: string;
  text?: { text: string };
  accessory?: { type: string; text?: { text: string }; options?: { text: { text: string } }[] };
}

/** Every text a person reads in some blocks, in order. */
function textsIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(textsIn);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, inner]) =>
    key === 'text' && typeof inner === 'string' ? [inner] : textsIn(inner),
  );
}

function sectionTitled(blocks: readonly unknown[], title: string): string {
  const found = (blocks as Shown[]).find(
    (block) => block.type === 'section' && block.text?.text.startsWith(`*${title}*`),
  );
  return found?.text?.text ?? '';
}

function evidence(count: number, text: string): Evidence[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `e-${i}`,
    text: `${text} ${i}`,
    at: new Date(NOW.getTime() - i * 3_600_000),
    link: { channelId: CHANNEL, ts: `1795000000.${String(i).padStart(6, '0')}` },
  }));
}

function quarter(number: number, full: boolean): QuarterPortrait {
  const many = full ? 40 : 0;
  return {
    quarter: quarterOf(2026, number, 'Europe/London'),
    loops: {
      opened: many,
      closed: many,
      medianDaysLookBackToAfterAction: full ? -1 : null,
      stillOpen: many,
      openedEvidence: evidence(many, LONG),
      closedEvidence: evidence(many, LONG),
      openEvidence: evidence(many, LONG),
    },
    hypotheses: {
      tested: Array.from({ length: many }, (_, i) => ({
        afterActionId: `a-${i}`,
        reviewId: `r-${i}`,
        action: `${LONG} ${i}`,
        hypothesis: LONG,
        verdict: (['borne_out', 'partly', 'not_borne_out'] as const)[i % 3] ?? null,
        revisedHypothesis: LONG,
        change: LONG,
        at: NOW,
        link: { channelId: CHANNEL, ts: `1795000001.${String(i).padStart(6, '0')}` },
      })),
      verdicts: { borne_out: many, partly: many, not_borne_out: many, too_early: 0 },
      chains: Array.from({ length: full ? 10 : 0 }, (_, i) => ({
        steps: [
          { reviewId: `r-${i}`, hypothesis: LONG, verdict: 'partly', link: null },
          {
            reviewId: `s-${i}`,
            hypothesis: LONG,
            verdict: null,
            link: { channelId: CHANNEL, ts: `1795000002.${String(i).padStart(6, '0')}` },
          },
        ],
      })),
    },
    challenges: Array.from({ length: full ? 10 : 0 }, (_, i) => ({
      label: `${LONG} ${i}`,
      loops: 3,
      lastSeen: NOW,
      state: i % 2 === 0 ? ('advancing' as const) : ('circling' as const),
      link: { channelId: CHANNEL, ts: `1795000003.${String(i).padStart(6, '0')}` },
      quotes: [],
    })),
    questions: Array.from({ length: full ? 5 : 0 }, (_, i) => ({
      id: `q-${i}`,
      text: `What will it take ${LONG}`,
      pieces: 12,
      latest: evidence(1, `${MARKUP} ${LONG}`)[0] ?? null,
      quotes: [],
    })),
    voices: {
      weeks: Array.from({ length: 13 }, (_, i) => ({
        start: new Date(NOW.getTime() - i * 7 * 86_400_000),
        voices: 6,
        anonymous: 1,
      })),
      averagePerWeek: full ? 6.14 : 0,
      members: full ? 9 : null,
    },
    reviewsWithoutPrompt: { count: full ? 3 : 0, of: many },
    themes: [],
    notes: evidence(full ? 20 : 0, LONG),
  };
}

/** Every line links to its evidence: each message has a permalink. */
function permalinks(): Map<string, string> {
  const links = new Map<string, string>();
  for (let i = 0; i < 40; i += 1)
    for (const prefix of ['1795000000', '1795000001', '1795000002', '1795000003']) {
      const ts = `${prefix}.${String(i).padStart(6, '0')}`;
      links.set(`${CHANNEL}:${ts}`, `https://team.slack.com/archives/${CHANNEL}/p${ts.replace('.', '')}`);
    }
  return links;
}

function homePortrait(overrides: Partial<HomePortrait> = {}): HomePortrait {
  const current = quarter(4, true);
  const previous = quarter(3, true);
  return {
    channels: Array.from({ length: 150 }, (_, i) => ({
      id: `C0CHANNEL${i}`,
      name: `a-very-long-channel-name-that-goes-on-and-on-past-what-a-picker-shows-${i}`,
    })),
    channelId: CHANNEL,
    current,
    previous,
    permalinks: permalinks(),
    today: '2026-11-21',
    ...overrides,
  };
}

const loop = (i: number, lookBackOn = '2026-11-28'): HomeReview => ({
  id: `review-${i}`,
  action: `${MARKUP} ${LONG}`,
  lookBackOn,
  channelId: i % 2 === 0 ? CHANNEL : 'C0SECOND',
  timeZone: 'Europe/London',
});

const answer = (i: number): HomePrivateAnswer => ({
  id: `answer-${i}`,
  occurrenceId: `prompt-${i}`,
  text: `${MARKUP}\n${LONG}`,
  prompt: {
    kind: 'mid_week',
    promptText: LONG,
    dueAt: new Date('2026-11-23T12:00:00Z'),
    timeZone: 'UTC',
  },
});

describe('the Home tab at its fullest', () => {
  const view = buildHome(
    Array.from({ length: MAX_HOME_REVIEWS }, (_, i) => loop(i, i % 3 === 0 ? '2026-11-02' : '2026-12-01')),
    Array.from({ length: MAX_HOME_PRIVATE_ANSWERS + 1 }, (_, i) => answer(i)),
    homePortrait({ picked: true }),
    { now: NOW, openLoops: 400 },
  );

  it('stays within 100 blocks and every Block Kit limit', () => {
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    expect(checkView(view)).toEqual([]);
  });

  it('keeps every text inside its limit', () => {
    for (const block of view.blocks as Shown[]) {
      if (block.type === 'section') {
        expect(block.text?.text.length ?? 0).toBeLessThanOrEqual(3000);
        const accessory = block.accessory;
        if (accessory?.type === 'button') expect(accessory.text?.text.length).toBeLessThanOrEqual(75);
        if (accessory?.type === 'static_select') {
          expect(accessory.options?.length).toBeLessThanOrEqual(100);
          for (const option of accessory.options ?? [])
            expect(option.text.text.length).toBeLessThanOrEqual(75);
        }
      }
      if (block.type === 'header') expect(block.text?.text.length).toBeLessThanOrEqual(150);
    }
    expect((view.private_metadata ?? '').length).toBeLessThanOrEqual(3000);
  });

  it('lists the soonest open loops and counts the rest', () => {
    const reads = JSON.stringify(view.blocks).match(/"value":"review-\d+"/g) ?? [];
    expect(reads).toHaveLength(MAX_HOME_REVIEWS);
    const text = textsIn(view.blocks).join('\n');
    expect(text).toContain(`…and ${400 - MAX_HOME_REVIEWS} more, with later look-back dates.`);
    expect(text).toContain('the look-back date was');
    expect(text).toContain('look back on <!date^');
  });

  it('shows what people typed as typed, never as a mention of anyone', () => {
    const text = textsIn(view.blocks).join('\n');
    expect(text).not.toContain('<!channel>');
    expect(text).not.toContain('<@U0SOMEONE>');
  });

  it('remembers the channel the person picked', () => {
    expect(view.private_metadata).toBe(CHANNEL);
    expect(pickedChannelOf({ type: 'home', private_metadata: view.private_metadata ?? '' })).toBe(CHANNEL);
  });
});

describe('voices on the Home tab', () => {
  it('are counts of people, never names', () => {
    const view = buildHome([], [], homePortrait(), { now: NOW });
    const voices = sectionTitled(view.blocks, 'Voices');
    expect(voices).toBe(
      '*Voices*\n• *6.1* people a week, the same as last quarter, of 9 in the channel\n• Reviews started without a prompt from the app: *3 of 40*, last quarter 3 of 40',
    );
    expect(textsIn(view.blocks).join('\n')).not.toMatch(/<@U/);
  });
});

describe('someone in no team channel', () => {
  it('is told how to begin, has no picker and nothing remembered', () => {
    const view = buildHome([], [], 'none', { now: NOW });
    expect(checkView(view)).toEqual([]);
    const text = textsIn(view.blocks).join('\n');
    expect(text).toContain('*Your team’s portrait*');
    expect(text).toContain('No open loops.');
    expect(text).not.toContain('is learning*');
    expect(JSON.stringify(view.blocks)).not.toContain(HOME_ACTIONS.portraitChannel);
    expect(view.private_metadata).toBeUndefined();
  });
});

describe('your data', () => {
  it('offers an export of what the person wrote, and says how to be forgotten', () => {
    const view = buildHome([], [], undefined, { now: NOW });
    const exportButton = JSON.stringify(view.blocks);
    expect(exportButton).toContain(`"action_id":"${ACTIONS.exportMine}"`);
    expect(exportButton).toContain('"text":"Export what I wrote"');
    // The forget-me button needs a confirmation made minutes before: the tab gives the command instead.
    expect(exportButton).not.toContain(ACTIONS.forgetMe);
    expect(textsIn(view.blocks).join('\n')).toContain('`/learning forget-me`');
  });
});

describe('when loops closed, against their look-back date', () => {
  it.each([
    [0, false, 'on the look-back day'],
    [2, false, '2 days after the look-back date'],
    [1, false, '1 day after the look-back date'],
    [-1, false, '1 day before the look-back date'],
    [-1, true, '1 day before it'],
    [0.5, false, 'half a day after the look-back date'],
    [-2.5, true, '2.5 days before it'],
    [0.2, true, 'on the look-back day'],
    [null, false, 'none closed'],
  ])('%s days (again: %s) reads “%s”', (days, again, words) => {
    expect(lookBackTiming(days, again)).toBe(words);
  });

  it('names the look-back date once in a line and leans on it after', () => {
    expect(medianLine(-1, 2)).toBe(
      'After-action reviews came, at the median: *1 day before the look-back date*, last quarter 2 days after it',
    );
    expect(medianLine(null, 0)).toBe(
      'After-action reviews came, at the median: *none closed*, last quarter on the look-back day',
    );
    expect(medianLine(null, 3)).toBe(
      'After-action reviews came, at the median: *none closed*, last quarter 3 days after the look-back date',
    );
  });
});

describe('the order of the channel picker', () => {
  const channels = [
    { channelId: 'C01', name: 'zebra' },
    { channelId: 'C02', name: 'alpha' },
    { channelId: 'C03', name: null },
    { channelId: 'C04', name: 'Marsh' },
  ];

  it('puts the channel the person was last active in first, then the rest by name', () => {
    const activity = new Map([
      ['C02', new Date('2026-11-01T10:00:00Z')],
      ['C01', new Date('2026-11-20T10:00:00Z')],
    ]);
    expect(orderChannels(channels, activity).map((channel) => channel.channelId)).toEqual([
      'C01',
      'C02',
      'C04',
      'C03',
    ]);
  });

  it('is by name, not by id, for someone who has done nothing yet', () => {
    expect(orderChannels(channels, new Map()).map((channel) => channel.name)).toEqual([
      'alpha',
      'Marsh',
      'zebra',
      null,
    ]);
  });

  it('remembers only a picked channel, from the Home tab itself', () => {
    expect(pickedChannelOf({ type: 'home', private_metadata: 'C0SECOND' })).toBe('C0SECOND');
    expect(pickedChannelOf({ type: 'home', private_metadata: '' })).toBeUndefined();
    expect(pickedChannelOf({ type: 'modal', private_metadata: 'C0SECOND' })).toBeUndefined();
    expect(pickedChannelOf({ type: 'home', private_metadata: '{"occurrenceId":"x"}' })).toBeUndefined();
    expect(pickedChannelOf(undefined)).toBeUndefined();
    const unpicked = buildHome([], [], homePortrait(), { now: NOW });
    expect(unpicked.private_metadata).toBeUndefined();
  });
});
