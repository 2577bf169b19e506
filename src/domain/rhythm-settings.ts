import { isValid, parseISO } from 'date-fns';
import type { RhythmKind } from '../db/schema.js';
import {
  ALL_WEEKDAYS,
  type ChannelCalendar,
  type IsoWeekday,
  nextOccurrence,
  parseLocalTime,
  type RhythmTiming,
} from './schedule.js';
import { isValidTimeZone } from './time.js';

export const CONFIGURABLE_RHYTHMS: readonly RhythmKind[] = ['week_ahead', 'mid_week', 'look_back', 'digest'];

/** Sensible first settings: the start of the week looks ahead, mid-week reflects, Friday looks back. */
export const RHYTHM_DEFAULTS: Record<RhythmKind, RhythmTiming> = {
  week_ahead: { days: [1], localTime: '09:30' },
  mid_week: { days: [3], localTime: '14:00' },
  look_back: { days: [5], localTime: '15:00' },
  digest: { days: [5], localTime: '16:00' },
};

/** Holidays are listed by hand; a year's worth is plenty and keeps the field readable. */
export const MAX_SKIP_DATES = 60;

export interface RhythmDraft {
  enabled: boolean;
  days: number[];
  localTime: string | null;
}

export interface RhythmSettingsDraft {
  timeZone: string;
  workDays: number[];
  pauseUntil: string | null;
  skipDatesText: string;
  rhythms: Record<RhythmKind, RhythmDraft>;
}

export type RhythmSettingsField =
  | 'timeZone'
  | 'workDays'
  | 'pauseUntil'
  | 'skipDates'
  | `${RhythmKind}.${'days' | 'time'}`;

export interface ValidRhythmSettings {
  calendar: ChannelCalendar;
  rhythms: Record<RhythmKind, RhythmTiming & { enabled: boolean }>;
}

export type RhythmSettingsValidation =
  | { ok: true; settings: ValidRhythmSettings }
  | { ok: false; errors: Partial<Record<RhythmSettingsField, string>> };

const isWeekday = (day: number): day is IsoWeekday => (ALL_WEEKDAYS as readonly number[]).includes(day);

function isCalendarDate(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(text) && isValid(parseISO(text));
}

/** "2026-12-24, 2026-12-25" (commas, spaces or new lines) into dates, or the first piece that is not one. */
export function parseSkipDates(text: string): { dates: string[] } | { invalid: string } {
  const pieces = text
    .split(/[\s,;]+/)
    .map((piece) => piece.trim())
    .filter(Boolean);
  const invalid = pieces.find((piece) => !isCalendarDate(piece));
  if (invalid !== undefined) return { invalid };
  return { dates: [...new Set(pieces)].sort() };
}

/** Checks the rhythm modal as a whole; `today` is the channel's calendar date in its (new) zone. */
export function validateRhythmSettings(
  draft: RhythmSettingsDraft,
  today: (timeZone: string) => string,
): RhythmSettingsValidation {
  const errors: Partial<Record<RhythmSettingsField, string>> = {};
  const timeZone = draft.timeZone.trim();
  // Slack shows people IANA names ("Europe/London"); abbreviations like EST are ambiguous, so only UTC is allowed bare.
  if (!isValidTimeZone(timeZone) || !(timeZone.includes('/') || timeZone === 'UTC')) {
    errors.timeZone = 'Pick the channel’s time zone from the list: type a city, like London.';
  }
  const workDays = [...new Set(draft.workDays)].filter(isWeekday).sort();
  if (workDays.length === 0) errors.workDays = 'Pick at least one work day.';

  const skip = parseSkipDates(draft.skipDatesText);
  if ('invalid' in skip) errors.skipDates = `“${skip.invalid.slice(0, 40)}” is not a date like 2026-12-25.`;
  else if (skip.dates.length > MAX_SKIP_DATES) errors.skipDates = `List at most ${MAX_SKIP_DATES} dates.`;

  if (draft.pauseUntil !== null) {
    if (!isCalendarDate(draft.pauseUntil)) errors.pauseUntil = 'Pick a date.';
    else if (!errors.timeZone && draft.pauseUntil < today(timeZone)) {
      errors.pauseUntil = 'That date has passed. Pick a later one, or clear it to run now.';
    }
  }

  const rhythms = {} as ValidRhythmSettings['rhythms'];
  for (const kind of CONFIGURABLE_RHYTHMS) {
    const rhythm = draft.rhythms[kind];
    const days = [...new Set(rhythm.days)].filter(isWeekday).sort();
    const time = rhythm.localTime && parseLocalTime(rhythm.localTime) ? rhythm.localTime : null;
    if (rhythm.enabled && days.length === 0) errors[`${kind}.days`] = 'Pick at least one day.';
    else if (rhythm.enabled && workDays.length > 0 && !days.some((day) => workDays.includes(day))) {
      errors[`${kind}.days`] = 'None of these days is a work day, so this would never run.';
    }
    if (rhythm.enabled && !time) errors[`${kind}.time`] = 'Pick a time.';
    rhythms[kind] = {
      enabled: rhythm.enabled,
      days: days.length > 0 ? days : RHYTHM_DEFAULTS[kind].days,
      localTime: time ?? RHYTHM_DEFAULTS[kind].localTime,
    };
  }

  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    settings: {
      calendar: {
        timeZone,
        workDays,
        pauseUntil: draft.pauseUntil,
        skipDates: 'dates' in skip ? skip.dates : [],
      },
      rhythms,
    },
  };
}

/** When each enabled rhythm next falls due after `now`; null when off. */
export function firstDueTimes(settings: ValidRhythmSettings, now: Date): Record<RhythmKind, Date | null> {
  const result = {} as Record<RhythmKind, Date | null>;
  for (const kind of CONFIGURABLE_RHYTHMS) {
    const rhythm = settings.rhythms[kind];
    result[kind] = rhythm.enabled ? nextOccurrence(rhythm, settings.calendar, now) : null;
  }
  return result;
}
