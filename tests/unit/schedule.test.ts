import { afterEach, describe, expect, it } from 'vitest';
import {
  ALL_WEEKDAYS,
  type ChannelCalendar,
  DEFAULT_WORK_DAYS,
  formatLocal,
  type IsoWeekday,
  LOOKAHEAD_DAYS,
  localInstant,
  nextOccurrence,
  nextOccurrences,
  parseLocalTime,
  type RhythmTiming,
} from '../../src/domain/schedule.js';

const iso = (date: Date | null) => date?.toISOString() ?? null;

function calendar(overrides: Partial<ChannelCalendar> = {}): ChannelCalendar {
  return {
    timeZone: 'Europe/London',
    workDays: DEFAULT_WORK_DAYS,
    pauseUntil: null,
    skipDates: [],
    ...overrides,
  };
}

function timing(overrides: Partial<RhythmTiming> = {}): RhythmTiming {
  return { days: ALL_WEEKDAYS, localTime: '09:00', ...overrides };
}

/** Every day a work day, so only the rhythm's own time matters (clock changes happen on Sundays). */
const everyDay = calendar({ workDays: ALL_WEEKDAYS });

describe('weekday constants', () => {
  it('list Monday to Sunday, and Monday to Friday as the default work days', () => {
    expect(ALL_WEEKDAYS).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(DEFAULT_WORK_DAYS).toEqual([1, 2, 3, 4, 5]);
  });

  it('look ahead more than a year', () => {
    expect(LOOKAHEAD_DAYS).toBeGreaterThan(366);
  });
});

describe('parseLocalTime', () => {
  it.each([
    ['00:00', { hours: 0, minutes: 0 }],
    ['09:00', { hours: 9, minutes: 0 }],
    ['9:00', { hours: 9, minutes: 0 }], // accepted on purpose: people write single-digit hours
    ['12:30', { hours: 12, minutes: 30 }],
    ['23:59', { hours: 23, minutes: 59 }],
  ])('reads %j', (text, expected) => {
    expect(parseLocalTime(text)).toEqual(expected);
  });

  it.each([
    '24:00',
    '12:60',
    'ab:cd',
    '9:5',
    '09:5',
    '0900',
    '009:00',
    '09:00:00',
    '-1:00',
    ' 09:00',
    '09:00 ',
    '9am',
    '',
  ])('refuses %j', (text) => {
    expect(parseLocalTime(text)).toBeUndefined();
  });
});

describe('localInstant', () => {
  it.each([
    // Europe/London: BST starts 2026-03-29 01:00 GMT (clocks 01:00 → 02:00), ends 2026-10-25 01:00 GMT (02:00 → 01:00).
    ['Europe/London', '2026-03-27', '09:00', '2026-03-27T09:00:00.000Z', 'GMT, before the change'],
    ['Europe/London', '2026-03-30', '09:00', '2026-03-30T08:00:00.000Z', 'BST, after the change'],
    ['Europe/London', '2026-03-29', '00:59', '2026-03-29T00:59:00.000Z', 'last minute before the gap'],
    ['Europe/London', '2026-03-29', '01:00', '2026-03-29T01:00:00.000Z', 'start of the gap → 02:00 BST'],
    ['Europe/London', '2026-03-29', '01:30', '2026-03-29T01:00:00.000Z', 'inside the gap → 02:00 BST'],
    ['Europe/London', '2026-03-29', '01:59', '2026-03-29T01:00:00.000Z', 'end of the gap → 02:00 BST'],
    ['Europe/London', '2026-03-29', '02:00', '2026-03-29T01:00:00.000Z', 'first minute after the gap'],
    ['Europe/London', '2026-03-29', '02:30', '2026-03-29T01:30:00.000Z', 'after the gap'],
    ['Europe/London', '2026-10-23', '09:00', '2026-10-23T08:00:00.000Z', 'BST, before the change'],
    ['Europe/London', '2026-10-26', '09:00', '2026-10-26T09:00:00.000Z', 'GMT, after the change'],
    ['Europe/London', '2026-10-25', '01:00', '2026-10-25T00:00:00.000Z', 'repeated: the first 01:00'],
    ['Europe/London', '2026-10-25', '01:30', '2026-10-25T00:30:00.000Z', 'repeated: the first 01:30'],
    ['Europe/London', '2026-10-25', '02:00', '2026-10-25T02:00:00.000Z', 'after the repeat'],
    // America/New_York: EDT starts 2026-03-08 02:00 EST, ends 2026-11-01 02:00 EDT.
    ['America/New_York', '2026-03-06', '09:00', '2026-03-06T14:00:00.000Z', 'EST, before the change'],
    ['America/New_York', '2026-03-09', '09:00', '2026-03-09T13:00:00.000Z', 'EDT, after the change'],
    ['America/New_York', '2026-03-08', '02:30', '2026-03-08T07:00:00.000Z', 'inside the gap → 03:00 EDT'],
    ['America/New_York', '2026-10-30', '09:00', '2026-10-30T13:00:00.000Z', 'EDT, before the change'],
    ['America/New_York', '2026-11-02', '09:00', '2026-11-02T14:00:00.000Z', 'EST, after the change'],
    [
      'America/New_York',
      '2026-11-01',
      '01:30',
      '2026-11-01T05:30:00.000Z',
      'repeated: the first (EDT) 01:30',
    ],
    // Australia/Sydney: DST ends 2026-04-05 03:00 AEDT (→ 02:00 AEST), starts 2026-10-04 02:00 AEST (→ 03:00 AEDT).
    ['Australia/Sydney', '2026-04-03', '09:00', '2026-04-02T22:00:00.000Z', 'AEDT, before the change'],
    ['Australia/Sydney', '2026-04-06', '09:00', '2026-04-05T23:00:00.000Z', 'AEST, after the change'],
    [
      'Australia/Sydney',
      '2026-04-05',
      '02:30',
      '2026-04-04T15:30:00.000Z',
      'repeated: the first (AEDT) 02:30',
    ],
    ['Australia/Sydney', '2026-10-02', '09:00', '2026-10-01T23:00:00.000Z', 'AEST, before the change'],
    ['Australia/Sydney', '2026-10-05', '09:00', '2026-10-04T22:00:00.000Z', 'AEDT, after the change'],
    ['Australia/Sydney', '2026-10-04', '02:30', '2026-10-03T16:00:00.000Z', 'inside the gap → 03:00 AEDT'],
    // Asia/Kolkata: UTC+05:30 all year.
    ['Asia/Kolkata', '2026-03-29', '09:00', '2026-03-29T03:30:00.000Z', 'half-hour offset'],
    ['Asia/Kolkata', '2026-10-25', '09:00', '2026-10-25T03:30:00.000Z', 'no change in the other season'],
    ['Asia/Kolkata', '2026-01-01', '00:15', '2025-12-31T18:45:00.000Z', 'the local date is ahead of UTC'],
    ['UTC', '2026-06-01', '23:59', '2026-06-01T23:59:00.000Z', 'UTC itself'],
  ])('%s %s %s → %s (%s)', (timeZone, date, localTime, expected) => {
    expect(localInstant(date, localTime, timeZone).toISOString()).toBe(expected);
  });

  it.each([
    ['2026-02-30', '09:00', 'Europe/London'],
    ['2026-2-3', '09:00', 'Europe/London'],
    ['2026-03-27', '24:00', 'Europe/London'],
    ['2026-03-27', '09:00', 'Mars/Olympus_Mons'],
    ['2026-03-27', '09:00', ''],
  ])('refuses %j %j %j', (date, localTime, timeZone) => {
    expect(() => localInstant(date, localTime, timeZone)).toThrow(RangeError);
  });
});

describe('nextOccurrence: clock changes', () => {
  it.each([
    // [zone, local time, after, next, next after that]
    [
      'Europe/London',
      '01:30',
      '2026-03-28T12:00:00Z',
      '2026-03-29T01:00:00.000Z',
      '2026-03-30T00:30:00.000Z',
    ],
    [
      'Europe/London',
      '01:30',
      '2026-10-24T12:00:00Z',
      '2026-10-25T00:30:00.000Z',
      '2026-10-26T01:30:00.000Z',
    ],
    [
      'Europe/London',
      '09:00',
      '2026-03-28T09:00:00Z',
      '2026-03-29T08:00:00.000Z',
      '2026-03-30T08:00:00.000Z',
    ],
    [
      'Europe/London',
      '09:00',
      '2026-10-24T08:00:00Z',
      '2026-10-25T09:00:00.000Z',
      '2026-10-26T09:00:00.000Z',
    ],
    [
      'America/New_York',
      '02:30',
      '2026-03-07T12:00:00Z',
      '2026-03-08T07:00:00.000Z',
      '2026-03-09T06:30:00.000Z',
    ],
    [
      'America/New_York',
      '01:30',
      '2026-10-31T12:00:00Z',
      '2026-11-01T05:30:00.000Z',
      '2026-11-02T06:30:00.000Z',
    ],
    [
      'Australia/Sydney',
      '02:30',
      '2026-10-03T00:00:00Z',
      '2026-10-03T16:00:00.000Z',
      '2026-10-04T15:30:00.000Z',
    ],
    [
      'Australia/Sydney',
      '02:30',
      '2026-04-04T00:00:00Z',
      '2026-04-04T15:30:00.000Z',
      '2026-04-05T16:30:00.000Z',
    ],
    ['Asia/Kolkata', '09:00', '2026-03-28T12:00:00Z', '2026-03-29T03:30:00.000Z', '2026-03-30T03:30:00.000Z'],
  ])('%s at %s after %s: %s, then %s', (timeZone, localTime, after, first, second) => {
    const zone = calendar({ timeZone, workDays: ALL_WEEKDAYS });
    const next = nextOccurrence(timing({ localTime }), zone, new Date(after));
    expect(iso(next)).toBe(first);
    expect(iso(nextOccurrence(timing({ localTime }), zone, next as Date))).toBe(second);
  });

  it('fires once on the night the clocks go back, never at the second 01:30', () => {
    const fired = nextOccurrences(
      timing({ localTime: '01:30' }),
      everyDay,
      new Date('2026-10-24T00:00:00Z'),
      3,
    );
    expect(fired.map(iso)).toEqual([
      '2026-10-24T00:30:00.000Z',
      '2026-10-25T00:30:00.000Z',
      '2026-10-26T01:30:00.000Z',
    ]);
    // Asking again just after the first 01:30 (and even between the two) still skips to the next day.
    for (const after of ['2026-10-25T00:30:00Z', '2026-10-25T01:00:00Z', '2026-10-25T01:29:00Z']) {
      expect(iso(nextOccurrence(timing({ localTime: '01:30' }), everyDay, new Date(after)))).toBe(
        '2026-10-26T01:30:00.000Z',
      );
    }
  });
});

describe('nextOccurrence: which days fire', () => {
  // Monday 23 November 2026, London (GMT, so local time equals UTC).
  const MONDAY_AFTER_NINE = new Date('2026-11-23T10:00:00Z');

  it.each([
    ['just before today’s time', '2026-11-23T08:59:59Z', '2026-11-23T09:00:00.000Z'],
    [
      'exactly at today’s time: the next one, not the same',
      '2026-11-23T09:00:00Z',
      '2026-11-24T09:00:00.000Z',
    ],
    ['a millisecond after', '2026-11-23T09:00:00.001Z', '2026-11-24T09:00:00.000Z'],
    [
      'on Friday after the time: Monday, over the weekend',
      '2026-11-27T09:00:00Z',
      '2026-11-30T09:00:00.000Z',
    ],
    ['on Saturday', '2026-11-28T12:00:00Z', '2026-11-30T09:00:00.000Z'],
  ])('%s', (_, after, expected) => {
    expect(iso(nextOccurrence(timing(), calendar(), new Date(after)))).toBe(expected);
  });

  it.each<[string, readonly IsoWeekday[], readonly IsoWeekday[], string | null]>([
    ['Monday, Wednesday and Friday', [1, 3, 5], DEFAULT_WORK_DAYS, '2026-11-25T09:00:00.000Z'],
    ['Friday only', [5], DEFAULT_WORK_DAYS, '2026-11-27T09:00:00.000Z'],
    ['Saturday, when the team works Saturdays', [6], ALL_WEEKDAYS, '2026-11-28T09:00:00.000Z'],
    ['Saturday, when the team works Monday to Friday', [6], DEFAULT_WORK_DAYS, null],
    ['Tuesday, when the team works Monday and Thursday', [2], [1, 4], null],
    ['no days at all', [], ALL_WEEKDAYS, null],
    [
      'every day, when the team works Sunday to Thursday',
      ALL_WEEKDAYS,
      [7, 1, 2, 3, 4],
      '2026-11-24T09:00:00.000Z',
    ],
    ['Friday, when the team works Sunday to Thursday', [5], [7, 1, 2, 3, 4], null],
  ])('%s', (_, days, workDays, expected) => {
    expect(iso(nextOccurrence(timing({ days }), calendar({ workDays }), MONDAY_AFTER_NINE))).toBe(expected);
  });

  it.each([
    ['a holiday on Friday', ['2026-12-25'], '2026-12-28T09:00:00.000Z'],
    ['two holidays, over a weekend', ['2026-12-25', '2026-12-28'], '2026-12-29T09:00:00.000Z'],
    ['a holiday that is not in the way', ['2026-12-31'], '2026-12-25T09:00:00.000Z'],
  ])('skips %s', (_, skipDates, expected) => {
    const after = new Date('2026-12-24T09:00:00Z');
    expect(iso(nextOccurrence(timing(), calendar({ skipDates }), after))).toBe(expected);
  });

  it.each([
    [
      'paused until Wednesday: nothing on Tuesday or Wednesday, Thursday fires',
      '2026-11-25',
      '2026-11-26T09:00:00.000Z',
    ],
    ['paused until yesterday', '2026-11-22', '2026-11-24T09:00:00.000Z'],
    ['paused until a date in the past', '2020-01-01', '2026-11-24T09:00:00.000Z'],
    ['paused for a year', '2027-11-22', '2027-11-23T09:00:00.000Z'],
    ['paused beyond the look-ahead', '2028-06-01', null],
  ])('%s', (_, pauseUntil, expected) => {
    expect(iso(nextOccurrence(timing(), calendar({ pauseUntil }), MONDAY_AFTER_NINE))).toBe(expected);
  });

  it('reads the pause date in the channel’s own zone', () => {
    // Paused until Wednesday in Sydney; it is already Thursday morning there while London is on Wednesday.
    const sydney = calendar({ timeZone: 'Australia/Sydney', pauseUntil: '2026-11-25' });
    const after = new Date('2026-11-25T12:00:00Z'); // Wednesday 25th 23:00 AEDT
    expect(iso(nextOccurrence(timing(), sydney, after))).toBe('2026-11-25T22:00:00.000Z'); // Thu 09:00 AEDT
  });

  it('gives up, rather than searching forever, when every day is skipped', () => {
    const start = new Date('2026-11-23T00:00:00Z');
    const skipDates = Array.from({ length: LOOKAHEAD_DAYS + 2 }, (_, day) =>
      new Date(start.getTime() + day * 86_400_000).toISOString().slice(0, 10),
    );
    expect(nextOccurrence(timing(), calendar({ skipDates }), start)).toBeNull();
  });
});

describe('nextOccurrence: the channel’s time zone', () => {
  const after = new Date('2026-11-23T00:00:00Z'); // Monday 00:00 in London, 11:00 in Sydney

  it.each([
    ['Europe/London', '2026-11-23T09:00:00.000Z'],
    ['America/New_York', '2026-11-23T14:00:00.000Z'],
    ['Asia/Kolkata', '2026-11-23T03:30:00.000Z'],
    ['Australia/Sydney', '2026-11-23T22:00:00.000Z'], // 09:00 has passed on Monday there: Tuesday 09:00 AEDT
  ])('09:00 in %s after the same instant is %s', (timeZone, expected) => {
    expect(iso(nextOccurrence(timing(), calendar({ timeZone }), after))).toBe(expected);
  });

  it('moves the instants when the channel changes zone', () => {
    const london = nextOccurrences(timing(), calendar({ timeZone: 'Europe/London' }), after, 3);
    const kolkata = nextOccurrences(timing(), calendar({ timeZone: 'Asia/Kolkata' }), after, 3);
    expect(london.map(iso)).toEqual([
      '2026-11-23T09:00:00.000Z',
      '2026-11-24T09:00:00.000Z',
      '2026-11-25T09:00:00.000Z',
    ]);
    expect(kolkata.map(iso)).toEqual([
      '2026-11-23T03:30:00.000Z',
      '2026-11-24T03:30:00.000Z',
      '2026-11-25T03:30:00.000Z',
    ]);
    expect(london.map((instant) => formatLocal(instant, 'Europe/London'))).toEqual(
      kolkata.map((instant) => formatLocal(instant, 'Asia/Kolkata')),
    );
  });
});

describe('nextOccurrences', () => {
  it('lists successive occurrences across a clock change, earliest first', () => {
    const fired = nextOccurrences(timing(), calendar(), new Date('2026-03-25T12:00:00Z'), 5);
    expect(fired.map(iso)).toEqual([
      '2026-03-26T09:00:00.000Z',
      '2026-03-27T09:00:00.000Z',
      '2026-03-30T08:00:00.000Z',
      '2026-03-31T08:00:00.000Z',
      '2026-04-01T08:00:00.000Z',
    ]);
  });

  it.each(['Europe/London', 'America/New_York', 'Australia/Sydney', 'Asia/Kolkata'])(
    'gives ascending, distinct instants at 09:00 local in %s through a whole year',
    (timeZone) => {
      const fired = nextOccurrences(timing(), calendar({ timeZone }), new Date('2026-01-01T00:00:00Z'), 261);
      expect(fired).toHaveLength(261);
      for (const [index, instant] of fired.entries()) {
        const previous = fired[index - 1];
        if (previous) expect(instant.getTime()).toBeGreaterThan(previous.getTime());
        expect(formatLocal(instant, timeZone)).toMatch(
          /^(Monday|Tuesday|Wednesday|Thursday|Friday) .*, 09:00$/,
        );
      }
    },
  );

  it.each([0, -1])('returns nothing when asked for %i', (count) => {
    expect(nextOccurrences(timing(), calendar(), new Date('2026-03-25T12:00:00Z'), count)).toEqual([]);
  });

  it('stops early when there is nothing more to fire', () => {
    const pausedForEver = calendar({ pauseUntil: '2099-12-31' });
    expect(nextOccurrences(timing(), pausedForEver, new Date('2026-03-25T12:00:00Z'), 3)).toEqual([]);
  });
});

describe('formatLocal', () => {
  it.each([
    ['2026-11-23T09:00:00Z', 'Europe/London', 'Monday 23 November 2026, 09:00'],
    ['2026-11-23T09:00:00Z', 'Asia/Kolkata', 'Monday 23 November 2026, 14:30'],
    ['2026-11-23T09:00:00Z', 'America/New_York', 'Monday 23 November 2026, 04:00'],
    ['2026-11-23T13:30:00Z', 'Australia/Sydney', 'Tuesday 24 November 2026, 00:30'],
    ['2026-03-29T01:00:00Z', 'Europe/London', 'Sunday 29 March 2026, 02:00'],
  ])('%s in %s reads %j', (instant, timeZone, expected) => {
    expect(formatLocal(new Date(instant), timeZone)).toBe(expected);
  });
});

describe('independence from the machine’s own time zone', () => {
  const original = process.env.TZ;
  afterEach(() => {
    if (original === undefined) delete process.env.TZ;
    else process.env.TZ = original;
  });

  it.each([
    'UTC',
    'Europe/London',
    'America/Los_Angeles',
    'Pacific/Auckland',
    'Australia/Sydney',
    'Asia/Kolkata',
  ])('gives the same answers when the machine runs on %s', (machineZone) => {
    process.env.TZ = machineZone;
    expect(localInstant('2026-10-25', '01:30', 'Europe/London').toISOString()).toBe(
      '2026-10-25T00:30:00.000Z',
    );
    expect(localInstant('2026-11-01', '01:30', 'America/New_York').toISOString()).toBe(
      '2026-11-01T05:30:00.000Z',
    );
    expect(localInstant('2026-04-05', '02:30', 'Australia/Sydney').toISOString()).toBe(
      '2026-04-04T15:30:00.000Z',
    );
    expect(localInstant('2026-03-29', '01:30', 'Europe/London').toISOString()).toBe(
      '2026-03-29T01:00:00.000Z',
    );
    expect(iso(nextOccurrence(timing(), calendar(), new Date('2026-03-27T09:00:00Z')))).toBe(
      '2026-03-30T08:00:00.000Z',
    );
    expect(formatLocal(new Date('2026-11-23T09:00:00Z'), 'Europe/London')).toBe(
      'Monday 23 November 2026, 09:00',
    );
  });
});
