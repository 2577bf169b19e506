import { TZDate, tzOffset } from '@date-fns/tz';
import { format } from 'date-fns';
import { addCalendarDays, calendarDateIn } from './time.js';

/** ISO weekday: Monday = 1 … Sunday = 7. */
export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

export const ALL_WEEKDAYS: readonly IsoWeekday[] = [1, 2, 3, 4, 5, 6, 7];
/** Most teams work Monday to Friday; a channel can change this in its settings. */
export const DEFAULT_WORK_DAYS: readonly IsoWeekday[] = [1, 2, 3, 4, 5];

/**
 * A year and a bit. A channel paused for up to a year still gets its next date, and a calendar on which no
 * day can ever fire (every day skipped, say) ends the search instead of looping forever.
 */
export const LOOKAHEAD_DAYS = 400;

export interface ChannelCalendar {
  /** IANA zone, e.g. 'Europe/London'. */
  timeZone: string;
  workDays: readonly IsoWeekday[];
  /** yyyy-MM-dd; nothing fires on or before this local date. */
  pauseUntil: string | null;
  /** yyyy-MM-dd local dates (holidays) on which nothing fires. */
  skipDates: readonly string[];
}

export interface RhythmTiming {
  /** Days this rhythm runs. */
  days: readonly IsoWeekday[];
  /** 'HH:mm', 24-hour (see parseLocalTime). */
  localTime: string;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/**
 * Offsets are sampled this far either side of a wall-clock time to find every offset the zone might be using
 * then. Real offsets lie between UTC−12 and UTC+14, and zones change offset months apart, so a day and a
 * half each way catches both sides of any change without reaching a second one.
 */
const OFFSET_SAMPLE_MS = 36 * HOUR_MS;

/**
 * Parses 'HH:mm' (00:00–23:59). A single-digit hour ('9:00') is accepted too, because that is how many
 * people write the time; minutes always take two digits. Undefined when malformed.
 */
export function parseLocalTime(text: string): { hours: number; minutes: number } | undefined {
  const match = /^(\d{1,2}):(\d{2})$/.exec(text);
  if (!match) return undefined;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (hours > 23 || minutes > 59) return undefined;
  return { hours, minutes };
}

/** Year, month (1–12) and day of a yyyy-MM-dd date, or undefined when it is not a real calendar date. */
function parseLocalDate(date: string): { year: number; month: number; day: number } | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return undefined;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  // Date.UTC rolls 30 February over into March; a date that does not round-trip is not a real one.
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) {
    return undefined;
  }
  return { year, month, day };
}

/** The zone's offset from UTC in minutes at `epochMs`; NaN when the zone is unknown. */
function offsetAt(timeZone: string, epochMs: number): number {
  return tzOffset(timeZone, new Date(epochMs));
}

/**
 * The instant a local wall-clock time happens on a local date in a zone.
 *
 * Where the clocks go forward and the time does not exist that day, it is the first instant after the gap
 * (01:30 on the day London springs forward is 02:00 BST). Where the clocks go back and the time happens
 * twice, it is the first of the two. TZDate's own constructor is not used for this: in a gap it shifts the
 * time by the gap's length (01:30 becomes 02:30, not 02:00), and in an overlap which of the two instants it
 * returns depends on the time zone of the machine running it.
 *
 * Throws a RangeError for a malformed date, time or zone: those come from stored settings that were
 * validated when they were saved, so reaching here with one is a bug, not a user's mistake.
 */
export function localInstant(date: string, localTime: string, timeZone: string): Date {
  const day = parseLocalDate(date);
  if (!day) throw new RangeError(`Not a yyyy-MM-dd date: ${JSON.stringify(date)}`);
  const time = parseLocalTime(localTime);
  if (!time) throw new RangeError(`Not an HH:mm time: ${JSON.stringify(localTime)}`);

  // The wall-clock reading as if it were UTC; subtracting the zone's offset at the right instant gives
  // that instant.
  const wall = Date.UTC(day.year, day.month - 1, day.day, time.hours, time.minutes);
  const sampled = [wall - OFFSET_SAMPLE_MS, wall, wall + OFFSET_SAMPLE_MS].map((at) =>
    offsetAt(timeZone, at),
  );
  if (sampled.some(Number.isNaN)) throw new RangeError(`Unknown time zone: ${JSON.stringify(timeZone)}`);

  const candidates = [...new Set(sampled)].map((offset) => wall - offset * MINUTE_MS);
  // A candidate is real when the zone does use that offset at that instant; in an overlap both are real.
  const real = candidates.filter((instant) => wall - offsetAt(timeZone, instant) * MINUTE_MS === instant);
  if (real.length > 0) return new Date(Math.min(...real));

  // In a gap no candidate is real; the clocks changed somewhere between the earliest and the latest.
  return new Date(firstChangeBetween(timeZone, Math.min(...candidates), Math.max(...candidates)));
}

/**
 * The first whole minute after `from` (and no later than `to`) at which the zone's offset differs from the
 * one it has at `from`. Offsets change on whole minutes, so a binary search over minutes is exact.
 */
function firstChangeBetween(timeZone: string, from: number, to: number): number {
  const before = offsetAt(timeZone, from);
  let low = Math.floor(from / MINUTE_MS); // offset still `before`
  let high = Math.ceil(to / MINUTE_MS); // offset already changed
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (offsetAt(timeZone, middle * MINUTE_MS) === before) low = middle;
    else high = middle;
  }
  return high * MINUTE_MS;
}

/** ISO weekday of a yyyy-MM-dd date, read in UTC so the machine's own zone cannot move it. */
export function isoWeekdayOf(date: string): IsoWeekday {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return (weekday === 0 ? 7 : weekday) as IsoWeekday;
}

/**
 * The first instant strictly after `after` at which the rhythm fires, or null if none within
 * LOOKAHEAD_DAYS local days of `after`.
 */
export function nextOccurrence(timing: RhythmTiming, calendar: ChannelCalendar, after: Date): Date | null {
  const days = new Set(timing.days.filter((day) => calendar.workDays.includes(day)));
  if (days.size === 0) return null;
  const skipped = new Set(calendar.skipDates);
  const eligible = (date: string) =>
    days.has(isoWeekdayOf(date)) &&
    !skipped.has(date) &&
    (calendar.pauseUntil === null || date > calendar.pauseUntil);

  const today = calendarDateIn(after, calendar.timeZone);
  // Start a day early: yesterday's time, pushed forward by a gap, could in principle still lie after `after`.
  for (let step = -1; step <= LOOKAHEAD_DAYS; step++) {
    const date = addCalendarDays(today, step);
    if (!eligible(date)) continue;
    const instant = localInstant(date, timing.localTime, calendar.timeZone);
    if (instant.getTime() > after.getTime()) return instant;
  }
  return null;
}

/** Up to `count` successive occurrences strictly after `after`, earliest first. */
export function nextOccurrences(
  timing: RhythmTiming,
  calendar: ChannelCalendar,
  after: Date,
  count: number,
): Date[] {
  const occurrences: Date[] = [];
  let from = after;
  while (occurrences.length < count) {
    const next = nextOccurrence(timing, calendar, from);
    if (!next) break;
    occurrences.push(next);
    from = next;
  }
  return occurrences;
}

/** e.g. "Monday 23 November 2026, 09:00" in the zone's local time: unambiguous for readers in any locale. */
export function formatLocal(instant: Date, timeZone: string): string {
  return format(new TZDate(instant, timeZone), 'EEEE d MMMM yyyy, HH:mm');
}
