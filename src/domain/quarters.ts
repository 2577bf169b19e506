import { periodInstants } from './export-period.js';
import { addCalendarDays, calendarDateIn } from './time.js';

/** A calendar quarter in a channel's own calendar: the span a portrait compares and a history section covers. */
export interface Quarter {
  /** "2026-Q4": stable, sortable, and what a person types after `/learning history`. */
  key: string;
  /** "October – December 2026". */
  label: string;
  /** First and last day, both included, in the channel's calendar. */
  firstDay: string;
  lastDay: string;
  /** From the first day's midnight up to, not including, the midnight after the last day. */
  start: Date;
  end: Date;
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

/** Quarter `number` (1–4) of `year`, in `timeZone`. */
export function quarterOf(year: number, number: number, timeZone: string): Quarter {
  const firstMonth = (number - 1) * 3;
  const pad = (month: number) => String(month + 1).padStart(2, '0');
  const firstDay = `${year}-${pad(firstMonth)}-01`;
  const nextFirstDay = number === 4 ? `${year + 1}-01-01` : `${year}-${pad(firstMonth + 3)}-01`;
  const lastDay = addCalendarDays(nextFirstDay, -1);
  const { from, until } = periodInstants({ from: firstDay, to: lastDay }, timeZone);
  return {
    key: `${year}-Q${number}`,
    label: `${MONTHS[firstMonth]} – ${MONTHS[firstMonth + 2]} ${year}`,
    firstDay,
    lastDay,
    start: from,
    end: until,
  };
}

/** The quarter `instant` falls in, in `timeZone`. */
export function quarterContaining(instant: Date, timeZone: string): Quarter {
  const [year, month] = calendarDateIn(instant, timeZone).split('-').map(Number) as [number, number];
  return quarterOf(year, Math.floor((month - 1) / 3) + 1, timeZone);
}

/** The quarter just before `quarter`. */
export function previousQuarter(quarter: Quarter, timeZone: string): Quarter {
  const [year, number] = quarter.key.split('-Q').map(Number) as [number, number];
  return number === 1 ? quarterOf(year - 1, 4, timeZone) : quarterOf(year, number - 1, timeZone);
}

/** "2026-Q3", "2026 Q3", "Q3 2026" or "q3-2026"; undefined for anything else. */
export function readQuarter(text: string, timeZone: string): Quarter | undefined {
  const words = text.trim().toUpperCase();
  const match = /^(\d{4})[\s-]*Q([1-4])$/.exec(words) ?? /^Q([1-4])[\s-]*(\d{4})$/.exec(words);
  if (!match) return undefined;
  const [year, number] = /^\d{4}/.test(words)
    ? [Number(match[1]), Number(match[2])]
    : [Number(match[2]), Number(match[1])];
  return quarterOf(year, number, timeZone);
}
