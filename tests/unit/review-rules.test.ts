import { describe, expect, it } from 'vitest';
import {
  type BarDraft,
  type BarField,
  defaultLookBackDate,
  hypothesisParts,
  hypothesisSentence,
  MAX_ANSWER_LENGTH,
  MAX_LOOK_BACK_DAYS,
  MAX_PEOPLE,
  validateBarDraft,
} from '../../src/domain/review.js';
import { addCalendarDays, calendarDateIn, formatLongDate, isValidTimeZone } from '../../src/domain/time.js';
import { barDraft } from '../support/factories.js';

const TODAY = '2026-11-21';

// The same answers the end-to-end tests type, so every layer is checked against one realistic review.
const draft = (overrides: Partial<BarDraft> = {}): BarDraft => barDraft(overrides);

function errorsOf(overrides: Partial<BarDraft>, today = TODAY): Partial<Record<BarField, string>> {
  const result = validateBarDraft(draft(overrides), today);
  return result.ok ? {} : result.errors;
}

function validBar(overrides: Partial<BarDraft>, today = TODAY) {
  const result = validateBarDraft(draft(overrides), today);
  if (!result.ok) throw new Error(`expected the draft to be accepted, got ${JSON.stringify(result.errors)}`);
  return result.bar;
}

// A five-minute huddle needs only these (and the look-back date); everything else may be left empty.
const REQUIRED_FIELDS = ['action', 'intendedResults', 'hypothesis'] as const;
const OPTIONAL_FIELDS = ['anticipatedChallenges', 'lessonsFromBefore', 'successFactors'] as const;
const TEXT_FIELDS = [...REQUIRED_FIELDS, ...OPTIONAL_FIELDS] as const;

describe('validateBarDraft: answers', () => {
  it('accepts a complete draft', () => {
    expect(validateBarDraft(draft(), TODAY).ok).toBe(true);
  });

  it.each(
    REQUIRED_FIELDS.flatMap((field) => [
      [field, ''],
      [field, '   \n\t  '],
    ]),
  )('asks for %s when it is %j, and only for that', (field, value) => {
    const errors = errorsOf({ [field]: value });
    expect(Object.keys(errors)).toEqual([field]);
    expect(errors[field]).toMatch(/\S/);
  });

  it('gives each empty required answer its own message', () => {
    const empty = Object.fromEntries(REQUIRED_FIELDS.map((field) => [field, ' ']));
    const errors = errorsOf(empty);
    expect(Object.keys(errors).sort()).toEqual([...REQUIRED_FIELDS].sort());
    expect(new Set(Object.values(errors)).size).toBe(REQUIRED_FIELDS.length);
  });

  it.each(OPTIONAL_FIELDS)('lets %s stay empty, and stores it as empty text', (field) => {
    expect(validBar({ [field]: '  ' })[field]).toBe('');
  });

  it('accepts the action, intended results, hypothesis and look-back date alone', () => {
    const bar = validBar({ anticipatedChallenges: '', lessonsFromBefore: '', successFactors: '' });
    expect(bar).toMatchObject({ anticipatedChallenges: '', lessonsFromBefore: '', successFactors: '' });
  });

  // Slack's text inputs allow 3000 characters; what the author could type must be accepted.
  it.each(TEXT_FIELDS)('accepts %s at exactly the length limit and refuses one character more', (field) => {
    expect(validateBarDraft(draft({ [field]: 'x'.repeat(MAX_ANSWER_LENGTH) }), TODAY).ok).toBe(true);
    const errors = errorsOf({ [field]: 'x'.repeat(MAX_ANSWER_LENGTH + 1) });
    expect(Object.keys(errors)).toEqual([field]);
    expect(errors[field]).toContain(String(MAX_ANSWER_LENGTH));
    expect(errors[field]).toContain(String(MAX_ANSWER_LENGTH + 1));
  });

  it.each([
    ['emoji', '😀'],
    ['accented letters', 'é'],
    ['CJK characters', '学'],
  ])('counts %s as one character each', (_name, character) => {
    expect(validateBarDraft(draft({ intendedResults: character.repeat(3000) }), TODAY).ok).toBe(true);
    expect(errorsOf({ intendedResults: character.repeat(3001) })).toHaveProperty('intendedResults');
  });

  it('measures the answer after trimming, so surrounding blank lines do not count', () => {
    expect(validateBarDraft(draft({ action: `\n\n${'x'.repeat(3000)}  \n` }), TODAY).ok).toBe(true);
  });

  it('returns trimmed answers, the hypothesis in its three parts', () => {
    const bar = validBar({
      action: '  Launch the pilot \n',
      intendedResults: '\tResults ',
      anticipatedChallenges: ' Challenges ',
      lessonsFromBefore: ' Lessons ',
      successFactors: ' Success ',
      hypothesis: ' If we try, then we expect it works, because reasons. ',
    });
    expect(bar).toMatchObject({
      action: 'Launch the pilot',
      intendedResults: 'Results',
      anticipatedChallenges: 'Challenges',
      lessonsFromBefore: 'Lessons',
      successFactors: 'Success',
      hypothesisIf: 'try',
      hypothesisThen: 'it works',
      hypothesisBecause: 'reasons',
    });
  });

  it('stores a hypothesis without a reason as no reason at all', () => {
    const bar = validBar({ hypothesis: 'If we try, then we expect it works', lessonsFromBefore: '' });
    expect(bar.hypothesisBecause).toBeNull();
    expect(bar.lessonsFromBefore).toBe('');
  });
});

describe('validateBarDraft: look-back date', () => {
  it.each([
    ['today', TODAY],
    ['tomorrow', '2026-11-22'],
    ['the last day allowed', addCalendarDays(TODAY, MAX_LOOK_BACK_DAYS)],
  ])('accepts %s', (_name, date) => {
    expect(validBar({ lookBackOn: date }).lookBackOn).toBe(date);
  });

  it.each([
    ['yesterday', '2026-11-20', /already passed/],
    ['last year', '2025-11-21', /already passed/],
    ['one day too far ahead', addCalendarDays(TODAY, MAX_LOOK_BACK_DAYS + 1), /within the next year/],
    ['years ahead', '2031-01-01', /within the next year/],
    ['missing', null, /Pick the date/],
    ['empty', '', /Pick the date/],
    ['an impossible day', '2026-02-30', /Pick the date/],
    ['an impossible month', '2026-13-01', /Pick the date/],
    ['day-first', '28/11/2026', /Pick the date/],
    ['a timestamp', '2026-11-28T10:00:00Z', /Pick the date/],
    ['words', 'next friday', /Pick the date/],
  ])('refuses %s (%j)', (_name, date, message) => {
    const errors = errorsOf({ lookBackOn: date });
    expect(Object.keys(errors)).toEqual(['lookBackOn']);
    expect(errors.lookBackOn).toMatch(message);
  });

  it('judges "already passed" by the author’s own date, not the server’s', () => {
    // Late on the 21st in Los Angeles is already the 22nd in UTC; the 21st is still "today" for the author.
    const authorToday = calendarDateIn(new Date('2026-11-22T03:00:00Z'), 'America/Los_Angeles');
    expect(validateBarDraft(draft({ lookBackOn: '2026-11-21' }), authorToday).ok).toBe(true);
  });
});

describe('validateBarDraft: people and channel', () => {
  // The form may be sent with nobody picked; saving then names the author (peopleOrAuthor).
  it('refuses a review with nobody involved', () => {
    expect(errorsOf({ people: [] })).toEqual({ people: expect.stringMatching(/at least one person/) });
  });

  it('lists each person once even when picked twice', () => {
    expect(validBar({ people: ['U1', 'U2', 'U1', 'U2', 'U3'] }).people).toEqual(['U1', 'U2', 'U3']);
  });

  const people = (count: number) => Array.from({ length: count }, (_, i) => `U${String(i).padStart(4, '0')}`);

  it(`accepts ${MAX_PEOPLE} people`, () => {
    expect(validBar({ people: people(MAX_PEOPLE) }).people).toHaveLength(MAX_PEOPLE);
  });

  it(`refuses more than ${MAX_PEOPLE} people`, () => {
    expect(errorsOf({ people: people(MAX_PEOPLE + 1) })).toEqual({
      people: expect.stringContaining(String(MAX_PEOPLE)),
    });
  });

  it('counts people after removing repeats', () => {
    const list = [...people(MAX_PEOPLE), ...people(5)];
    expect(validBar({ people: list }).people).toHaveLength(MAX_PEOPLE);
  });

  it.each([null, ''])('asks for a channel when it is %j', (channelId) => {
    expect(errorsOf({ channelId })).toEqual({ channelId: expect.stringMatching(/channel/) });
  });

  it('reports every problem at once', () => {
    const errors = errorsOf({ action: '', lookBackOn: null, people: [], channelId: null });
    expect(Object.keys(errors).sort()).toEqual(['action', 'channelId', 'lookBackOn', 'people']);
  });
});

describe('defaultLookBackDate', () => {
  it.each([
    // The author's calendar decides, even where UTC is on a different day.
    ['2026-11-21T23:30:00Z', 'Pacific/Auckland', '2026-11-29'],
    ['2026-11-22T03:00:00Z', 'America/Los_Angeles', '2026-11-28'],
    ['2026-11-21T12:00:00Z', 'UTC', '2026-11-28'],
    ['2026-11-21T23:59:59Z', 'UTC', '2026-11-28'],
    ['2026-11-21T18:45:00Z', 'Asia/Kolkata', '2026-11-29'],
    ['2026-11-21T10:00:00Z', 'Pacific/Kiritimati', '2026-11-29'],
    ['2026-11-21T10:59:00Z', 'Pacific/Pago_Pago', '2026-11-27'],
    // Across the end of British Summer Time (25 October 2026).
    ['2026-10-22T12:00:00Z', 'Europe/London', '2026-10-29'],
    ['2026-10-22T22:30:00Z', 'Europe/London', '2026-10-29'],
    ['2026-10-22T23:30:00Z', 'Europe/London', '2026-10-30'],
    // Across the start of US daylight time (8 March 2026).
    ['2026-03-05T04:30:00Z', 'America/New_York', '2026-03-11'],
    ['2026-03-01T12:00:00Z', 'America/New_York', '2026-03-08'],
    ['2026-03-08T06:30:00Z', 'America/New_York', '2026-03-15'],
    ['2026-03-08T07:30:00Z', 'America/New_York', '2026-03-15'],
    // Across a year end and a leap day.
    ['2026-12-28T09:00:00Z', 'Europe/Berlin', '2027-01-04'],
    ['2028-02-25T09:00:00Z', 'Europe/Berlin', '2028-03-03'],
  ])('at %s in %s is %s', (now, timeZone, expected) => {
    expect(defaultLookBackDate(new Date(now), timeZone)).toBe(expected);
  });

  it('is a date the validator accepts on the same day', () => {
    const now = new Date('2026-11-21T23:30:00Z');
    const today = calendarDateIn(now, 'Pacific/Auckland');
    expect(
      validateBarDraft(draft({ lookBackOn: defaultLookBackDate(now, 'Pacific/Auckland') }), today).ok,
    ).toBe(true);
  });
});

describe('hypothesisParts', () => {
  it.each<[string, string, string, string, string | null]>([
    [
      'the sentence the form suggests',
      'If we co-host, then we expect more voices, because trust.',
      'co-host',
      'more voices',
      'trust',
    ],
    ['no reason', 'If we co-host, then we expect more voices.', 'co-host', 'more voices', null],
    ['no comma', 'if we co-host then we expect more voices', 'co-host', 'more voices', null],
    [
      '"we expect" without "then"',
      'If we co-host, we expect that more voices speak',
      'co-host',
      'more voices speak',
      null,
    ],
    ['"then" alone', 'If we co-host, then more voices because trust', 'co-host', 'more voices', 'trust'],
    [
      'line breaks',
      'If we co-host\nthen we expect more voices\nbecause trust',
      'co-host',
      'more voices',
      'trust',
    ],
    [
      'a "then" inside the action',
      'If we meet and then call, then we expect replies',
      'meet and then call',
      'replies',
      null,
    ],
    [
      '"if" without "we"',
      'If the library opens late, then we expect families',
      'the library opens late',
      'families',
      null,
    ],
    ['"we’re"', 'If we’re there first, then we expect calm', 'we’re there first', 'calm', null],
  ])('splits %s', (_name, sentence, action, expectation, because) => {
    expect(hypothesisParts(sentence)).toEqual({
      hypothesisIf: action,
      hypothesisThen: expectation,
      hypothesisBecause: because,
    });
  });

  it.each([
    [
      'a bet in the team’s own words',
      'Co-hosting brings more first-time voices because people trust the hosts',
    ],
    ['an "if" with no "then"', 'If we co-host, more people will come.'],
    ['a "then" with nothing after it', 'If we co-host, then'],
    ['nothing before the "then"', 'If we, then we expect more voices'],
  ])('keeps %s whole, to be shown as written', (_name, sentence) => {
    expect(hypothesisParts(sentence)).toEqual({
      hypothesisIf: sentence,
      hypothesisThen: '',
      hypothesisBecause: null,
    });
    expect(hypothesisSentence({ action: sentence, expectation: '' })).toBe(
      sentence.endsWith('.') ? sentence : `${sentence}.`,
    );
  });

  // Editing shows the stored parts as one sentence; saving it unchanged must store the same review.
  it.each([
    {
      action: 'co-host with a trusted group',
      expectation: 'more first-time voices',
      because: 'trust travels',
    },
    { action: 'we co-host', expectation: 'then we expect more voices', because: null },
    { action: 'Co-hosting brings more voices', expectation: '', because: null },
    { action: "we're there first", expectation: 'calm', because: null },
  ])('reads back the sentence it was shown as: %j', (parts) => {
    const shown = hypothesisSentence(parts);
    const stored = hypothesisParts(shown);
    expect(
      hypothesisSentence({
        action: stored.hypothesisIf,
        expectation: stored.hypothesisThen,
        because: stored.hypothesisBecause,
      }),
    ).toBe(shown);
  });
});

describe('hypothesisSentence', () => {
  it('reads as one sentence', () => {
    expect(
      hypothesisSentence({
        action: 'co-host with a trusted group',
        expectation: 'more first-time voices',
        because: 'trust travels through relationships',
      }),
    ).toBe(
      'If we co-host with a trusted group, then we expect more first-time voices, because trust travels through relationships.',
    );
  });

  it.each([
    ['co-host', 'co-host'],
    ['we co-host', 'co-host'],
    ['If we co-host', 'co-host'],
    ['if   we co-host', 'co-host'],
    ['IF WE co-host', 'co-host'],
    ['weave a support net', 'weave a support net'],
    ['wednesday sessions', 'wednesday sessions'],
    ['If I call them', 'If I call them'],
  ])('writes the action %j as "If we %s"', (action, shown) => {
    expect(hypothesisSentence({ action, expectation: 'x' })).toBe(`If we ${shown}, then we expect x.`);
  });

  it.each([
    ['more voices', 'more voices'],
    ['then we expect more voices', 'more voices'],
    ['we expect more voices', 'more voices'],
    ['Then we expect that more voices speak', 'more voices speak'],
    ['then more voices', 'more voices'],
    ['we expected little', 'we expected little'],
    ['thenceforth calm', 'thenceforth calm'],
  ])('writes the expectation %j as "then we expect %s"', (expectation, shown) => {
    expect(hypothesisSentence({ action: 'act', expectation })).toBe(`If we act, then we expect ${shown}.`);
  });

  it.each([
    ['trust', 'trust'],
    ['because trust', 'trust'],
    ['Because trust', 'trust'],
    ['becausetrust', 'becausetrust'],
  ])('writes the reason %j as "because %s"', (because, shown) => {
    expect(hypothesisSentence({ action: 'act', expectation: 'y', because })).toBe(
      `If we act, then we expect y, because ${shown}.`,
    );
  });

  it.each([
    [{ action: 'act.', expectation: 'y.', because: 'z.' }, 'If we act, then we expect y, because z.'],
    [{ action: 'act...', expectation: 'y. ', because: 'z . ' }, 'If we act, then we expect y, because z.'],
    [{ action: ' act ', expectation: '\ny\n', because: '  z\t' }, 'If we act, then we expect y, because z.'],
    [
      { action: 'use v2.0 first', expectation: 'y', because: null },
      'If we use v2.0 first, then we expect y.',
    ],
  ])('ends with exactly one full stop: %j', (parts, expected) => {
    expect(hypothesisSentence(parts)).toBe(expected);
  });

  it.each([[undefined], [null], [''], ['   ']])('leaves out the because clause when it is %j', (because) => {
    expect(hypothesisSentence({ action: 'act', expectation: 'y', because })).toBe(
      'If we act, then we expect y.',
    );
  });
});

describe('calendar dates', () => {
  it.each([
    ['2026-11-21T23:30:00Z', 'Pacific/Auckland', '2026-11-22'],
    ['2026-11-22T03:00:00Z', 'America/Los_Angeles', '2026-11-21'],
    ['2026-11-22T03:00:00Z', 'UTC', '2026-11-22'],
    ['2026-12-31T23:00:00Z', 'Europe/Paris', '2027-01-01'],
    ['2027-01-01T04:00:00Z', 'America/Chicago', '2026-12-31'],
    ['2026-10-25T00:30:00Z', 'Europe/London', '2026-10-25'],
    ['2026-10-24T23:30:00Z', 'Europe/London', '2026-10-25'],
    ['2026-03-08T04:59:00Z', 'America/New_York', '2026-03-07'],
  ])('calendarDateIn(%s, %s) is %s', (now, timeZone, expected) => {
    expect(calendarDateIn(new Date(now), timeZone)).toBe(expected);
  });

  it.each([
    ['2026-11-21', 7, '2026-11-28'],
    ['2026-11-28', 7, '2026-12-05'],
    ['2026-12-31', 1, '2027-01-01'],
    ['2027-01-01', -1, '2026-12-31'],
    ['2026-01-31', 1, '2026-02-01'],
    ['2027-02-28', 1, '2027-03-01'],
    ['2028-02-28', 1, '2028-02-29'],
    ['2028-02-29', 1, '2028-03-01'],
    ['2028-03-01', -1, '2028-02-29'],
    ['2028-02-29', 365, '2029-02-28'],
    ['2026-03-07', 2, '2026-03-09'],
    ['2026-10-24', 2, '2026-10-26'],
    ['2026-11-21', 0, '2026-11-21'],
    ['2026-11-21', 366, '2027-11-22'],
  ])('addCalendarDays(%s, %d) is %s', (date, days, expected) => {
    expect(addCalendarDays(date, days)).toBe(expected);
  });

  it.each([
    ['2026-11-28', 'Saturday 28 November 2026'],
    ['2026-11-01', 'Sunday 1 November 2026'],
    ['2028-02-29', 'Tuesday 29 February 2028'],
    ['2027-01-04', 'Monday 4 January 2027'],
  ])('formatLongDate(%s) is %s', (date, expected) => {
    expect(formatLongDate(date)).toBe(expected);
  });

  it.each([
    ['Europe/London', true],
    ['America/Los_Angeles', true],
    ['Pacific/Auckland', true],
    ['UTC', true],
    ['Mars/Olympus_Mons', false],
    ['Europe/Londres', false],
    ['', false],
    ['not a zone', false],
  ])('isValidTimeZone(%j) is %s', (timeZone, expected) => {
    expect(isValidTimeZone(timeZone)).toBe(expected);
  });
});
