import { cancelCheckIn, listReviewCheckIns, scheduleCheckIns } from '../db/queries/occurrences.js';
import { findChannelSettings } from '../db/queries/rhythms.js';
import type { WorkspaceScope } from '../db/queries/scope.js';
import type { BeforeActionReview, CheckInKind } from '../db/schema.js';
import {
  type CheckInChange,
  checkInSlot,
  checkInTimes,
  reopenedCheckInTimes,
} from '../domain/after-action.js';
import { type ChannelCalendar, DEFAULT_WORK_DAYS, type IsoWeekday } from '../domain/schedule.js';
import type { ServiceDeps } from './deps.js';

/** The channel's own calendar when it has rhythms; otherwise the author's zone and a Monday-to-Friday week. */
async function calendarFor(
  deps: ServiceDeps,
  scope: WorkspaceScope,
  review: BeforeActionReview,
): Promise<ChannelCalendar> {
  const settings = await findChannelSettings(deps.db, scope, review.channelId);
  if (!settings)
    return { timeZone: review.timeZone, workDays: DEFAULT_WORK_DAYS, pauseUntil: null, skipDates: [] };
  return {
    timeZone: settings.timeZone,
    workDays: settings.workDays as IsoWeekday[],
    pauseUntil: null,
    skipDates: settings.skipDates,
  };
}

/**
 * Puts a review's check-ins on the scheduler: they ride the same claimed, exactly-once path as the
 * rhythms. Called again after an edit, which moves any check-in not yet posted, and when a loop is
 * reopened. None is due within the hour after this moment (see checkInTimes).
 */
export async function scheduleReviewCheckIns(
  deps: ServiceDeps,
  scope: WorkspaceScope,
  review: BeforeActionReview,
  options: { reopening?: boolean } = {},
): Promise<void> {
  const now = deps.clock();
  const calendar = await calendarFor(deps, scope, review);
  let wanted: Parameters<typeof scheduleCheckIns>[3];
  let pre: 'asked' | 'dropped' | 'none' = 'none';
  if (options.reopening) {
    const times = reopenedCheckInTimes(review, calendar, now);
    wanted = [
      ...(times.post ? [{ kind: 'post_check_in' as const, dueAt: times.post }] : []),
      { kind: 'aar_reminder' as const, dueAt: times.reminder },
    ];
  } else {
    const times = checkInTimes(review, calendar, now);
    wanted = [
      { kind: 'post_check_in' as const, dueAt: times.post },
      { kind: 'aar_reminder' as const, dueAt: times.reminder },
    ];
    if (times.pre) {
      pre = 'asked';
      wanted.unshift({ kind: 'pre_check_in', dueAt: times.pre });
    } else if (review.checkInOn) {
      // Kept as withdrawn, with why, so the summary can say there will be no separate one.
      pre = 'dropped';
      wanted.unshift({ kind: 'pre_check_in', dueAt: times.post, withdrawn: 'look_back_comes_first' });
    }
  }
  await scheduleCheckIns(deps.db, scope, review, wanted, now);
  if (!review.checkInOn && !options.reopening)
    await cancelCheckIn(deps.db, scope, review.id, 'pre_check_in', now);
  deps.log.info(
    { team: scope.teamId, review: review.id, pre, reopening: Boolean(options.reopening) },
    'check-ins scheduled',
  );
}

/**
 * How a review's check-ins still to come differ from the days it names (its check-in and look-back
 * dates): the time they come, in the calendar they keep. Empty once the loop is closed.
 */
export async function checkInChanges(
  deps: ServiceDeps,
  scope: WorkspaceScope,
  review: BeforeActionReview,
): Promise<{ timeZone: string; changes: CheckInChange[] }> {
  const calendar = await calendarFor(deps, scope, review);
  if (review.status !== 'open') return { timeZone: calendar.timeZone, changes: [] };
  const rows = await listReviewCheckIns(deps.db, scope, review.id);
  const toCome = (kind: CheckInKind) =>
    rows.find((row) => row.kind === kind && (row.status === 'pending' || row.status === 'claimed'));
  const changes: CheckInChange[] = [];
  const pre = rows.find((row) => row.kind === 'pre_check_in');
  const post = toCome('post_check_in');
  if (review.checkInOn && pre) {
    const asked = checkInSlot(review.checkInOn, calendar);
    if (pre.status === 'cancelled' && pre.withdrawnReason === 'look_back_comes_first' && post)
      changes.push({ kind: 'pre_check_in', askedFor: review.checkInOn, dropped: true, lookBack: post.dueAt });
    else if (toCome('pre_check_in') && pre.dueAt.getTime() !== asked.getTime())
      changes.push({ kind: 'pre_check_in', askedFor: review.checkInOn, comes: pre.dueAt });
  }
  if (post && post.dueAt.getTime() !== checkInSlot(review.lookBackOn, calendar).getTime())
    changes.push({ kind: 'post_check_in', askedFor: review.lookBackOn, comes: post.dueAt });
  return { timeZone: calendar.timeZone, changes };
}
