import type { Verdict } from '../db/schema.js';
import { checkPeopleAndChannel, MAX_ANSWER_LENGTH } from './review.js';
import { type ChannelCalendar, isoWeekdayOf, localInstant } from './schedule.js';
import { addCalendarDays, calendarDateIn } from './time.js';

export const VERDICT_LABELS: Record<Verdict, string> = {
  borne_out: 'Borne out',
  partly: 'Partly borne out',
  not_borne_out: 'Not borne out',
  too_early: 'Too early to tell',
};

/** A working hour people are at their desks in most teams, for check-ins that have a date but no time. */
export const CHECK_IN_LOCAL_TIME = '10:00';
/** One reminder after this many work days without an after-action review; after that the loop shows in the digest. */
export const REMINDER_AFTER_WORK_DAYS = 3;
/** Beyond this, a calendar with no work day at all would never yield a date. */
const SEARCH_DAYS = 60;

export interface AarDraft {
  intended: string;
  whatHappened: string;
  whyDifferent: string;
  sustain: string;
  change: string;
  verdict: string | null;
  revisedHypothesis: string;
  people: string[];
  channelId: string | null;
  questionId: string | null;
}

export type AarField = keyof AarDraft;

export interface ValidAar {
  intended: string;
  whatHappened: string;
  whyDifferent: string;
  sustain: string;
  change: string;
  verdict: Verdict | null;
  revisedHypothesis: string | null;
  people: string[];
  channelId: string;
  questionId: string | null;
}

const VERDICT_VALUES = Object.keys(VERDICT_LABELS) as Verdict[];

/**
 * Checks an after-action review. With a before-action review behind it, the verdict on its hypothesis is
 * required and the intentions come from it; without one, "what did we intend?" is asked instead.
 */
export function validateAarDraft(
  draft: AarDraft,
  context: { hasBeforeReview: boolean },
): { ok: true; aar: ValidAar } | { ok: false; errors: Partial<Record<AarField, string>> } {
  const errors: Partial<Record<AarField, string>> = {};
  const text = (field: AarField) => String(draft[field] ?? '').trim();
  // What happened and why is the review itself; what to keep and change can be added later, by an edit or a
  // perspective.
  const required: Array<[AarField, string]> = [
    ['whatHappened', 'What actually happened? A sentence is enough.'],
    ['whyDifferent', 'Why was there a difference (or none)?'],
  ];
  if (!context.hasBeforeReview) required.unshift(['intended', 'What did we intend to happen?']);
  for (const [field, message] of required) if (!text(field)) errors[field] = message;
  for (const field of [
    'intended',
    'whatHappened',
    'whyDifferent',
    'sustain',
    'change',
    'revisedHypothesis',
  ] as const) {
    const length = [...text(field)].length;
    if (length > MAX_ANSWER_LENGTH)
      errors[field] = `Please keep this under ${MAX_ANSWER_LENGTH} characters (it is ${length}).`;
  }
  const verdict = VERDICT_VALUES.find((value) => value === draft.verdict) ?? null;
  if (context.hasBeforeReview && !verdict) errors.verdict = 'Say whether the hypothesis held.';
  const { people, problems } = checkPeopleAndChannel(draft);
  Object.assign(errors, problems);
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    aar: {
      intended: text('intended'),
      whatHappened: text('whatHappened'),
      whyDifferent: text('whyDifferent'),
      sustain: text('sustain'),
      change: text('change'),
      verdict,
      revisedHypothesis: text('revisedHypothesis') || null,
      people,
      channelId: draft.channelId as string,
      questionId: draft.questionId,
    },
  };
}

function isWorkDay(date: string, calendar: ChannelCalendar): boolean {
  return calendar.workDays.includes(isoWeekdayOf(date)) && !calendar.skipDates.includes(date);
}

/** The date itself when it is a work day, otherwise the next one (a look-back on a holiday moves on). */
export function nextWorkDay(date: string, calendar: ChannelCalendar): string {
  for (let step = 0; step < SEARCH_DAYS; step += 1) {
    const candidate = addCalendarDays(date, step);
    if (isWorkDay(candidate, calendar)) return candidate;
  }
  return date;
}

function addWorkDays(date: string, workDays: number, calendar: ChannelCalendar): string {
  let current = date;
  for (let counted = 0, step = 0; counted < workDays && step < SEARCH_DAYS; step += 1) {
    current = addCalendarDays(current, 1);
    if (isWorkDay(current, calendar)) counted += 1;
  }
  return current;
}

export interface CheckInTimes {
  /** Null when none was asked for, or when the look-back check-in would come first. */
  pre: Date | null;
  post: Date;
  reminder: Date;
}

/** A check-in coming at another time than the day its review names, or not coming at all. */
export type CheckInChange =
  | { kind: 'pre_check_in' | 'post_check_in'; askedFor: string; comes: Date }
  | { kind: 'pre_check_in'; askedFor: string; dropped: true; lookBack: Date };

/**
 * Saving a review posts its summary, which is already a ping at the people involved; a check-in within
 * the hour after it, or within the hour of another check-in, would be a second one.
 */
export const CHECK_IN_SPACING_MS = 60 * 60 * 1000;

/** A day's check-in time: 10:00 in the calendar's zone. */
export function checkInSlot(date: string, calendar: ChannelCalendar): Date {
  return localInstant(date, CHECK_IN_LOCAL_TIME, calendar.timeZone);
}

function later(a: Date, b: Date): Date {
  return a.getTime() >= b.getTime() ? a : b;
}

/**
 * The day's own 10:00 when it is no earlier than `earliest`; otherwise the first work day's 10:00 that is,
 * counted from that day or from today, whichever is later.
 */
function slotFrom(date: string, calendar: ChannelCalendar, earliest: Date): Date {
  const own = checkInSlot(date, calendar);
  if (own.getTime() >= earliest.getTime()) return own;
  const today = calendarDateIn(earliest, calendar.timeZone);
  const start = date > today ? date : today;
  for (let step = 0; step < SEARCH_DAYS; step += 1) {
    const candidate = addCalendarDays(start, step);
    const slot = checkInSlot(candidate, calendar);
    if (isWorkDay(candidate, calendar) && slot.getTime() >= earliest.getTime()) return slot;
  }
  // A calendar with no work day at all: the next day's 10:00 still keeps the hour.
  const first = checkInSlot(start, calendar);
  return first.getTime() >= earliest.getTime() ? first : checkInSlot(addCalendarDays(start, 1), calendar);
}

/**
 * When a review's check-ins fall due: the pre-action one on the action's day, the post-action one on the
 * look-back date (or the next work day), and the reminder three work days after that, each at 10:00.
 * None comes within an hour of `now` (saving or editing the review posts or rewrites its summary) or of
 * another: one whose time has passed, or is less than an hour away, comes at the next work day's 10:00,
 * and a pre-action check-in that would then come with or after the look-back one is dropped.
 */
export function checkInTimes(
  review: { checkInOn: string | null; lookBackOn: string },
  calendar: ChannelCalendar,
  now: Date,
): CheckInTimes {
  const earliest = new Date(now.getTime() + CHECK_IN_SPACING_MS);
  const postDate = nextWorkDay(review.lookBackOn, calendar);
  const post = slotFrom(postDate, calendar, earliest);
  const reminder = slotFrom(
    addWorkDays(postDate, REMINDER_AFTER_WORK_DAYS, calendar),
    calendar,
    later(earliest, new Date(post.getTime() + CHECK_IN_SPACING_MS)),
  );
  const pre = review.checkInOn ? slotFrom(review.checkInOn, calendar, earliest) : null;
  const preComesFirst = pre !== null && pre.getTime() + CHECK_IN_SPACING_MS <= post.getTime();
  return { pre: preComesFirst ? pre : null, post, reminder };
}

/**
 * A loop reopened (its after-action review deleted) gets its reminder again, at its own time or, once
 * that is past, at the next work day's 10:00 an hour or more away. The look-back check-in comes back
 * only while its own time is still ahead: moved, it would arrive late and out of place.
 */
export function reopenedCheckInTimes(
  review: { lookBackOn: string },
  calendar: ChannelCalendar,
  now: Date,
): { post: Date | null; reminder: Date } {
  const earliest = new Date(now.getTime() + CHECK_IN_SPACING_MS);
  const postDate = nextWorkDay(review.lookBackOn, calendar);
  const ownPost = checkInSlot(postDate, calendar);
  const post = ownPost.getTime() >= earliest.getTime() ? ownPost : null;
  const reminder = slotFrom(
    addWorkDays(postDate, REMINDER_AFTER_WORK_DAYS, calendar),
    calendar,
    post ? later(earliest, new Date(post.getTime() + CHECK_IN_SPACING_MS)) : earliest,
  );
  return { post, reminder };
}
