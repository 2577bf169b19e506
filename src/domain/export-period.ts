import { TZDate } from '@date-fns/tz';
import { addCalendarDays } from './time.js';

/** What `/learning export …` asked for, before the channel's calendar turns it into days. */
export type PeriodRequest =
  | { kind: 'everything' }
  | { kind: 'between'; from: string; to: string }
  | { kind: 'last'; days: number };

export type PeriodReading = { ok: true; request: PeriodRequest } | { ok: false; problem: string };

/** Days in the channel's own calendar, both included. */
export interface ExportPeriod {
  from: string;
  to: string;
  /** Everything stored, however old: `from` is then the day of the first record. */
  everything: boolean;
}

/** Ten years: a range is for finding something, and this is longer than any team has used the app. */
export const MAX_EXPORT_DAYS = 3660;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isCalendarDate(text: string): boolean {
  const match = ISO_DATE.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/**
 * Reads what follows `/learning export`: nothing for everything, two dates (from and to, both included,
 * optionally with "to" between them), or "last N days". Anything else is a problem said in plain words.
 */
export function readExportPeriod(words: string): PeriodReading {
  const parts = words.trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (parts.length === 0) return { ok: true, request: { kind: 'everything' } };
  if (parts[0] === 'last') {
    const match = /^last (\d{1,6}) days?$/.exec(parts.join(' '));
    const days = match ? Number(match[1]) : Number.NaN;
    if (!match) return { ok: false, problem: 'say how many days, like “last 30 days”' };
    if (days < 1 || days > MAX_EXPORT_DAYS) {
      return { ok: false, problem: `the number of days must be between 1 and ${MAX_EXPORT_DAYS}` };
    }
    return { ok: true, request: { kind: 'last', days } };
  }
  const dates = parts.length === 3 && parts[1] === 'to' ? [parts[0], parts[2]] : parts;
  const looksLikeDates = dates.every((part) => /^\d{4}-\d{1,2}-\d{1,2}$/.test(part ?? ''));
  if (!looksLikeDates || dates.length > 2) {
    return { ok: false, problem: 'that is not two dates written as YYYY-MM-DD' };
  }
  const [from, to] = dates as [string, string | undefined];
  if (to === undefined) return { ok: false, problem: `${from} is one date; I need two, from and to` };
  for (const date of [from, to]) {
    if (!isCalendarDate(date))
      return { ok: false, problem: `${date} is not a date (write it as YYYY-MM-DD)` };
  }
  if (from > to) return { ok: false, problem: `${from} comes after ${to}: put the earlier date first` };
  if (daysBetween(from, to) + 1 > MAX_EXPORT_DAYS) {
    return { ok: false, problem: `a range can be at most ${MAX_EXPORT_DAYS} days long` };
  }
  return { ok: true, request: { kind: 'between', from, to } };
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/**
 * The days a request covers, counted in the channel's calendar from `today`; for everything, from the
 * day of the first record (`firstDay`, or today when there is none).
 */
export function periodOf(request: PeriodRequest, today: string, firstDay?: string): ExportPeriod {
  if (request.kind === 'between') return { from: request.from, to: request.to, everything: false };
  if (request.kind === 'last') {
    return { from: addCalendarDays(today, -(request.days - 1)), to: today, everything: false };
  }
  return { from: firstDay && firstDay < today ? firstDay : today, to: today, everything: true };
}

function midnightIn(isoDate: string, timeZone: string): Date {
  const [year, month, day] = isoDate.split('-').map(Number) as [number, number, number];
  return new Date(new TZDate(year, month - 1, day, timeZone).getTime());
}

/** The instants a range of days spans in a time zone: from its first midnight up to, not including, the one after its last day. */
export function periodInstants(
  period: { from: string; to: string },
  timeZone: string,
): { from: Date; until: Date } {
  return {
    from: midnightIn(period.from, timeZone),
    until: midnightIn(addCalendarDays(period.to, 1), timeZone),
  };
}
