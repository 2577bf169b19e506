import { describe, expect, it } from 'vitest';
import type { PersonalData } from '../../src/db/queries/ownership.js';
import {
  type ChannelHistory,
  CSV_COLUMNS,
  csvCell,
  type ExportReview,
  exportFileName,
  firstRecordDay,
  historyCsv,
  historyMarkdown,
  historyRecords,
  MY_WORDS_CSV_COLUMNS,
  type MyWords,
  markdownText,
  myWordsCsv,
  myWordsFileName,
  myWordsMarkdown,
  peopleIn,
  peopleInWords,
  type StoredWords,
  wordsByChannel,
} from '../../src/domain/export-format.js';
import { periodInstants, periodOf, readExportPeriod } from '../../src/domain/export-period.js';
import { historyPeriodOfDays, MAX_HISTORY_QUARTERS } from '../../src/domain/history-period.js';
import {
  buildDeleteChannelConfirm,
  buildDeleteChannelDone,
  buildForgetMeConfirm,
  buildForgetMeDone,
  CONFIRMATION_LIFETIME_MS,
  confirmationValueOf,
  confirms,
  parseConfirmation,
} from '../../src/slack/views/ownership.js';
import { csvObjects, parseCsv } from '../support/csv.js';
import { checkMessageBlocks } from '../support/fake-slack.js';

const at = (iso: string) => new Date(iso);

function history(overrides: Partial<ChannelHistory> = {}): ChannelHistory {
  return {
    channelId: 'C0TEAM',
    channelName: 'team',
    generatedAt: at('2026-12-01T12:00:00Z'),
    period: { from: '2026-11-01', to: '2026-12-01', everything: true },
    // The steward left the workspace: Slack no longer names them.
    names: new Map([
      ['U0AUTHOR', 'Ada Author'],
      ['U0TEAMMATE', 'Tomás T.'],
    ]),
    timeZone: 'Europe/London',
    questions: [
      {
        id: 'q1',
        createdAt: at('2026-11-01T09:00:00Z'),
        createdBy: 'U0STEWARD',
        text: 'What will it take to hear from families?',
        retiredAt: null,
      },
    ],
    reviews: [
      {
        id: 'b1',
        createdAt: at('2026-11-20T10:00:00Z'),
        authorId: 'U0AUTHOR',
        action: 'Run the listening session',
        intendedResults: 'Twenty residents, "five new voices"',
        anticipatedChallenges: 'Turnout, again',
        lessonsFromBefore: '',
        successFactors: 'Co-hosting',
        hypothesisIf: 'we co-host',
        hypothesisThen: 'more people speak',
        hypothesisBecause: null,
        lookBackOn: '2026-11-27',
        status: 'closed',
        people: ['U0AUTHOR', 'U0TEAMMATE'],
      },
    ],
    afterActionReviews: [
      {
        id: 'a1',
        createdAt: at('2026-11-27T16:00:00Z'),
        authorId: 'U0TEAMMATE',
        reviewId: 'b1',
        action: 'Run the listening session',
        intended: '',
        whatHappened: 'Twelve came',
        whyDifferent: 'Hard to find',
        sustain: 'Rounds',
        change: 'Venue',
        verdict: 'not_borne_out',
        revisedHypothesis: 'If we meet in the library, then more come',
        people: ['U0AUTHOR'],
      },
    ],
    perspectives: [
      {
        id: 'p1',
        createdAt: at('2026-11-27T17:00:00Z'),
        userId: null,
        target: 'after',
        reviewId: 'a1',
        answers: { whatHappened: 'The usual voices dominated', sustain: '' },
      },
    ],
    answers: [
      {
        id: 'r1',
        createdAt: at('2026-11-23T10:00:00Z'),
        kind: 'thread',
        authorId: 'U0TEAMMATE',
        text: '=HYPERLINK("http://x","y")',
        confidence: null,
        occurrenceKind: 'week_ahead',
        prompt: 'What is coming up?',
      },
      {
        id: 'r2',
        createdAt: at('2026-11-23T11:00:00Z'),
        kind: 'anonymous',
        authorId: null,
        text: 'Nobody asked the volunteers,\nagain.',
        confidence: null,
        occurrenceKind: 'week_ahead',
        prompt: 'What is coming up?',
      },
      {
        id: 'r3',
        createdAt: at('2026-11-30T11:00:00Z'),
        kind: 'private',
        authorId: null,
        text: '',
        confidence: 4,
        occurrenceKind: 'pre_check_in',
        prompt: null,
      },
    ],
    skips: [
      { id: 's1', createdAt: at('2026-11-23T12:00:00Z'), reason: 'not_safe' },
      { id: 's2', createdAt: at('2026-11-23T12:30:00Z'), reason: 'not_safe' },
      { id: 's3', createdAt: at('2026-11-23T13:00:00Z'), reason: 'no_capacity' },
    ],
    notes: [
      {
        id: 'n1',
        createdAt: at('2026-11-28T09:00:00Z'),
        userId: 'U0AUTHOR',
        text: '# We keep *hearing* <!channel>',
      },
    ],
    digests: [
      {
        id: 'd1',
        createdAt: at('2026-11-27T16:00:00Z'),
        weekKey: '2026-W48',
        edition: 0,
        status: 'posted',
        items: [],
      },
    ],
    ...overrides,
  };
}

describe('csvCell', () => {
  it('leaves plain text alone and quotes what RFC 4180 needs quoted', () => {
    expect(csvCell('plain words')).toBe('plain words');
    expect(csvCell('a, b')).toBe('"a, b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('')).toBe('');
  });

  it('defuses every cell a spreadsheet would run as a formula', () => {
    for (const start of ['=', '+', '-', '@', '\t', '\r']) {
      const cell = csvCell(`${start}SUM(A1:A9)`);
      expect(cell.replace(/^"/, '').startsWith("'")).toBe(true);
    }
    expect(csvCell('=1+1, or not')).toBe(`"'=1+1, or not"`);
    expect(csvCell('a = b')).toBe('a = b');
  });
});

describe('historyCsv', () => {
  it('parses strictly, with the header and one row per record', () => {
    const text = historyCsv(history());
    // A byte order mark first, so Excel reads the names as UTF-8 rather than its legacy code page.
    expect(text.startsWith('\uFEFFkind,id,created_at,week,author,author_name,')).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
    const [header, ...rows] = parseCsv(text);
    expect(header).toEqual([...CSV_COLUMNS]);
    // 1 question, 1 review, 1 after-action review, 1 perspective, 3 answers, 3 skips, 1 note, 1 digest.
    expect(rows).toHaveLength(12);
    expect(historyRecords(history())).toHaveLength(12);
    for (const row of rows) expect(row).toHaveLength(CSV_COLUMNS.length);
  });

  it('marks anonymous and private entries, and names only what the channel saw named', () => {
    const rows = csvObjects(historyCsv(history()));
    const anonymous = rows.filter((row) => row.visibility === 'anonymous');
    expect(anonymous.map((row) => row.kind).sort()).toEqual(['answer', 'perspective']);
    for (const row of anonymous) expect(row.author).toBe('');
    const confidence = rows.find((row) => row.kind === 'confidence');
    expect(confidence).toMatchObject({ visibility: 'private', author: '', confidence: '4' });
    const skipRows = rows.filter((row) => row.kind === 'skip');
    expect(skipRows.map((row) => row.author)).toEqual(['', '', '']);
    expect(skipRows.map((row) => row.reason)).toContain('Not safe to say');
    expect(rows.find((row) => row.kind === 'answer' && row.visibility === 'public')).toMatchObject({
      author: 'U0TEAMMATE',
      author_name: 'Tomás T.',
    });
    for (const row of [...anonymous, confidence, ...skipRows]) expect(row?.author_name).toBe('');
  });

  it('names people beside their ids, and keeps the id where Slack gave no name', () => {
    const rows = csvObjects(historyCsv(history()));
    expect(rows.find((row) => row.kind === 'before_action_review')).toMatchObject({
      author: 'U0AUTHOR',
      author_name: 'Ada Author',
      people: 'U0AUTHOR U0TEAMMATE',
      people_names: 'Ada Author; Tomás T.',
    });
    expect(rows.find((row) => row.kind === 'learning_question')).toMatchObject({
      author: 'U0STEWARD',
      author_name: 'U0STEWARD',
    });
  });

  it('defuses a name a spreadsheet would run as a formula', () => {
    const names = new Map([['U0TEAMMATE', '=cmd|"/c calc"!A1']]);
    const row = csvObjects(historyCsv(history({ names }))).find((r) => r.id === 'r1');
    expect(row?.author_name).toBe(`'=cmd|"/c calc"!A1`);
  });

  it('keeps what people wrote exactly, apart from the defusing quote', () => {
    const rows = csvObjects(historyCsv(history()));
    expect(rows.find((row) => row.id === 'r1')?.text).toBe(`'=HYPERLINK("http://x","y")`);
    expect(rows.find((row) => row.id === 'r2')?.text).toBe('Nobody asked the volunteers,\nagain.');
    const review = rows.find((row) => row.kind === 'before_action_review');
    expect(review?.text).toContain('Intended results: Twenty residents, "five new voices"');
    expect(review?.hypothesis).toBe('If we co-host, then we expect more people speak.');
    expect(review?.people).toBe('U0AUTHOR U0TEAMMATE');
    const aar = rows.find((row) => row.kind === 'after_action_review');
    expect(aar).toMatchObject({ verdict: 'Not borne out', related_id: 'b1', week: '2026-W48' });
  });

  it('counts the votes on each digest item in a row of its own, and names nobody', () => {
    const [digest] = history().digests;
    const voted = history({
      digests: [
        {
          ...(digest as ChannelHistory['digests'][number]),
          items: [
            { itemKey: 'theme:handover', useful: 3, notUseful: 1 },
            { itemKey: 'voices', useful: 0, notUseful: 2 },
          ],
        },
      ],
    });
    const rows = csvObjects(historyCsv(voted)).filter((row) => row.kind === 'digest_item');
    expect(rows).toEqual([
      expect.objectContaining({
        id: 'theme:handover',
        related_id: 'd1',
        week: '2026-W48',
        author: '',
        useful: '3',
        not_useful: '1',
      }),
      expect.objectContaining({ id: 'voices', related_id: 'd1', useful: '0', not_useful: '2' }),
    ]);
    const markdown = historyMarkdown(voted);
    expect(markdown).toContain('  - theme:handover: 3 useful, 1 not useful');
    expect(markdown).toContain('  - voices: 0 useful, 2 not useful');
  });
});

describe('historyMarkdown', () => {
  const text = historyMarkdown(history());

  it('has a section for each kind of record, answers grouped by week and skips counted by reason', () => {
    for (const heading of [
      '## Learning questions (1)',
      '## Before-action reviews (1)',
      '## After-action reviews (1)',
      '## Perspectives (1)',
      '## Answers by week (3)',
      '### 2026-W48 (2)',
      '### 2026-W49 (1)',
      '## Skips (3)',
      '| Not safe to say | 2 |',
      '| No capacity this week | 1 |',
      '## Learning notes (1)',
      '## Digests (1)',
    ]) {
      expect(text).toContain(heading);
    }
    expect(text).toContain('**Verdict:** Not borne out');
    expect(text).toContain('**Hypothesis:** If we co-host, then we expect more people speak.');
  });

  it('marks anonymous and private entries without a name', () => {
    expect(text).toContain('*anonymous*');
    expect(text).toMatch(
      /\*anonymous\* \(to “What is coming up\?”\): Nobody asked the volunteers,\n {2}again\./,
    );
    expect(text).toContain('*private* (to “Pre-action check-in”): confidence 4 of 5');
    expect(text).toContain('Tomás T. (U0TEAMMATE) (to “What is coming up?”)');
    expect(text).toContain(
      'Started by Ada Author (U0AUTHOR) on 2026-11-20; people involved: Ada Author (U0AUTHOR), Tomás T. (U0TEAMMATE)',
    );
    expect(text).not.toContain('@U0');
  });

  it('names the channel and the days it covers in its header', () => {
    expect(text.split('\n').slice(0, 3)).toEqual([
      '# Learning history of #team',
      '',
      'Covers everything stored, from 2026-11-01 (the first record) to 2026-12-01. Channel C0TEAM.',
    ]);
    const ranged = historyMarkdown(
      history({ channelName: null, period: { from: '2026-11-23', to: '2026-11-29', everything: false } }),
    );
    expect(ranged.split('\n').slice(0, 3)).toEqual([
      '# Learning history of channel C0TEAM',
      '',
      'Covers 2026-11-23 to 2026-11-29, both days included. Channel C0TEAM.',
    ]);
  });

  it('keeps a name from becoming markup', () => {
    const names = new Map([['U0AUTHOR', '*Ada* <!here>']]);
    expect(historyMarkdown(history({ names }))).toContain('Started by \\*Ada\\* \\<!here\\> (U0AUTHOR)');
  });

  it('shows what people wrote without letting it become markup', () => {
    expect(text).toContain('\\# We keep \\*hearing\\* \\<!channel\\>');
    expect(markdownText('[link](javascript:x) `code` _em_')).toBe(
      '\\[link\\](javascript:x) \\`code\\` \\_em\\_',
    );
    expect(markdownText('one\n- two\n3. three')).toBe('one\n  \\- two\n  3\\. three');
  });
});

const data: PersonalData = {
  words: {
    beforeActionReviews: 2,
    afterActionReviews: 1,
    perspectives: 1,
    answers: 5,
    confidence: 1,
    skips: 0,
    learningNotes: 1,
    digestVotes: 2,
  },
  mentions: {
    reviewPeople: 3,
    afterActionReviewPeople: 1,
    stewardedChannels: 1,
    learningQuestions: 2,
    prompts: 0,
    settings: 4,
  },
  othersUnderTheirReviews: 2,
};

describe('ownership confirmations', () => {
  const issuedAt = at('2026-12-01T12:00:00Z').getTime();
  const mine = { teamId: 'T0TEAM', userId: 'U0AUTHOR', issuedAt };

  it('round-trips a confirmation and refuses anything malformed', () => {
    expect(parseConfirmation(confirmationValueOf(mine))).toEqual(mine);
    const channel = { ...mine, channelId: 'C0TEAM' };
    expect(parseConfirmation(confirmationValueOf(channel))).toEqual(channel);
    for (const bad of ['', 'T0TEAM|U0AUTHOR', 'T0TEAM|U0AUTHOR|soon', 'T0TEAM|U0AUTHOR|1|D0DM', 't|u|1']) {
      expect(parseConfirmation(bad)).toBeUndefined();
    }
  });

  it('confirms only for the same person, workspace and channel, while fresh', () => {
    const click = { teamId: 'T0TEAM', userId: 'U0AUTHOR', at: new Date(issuedAt + 60_000) };
    expect(confirms(mine, click)).toBe('yes');
    expect(confirms(mine, { ...click, userId: 'U0TEAMMATE' })).toBe('not_theirs');
    expect(confirms(mine, { ...click, teamId: 'T0OTHER' })).toBe('not_theirs');
    expect(confirms(mine, { ...click, channelId: 'C0TEAM' })).toBe('not_theirs');
    expect(confirms(mine, { ...click, at: new Date(issuedAt + CONFIRMATION_LIFETIME_MS + 1) })).toBe(
      'expired',
    );
    expect(confirms(mine, { ...click, at: new Date(issuedAt - 1) })).toBe('expired');
  });

  it('lists the counts in valid Block Kit, with a danger button that asks again', () => {
    const message = buildForgetMeConfirm(data, mine);
    expect(checkMessageBlocks(message.blocks)).toEqual([]);
    const shown = JSON.stringify(message.blocks);
    for (const line of [
      '2 before-action reviews you started',
      '1 after-action review you wrote',
      '5 answers',
      '1 confidence answer',
      '1 learning note',
      '2 votes on whether a digest’s items were useful',
      'named in 3 before-action reviews',
      'steward of 1 channel',
      '2 learning questions and 0 prompts',
      '4 settings',
      '2 perspectives and answers',
      'Anonymous answers and perspectives stay',
    ]) {
      expect(shown).toContain(line);
    }
    expect(shown).not.toContain('skip');
    expect(shown).toContain(confirmationValueOf(mine));
    expect(shown).toContain('"style":"danger"');
  });

  it('says what will happen before the click, and what happened after it', () => {
    const asked = buildForgetMeConfirm(data, mine);
    const askedTexts = asked.blocks.map((block) => JSON.stringify(block));
    expect(askedTexts.join(' ')).not.toContain('Deleted');
    expect(askedTexts.join(' ')).not.toContain('came off');
    expect(asked.blocks[1]).toEqual({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: [
          '*This will delete:*',
          '• 2 before-action reviews you started',
          '• 1 after-action review you wrote',
          '• 1 perspective with your name',
          '• 5 answers to prompts and check-ins (in threads and private)',
          '• 1 confidence answer',
          '• 1 learning note',
          '• 2 votes on whether a digest’s items were useful',
        ].join('\n'),
      },
    });
    const done = buildForgetMeDone(data, { removed: 3, notRemoved: 0 });
    expect((done.blocks[1] as { text: { text: string } }).text.text.split('\n')[0]).toBe('*Deleted:*');
    expect(JSON.stringify(done.blocks)).toContain('*Your name came off:*');
  });

  it('says so plainly, with no button, when nothing is stored', () => {
    const none = buildForgetMeConfirm(
      {
        words: {
          ...data.words,
          beforeActionReviews: 0,
          afterActionReviews: 0,
          perspectives: 0,
          answers: 0,
          confidence: 0,
          learningNotes: 0,
          digestVotes: 0,
        },
        mentions: {
          reviewPeople: 0,
          afterActionReviewPeople: 0,
          stewardedChannels: 0,
          learningQuestions: 0,
          prompts: 0,
          settings: 0,
        },
        othersUnderTheirReviews: 0,
      },
      mine,
    );
    expect(JSON.stringify(none.blocks)).not.toContain('actions');
    expect(none.text).toMatch(/Nothing you wrote/);
  });

  it('reports what went and what could not be removed', () => {
    const done = buildForgetMeDone(data, { removed: 3, notRemoved: 1 });
    expect(checkMessageBlocks(done.blocks)).toEqual([]);
    expect(JSON.stringify(done.blocks)).toContain(
      '3 messages of the app’s that carried your words were removed',
    );
    expect(JSON.stringify(done.blocks)).toContain('1 message could not be removed');
  });

  it('asks before deleting a channel, with counts', () => {
    const counts = {
      beforeActionReviews: 2,
      reviewPeople: 4,
      afterActionReviews: 1,
      afterActionReviewPeople: 2,
      perspectives: 3,
      occurrences: 9,
      responses: 12,
      skips: 2,
      learningQuestions: 1,
      customPrompts: 0,
      rhythms: 4,
      channelSettings: 1,
      channelWelcomes: 1,
      digests: 1,
      learningNotes: 1,
      channelStewards: 1,
      historyCanvases: 1,
      lessonSharing: 0,
    };
    const message = buildDeleteChannelConfirm('C0TEAM', counts, { ...mine, channelId: 'C0TEAM' });
    expect(checkMessageBlocks(message.blocks)).toEqual([]);
    const shown = JSON.stringify(message.blocks);
    expect(shown).toContain('12 answers');
    expect(shown).toContain('6 records of who was involved');
    expect(shown).not.toContain('channel prompt');
    expect(shown).toContain('1 learning history canvas setting');
    expect(shown).toContain('*This will delete:*');
    expect(shown).toContain('Nothing has been deleted yet.');
    expect(shown).not.toContain('Deleted');
    const done = buildDeleteChannelDone('C0TEAM', counts);
    expect(done.text).toBe('Deleted everything stored for #C0TEAM.');
    expect(JSON.stringify(done.blocks)).toContain(
      'Deleted everything stored for <#C0TEAM>:\\n• 2 before-action reviews',
    );
  });
});

describe('export files', () => {
  it('are named after the channel and the days they cover, or the id when Slack gave no name', () => {
    const period = { from: '2026-11-01', to: '2026-11-30', everything: false };
    expect(exportFileName({ channelId: 'C0TEAM', channelName: 'team', period }, 'csv')).toBe(
      'learning-thread-team-2026-11-01-to-2026-11-30.csv',
    );
    expect(exportFileName({ channelId: 'C0TEAM', channelName: null, period }, 'md')).toBe(
      'learning-thread-C0TEAM-2026-11-01-to-2026-11-30.md',
    );
    expect(exportFileName({ channelId: 'C0TEAM', channelName: 'équipe/../x', period }, 'md')).toBe(
      'learning-thread-équipe-x-2026-11-01-to-2026-11-30.md',
    );
  });

  it('asks Slack only about people who carry an id: never anonymous or private entries', () => {
    expect(peopleIn(history()).sort()).toEqual(['U0AUTHOR', 'U0STEWARD', 'U0TEAMMATE']);
    expect(firstRecordDay(history(), 'Europe/London')).toBe('2026-11-01');
    expect(firstRecordDay({ ...history(), questions: [], reviews: [] }, 'America/New_York')).toBe(
      '2026-11-23',
    );
  });
});

describe('reading an export’s dates', () => {
  it.each([
    ['', { kind: 'everything' }],
    ['2026-11-01 2026-11-30', { kind: 'between', from: '2026-11-01', to: '2026-11-30' }],
    ['2026-11-01 to 2026-11-30', { kind: 'between', from: '2026-11-01', to: '2026-11-30' }],
    ['2026-11-05 2026-11-05', { kind: 'between', from: '2026-11-05', to: '2026-11-05' }],
    ['last 30 days', { kind: 'last', days: 30 }],
    ['Last 1 day', { kind: 'last', days: 1 }],
  ])('reads “%s”', (words, request) => {
    expect(readExportPeriod(words)).toEqual({ ok: true, request });
  });

  it.each([
    ['2026-11-31 2026-12-01', '2026-11-31 is not a date (write it as YYYY-MM-DD)'],
    ['2026-02-29 2026-03-01', '2026-02-29 is not a date (write it as YYYY-MM-DD)'],
    ['2026-11-30 2026-11-01', '2026-11-30 comes after 2026-11-01: put the earlier date first'],
    ['2026-11-01', '2026-11-01 is one date; I need two, from and to'],
    ['november', 'that is not two dates written as YYYY-MM-DD'],
    ['01/11/2026 30/11/2026', 'that is not two dates written as YYYY-MM-DD'],
    ['2026-11-01 2026-11-30 2026-12-01', 'that is not two dates written as YYYY-MM-DD'],
    ['last month', 'say how many days, like “last 30 days”'],
    ['last 0 days', 'the number of days must be between 1 and 3660'],
    ['2000-01-01 2026-01-01', 'a range can be at most 3660 days long'],
  ])('says what is wrong with “%s”', (words, problem) => {
    expect(readExportPeriod(words)).toEqual({ ok: false, problem });
  });

  it('counts days in the channel’s calendar, both ends included', () => {
    expect(periodOf({ kind: 'last', days: 30 }, '2026-11-30')).toEqual({
      from: '2026-11-01',
      to: '2026-11-30',
      everything: false,
    });
    expect(periodOf({ kind: 'everything' }, '2026-11-30', '2026-10-02')).toEqual({
      from: '2026-10-02',
      to: '2026-11-30',
      everything: true,
    });
    // Across the end of British Summer Time: the last day is 25 hours long.
    expect(periodInstants({ from: '2026-10-24', to: '2026-10-25' }, 'Europe/London')).toEqual({
      from: at('2026-10-23T23:00:00Z'),
      until: at('2026-10-26T00:00:00Z'),
    });
    expect(periodInstants({ from: '2026-11-01', to: '2026-11-30' }, 'America/New_York')).toEqual({
      from: at('2026-11-01T04:00:00Z'),
      until: at('2026-12-01T05:00:00Z'),
    });
  });
});

describe('a channel export beside its learning history', () => {
  it('names the learning history file and says whether the canvas is on', () => {
    const markdown = historyMarkdown(
      history({
        learningHistory: {
          fileName: 'learning-history-team-2026-11-01-to-2026-12-01.md',
          covers: '1 November 2026 to 1 December 2026',
        },
        historyCanvas: 'refused',
      }),
    );
    expect(markdown).toContain(
      'What the team asked, what people said and what it made of it, organised by learning question, is in the file learning-history-team-2026-11-01-to-2026-12-01.md beside this one.\nThe channel’s learning history canvas is on, but Slack refuses canvases in this workspace, so after each digest the history goes to the channel as a Markdown file instead.\n\n## Learning questions (1)',
    );
  });

  it('says when the export reaches further back than a learning history does', () => {
    const markdown = historyMarkdown(
      history({
        learningHistory: {
          fileName: 'learning-history-team-2025-01-01-to-2026-12-01.md',
          covers: '1 January 2025 to 1 December 2026',
          latestQuarters: 8,
        },
        historyCanvas: 'off',
      }),
    );
    expect(markdown).toContain(
      'A learning history reaches back at most 8 quarters, so it covers 1 January 2025 to 1 December 2026.',
    );
    expect(markdown).toContain('The channel’s learning history canvas is off: a steward turned it off.');
  });

  it('says nothing of either when the export was made without them', () => {
    expect(historyMarkdown(history())).not.toContain('learning history canvas');
  });

  it('keeps the latest quarters of a range longer than a learning history covers', () => {
    const twoYears = historyPeriodOfDays('2024-11-15', '2026-11-20', 'Europe/London');
    expect(twoYears.cut).toBe(true);
    expect(twoYears.period.quarters).toHaveLength(MAX_HISTORY_QUARTERS);
    expect(twoYears.period.quarters[0]?.firstDay).toBe('2025-01-01');
    expect(twoYears.period.quarters.at(-1)?.lastDay).toBe('2026-11-20');
    expect(twoYears.period.label).toBe('1 January 2025 to 20 November 2026');

    const days = historyPeriodOfDays('2026-11-15', '2026-11-20', 'Europe/London');
    expect(days).toMatchObject({ cut: false, period: { label: '15 November 2026 to 20 November 2026' } });
    expect(days.period.quarters.map((quarter) => [quarter.firstDay, quarter.lastDay])).toEqual([
      ['2026-11-15', '2026-11-20'],
    ]);
  });
});

describe('one person’s own words', () => {
  const channel = history();
  const words: StoredWords = {
    reviews: [
      { ...(channel.reviews[0] as ExportReview), channelId: 'C0TEAM' },
      {
        ...(channel.reviews[0] as ExportReview),
        id: 'b2',
        action: 'Walk the estate',
        createdAt: at('2026-10-02T09:00:00Z'),
        channelId: 'C0ELSEWHERE',
      },
    ],
    afterActionReviews: [],
    perspectives: [
      {
        id: 'p2',
        createdAt: at('2026-11-21T09:00:00Z'),
        userId: 'U0AUTHOR',
        target: 'before',
        reviewId: 'b9',
        action: 'Meet the funder',
        answers: { anticipatedChallenges: 'Their timeline' },
        channelId: 'C0TEAM',
      },
    ],
    answers: [
      {
        id: 'r8',
        createdAt: at('2026-11-23T10:00:00Z'),
        kind: 'private',
        authorId: 'U0AUTHOR',
        text: 'Not sure, privately',
        confidence: null,
        occurrenceKind: 'week_ahead',
        prompt: 'What is coming up?',
        channelId: 'C0TEAM',
      },
      {
        id: 'r9',
        createdAt: at('2026-11-23T09:00:00Z'),
        kind: 'thread',
        authorId: 'U0AUTHOR',
        text: '=1+1, in the thread',
        confidence: null,
        occurrenceKind: 'week_ahead',
        prompt: 'What is coming up?',
        channelId: 'C0TEAM',
      },
      {
        id: 'r10',
        createdAt: at('2026-11-30T11:00:00Z'),
        kind: 'private',
        authorId: 'U0AUTHOR',
        text: '',
        confidence: 3,
        occurrenceKind: 'pre_check_in',
        prompt: null,
        channelId: 'C0TEAM',
      },
    ],
    skips: [{ id: 's9', createdAt: at('2026-11-23T12:00:00Z'), reason: 'no_capacity', channelId: 'C0TEAM' }],
    notes: [],
  };
  const channels = wordsByChannel(words);
  const mine: MyWords = {
    userId: 'U0AUTHOR',
    generatedAt: at('2026-12-01T12:00:00Z'),
    timeZone: 'Europe/London',
    names: new Map([
      ['U0AUTHOR', 'Ada Author'],
      ['U0TEAMMATE', 'Tomás T.'],
    ]),
    channelNames: new Map([['C0TEAM', 'team']]),
    channels,
  };

  it('splits them by channel, the channel written in first coming first, each kind oldest first', () => {
    expect(channels.map((one) => one.channelId)).toEqual(['C0ELSEWHERE', 'C0TEAM']);
    expect(channels[1]?.answers.map((answer) => answer.id)).toEqual(['r9', 'r8', 'r10']);
    expect(channels[1]).not.toHaveProperty('first');
    expect(peopleInWords('U0AUTHOR', channels).sort()).toEqual(['U0AUTHOR', 'U0TEAMMATE']);
  });

  it('names the files after the day they were made', () => {
    expect(myWordsFileName('2026-12-01', 'md')).toBe('learning-thread-my-words-2026-12-01.md');
  });

  it('is a CSV a strict reader accepts, a channel column first, every row theirs', () => {
    const text = myWordsCsv(mine);
    expect(text.startsWith('\uFEFFchannel,channel_name,kind,')).toBe(true);
    const [header, ...rows] = parseCsv(text);
    expect(header).toEqual([...MY_WORDS_CSV_COLUMNS]);
    expect(header).not.toContain('useful');
    expect(rows).toHaveLength(7);
    const objects = csvObjects(text);
    expect(objects.map((row) => [row.channel, row.channel_name, row.kind])).toEqual([
      ['C0ELSEWHERE', '', 'before_action_review'],
      ['C0TEAM', 'team', 'before_action_review'],
      ['C0TEAM', 'team', 'perspective'],
      ['C0TEAM', 'team', 'answer'],
      ['C0TEAM', 'team', 'answer'],
      ['C0TEAM', 'team', 'confidence'],
      ['C0TEAM', 'team', 'skip'],
    ]);
    expect(objects.find((row) => row.id === 'r9')?.text).toBe("'=1+1, in the thread");
    expect(objects.find((row) => row.id === 'r8')).toMatchObject({
      visibility: 'private',
      author: 'U0AUTHOR',
      author_name: 'Ada Author',
    });
    expect(objects.find((row) => row.kind === 'perspective')?.context).toBe(
      'on a before-action review: Meet the funder',
    );
  });

  it('reads as Markdown: a heading for each channel, how each answer was given, each skip on its day', () => {
    const markdown = myWordsMarkdown(mine);
    expect(markdown.split('\n').slice(0, 4)).toEqual([
      '# What you wrote in Learning Thread',
      '',
      'Everything this workspace stores with your name on it, Ada Author (U0AUTHOR), in 2 channels: your before- and after-action reviews, your perspectives, your answers in threads and private ones, your skips with their reasons, and your learning notes.',
      'Exported 2026-12-01 12:00 (Europe/London); dates and weeks below are in that time zone.',
    ]);
    expect(markdown).toContain('Your anonymous answers and perspectives are not here');
    // A channel Slack would not name keeps its id.
    expect(markdown.indexOf('## Channel C0ELSEWHERE')).toBeLessThan(markdown.indexOf('## #team (C0TEAM)'));
    expect(markdown).toContain('### Before-action reviews (1)\n\n#### Walk the estate');
    expect(markdown).toContain(
      '#### 2026-11-21, Ada Author (U0AUTHOR), on the before-action review “Meet the funder”',
    );
    expect(markdown).toContain(
      '#### 2026-W48 (2)\n\n- 2026-11-23, *in the thread* (to “What is coming up?”): =1+1, in the thread\n- 2026-11-23, *private* (to “What is coming up?”): Not sure, privately',
    );
    expect(markdown).toContain('- 2026-11-30, *private* (to “Pre-action check-in”): confidence 3 of 5');
    expect(markdown).toContain('### Skips (1)\n\n- 2026-11-23: No capacity this week');
    // What they never wrote has no heading: a person's file is theirs, not a form to fill.
    expect(markdown).not.toContain('After-action reviews');
    expect(markdown).not.toContain('Learning notes');
    expect(markdown).not.toContain('Digests');
    expect(markdown).not.toContain('Learning questions (');
    expect(markdown.endsWith('\n')).toBe(true);
    expect(markdown).not.toMatch(/\n{3}/);
  });
});
