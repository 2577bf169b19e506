import { describe, expect, it } from 'vitest';
import type { RhythmKind } from '../../src/db/schema.js';
import {
  CONFIGURABLE_RHYTHMS,
  firstDueTimes,
  MAX_SKIP_DATES,
  parseSkipDates,
  RHYTHM_DEFAULTS,
  type RhythmDraft,
  type RhythmSettingsDraft,
  type RhythmSettingsField,
  type ValidRhythmSettings,
  validateRhythmSettings,
} from '../../src/domain/rhythm-settings.js';
import { addCalendarDays, calendarDateIn } from '../../src/domain/time.js';
import {
  channelTimeZones,
  findTimeZones,
  MAX_TIME_ZONE_MATCHES,
  utcOffsetLabel,
} from '../../src/domain/time-zones.js';

/**
 * 03:00 UTC on Saturday 21 November 2026: already the 21st in London and Auckland, still Friday the 20th
 * in Los Angeles, so "today" depends on which zone is being saved.
 */
const NOW = new Date('2026-11-21T03:00:00Z');
const today = (timeZone: string) => calendarDateIn(NOW, timeZone);

/** Saturday morning in London, when no rhythm of a Monday-to-Friday week is due. */
const SATURDAY = new Date('2026-11-21T10:00:00Z');

function rhythmDrafts(
  overrides: Partial<Record<RhythmKind, RhythmDraft>> = {},
): Record<RhythmKind, RhythmDraft> {
  return {
    week_ahead: { enabled: true, days: [1], localTime: '09:30' },
    mid_week: { enabled: true, days: [3], localTime: '14:00' },
    look_back: { enabled: true, days: [5], localTime: '15:00' },
    digest: { enabled: false, days: [], localTime: null },
    ...overrides,
  };
}

function draft(
  overrides: Partial<Omit<RhythmSettingsDraft, 'rhythms'>> = {},
  rhythms: Partial<Record<RhythmKind, RhythmDraft>> = {},
): RhythmSettingsDraft {
  return {
    timeZone: 'Europe/London',
    workDays: [1, 2, 3, 4, 5],
    pauseUntil: null,
    skipDatesText: '',
    rhythms: rhythmDrafts(rhythms),
    ...overrides,
  };
}

function accepted(input: RhythmSettingsDraft): ValidRhythmSettings {
  const result = validateRhythmSettings(input, today);
  if (!result.ok)
    throw new Error(`expected the settings to be accepted, got ${JSON.stringify(result.errors)}`);
  return result.settings;
}

function refused(input: RhythmSettingsDraft): Partial<Record<RhythmSettingsField, string>> {
  const result = validateRhythmSettings(input, today);
  if (result.ok) throw new Error('expected the settings to be refused');
  return result.errors;
}

/** `count` distinct dates from New Year's Day 2027 on. */
const distinctDates = (count: number) =>
  Array.from({ length: count }, (_, i) => addCalendarDays('2027-01-01', i));

const iso = (date: Date | null) => date?.toISOString() ?? null;

describe('validateRhythmSettings accepts', () => {
  it('a weekly set-up, handing it back tidied up', () => {
    const settings = accepted(
      draft(
        {
          timeZone: '  Europe/London ',
          workDays: [5, 1, 3, 1, 2, 4, 5],
          skipDatesText: '2026-12-25, 2026-12-24\n2026-12-25 2027-01-01',
        },
        {
          week_ahead: { enabled: true, days: [1], localTime: '09:30' },
          mid_week: { enabled: true, days: [4, 2, 2], localTime: '14:00' },
          look_back: { enabled: true, days: [5, 5], localTime: '15:00' },
          digest: { enabled: true, days: [5], localTime: '16:00' },
        },
      ),
    );
    expect(settings).toEqual({
      calendar: {
        timeZone: 'Europe/London',
        workDays: [1, 2, 3, 4, 5],
        pauseUntil: null,
        skipDates: ['2026-12-24', '2026-12-25', '2027-01-01'],
      },
      rhythms: {
        week_ahead: { enabled: true, days: [1], localTime: '09:30' },
        mid_week: { enabled: true, days: [2, 4], localTime: '14:00' },
        look_back: { enabled: true, days: [5], localTime: '15:00' },
        digest: { enabled: true, days: [5], localTime: '16:00' },
      },
    });
  });

  // Slack cannot send anything but 1–7, but a stale or hand-made submission must not smuggle in a day 0.
  it('ignores numbers that are not weekdays', () => {
    const settings = accepted(
      draft(
        { workDays: [0, 1, 2, 3, 4, 5, 8] },
        { week_ahead: { enabled: true, days: [0, 1, 9], localTime: '09:30' } },
      ),
    );
    expect(settings.calendar.workDays).toEqual([1, 2, 3, 4, 5]);
    expect(settings.rhythms.week_ahead.days).toEqual([1]);
  });

  it.each(['UTC', 'Asia/Kolkata', 'America/New_York', 'Pacific/Auckland'])('the time zone %s', (timeZone) => {
    expect(accepted(draft({ timeZone })).calendar.timeZone).toBe(timeZone);
  });

  it('every time zone the search can offer', () => {
    const zones = channelTimeZones();
    expect(zones.length).toBeGreaterThan(400);
    expect(zones.filter((timeZone) => !validateRhythmSettings(draft({ timeZone }), today).ok)).toEqual([]);
  });

  it('every rhythm off with no days or time, keeping the usual ones for when they are turned on', () => {
    const off = { enabled: false, days: [], localTime: null };
    const settings = accepted(draft({}, { week_ahead: off, mid_week: off, look_back: off, digest: off }));
    for (const kind of CONFIGURABLE_RHYTHMS) {
      expect(settings.rhythms[kind]).toEqual({ enabled: false, ...RHYTHM_DEFAULTS[kind] });
    }
  });

  // Nothing runs while a rhythm is off, so weekend days are not yet a mistake worth stopping the save for.
  it('a rhythm that is off on days off', () => {
    const settings = accepted(draft({}, { mid_week: { enabled: false, days: [7, 6], localTime: '10:00' } }));
    expect(settings.rhythms.mid_week).toEqual({ enabled: false, days: [6, 7], localTime: '10:00' });
  });

  it('an enabled rhythm that runs on at least one work day among other days', () => {
    const settings = accepted(
      draft({}, { look_back: { enabled: true, days: [7, 5, 6], localTime: '15:00' } }),
    );
    expect(settings.rhythms.look_back.days).toEqual([5, 6, 7]);
  });

  it.each([
    ['today in London', 'Europe/London', '2026-11-21'],
    ['a later date', 'Europe/London', '2026-12-01'],
    ['the 20th in Los Angeles, where it is still the 20th', 'America/Los_Angeles', '2026-11-20'],
  ])('a pause until %s', (_name, timeZone, pauseUntil) => {
    expect(accepted(draft({ timeZone, pauseUntil })).calendar.pauseUntil).toBe(pauseUntil);
  });

  it(`exactly ${MAX_SKIP_DATES} skip dates, and more when the extra ones are repeats`, () => {
    const dates = distinctDates(MAX_SKIP_DATES);
    expect(accepted(draft({ skipDatesText: dates.join(', ') })).calendar.skipDates).toEqual(dates);
    const repeated = [...dates, dates[0], dates[1]].join('\n');
    expect(accepted(draft({ skipDatesText: repeated })).calendar.skipDates).toEqual(dates);
  });
});

describe('validateRhythmSettings refuses, under the field at fault', () => {
  it.each<[string, RhythmSettingsDraft, RhythmSettingsField, RegExp]>([
    ['an unknown time zone', draft({ timeZone: 'Mars/Base' }), 'timeZone', /from the list/],
    [
      'a bare abbreviation, which could mean several zones',
      draft({ timeZone: 'EST' }),
      'timeZone',
      /from the list/,
    ],
    ['an empty time zone', draft({ timeZone: '' }), 'timeZone', /from the list/],
    ['no work days', draft({ workDays: [] }), 'workDays', /at least one work day/],
    ['work days that are not weekdays', draft({ workDays: [0, 8] }), 'workDays', /at least one work day/],
    [
      'an enabled rhythm with no days',
      draft({}, { mid_week: { enabled: true, days: [], localTime: '14:00' } }),
      'mid_week.days',
      /at least one day/,
    ],
    [
      'an enabled rhythm on non-work days only',
      draft({}, { week_ahead: { enabled: true, days: [6, 7], localTime: '09:30' } }),
      'week_ahead.days',
      /would never run/,
    ],
    [
      'an enabled digest whose only day is a day off',
      draft({ workDays: [1, 2, 3, 4, 5] }, { digest: { enabled: true, days: [6], localTime: '16:00' } }),
      'digest.days',
      /would never run/,
    ],
    [
      'an enabled rhythm with no time',
      draft({}, { look_back: { enabled: true, days: [5], localTime: null } }),
      'look_back.time',
      /Pick a time/,
    ],
    [
      'an enabled rhythm at 25:00',
      draft({}, { look_back: { enabled: true, days: [5], localTime: '25:00' } }),
      'look_back.time',
      /Pick a time/,
    ],
    [
      'an enabled rhythm at "noon"',
      draft({}, { week_ahead: { enabled: true, days: [1], localTime: 'noon' } }),
      'week_ahead.time',
      /Pick a time/,
    ],
    ['a skip date in words', draft({ skipDatesText: '2026-12-24, Christmas' }), 'skipDates', /“Christmas”/],
    ['a skip date that does not exist', draft({ skipDatesText: '2026-02-30' }), 'skipDates', /“2026-02-30”/],
    ['a skip date written day first', draft({ skipDatesText: '25/12/2026' }), 'skipDates', /“25\/12\/2026”/],
    [
      `${MAX_SKIP_DATES + 1} different skip dates`,
      draft({ skipDatesText: distinctDates(MAX_SKIP_DATES + 1).join(', ') }),
      'skipDates',
      new RegExp(`at most ${MAX_SKIP_DATES}`),
    ],
    ['a pause that ended yesterday', draft({ pauseUntil: '2026-11-20' }), 'pauseUntil', /has passed/],
    // Auckland is half a day ahead: its Saturday has begun, so a pause until Friday is over there.
    [
      'a pause until a date already over in the new zone',
      draft({ timeZone: 'Pacific/Auckland', pauseUntil: '2026-11-20' }),
      'pauseUntil',
      /has passed/,
    ],
    ['a pause that is not a date', draft({ pauseUntil: 'next week' }), 'pauseUntil', /Pick a date/],
    ['a pause on 30 February', draft({ pauseUntil: '2027-02-30' }), 'pauseUntil', /Pick a date/],
  ])('%s', (_name, input, field, message) => {
    const errors = refused(input);
    expect(Object.keys(errors)).toEqual([field]);
    expect(errors[field]).toMatch(message);
  });

  it('keeps a very long bad skip date short in the message', () => {
    const errors = refused(draft({ skipDatesText: `2026-12-24 ${'x'.repeat(500)}` }));
    expect(errors.skipDates).toContain(`“${'x'.repeat(40)}”`);
    expect(errors.skipDates?.length).toBeLessThan(100);
  });

  // The channel's calendar cannot be read in a zone that does not exist, so a pause is not judged against it.
  it('reports only the zone, without failing, when a pause comes with an unknown zone', () => {
    const errors = refused(draft({ timeZone: 'Mars/Base', pauseUntil: '2026-11-20' }));
    expect(Object.keys(errors)).toEqual(['timeZone']);
  });

  it('reports every problem at once so they can all be fixed in one go', () => {
    const errors = refused(
      draft(
        { timeZone: 'EST', workDays: [1, 2, 3, 4, 5], skipDatesText: 'soon', pauseUntil: 'later' },
        {
          week_ahead: { enabled: true, days: [], localTime: null },
          mid_week: { enabled: true, days: [6], localTime: '14:00' },
          look_back: { enabled: true, days: [5], localTime: '15:00' },
        },
      ),
    );
    expect(Object.keys(errors).sort()).toEqual(
      ['mid_week.days', 'pauseUntil', 'skipDates', 'timeZone', 'week_ahead.days', 'week_ahead.time'].sort(),
    );
  });
});

describe('parseSkipDates', () => {
  it.each<[string, string, string[]]>([
    ['commas', '2026-12-24,2026-12-25', ['2026-12-24', '2026-12-25']],
    ['commas and spaces', '2026-12-24, 2026-12-25', ['2026-12-24', '2026-12-25']],
    ['spaces only', '2026-12-25 2026-12-24', ['2026-12-24', '2026-12-25']],
    ['new lines', '2026-12-31\n2026-12-24\n', ['2026-12-24', '2026-12-31']],
    ['lines pasted from Windows', '2026-12-24\r\n2026-12-25\r\n', ['2026-12-24', '2026-12-25']],
    ['repeats', '2026-12-25, 2026-12-25\n2026-12-25', ['2026-12-25']],
    ['stray separators', ' ,, 2026-12-24 ,\n\n, ', ['2026-12-24']],
    ['nothing', '', []],
    ['only blanks', '  \n \t ', []],
    ['a leap day', '2028-02-29', ['2028-02-29']],
  ])('reads %s', (_name, text, dates) => {
    expect(parseSkipDates(text)).toEqual({ dates });
  });

  it.each([
    ['2026-12-24, tomorrow', 'tomorrow'],
    ['2026-12-32', '2026-12-32'],
    ['2026-13-01', '2026-13-01'],
    ['2027-02-29', '2027-02-29'],
    ['2026-2-3', '2026-2-3'],
    ['20261224', '20261224'],
    ['2026-12-24T00:00', '2026-12-24T00:00'],
  ])('points at the first piece of %j that is not a date', (text, invalid) => {
    expect(parseSkipDates(text)).toEqual({ invalid });
  });
});

describe('firstDueTimes', () => {
  const due = (input: RhythmSettingsDraft, now = SATURDAY) =>
    Object.fromEntries(
      Object.entries(firstDueTimes(accepted(input), now)).map(([kind, at]) => [kind, iso(at)]),
    );

  it('gives the next time each enabled rhythm falls due, and nothing for one that is off', () => {
    expect(due(draft())).toEqual({
      week_ahead: '2026-11-23T09:30:00.000Z',
      mid_week: '2026-11-25T14:00:00.000Z',
      look_back: '2026-11-27T15:00:00.000Z',
      digest: null,
    });
  });

  it('gives nothing at all when every rhythm is off', () => {
    const off = { enabled: false, days: [], localTime: null };
    expect(due(draft({}, { week_ahead: off, mid_week: off, look_back: off }))).toEqual({
      week_ahead: null,
      mid_week: null,
      look_back: null,
      digest: null,
    });
  });

  it.each([
    ['London', 'Europe/London', '2026-11-23T09:30:00.000Z'],
    ['Kolkata, five and a half hours ahead', 'Asia/Kolkata', '2026-11-23T04:00:00.000Z'],
    ['New York, five hours behind in winter', 'America/New_York', '2026-11-23T14:30:00.000Z'],
  ])('reads Monday 09:30 as the channel’s own local time in %s', (_name, timeZone, expected) => {
    expect(due(draft({ timeZone })).week_ahead).toBe(expected);
  });

  it('moves a rhythm a week on when its day is a skip date', () => {
    const times = due(draft({ skipDatesText: '2026-11-23' }));
    expect(times.week_ahead).toBe('2026-11-30T09:30:00.000Z');
    expect(times.mid_week).toBe('2026-11-25T14:00:00.000Z');
  });

  it('waits until after the pause, which covers its last day too', () => {
    const times = due(draft({ pauseUntil: '2026-12-01' }));
    expect(times).toEqual({
      week_ahead: '2026-12-07T09:30:00.000Z',
      mid_week: '2026-12-02T14:00:00.000Z',
      look_back: '2026-12-04T15:00:00.000Z',
      digest: null,
    });
  });

  it('skips today’s slot once its time has passed', () => {
    const mondayAfternoon = new Date('2026-11-23T12:00:00Z');
    expect(due(draft(), mondayAfternoon).week_ahead).toBe('2026-11-30T09:30:00.000Z');
  });
});

describe('findTimeZones', () => {
  const zonesFor = (query: string, at = NOW) => findTimeZones(query, at).map((match) => match.zone);

  it.each<[string, string, string[]]>([
    ['a city in lower case', 'london', ['Europe/London']],
    ['a city as it is written', 'London', ['Europe/London']],
    ['a city of two words, with a space', 'new york', ['America/New_York']],
    ['a city of two words, as the zone writes it', 'New_York', ['America/New_York']],
    ['the second word of a city', 'york', ['America/New_York']],
    ['a city without its accents', 'sao paulo', ['America/Sao_Paulo']],
    ['the name Slack uses where the platform keeps an older one', 'kolkata', ['Asia/Kolkata']],
    ['a city by its former name', 'calcutta', ['Asia/Kolkata']],
    ['a renamed city', 'kyiv', ['Europe/Kyiv']],
    ['UTC itself', 'utc', ['UTC']],
    ['an offset', '+5:30', ['Asia/Colombo', 'Asia/Kolkata']],
    ['an offset written as GMT', 'GMT+5:30', ['Asia/Colombo', 'Asia/Kolkata']],
    ['nothing that matches', 'atlantis', []],
    ['nothing at all', '  ', []],
  ])('finds %s ("%s")', (_name, query, zones) => {
    expect(zonesFor(query)).toEqual(zones);
  });

  it('puts a city that starts with the words typed before zones that merely contain them', () => {
    const found = zonesFor('paris');
    expect(found[0]).toBe('Europe/Paris');
    const lon = zonesFor('lon');
    expect(lon.slice(0, 2).sort()).toEqual(['Arctic/Longyearbyen', 'Europe/London']);
  });

  it('lists a whole region, alphabetically, within what one menu holds', () => {
    const europe = zonesFor('europe');
    expect(europe.length).toBeGreaterThan(50);
    expect(europe.every((zone) => zone.startsWith('Europe/'))).toBe(true);
    expect(europe).toEqual([...europe].sort());
    expect(zonesFor('a')).toHaveLength(MAX_TIME_ZONE_MATCHES);
  });

  it('reads an offset at the instant asked for, across a clock change', () => {
    const summer = new Date('2026-07-01T12:00:00Z');
    expect(zonesFor('GMT+1', summer)).toContain('Europe/London');
    expect(zonesFor('GMT+1', NOW)).not.toContain('Europe/London');
    expect(zonesFor('gmt-5', NOW)).toContain('America/New_York');
    expect(zonesFor('gmt-4', summer)).toContain('America/New_York');
  });

  it.each([
    ['Europe/London', NOW, 'GMT+0'],
    ['Europe/London', new Date('2026-07-01T12:00:00Z'), 'GMT+1'],
    ['Asia/Kolkata', NOW, 'GMT+5:30'],
    ['America/St_Johns', NOW, 'GMT-3:30'],
    ['Pacific/Chatham', NOW, 'GMT+13:45'],
  ])('labels %s at %s as %s', (zone, at, label) => {
    expect(utcOffsetLabel(zone, at)).toBe(label);
  });
});
