import { describe, expect, it } from 'vitest';
import { voicesChartSvg, voicesChartTitle } from '../../src/charts/digest-chart.js';
import type { Digest } from '../../src/db/schema.js';
import type { DigestAnalysis, Theme } from '../../src/domain/digest/analyse.js';
import { composeDigestMessages } from '../../src/services/digest.js';
import {
  buildDigestDetails,
  buildDigestPreview,
  buildDigestTop,
  buildPostAgainQuestion,
  type DigestView,
  digestPeriod,
  digestPreviewNote,
  skipSpikeSentence,
  voicesChartAltText,
} from '../../src/slack/views/digest.js';
import { checkMessageBlocks, checkView } from '../support/fake-slack.js';

const LONG = 'The <!channel> handover & the rota were a mess again. '.repeat(40);

function theme(term: string, trend: Theme['trend']): Theme {
  return {
    term,
    label: term,
    trend,
    raisedPrivately: false,
    voices: 4,
    everyone: false,
    weeks: trend === 'persistent' ? 4 : 1,
    answers: 5,
    share: 0.4,
    baselineShare: 0.05,
    g2: 14,
    tone: 'negative',
    evidence: ['a', 'b', 'c'],
    quotes: [
      { sourceId: 'a', text: LONG, link: { channelId: 'C0TEAM', ts: '1.000001' } },
      { sourceId: 'b', text: 'Short and plain.', link: null },
    ],
  };
}

function analysis(overrides: Partial<DigestAnalysis> = {}): DigestAnalysis {
  return {
    window: { start: new Date('2026-11-20T16:00:00Z'), end: new Date('2026-11-27T16:00:00Z') },
    numbers: {
      answers: 12,
      voices: 5,
      anonymousAnswers: 2,
      members: 9,
      barsOpened: 1,
      aarsClosed: 2,
      openLoopsPastLookBack: 1,
      skips: { not_relevant: 1, no_capacity: 0, not_safe: 3, other: 0 },
    },
    themes: [
      theme('handover', 'new'),
      theme('rota', 'rising'),
      theme('parking', 'persistent'),
      theme('van', 'fading'),
    ],
    baselineTooShort: false,
    recurringChallenges: Array.from({ length: 3 }, (_, index) => ({
      label: `challenge ${index}`,
      status: 'first' as const,
      loops: 3,
      weeks: 3,
      evidence: { reviews: ['r'], afterActions: [] },
      quotes: [{ sourceId: 'r', text: LONG, link: null }],
    })),
    hypotheses: {
      verdicts: { borne_out: 1, partly: 0, not_borne_out: 1, too_early: 0 },
      closed: [{ afterActionId: 'x', action: LONG, verdict: 'not_borne_out', link: null }],
      surprises: [
        {
          afterActionId: 'x',
          reviewId: 'r',
          action: 'Open on Thursdays',
          unanticipated: ['holiday'],
          quote: { sourceId: 'x', text: LONG, link: null },
        },
      ],
    },
    strengths: [{ sourceId: 'x', text: 'Good preparation', link: null }],
    quietQuestions: [{ id: 'q', text: 'What will it take to hear every family?' }],
    voices: {
      weeks: Array.from({ length: 9 }, (_, index) => ({
        start: new Date(Date.UTC(2026, 8, 25 + index * 7)),
        voices: 6,
        anonymous: index % 2,
      })),
      drop: { current: 2, usual: 6 },
    },
    skipSpikes: [{ reason: 'not_safe', count: 3, usual: 0.2 }],
    notes: [
      { sourceId: 'n', text: 'Shall we try a checklist?', link: { channelId: 'C0TEAM', ts: '2.000001' } },
    ],
    openLoops: [{ id: 'r', action: 'Run the session', lookBackOn: '2026-11-19', link: null }],
    quiet: false,
    ...overrides,
  };
}

function view(data: DigestAnalysis): DigestView {
  return {
    analysis: data,
    period: '20 Nov – 27 Nov',
    timeZone: 'Europe/London',
    weekLabels: data.voices.weeks.map((_, index) => `W${index + 1}`),
    permalinks: new Map([['C0TEAM:1.000001', 'https://example.slack.com/archives/C0TEAM/p1000001']]),
  };
}

describe('digest views', () => {
  it('keep every message and the preview within Slack’s limits, however long the quotes', () => {
    const full = view(analysis());
    expect(checkMessageBlocks(buildDigestTop(full).blocks)).toEqual([]);
    expect(checkMessageBlocks(buildDigestDetails(full).blocks)).toEqual([]);
    expect(checkView(buildDigestPreview(full, 'Only you can see this.'))).toEqual([]);
  });

  it('escape what people wrote and link quotes to their messages', () => {
    const details = JSON.stringify(buildDigestDetails(view(analysis())).blocks);
    expect(details).not.toContain('<!channel>');
    expect(details).toContain('&lt;!channel&gt;');
    expect(details).toContain('<https://example.slack.com/archives/C0TEAM/p1000001|source>');
  });

  it('lead with at most three things to act on, most pressing first, and name the rest in a line', () => {
    const top = buildDigestTop(view(analysis()));
    const text = JSON.stringify(top.blocks);
    const acting = text.slice(text.indexOf('Worth acting on'), text.indexOf('Also in your words'));
    expect(acting.match(/• /g)).toHaveLength(3);
    expect(acting.indexOf('A hypothesis was not borne out')).toBeLessThan(
      acting.indexOf('Nobody saw this coming'),
    );
    expect(acting.indexOf('Nobody saw this coming')).toBeLessThan(
      acting.indexOf('*challenge 0* keeps coming back'),
    );
    expect(acting).not.toContain('*handover*');
    expect(text).toContain('Also in your words: parking (persistent, 4 weeks) · van (fading)');
    expect(text).toContain('What keeps working: good preparation');
    expect(text).toContain('What do you notice? What surprised you?');
    expect(text).toContain('5 of 9 people in the channel (and 2 anonymous answers)');
    expect(top.text).toContain('A hypothesis was not borne out');
  });

  it('rank new themes, fewer voices and skip spikes after what the team tested', () => {
    const quieter = analysis({
      hypotheses: {
        verdicts: { borne_out: 0, partly: 0, not_borne_out: 0, too_early: 0 },
        closed: [],
        surprises: [],
      },
      recurringChallenges: [],
    });
    const text = JSON.stringify(buildDigestTop(view(quieter)).blocks);
    expect(text).toContain(
      'New this week: <https://example.slack.com/archives/C0TEAM/p1000001|*handover*> (5 answers from 4 people)',
    );
    expect(text).toContain('|*rota*> (5 answers');
    expect(text).toContain('Fewer voices than usual: 2 people answered; usually about 6');
    expect(text).not.toContain('skips than usual');
  });

  it('say plainly when nothing stands out, or when there is too little history to judge', () => {
    const nothing = {
      themes: [],
      hypotheses: {
        verdicts: { borne_out: 0, partly: 0, not_borne_out: 0, too_early: 0 },
        closed: [],
        surprises: [],
      },
      recurringChallenges: [],
      strengths: [],
      voices: { weeks: [], drop: null },
      skipSpikes: [],
    };
    expect(JSON.stringify(buildDigestTop(view(analysis(nothing))).blocks)).toContain('Nothing stands out');
    expect(
      JSON.stringify(buildDigestTop(view(analysis({ ...nothing, baselineTooShort: true }))).blocks),
    ).toContain('a few more weeks');
  });

  it('describe the chart in words, and name the edition a “post another” button confirms', () => {
    expect(voicesChartAltText(view(analysis()))).toContain('W9: 6 people');
    expect(JSON.stringify(buildPostAgainQuestion('C0TEAM', undefined, 2).blocks)).toContain('C0TEAM|2');
  });
});

describe('the voices chart and every place that speaks of it', () => {
  const window = { start: new Date('2026-11-20T16:00:00Z'), end: new Date('2026-11-27T16:00:00Z') };
  const digest: Digest = {
    id: 'digest-1',
    teamId: 'T0TEAM',
    enterpriseId: '',
    channelId: 'C0TEAM',
    weekKey: '2026-W48',
    edition: 0,
    occurrenceId: null,
    requestedBy: null,
    windowStart: window.start,
    windowEnd: window.end,
    status: 'posting',
    messageTs: null,
    detailsTs: null,
    chartFileId: null,
    createdAt: window.end,
    updatedAt: window.end,
  };
  const NUMBER_OF_WEEKS = /\b(\d+|zero|one|two|three|four|five|six|seven|eight|nine|ten) weeks?\b/gi;

  it('say the same number of weeks, the weeks drawn, in the same words: chart, file title, alt text, thread', () => {
    for (const count of [9, 4, 1]) {
      const data = analysis({
        voices: {
          weeks: Array.from({ length: count }, (_, index) => ({
            start: new Date(window.start.getTime() - (count - 1 - index) * 7 * 86_400_000),
            voices: 6,
            anonymous: index % 2,
          })),
          drop: null,
        },
      });
      const shown = view(data);
      const { chart, details } = composeDigestMessages({
        digest,
        gathered: { weekKey: digest.weekKey, window, analysis: data, view: shown, timeZone: 'Europe/London' },
      });
      const title = voicesChartTitle(count);
      const drawn = voicesChartSvg({ weeks: chart.weeks, members: chart.members });
      const thread = JSON.stringify(details.blocks);
      const voicesLine = thread.slice(thread.indexOf(`*${title}*`)).split('"}')[0] as string;

      expect(chart.weeks).toHaveLength(count);
      expect(drawn).toContain(`>${title}</text>`);
      expect(chart.title).toBe(title);
      expect(chart.altText.startsWith(`${title}: `)).toBe(true);
      expect(voicesLine.startsWith(`*${title}*`)).toBe(true);
      // Nothing about the chart speaks of any other number of weeks.
      const said = [drawn, chart.title, chart.altText, voicesLine].join('\n');
      for (const [, number] of said.matchAll(NUMBER_OF_WEEKS)) expect(number).toBe(String(count));
    }
    expect(voicesChartTitle(9)).toBe('Voices over 9 weeks');
  });

  it('say a skip spike plainly, in skips rather than people', () => {
    expect(skipSpikeSentence({ reason: 'not_safe', count: 5, usual: 0 })).toBe(
      '5 skips for “not safe to say” this week; usually none.',
    );
    expect(skipSpikeSentence({ reason: 'no_capacity', count: 6, usual: 1.2 })).toBe(
      '6 skips for “no capacity” this week; usually about 1.',
    );
    expect(JSON.stringify(buildDigestDetails(view(analysis())).blocks)).toContain(
      '3 skips for “not safe to say” this week; usually none.',
    );
  });
});

describe('the period a digest covers', () => {
  // Asked for by hand on Friday 4 December 2026 at 10:42 in London (GMT then), seven days back.
  const asked = new Date('2026-12-04T10:42:00Z');
  const byHand = { start: new Date(asked.getTime() - 7 * 86_400_000), end: asked };
  const seconds = (at: Date) => Math.floor(at.getTime() / 1000);
  const handView = (data: DigestAnalysis): DigestView => ({
    ...view(data),
    period: digestPeriod(byHand, 'Europe/London', true),
    askedByHand: true,
  });

  it('says the minute a digest asked for by hand covers up to, and only the days for a week’s slot', () => {
    expect(digestPeriod(byHand, 'Europe/London', true)).toBe('27 Nov – 4 Dec, up to 10:42');
    // The same moment for a channel in New York: its own day and clock.
    expect(digestPeriod(byHand, 'America/New_York', true)).toBe('27 Nov – 4 Dec, up to 05:42');
    // A slot at midnight ends with the day before it.
    const slot = { start: new Date('2026-11-27T00:00:00Z'), end: new Date('2026-12-04T00:00:00Z') };
    expect(digestPeriod(slot, 'UTC')).toBe('27 Nov – 3 Dec');
  });

  it('puts the period in the header as plain text, and in the preview note as Slack dates', () => {
    const shown = handView(analysis({ window: byHand }));
    const header = buildDigestTop(shown).blocks[0] as { text: { type: string; text: string } };
    expect(header.text).toEqual({
      type: 'plain_text',
      text: 'Weekly learning digest · 27 Nov – 4 Dec, up to 10:42',
    });
    expect(digestPreviewNote(shown, 'C0TEAM')).toEqual([
      `Only you can see this: <#C0TEAM>’s digest for <!date^${seconds(byHand.start)}^{date_short}|27 Nov> – <!date^${seconds(asked)}^{date_short} {time}|4 Dec, 10:42>, as it stands now. \`/learning digest post\` posts it.`,
      'Anonymous answers show once the hour they were given in is over, so when they came in stays private.',
    ]);
    const preview = buildDigestPreview(shown, digestPreviewNote(shown, 'C0TEAM'));
    expect(checkView(preview)).toEqual([]);
    expect(JSON.stringify(preview.blocks[0])).toContain('as it stands now');
  });

  it('says nothing happened only for a quiet period, naming it up to the minute it was asked', () => {
    const quiet = handView(analysis({ window: byHand, quiet: true }));
    expect(digestPreviewNote(quiet, 'C0TEAM')[0]).toBe(
      `Only you can see this. Nothing has happened in <#C0TEAM> between <!date^${seconds(byHand.start)}^{date_short}|27 Nov> and <!date^${seconds(asked)}^{date_short} {time}|4 Dec, 10:42>, so no digest would be posted.`,
    );
    expect(digestPreviewNote(handView(analysis({ window: byHand })), 'C0TEAM')[0]).not.toContain(
      'Nothing has happened',
    );
  });
});
