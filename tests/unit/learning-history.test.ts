import { describe, expect, it } from 'vitest';
import { readHistoryPeriod } from '../../src/domain/history-period.js';
import type { HypothesisTested, QuarterPortrait, QuestionEvidence } from '../../src/domain/portrait.js';
import { quarterOf } from '../../src/domain/quarters.js';
import { messageKey } from '../../src/slack/views/digest.js';
import {
  channelCanvasMarkdown,
  historyFileName,
  historyLinks,
  historyOutcomeMessage,
  historyPeriodNotRead,
  historyTitle,
  learningHistoryDocument,
  markdownWords,
  quarterSectionMarkdown,
  questionsSectionMarkdown,
} from '../../src/slack/views/learning-history.js';

const CHANNEL = 'C0TEAM';
const ref = (ts: string) => ({ channelId: CHANNEL, ts });
const at = (iso: string) => new Date(iso);
const linkOf = (ts: string) => `https://team.slack.com/archives/${CHANNEL}/p${ts.replace('.', '')}`;

function portrait(year: number, number: number, overrides: Partial<QuarterPortrait> = {}): QuarterPortrait {
  return {
    quarter: quarterOf(year, number, 'Europe/London'),
    loops: {
      opened: 0,
      closed: 0,
      medianDaysLookBackToAfterAction: null,
      stillOpen: 0,
      openedEvidence: [],
      closedEvidence: [],
      openEvidence: [],
    },
    hypotheses: {
      tested: [],
      verdicts: { borne_out: 0, partly: 0, not_borne_out: 0, too_early: 0 },
      chains: [],
    },
    challenges: [],
    questions: [],
    voices: { weeks: [], averagePerWeek: 0, members: null },
    reviewsWithoutPrompt: { count: 0, of: 0 },
    themes: [],
    notes: [],
    ...overrides,
  };
}

const REFERRALS: QuestionEvidence = {
  id: 'q-referrals',
  text: 'What will it take to halve the referral backlog?',
  pieces: 4,
  latest: {
    id: 'a-7',
    text: 'Triage on Mondays cleared twelve',
    at: at('2026-11-20T10:00:00Z'),
    link: ref('1.7'),
  },
  quotes: [
    { sourceId: 'a-1', text: 'The backlog grows when nobody owns Mondays', link: ref('1.1') },
    { sourceId: 'a-2', text: 'Anonymous: we are afraid to say no to partners', link: null },
  ],
};

const VOLUNTEERS: QuestionEvidence = {
  id: 'q-volunteers',
  text: 'What will it take to keep volunteers past their first month?',
  pieces: 0,
  latest: null,
  quotes: [],
};

type Tagged = HypothesisTested & { questionId?: string | null };

const TRIAGE: Tagged = {
  afterActionId: 'aar-1',
  reviewId: 'bar-1',
  action: 'Monday triage huddle',
  hypothesis: 'If we triage every Monday, then the backlog halves, because nothing waits a week',
  verdict: 'partly',
  revisedHypothesis: 'If two people triage on Mondays, then the backlog halves',
  change: 'Pair up for triage',
  at: at('2026-11-18T15:00:00Z'),
  link: ref('2.1'),
  questionId: 'q-referrals',
};

const NEWSLETTER: Tagged = {
  afterActionId: 'aar-2',
  reviewId: null,
  action: 'Launch the newsletter',
  hypothesis: '',
  verdict: null,
  revisedHypothesis: null,
  change: '',
  at: at('2026-12-02T15:00:00Z'),
  link: null,
  questionId: null,
};

const AUTUMN = portrait(2026, 4, {
  loops: {
    opened: 3,
    closed: 2,
    medianDaysLookBackToAfterAction: 1,
    stillOpen: 1,
    openedEvidence: [],
    closedEvidence: [],
    openEvidence: [],
  },
  hypotheses: {
    tested: [TRIAGE, NEWSLETTER],
    verdicts: { borne_out: 0, partly: 1, not_borne_out: 0, too_early: 0 },
    chains: [
      {
        steps: [
          { reviewId: 'bar-1', hypothesis: TRIAGE.hypothesis, verdict: 'partly', link: ref('2.1') },
          { reviewId: 'bar-2', hypothesis: 'If two people triage on Mondays', verdict: null, link: null },
        ],
      },
    ],
  },
  challenges: [
    {
      label: 'partner sign-off',
      loops: 2,
      lastSeen: at('2026-12-01T09:00:00Z'),
      state: 'advancing',
      link: ref('3.1'),
      quotes: [],
    },
    {
      label: 'waiting on the council',
      loops: 4,
      lastSeen: at('2026-12-10T09:00:00Z'),
      state: 'circling',
      link: ref('3.2'),
      quotes: [
        { sourceId: 'a-9', text: 'Still no reply from the council', link: ref('3.3') },
        { sourceId: 'a-10', text: 'Still  no reply from the council', link: ref('3.4') },
      ],
    },
  ],
  questions: [REFERRALS, VOLUNTEERS],
  voices: { weeks: [], averagePerWeek: 4.25, members: 9 },
  reviewsWithoutPrompt: { count: 1, of: 3 },
  themes: [{ label: 'referral backlog', answers: 6, voices: 4 }],
  notes: [
    { id: 'n-1', text: 'We keep blaming the council', at: at('2026-12-11T12:00:00Z'), link: ref('4.1') },
  ],
});

const SUMMER = portrait(2026, 3, {
  questions: [
    {
      ...REFERRALS,
      pieces: 1,
      latest: null,
      quotes: [{ sourceId: 'a-0', text: 'Summer was quiet', link: null }],
    },
  ],
});

const permalinks = new Map(
  [ref('1.1'), ref('1.7'), ref('2.1'), ref('3.2'), ref('3.3'), ref('4.1')].map((r) => [
    messageKey(r),
    linkOf(r.ts),
  ]),
);

/** The headings of a Markdown document, as `##` lines. */
const headings = (markdown: string, level: string) =>
  markdown.split('\n').filter((line) => line.startsWith(`${level} `));

describe('people’s words in Markdown', () => {
  it('shows what was written, and nothing in it becomes a heading, a link, a table or HTML', () => {
    const written = '# Heads up\n[click](https://evil.example) | a | b |\n<!channel> **loud** _quiet_ `code`';
    const shown = markdownWords(written);
    expect(shown).not.toContain('\n');
    expect(shown).toBe(
      '\\# Heads up \\[click\\](https://evil.example) \\| a \\| b \\| \\<!channel\\> \\*\\*loud\\*\\* \\_quiet\\_ \\`code\\`',
    );
  });

  it('keeps a line that starts like a list or a rule as text', () => {
    expect(markdownWords('- not a list')).toBe('\\- not a list');
    expect(markdownWords('--- not a rule')).toBe('\\--- not a rule');
    expect(markdownWords('1. not a number')).toBe('1\\. not a number');
    expect(markdownWords('2026 was a year')).toBe('2026 was a year');
  });

  it('folds a long answer, with a visible marker', () => {
    const shown = markdownWords('word '.repeat(400), 100);
    expect(shown.length).toBeLessThanOrEqual(100);
    expect(shown.endsWith('…')).toBe(true);
  });
});

describe('the learning questions section', () => {
  it('names each question with its evidence and latest piece, linked', () => {
    const markdown = questionsSectionMarkdown([REFERRALS, VOLUNTEERS], permalinks);
    expect(markdown.split('\n')[0]).toBe('## The learning questions we are working on');
    expect(markdown).toContain(
      `- **What will it take to halve the referral backlog?** — 4 pieces of evidence; the latest, 20 Nov 2026: [“Triage on Mondays cleared twelve”](${linkOf('1.7')})`,
    );
    expect(markdown).toContain(
      '- **What will it take to keep volunteers past their first month?** — nothing tied to it yet',
    );
  });

  it('says how to set questions when there are none', () => {
    expect(questionsSectionMarkdown([])).toContain('`/learning questions`');
  });
});

describe('a quarter’s section', () => {
  const markdown = quarterSectionMarkdown(AUTUMN, permalinks, { timeZone: 'Europe/London' });

  it('starts with the quarter and has nothing else at its level, so a section lookup finds just it', () => {
    expect(markdown.split('\n')[0]).toBe('## October – December 2026');
    expect(headings(markdown, '#')).toEqual([]);
    expect(headings(markdown, '##')).toEqual(['## October – December 2026']);
    expect(headings(markdown, '###')).toEqual([
      '### Hypotheses and verdicts',
      '### What changed as a result',
      '### Challenges advancing or circling',
      '### Themes',
      '### Learning notes',
    ]);
  });

  it('gives the verdicts, each linked to the review that reached it', () => {
    expect(markdown).toContain('2 hypotheses looked back on (partly borne out 1).');
    expect(markdown).toContain(
      `- **Partly borne out:** [If we triage every Monday, then the backlog halves, because nothing waits a week](${linkOf('2.1')})`,
    );
    expect(markdown).toContain('- **No verdict yet:** Launch the newsletter (no hypothesis written)');
  });

  it('says what changed and which hypotheses were tested again', () => {
    expect(markdown).toContain(`- [Pair up for triage](${linkOf('2.1')})`);
    expect(markdown).toContain(
      '  - Next hypothesis: If two people triage on Mondays, then the backlog halves',
    );
    expect(markdown).toContain(' → If two people triage on Mondays (no verdict yet)');
  });

  it('writes a hypothesis tested the same way in several loops once, with the others linked by number', () => {
    const again = { ...TRIAGE, afterActionId: 'aar-3', reviewId: 'bar-3', link: ref('3.2') };
    const thrice = { ...TRIAGE, afterActionId: 'aar-4', reviewId: 'bar-4', link: ref('3.3') };
    const repeated = quarterSectionMarkdown(
      portrait(2026, 4, {
        hypotheses: {
          tested: [TRIAGE, again, thrice],
          verdicts: { borne_out: 0, partly: 3, not_borne_out: 0, too_early: 0 },
          chains: [],
        },
      }),
      permalinks,
    );
    const also = `in 3 loops (also [2](${linkOf('3.2')}), [3](${linkOf('3.3')}))`;
    expect(repeated).toContain(
      `- **Partly borne out:** [If we triage every Monday, then the backlog halves, because nothing waits a week](${linkOf('2.1')}) — ${also}`,
    );
    expect(repeated).toContain(`- [Pair up for triage](${linkOf('2.1')}) — ${also}`);
    expect(repeated.match(/Pair up for triage/g)).toHaveLength(1);
  });

  it('puts the challenge still circling first, with its words, and the one advancing after', () => {
    const circling = markdown.indexOf('**Still circling:** waiting on the council');
    const advancing = markdown.indexOf('**Advancing:** partner sign-off');
    expect(circling).toBeGreaterThan(-1);
    expect(advancing).toBeGreaterThan(circling);
    expect(markdown).toContain(`came up in 4 loops, [last 10 Dec 2026](${linkOf('3.2')})`);
    expect(markdown).toContain(`> “Still no reply from the council” ([where it was said](${linkOf('3.3')}))`);
  });

  it('lists the themes and the team’s notes', () => {
    expect(markdown).toContain('- referral backlog: 6 answers from 4 voices');
    expect(markdown).toContain(`- 11 Dec 2026: [We keep blaming the council](${linkOf('4.1')})`);
    expect(markdown).toContain(
      '3 before-action reviews opened, 2 loops closed with an after-action review; 1 still open; 4.3 voices a week on average of 9 members; 1 of 3 reviews started by the team unprompted.',
    );
  });

  it('says plainly what a quiet quarter lacks', () => {
    const quiet = quarterSectionMarkdown(portrait(2026, 2));
    expect(quiet).toContain('No hypothesis was looked back on this quarter.');
    expect(quiet).toContain('No challenge came up in more than one loop.');
    expect(quiet).toContain('No learning notes');
  });
});

describe('quotes said twice', () => {
  it('are shown once', () => {
    const markdown = quarterSectionMarkdown(AUTUMN, permalinks);
    expect(markdown.match(/Still no reply from the council/g)).toHaveLength(1);
  });
});

describe('the channel’s canvas', () => {
  it('has the questions at the top, then each quarter oldest first', () => {
    const markdown = channelCanvasMarkdown({
      channelName: 'referrals',
      questions: AUTUMN.questions,
      portraits: [AUTUMN, SUMMER],
      permalinks,
    });
    expect(headings(markdown, '#')).toEqual(['# Learning history of #referrals']);
    expect(headings(markdown, '##')).toEqual([
      '## The learning questions we are working on',
      '## July – September 2026',
      '## October – December 2026',
    ]);
  });
});

describe('the learning history a team shares', () => {
  const document = learningHistoryDocument({
    channelName: 'referrals',
    periodLabel: 'July – December 2026',
    portraits: [SUMMER, AUTUMN],
    permalinks,
    calendar: { timeZone: 'Europe/London' },
  });

  it('is organised by learning question, then what served none', () => {
    expect(headings(document, '#')).toEqual(['# Learning history of #referrals']);
    expect(headings(document, '##')).toEqual([
      '## What will it take to halve the referral backlog?',
      '## What will it take to keep volunteers past their first month?',
      '## Beyond the questions',
    ]);
  });

  it('puts people’s words beside what the team made of them, under their question', () => {
    const chapter = document.slice(
      document.indexOf('## What will it take to halve'),
      document.indexOf('## What will it take to keep'),
    );
    expect(chapter).toContain('5 pieces of evidence in this period');
    expect(chapter).toContain(
      `> “The backlog grows when nobody owns Mondays” ([where it was said](${linkOf('1.1')}))`,
    );
    expect(chapter).toContain('> “Summer was quiet”');
    expect(chapter).toContain('**Partly borne out:**');
    expect(chapter).toContain('  - Revised to: ');
    expect(chapter).toContain('  - Changing: Pair up for triage');
    const volunteers = document.slice(
      document.indexOf('## What will it take to keep'),
      document.indexOf('## Beyond the questions'),
    );
    expect(volunteers).toContain('Nothing was tagged with this question in this period');
    expect(volunteers).not.toContain('###');
  });

  it('keeps what served no question under its own heading', () => {
    const beyond = document.slice(document.indexOf('## Beyond the questions'));
    expect(beyond).toContain('**No verdict yet:** Launch the newsletter');
    expect(beyond).toContain('**Still circling:** waiting on the council');
    expect(beyond).toContain('We keep blaming the council');
    expect(beyond).not.toContain('Monday triage');
  });

  it('asks Slack for each linked message once', () => {
    const keys = historyLinks([SUMMER, AUTUMN]).map(messageKey);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toEqual(expect.arrayContaining([...permalinks.keys()]));
  });
});

describe('reading the period of a history', () => {
  const now = at('2027-01-15T12:00:00Z');
  const read = (words: string) => readHistoryPeriod(words, { now, timeZone: 'Europe/London' });
  const keys = (words: string) => {
    const reading = read(words);
    return reading.ok ? reading.period.quarters.map((quarter) => quarter.key) : reading.problem;
  };

  it('reads the quarter so far, the last quarter and a named quarter', () => {
    expect(read('')).toMatchObject({ ok: true, period: { label: 'January – March 2027, so far' } });
    expect(keys('last quarter')).toEqual(['2026-Q4']);
    expect(keys('2026-Q3')).toEqual(['2026-Q3']);
    expect(keys('Q3 2026')).toEqual(['2026-Q3']);
    expect(read('2026-Q4')).toMatchObject({ ok: true, period: { label: 'October – December 2026' } });
  });

  it('cuts a range of days into the quarters it touches', () => {
    const reading = read('2026-08-15 2026-11-30');
    expect(reading.ok).toBe(true);
    if (!reading.ok) return;
    expect(reading.period.label).toBe('15 August 2026 to 30 November 2026');
    expect(
      reading.period.quarters.map((quarter) => [
        quarter.key,
        quarter.firstDay,
        quarter.lastDay,
        quarter.label,
      ]),
    ).toEqual([
      ['2026-Q3', '2026-08-15', '2026-09-30', '15 August 2026 to 30 September 2026'],
      ['2026-Q4', '2026-10-01', '2026-11-30', '1 October 2026 to 30 November 2026'],
    ]);
    expect(reading.period.quarters[1]?.end).toEqual(new Date('2026-12-01T00:00:00Z'));
    expect(keys('2026-07-01 to 2026-09-30')).toEqual(['2026-Q3']);
    expect(keys('last 30 days')).toEqual(['2026-Q4', '2027-Q1']);
  });

  it('says what it could not read', () => {
    expect(keys('Q3')).toBe('say which year too, like “Q3 2027”');
    expect(keys('2027-Q3')).toBe('2027-Q3 has not started yet');
    expect(keys('soon')).toBe('that is not two dates written as YYYY-MM-DD');
    expect(keys('2020-01-01 2026-12-31')).toBe('a history can cover at most 8 quarters');
  });
});

describe('telling the person who asked', () => {
  const period = 'October – December 2026';

  it('links the canvas when Slack named the workspace', () => {
    const title = historyTitle('referrals', period);
    expect(title).toBe('Learning history · #referrals · October – December 2026');
    expect(
      historyOutcomeMessage(
        { outcome: 'canvas', title, url: 'https://team.slack.com/docs/T1/F1' },
        CHANNEL,
        period,
      ),
    ).toBe(
      `The learning history of <#${CHANNEL}> for October – December 2026 is a canvas shared with the channel: <https://team.slack.com/docs/T1/F1|${title}>.`,
    );
  });

  it('says in plain words why a file came instead of a canvas', () => {
    const told = (canvasError: string) =>
      historyOutcomeMessage({ outcome: 'file', title: 't', canvasError }, CHANNEL, period);
    expect(told('free_teams_cannot_create_non_tabbed_canvases')).toBe(
      `This workspace’s Slack plan doesn’t let apps make canvases, so the learning history of <#${CHANNEL}> for October – December 2026 is in the channel as a Markdown file instead.`,
    );
    expect(told('canvas_disabled_user_team')).toMatch(/^Canvases are turned off in this workspace, so/);
    expect(told('missing_scope')).toMatch(/^The app hasn’t been allowed to make canvases/);
  });

  it('asks to be invited when it cannot post', () => {
    expect(historyOutcomeMessage({ outcome: 'failed', error: 'not_in_channel' }, CHANNEL, period)).toContain(
      '`/invite @Learning Thread`',
    );
  });

  it('names the file by the days it covers', () => {
    const reading = readHistoryPeriod('2026-08-15 2026-11-30', {
      now: at('2027-01-15T12:00:00Z'),
      timeZone: 'UTC',
    });
    expect(reading.ok && historyFileName('Referrals & Triage', reading.period)).toBe(
      'learning-history-referrals-triage-2026-08-15-to-2026-11-30.md',
    );
  });

  it('repeats a period it could not read, escaped, with what works', () => {
    expect(
      historyPeriodNotRead('/learning history <!channel>', 'that is not two dates', ['`a`', '`b`']),
    ).toBe('I couldn’t read “/learning history &lt;!channel&gt;”: that is not two dates. Try `a`, `b`.');
  });
});
