import type { KnownBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import type { DigestAnalysis, Theme } from '../../src/domain/digest/analyse.js';
import { ACTIONS } from '../../src/slack/ids.js';
import { buildDigestDetails, buildDigestPreview, type DigestView } from '../../src/slack/views/digest.js';
import {
  digestItemKey,
  feedbackValue,
  lastDigestFeedbackLine,
  MAX_ITEM_KEY_LENGTH,
  parseFeedbackValue,
  voteThanks,
  withinMessageBlocks,
} from '../../src/slack/views/digest-feedback.js';
import { checkMessageBlocks, checkView } from '../support/fake-slack.js';

const DIGEST = '0b9e8a52-6f0e-4c43-9a57-1f3a8a5d2c11';
const AFTER = (index: number) => `5d0c1f7e-2b1a-4e0b-8c3d-00000000000${index}`;
const LONG = 'The handover & the rota were a mess again, and nobody said so. '.repeat(20);

/** A theme as the analysis gives it, at the length that fills a message. */
function theme(term: string): Theme {
  const made = {
    term,
    label: term,
    raisedPrivately: false,
    voices: 3,
    everyone: false,
    trend: 'new' as const,
    weeks: 1,
    answers: 5,
    share: 0.4,
    baselineShare: 0.05,
    g2: 14,
    tone: 'negative' as const,
    evidence: ['a', 'b', 'c'],
    quotes: [
      { sourceId: 'a', text: LONG, link: { channelId: 'C0TEAM', ts: '1.000001' } },
      { sourceId: 'b', text: LONG, link: null },
    ],
  };
  return made;
}

/** Every part of the details at its largest: the most themes, challenges, surprises and spikes. */
function fullest(overrides: Partial<DigestAnalysis> = {}): DigestAnalysis {
  const made = {
    window: { start: new Date('2026-11-20T16:00:00Z'), end: new Date('2026-11-27T16:00:00Z') },
    numbers: {
      answers: 40,
      voices: 9,
      anonymousAnswers: 2,
      members: 12,
      barsOpened: 3,
      aarsClosed: 8,
      openLoopsPastLookBack: 5,
      skips: { not_relevant: 4, no_capacity: 4, not_safe: 4, other: 4 },
    },
    themes: ['handover', 'rota', 'parking', 'van', 'funder', 'venue'].map(theme),
    baselineTooShort: false,
    recurringChallenges: ['volunteers', 'transport', 'room booking'].map((term) => ({
      term,
      label: term,
      status: 'first' as const,
      loops: 3,
      weeks: 3,
      evidence: { reviews: ['r'], afterActions: [] },
      quotes: [{ sourceId: 'r', text: LONG, link: null }],
    })),
    hypotheses: {
      verdicts: { borne_out: 3, partly: 2, not_borne_out: 2, too_early: 1 },
      closed: Array.from({ length: 8 }, (_, index) => ({
        afterActionId: AFTER(index),
        action: `Action ${index}: ${LONG}`,
        verdict: 'borne_out' as const,
        link: null,
      })),
      surprises: Array.from({ length: 3 }, (_, index) => ({
        afterActionId: AFTER(index),
        reviewId: 'r',
        action: `Action ${index}`,
        unanticipated: ['holiday'],
        quote: { sourceId: 'x', text: LONG, link: null },
      })),
    },
    strengths: [],
    quietQuestions: [{ id: 'q', text: 'What will it take to hear every family?' }],
    voices: {
      weeks: Array.from({ length: 9 }, (_, index) => ({
        start: new Date(Date.UTC(2026, 8, 25 + index * 7)),
        voices: 6,
        anonymous: 0,
      })),
      drop: null,
    },
    skipSpikes: (['not_relevant', 'no_capacity', 'not_safe', 'other'] as const).map((reason) => ({
      reason,
      count: 4,
      usual: 0.5,
    })),
    notes: [{ sourceId: 'n', text: 'Shall we try a checklist?', link: null }],
    openLoops: [{ id: 'r', action: 'Run the session', lookBackOn: '2026-11-19', link: null }],
    quiet: false,
    ...overrides,
  };
  return made;
}

function view(analysis: DigestAnalysis): DigestView {
  return {
    analysis,
    period: '20 Nov – 27 Nov',
    timeZone: 'Europe/London',
    weekLabels: analysis.voices.weeks.map((_, index) => `W${index + 1}`),
    permalinks: new Map([['C0TEAM:1.000001', 'https://example.slack.com/archives/C0TEAM/p1000001']]),
  };
}

type Block = KnownBlock & {
  elements?: Array<{ action_id?: string; value?: string; text?: { text: string } }>;
};

/** The item key each actions block votes on, and the text of the block just above it. */
function votedItems(blocks: readonly Block[]) {
  return blocks.flatMap((block, index) => {
    if (block.type !== 'actions') return [];
    const above = JSON.stringify(blocks[index - 1]);
    const [useful, notUseful] = block.elements ?? [];
    return [{ value: useful?.value, notUseful: notUseful?.value, above }];
  });
}

describe('digest item keys', () => {
  it('are built from what the analysis found', () => {
    expect(digestItemKey({ kind: 'theme', term: 'handover' })).toBe('theme:handover');
    expect(digestItemKey({ kind: 'challenge', term: 'room booking' })).toBe('challenge:room booking');
    expect(digestItemKey({ kind: 'surprise', afterActionId: AFTER(1) })).toBe(`surprise:${AFTER(1)}`);
    expect(digestItemKey({ kind: 'hypothesis', afterActionId: AFTER(2) })).toBe(`hypothesis:${AFTER(2)}`);
    expect(digestItemKey({ kind: 'voices' })).toBe('voices');
    expect(digestItemKey({ kind: 'skips', reason: 'not_safe' })).toBe('skips:not_safe');
  });

  it('round-trip through a button value, and refuse anything the details never carried', () => {
    for (const key of ['theme:handover', 'theme:a | b', 'voices', 'skips:other', `surprise:${AFTER(1)}`])
      expect(parseFeedbackValue(feedbackValue(DIGEST, key))).toEqual({ digestId: DIGEST, itemKey: key });
    for (const bad of [
      '',
      DIGEST,
      `${DIGEST}|`,
      `${DIGEST}|theme:`,
      `${DIGEST}|skips:sleepy`,
      `${DIGEST}|mood:good`,
      `not-a-uuid|voices`,
      `${DIGEST}|theme:${'x'.repeat(MAX_ITEM_KEY_LENGTH)}`,
    ])
      expect(parseFeedbackValue(bad)).toBeUndefined();
  });
});

describe('digest details with feedback', () => {
  it('put Useful and Not useful under every item, within Slack’s limits, evidence whole', () => {
    const details = buildDigestDetails(view(fullest()), { digestId: DIGEST });
    expect(checkMessageBlocks(details.blocks)).toEqual([]);
    expect(details.blocks.length).toBeLessThanOrEqual(50);
    const items = votedItems(details.blocks as Block[]);
    const keys = items.map((item) => parseFeedbackValue(item.value ?? '')?.itemKey);
    expect(keys).toEqual([
      ...['handover', 'rota', 'parking', 'van', 'funder', 'venue'].map((term) => `theme:${term}`),
      ...['volunteers', 'transport', 'room booking'].map((term) => `challenge:${term}`),
      ...[0, 1, 2].map((index) => `hypothesis:${AFTER(index)}`),
      ...[0, 1, 2].map((index) => `surprise:${AFTER(index)}`),
      'voices',
      'skips:not_relevant',
      'skips:no_capacity',
      'skips:not_safe',
      'skips:other',
    ]);
    for (const item of items) expect(item.notUseful).toBe(item.value);
    // Each pair sits right under the item it is about.
    expect(items[0]?.above).toContain('*handover*');
    expect(items.find((item) => item.value?.endsWith('|voices'))?.above).toContain(
      'People who answered each week',
    );
    expect(items.find((item) => item.value?.endsWith('|skips:not_safe'))?.above).toContain('not safe to say');
    // The closed hypotheses past the first few are still listed, together and without buttons.
    expect(JSON.stringify(details.blocks)).toContain('Action 7');
    // Nothing was cut from the end.
    expect(JSON.stringify(details.blocks.at(-1))).toContain('Shall we try a checklist?');
  });

  it('label the buttons plainly and name only the digest and the item', () => {
    const [actions] = buildDigestDetails(view(fullest()), { digestId: DIGEST }).blocks.filter(
      (block) => block.type === 'actions',
    ) as Block[];
    expect(actions?.elements).toMatchObject([
      { action_id: ACTIONS.digestItemUseful, text: { text: 'Useful' }, value: `${DIGEST}|theme:handover` },
      {
        action_id: ACTIONS.digestItemNotUseful,
        text: { text: 'Not useful' },
        value: `${DIGEST}|theme:handover`,
      },
    ]);
  });

  it('drop buttons from the last items first when the details would pass 50 blocks', () => {
    const crowded = fullest({
      themes: Array.from({ length: 14 }, (_, index) => theme(`term${index}`)),
    });
    const blocks = buildDigestDetails(view(crowded), { digestId: DIGEST }).blocks;
    expect(blocks).toHaveLength(50);
    expect(checkMessageBlocks(blocks)).toEqual([]);
    const keys = votedItems(blocks as Block[]).map((item) => parseFeedbackValue(item.value ?? '')?.itemKey);
    expect(keys[0]).toBe('theme:term0');
    expect(keys).not.toContain('skips:other');
    expect(JSON.stringify(blocks.at(-1))).toContain('Shall we try a checklist?');

    const plain: KnownBlock[] = Array.from({ length: 60 }, () => ({ type: 'divider' }));
    expect(withinMessageBlocks(plain)).toHaveLength(50);
  });

  it('leave the preview without buttons, and say there how the last digest was received', () => {
    const full = view(fullest());
    expect(votedItems(buildDigestDetails(full).blocks as Block[])).toEqual([]);
    const tallies = {
      digestId: DIGEST,
      items: [
        { itemKey: 'theme:handover', useful: 3, notUseful: 1 },
        { itemKey: 'voices', useful: 2, notUseful: 0 },
      ],
    };
    const preview = buildDigestPreview(full, 'Only you can see this.', tallies);
    expect(checkView(preview)).toEqual([]);
    const shown = JSON.stringify(preview.blocks);
    expect(shown).toContain(
      '*Last digest:* 5 votes “useful”, 1 “not useful”. Most useful: the theme “handover” (3).',
    );
    expect(shown).not.toContain('"type":"actions"');
    expect(JSON.stringify(buildDigestPreview(full, 'Only you can see this.').blocks)).not.toContain(
      'Last digest',
    );
  });
});

describe('what people are told', () => {
  it('sums the last digest up in one line, or says nobody has voted yet', () => {
    expect(lastDigestFeedbackLine(undefined)).toBeUndefined();
    expect(lastDigestFeedbackLine({ digestId: DIGEST, items: [] })).toBe(
      '*Last digest:* nobody has said yet whether its items helped.',
    );
    expect(
      lastDigestFeedbackLine({
        digestId: DIGEST,
        items: [{ itemKey: 'skips:not_safe', useful: 1, notUseful: 0 }],
      }),
    ).toBe(
      '*Last digest:* 1 vote “useful”, 0 “not useful”. Most useful: the rise in “not safe to say” skips (1).',
    );
    expect(
      lastDigestFeedbackLine({ digestId: DIGEST, items: [{ itemKey: 'voices', useful: 0, notUseful: 2 }] }),
    ).toBe('*Last digest:* 0 votes “useful”, 2 “not useful”.');
  });

  it('thanks the person who voted, for what they chose, and escapes the item’s words', () => {
    expect(voteThanks('recorded', 'useful', 'theme:<!channel>')).toBe(
      'Thanks: the theme “&lt;!channel&gt;” is counted as useful. Votes are only ever counted, never shown with names.',
    );
    expect(voteThanks('changed', 'not_useful', 'voices')).toBe(
      'Thanks: the trend in voices is now counted as not useful.',
    );
    expect(voteThanks('unchanged', 'useful', `hypothesis:${AFTER(1)}`)).toBe(
      'You had already said a closed hypothesis was useful; nothing changed.',
    );
  });
});
