import { format, parseISO } from 'date-fns';
import { periodInstants, periodOf, readExportPeriod } from './export-period.js';
import { previousQuarter, type Quarter, quarterContaining, readQuarter } from './quarters.js';
import { calendarDateIn } from './time.js';

/**
 * What a learning history covers: whole quarters, or parts of them for a range of days, oldest first.
 * A part keeps its quarter's key (so the quarter before it is still found) and has its own days and label.
 */
export interface HistoryPeriod {
  /** "October – December 2026", "October – December 2026, so far", "1 July 2026 to 15 August 2026". */
  label: string;
  quarters: Quarter[];
}

export type HistoryPeriodReading = { ok: true; period: HistoryPeriod } | { ok: false; problem: string };

/** Two years: longer than that and the history stops being something a team reads through together. */
export const MAX_HISTORY_QUARTERS = 8;

const CURRENT = new Set(['', 'this quarter', 'current quarter']);
const LAST = new Set(['last quarter', 'previous quarter']);

/** "1 July 2026": a day as a person reads it. */
function dayWords(isoDate: string): string {
  return format(parseISO(isoDate), 'd MMMM yyyy');
}

/** The part of `quarter` from `from` to `to` (both included), labelled by its days when it is not the whole quarter. */
function partOf(quarter: Quarter, from: string, to: string, timeZone: string): Quarter {
  const firstDay = from > quarter.firstDay ? from : quarter.firstDay;
  const lastDay = to < quarter.lastDay ? to : quarter.lastDay;
  if (firstDay === quarter.firstDay && lastDay === quarter.lastDay) return quarter;
  const { from: start, until: end } = periodInstants({ from: firstDay, to: lastDay }, timeZone);
  return {
    ...quarter,
    firstDay,
    lastDay,
    start,
    end,
    label: `${dayWords(firstDay)} to ${dayWords(lastDay)}`,
  };
}

/** Each quarter a range of days touches, cut to the range. */
function quartersBetween(from: string, to: string, timeZone: string): Quarter[] {
  const last = quarterContaining(periodInstants({ from: to, to }, timeZone).from, timeZone);
  const quarters: Quarter[] = [];
  for (let quarter = last; quarter.lastDay >= from; quarter = previousQuarter(quarter, timeZone)) {
    quarters.unshift(partOf(quarter, from, to, timeZone));
    if (quarters.length > MAX_HISTORY_QUARTERS) break;
  }
  return quarters;
}

/**
 * Reads what follows `/learning history`: nothing or "this quarter" for the quarter so far, "last
 * quarter", a quarter ("2026-Q3", "Q3 2026"), two dates, or "last N days", in the channel's calendar.
 * Anything else is a problem said in plain words.
 */
export function readHistoryPeriod(words: string, at: { now: Date; timeZone: string }): HistoryPeriodReading {
  const typed = words.trim().toLowerCase().replace(/\s+/g, ' ');
  const { now, timeZone } = at;
  const current = quarterContaining(now, timeZone);
  if (CURRENT.has(typed))
    return { ok: true, period: { label: `${current.label}, so far`, quarters: [current] } };
  if (LAST.has(typed)) {
    const last = previousQuarter(current, timeZone);
    return { ok: true, period: { label: last.label, quarters: [last] } };
  }
  const quarter = readQuarter(typed, timeZone);
  if (quarter) {
    if (quarter.firstDay > calendarDateIn(now, timeZone)) {
      return { ok: false, problem: `${quarter.key} has not started yet` };
    }
    const label = quarter.key === current.key ? `${quarter.label}, so far` : quarter.label;
    return { ok: true, period: { label, quarters: [quarter] } };
  }
  if (/^q[1-4]$/.test(typed)) {
    return {
      ok: false,
      problem: `say which year too, like “${typed.toUpperCase()} ${current.key.slice(0, 4)}”`,
    };
  }
  const reading = readExportPeriod(typed);
  if (!reading.ok) return { ok: false, problem: reading.problem };
  const today = calendarDateIn(now, timeZone);
  const { from, to } = periodOf(reading.request, today);
  const quarters = quartersBetween(from, to, timeZone);
  if (quarters.length > MAX_HISTORY_QUARTERS) {
    return { ok: false, problem: `a history can cover at most ${MAX_HISTORY_QUARTERS} quarters` };
  }
  return { ok: true, period: { label: `${dayWords(from)} to ${dayWords(to)}`, quarters } };
}

/**
 * The learning history of a range of days (both included), in the channel's calendar. A range touching
 * more quarters than a history covers keeps the latest of them; `cut` says so.
 */
export function historyPeriodOfDays(
  from: string,
  to: string,
  timeZone: string,
): { period: HistoryPeriod; cut: boolean } {
  const touched = quartersBetween(from, to, timeZone);
  const quarters = touched.slice(-MAX_HISTORY_QUARTERS);
  const first = quarters[0]?.firstDay ?? from;
  return {
    period: { label: `${dayWords(first)} to ${dayWords(to)}`, quarters },
    cut: quarters.length < touched.length,
  };
}

/** What works after `/learning history`, for a line that says what could not be read. */
export function historyPeriodExamples(now: Date, timeZone: string): string[] {
  const current = quarterContaining(now, timeZone);
  const last = previousQuarter(current, timeZone);
  return [
    '`/learning history` (this quarter so far)',
    '`/learning history last quarter`',
    `\`/learning history ${last.key}\``,
    `\`/learning history ${current.firstDay} ${calendarDateIn(now, timeZone)}\``,
  ];
}
