import { describe, expect, it } from 'vitest';
import {
  CHECK_IN_SPACING_MS,
  type CheckInTimes,
  checkInTimes,
  reopenedCheckInTimes,
} from '../../src/domain/after-action.js';
import { type ChannelCalendar, DEFAULT_WORK_DAYS, type IsoWeekday } from '../../src/domain/schedule.js';
import { addCalendarDays } from '../../src/domain/time.js';
import { checkInScheduleLine } from '../../src/slack/views/check-in-schedule.js';

function calendar(overrides: Partial<ChannelCalendar> = {}): ChannelCalendar {
  return {
    timeZone: 'Europe/London',
    workDays: DEFAULT_WORK_DAYS,
    pauseUntil: null,
    skipDates: [],
    ...overrides,
  };
}

const iso = (date: Date | null) => date?.toISOString() ?? null;
const isoTimes = (times: CheckInTimes) => ({
  pre: iso(times.pre),
  post: iso(times.post),
  reminder: iso(times.reminder),
});
const HOUR = 60 * 60 * 1000;

describe('checkInTimes: never within an hour of saving, nor of each other', () => {
  it('is an hour', () => {
    expect(CHECK_IN_SPACING_MS).toBe(HOUR);
  });

  // 2026-11-23 is a Monday; London keeps GMT then, so 10:00 there is 10:00 UTC.
  it.each([
    [
      'saved at 16:30 with the check-in today and the look-back tomorrow: the look-back comes first',
      '2026-11-23T16:30:00Z',
      { checkInOn: '2026-11-23', lookBackOn: '2026-11-24' },
      { pre: null, post: '2026-11-24T10:00:00.000Z', reminder: '2026-11-27T10:00:00.000Z' },
    ],
    [
      'saved at 16:30 with both today: the look-back moves to tomorrow and the check-in is dropped',
      '2026-11-23T16:30:00Z',
      { checkInOn: '2026-11-23', lookBackOn: '2026-11-23' },
      { pre: null, post: '2026-11-24T10:00:00.000Z', reminder: '2026-11-26T10:00:00.000Z' },
    ],
    [
      'saved at 16:30 with the check-in today and the look-back on Wednesday: the check-in moves to Tuesday',
      '2026-11-23T16:30:00Z',
      { checkInOn: '2026-11-23', lookBackOn: '2026-11-25' },
      {
        pre: '2026-11-24T10:00:00.000Z',
        post: '2026-11-25T10:00:00.000Z',
        reminder: '2026-11-30T10:00:00.000Z',
      },
    ],
    [
      'saved late on a Friday: the check-in moves over the weekend to Monday',
      '2026-11-27T16:30:00Z',
      { checkInOn: '2026-11-27', lookBackOn: '2026-12-02' },
      {
        pre: '2026-11-30T10:00:00.000Z',
        post: '2026-12-02T10:00:00.000Z',
        reminder: '2026-12-07T10:00:00.000Z',
      },
    ],
    [
      'saved at 09:30: today’s 10:00 is less than an hour away',
      '2026-11-23T09:30:00Z',
      { checkInOn: '2026-11-23', lookBackOn: '2026-11-26' },
      {
        pre: '2026-11-24T10:00:00.000Z',
        post: '2026-11-26T10:00:00.000Z',
        reminder: '2026-12-01T10:00:00.000Z',
      },
    ],
    [
      'saved at 09:00 exactly: 10:00 is an hour away and stays',
      '2026-11-23T09:00:00Z',
      { checkInOn: '2026-11-23', lookBackOn: '2026-11-26' },
      {
        pre: '2026-11-23T10:00:00.000Z',
        post: '2026-11-26T10:00:00.000Z',
        reminder: '2026-12-01T10:00:00.000Z',
      },
    ],
    [
      'saved a second after 09:00: 10:00 is too close',
      '2026-11-23T09:00:01Z',
      { checkInOn: '2026-11-23', lookBackOn: '2026-11-26' },
      {
        pre: '2026-11-24T10:00:00.000Z',
        post: '2026-11-26T10:00:00.000Z',
        reminder: '2026-12-01T10:00:00.000Z',
      },
    ],
    [
      'a check-in asked for on the look-back day itself would come with it',
      '2026-11-23T09:00:00Z',
      { checkInOn: '2026-11-25', lookBackOn: '2026-11-25' },
      { pre: null, post: '2026-11-25T10:00:00.000Z', reminder: '2026-11-30T10:00:00.000Z' },
    ],
    [
      'a look-back on a Saturday already moved to Monday, with the check-in on the Saturday itself, keeps both',
      '2026-11-23T09:00:00Z',
      { checkInOn: '2026-11-28', lookBackOn: '2026-11-28' },
      {
        pre: '2026-11-28T10:00:00.000Z',
        post: '2026-11-30T10:00:00.000Z',
        reminder: '2026-12-03T10:00:00.000Z',
      },
    ],
    [
      'saved on a Saturday afternoon with the check-in that day: Monday, unless that is the look-back',
      '2026-11-28T15:00:00Z',
      { checkInOn: '2026-11-28', lookBackOn: '2026-12-01' },
      {
        pre: '2026-11-30T10:00:00.000Z',
        post: '2026-12-01T10:00:00.000Z',
        reminder: '2026-12-04T10:00:00.000Z',
      },
    ],
    [
      'saved just before midnight for the next morning: more than an hour away, so it stays',
      '2026-11-22T23:30:00Z',
      { checkInOn: '2026-11-23', lookBackOn: '2026-11-24' },
      {
        pre: '2026-11-23T10:00:00.000Z',
        post: '2026-11-24T10:00:00.000Z',
        reminder: '2026-11-27T10:00:00.000Z',
      },
    ],
  ])('%s', (_name, savedAt, review, expected) => {
    expect(isoTimes(checkInTimes(review, calendar(), new Date(savedAt)))).toEqual(expected);
  });

  it('skips the channel’s skip dates when it moves a check-in', () => {
    const times = checkInTimes(
      { checkInOn: '2026-12-23', lookBackOn: '2026-12-30' },
      calendar({ skipDates: ['2026-12-24', '2026-12-25'] }),
      new Date('2026-12-23T16:30:00Z'),
    );
    // Christmas Eve and Day are skipped, then the weekend: Monday the 28th.
    expect(iso(times.pre)).toBe('2026-12-28T10:00:00.000Z');
  });

  it('keeps the channel’s own work days when it moves a check-in', () => {
    const tuesdaysAndThursdays: IsoWeekday[] = [2, 4];
    const times = checkInTimes(
      { checkInOn: '2026-11-24', lookBackOn: '2026-12-01' },
      calendar({ workDays: tuesdaysAndThursdays }),
      new Date('2026-11-24T12:00:00Z'),
    );
    expect(iso(times.pre)).toBe('2026-11-26T10:00:00.000Z');
  });

  it('moves a check-in in the channel’s own zone', () => {
    // 10:00 in New York is 15:00 UTC in November; at 14:30 UTC it is less than an hour away.
    const times = checkInTimes(
      { checkInOn: '2026-11-23', lookBackOn: '2026-11-26' },
      calendar({ timeZone: 'America/New_York' }),
      new Date('2026-11-23T14:30:00Z'),
    );
    expect(iso(times.pre)).toBe('2026-11-24T15:00:00.000Z');
  });

  it('moves a check-in across the clocks going back, keeping 10:00 local', () => {
    // Friday 23 October 2026 is on BST; the clocks go back on Sunday the 25th, so Monday's 10:00 is 10:00 UTC.
    const times = checkInTimes(
      { checkInOn: '2026-10-23', lookBackOn: '2026-10-28' },
      calendar(),
      new Date('2026-10-23T15:30:00Z'),
    );
    expect(iso(times.pre)).toBe('2026-10-26T10:00:00.000Z');
  });

  it('still finds a time an hour ahead in a calendar with no work days at all', () => {
    const now = new Date('2026-11-23T16:30:00Z');
    const times = checkInTimes(
      { checkInOn: '2026-11-23', lookBackOn: '2026-11-23' },
      calendar({ workDays: [] }),
      now,
    );
    expect(times.post.getTime()).toBeGreaterThanOrEqual(now.getTime() + HOUR);
    expect(times.reminder.getTime()).toBeGreaterThanOrEqual(times.post.getTime() + HOUR);
  });

  it('over every half hour of a fortnight, never pings within an hour of saving or of another check-in', () => {
    const start = new Date('2026-11-21T00:00:00Z').getTime();
    const crowded: string[] = [];
    let checked = 0;
    for (let step = 0; step < 14 * 48; step += 1) {
      const now = new Date(start + step * 30 * 60 * 1000);
      const today = now.toISOString().slice(0, 10);
      for (const checkInAhead of [null, 0, 1, 2]) {
        for (const lookBackAhead of [0, 1, 2, 5]) {
          if (checkInAhead !== null && checkInAhead > lookBackAhead) continue;
          const review = {
            checkInOn: checkInAhead === null ? null : addCalendarDays(today, checkInAhead),
            lookBackOn: addCalendarDays(today, lookBackAhead),
          };
          const times = checkInTimes(review, calendar({ skipDates: ['2026-11-26'] }), now);
          // Saving is the first ping; each check-in comes at least an hour after the one before.
          const pings = [now, times.pre, times.post, times.reminder].filter((at): at is Date => at !== null);
          for (let next = 1; next < pings.length; next += 1) {
            const gap = (pings[next] as Date).getTime() - (pings[next - 1] as Date).getTime();
            if (gap < HOUR) crowded.push(`${now.toISOString()} ${JSON.stringify(review)}`);
          }
          checked += 1;
        }
      }
    }
    expect(crowded).toEqual([]);
    expect(checked).toBe(14 * 48 * 13);
  });
});

describe('reopenedCheckInTimes', () => {
  it('brings the look-back check-in back only while its own time is still ahead', () => {
    const ahead = reopenedCheckInTimes(
      { lookBackOn: '2026-11-27' },
      calendar(),
      new Date('2026-11-24T12:00:00Z'),
    );
    expect(iso(ahead.post)).toBe('2026-11-27T10:00:00.000Z');
    expect(iso(ahead.reminder)).toBe('2026-12-02T10:00:00.000Z');
    const tooClose = reopenedCheckInTimes(
      { lookBackOn: '2026-11-27' },
      calendar(),
      new Date('2026-11-27T09:15:00Z'),
    );
    expect(tooClose.post).toBeNull();
  });

  it('reminds at the next work day’s 10:00 an hour or more away once the reminder’s own time has passed', () => {
    const late = reopenedCheckInTimes(
      { lookBackOn: '2026-11-02' },
      calendar(),
      new Date('2026-11-27T16:30:00Z'),
    );
    expect(late.post).toBeNull();
    expect(iso(late.reminder)).toBe('2026-11-30T10:00:00.000Z');
    const withinTheHour = reopenedCheckInTimes(
      { lookBackOn: '2026-11-20' },
      calendar(),
      new Date('2026-11-25T09:30:00Z'),
    );
    // The reminder's own time, Wednesday the 25th at 10:00, is less than an hour away.
    expect(iso(withinTheHour.reminder)).toBe('2026-11-26T10:00:00.000Z');
  });
});

describe('checkInScheduleLine', () => {
  const textOf = (line: ReturnType<typeof checkInScheduleLine>) => {
    const [element] = line?.elements ?? [];
    if (!element || !('text' in element)) throw new Error('expected a line of text');
    return element.text;
  };
  const at = (instant: string) => new Date(instant);
  const token = (instant: string) => `<!date^${Date.parse(instant) / 1000}^{date_long_pretty} at {time}|`;

  it('says nothing when every check-in keeps its day', () => {
    expect(checkInScheduleLine([], 'Europe/London')).toBeNull();
  });

  it('says when a moved pre-action check-in comes', () => {
    const line = checkInScheduleLine(
      [{ kind: 'pre_check_in', askedFor: '2026-11-27', comes: at('2026-11-30T10:00:00Z') }],
      'Europe/London',
    );
    const text = textOf(line);
    expect(text).toBe(
      `:alarm_clock: Check-ins come at 10:00 on a work day, never within an hour of saving, so the pre-action check-in comes ${token('2026-11-30T10:00:00Z')}Monday 30 November 2026, 10:00> instead of <!date^${Date.parse('2026-11-27T12:00:00Z') / 1000}^{date_long_pretty}|Friday 27 November 2026>.`,
    );
  });

  it('says there is no separate pre-action check-in when the look-back comes first', () => {
    const line = checkInScheduleLine(
      [{ kind: 'pre_check_in', askedFor: '2026-11-23', dropped: true, lookBack: at('2026-11-24T10:00:00Z') }],
      'Europe/London',
    );
    const text = textOf(line);
    expect(text).toContain(
      `so there is no separate pre-action check-in before the look-back one, ${token('2026-11-24T10:00:00Z')}Tuesday 24 November 2026, 10:00>.`,
    );
  });

  it('says when a moved look-back check-in comes, and that nothing comes before it', () => {
    const line = checkInScheduleLine(
      [
        { kind: 'pre_check_in', askedFor: '2026-11-23', dropped: true, lookBack: at('2026-11-24T10:00:00Z') },
        { kind: 'post_check_in', askedFor: '2026-11-23', comes: at('2026-11-24T10:00:00Z') },
      ],
      'Europe/London',
    );
    const text = textOf(line);
    expect(text).toContain(
      `so the look-back check-in comes ${token('2026-11-24T10:00:00Z')}Tuesday 24 November 2026, 10:00> instead of`,
    );
    expect(text).toMatch(/, and there is no separate pre-action check-in before it\.$/);
  });
});
