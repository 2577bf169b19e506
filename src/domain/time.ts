import { TZDate } from '@date-fns/tz';
import { addDays, format, parseISO } from 'date-fns';

export const FALLBACK_TIME_ZONE = 'UTC';

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** The calendar date (yyyy-MM-dd) it is at `now` in `timeZone`. */
export function calendarDateIn(now: Date, timeZone: string): string {
  return format(new TZDate(now, timeZone), 'yyyy-MM-dd');
}

/** Adds whole days to a calendar date, ignoring time zones entirely. */
export function addCalendarDays(isoDate: string, days: number): string {
  return format(addDays(parseISO(isoDate), days), 'yyyy-MM-dd');
}

/** "Saturday 28 November 2026": unambiguous for readers in any locale. */
export function formatLongDate(isoDate: string): string {
  return format(parseISO(isoDate), 'EEEE d MMMM yyyy');
}

/** The ISO week ("2026-W47") that `now` falls in, in `timeZone`: a channel's digest is once per such week. */
export function isoWeekKey(now: Date, timeZone: string): string {
  return format(new TZDate(now, timeZone), "RRRR-'W'II");
}

/** "14 Nov": a short day label in `timeZone`. */
export function shortDay(instant: Date, timeZone: string): string {
  return format(new TZDate(instant, timeZone), 'd MMM');
}

/** "12 Oct 2026": a past day, in `timeZone`. */
export function formatShortDate(instant: Date, timeZone: string): string {
  return format(new TZDate(instant, timeZone), 'd MMM yyyy');
}
