import { cancelCheckIn, scheduleCheckIns } from '../db/queries/occurrences.js';
import { findChannelSettings } from '../db/queries/rhythms.js';
import type { WorkspaceScope } from '../db/queries/scope.js';
import type { BeforeActionReview } from '../db/schema.js';
import { checkInTimes } from '../domain/after-action.js';
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
 * rhythms. Called again after an edit, which moves any check-in not yet posted.
 */
export async function scheduleReviewCheckIns(
  deps: ServiceDeps,
  scope: WorkspaceScope,
  review: BeforeActionReview,
  options: { reopening?: boolean } = {},
): Promise<void> {
  const now = deps.clock();
  const times = checkInTimes(review, await calendarFor(deps, scope, review), now);
  const ahead = (instant: Date) => instant.getTime() > now.getTime();
  // A loop reopened after its after-action review was deleted needs its reminder again; check-ins whose
  // moment has passed would only arrive together, late, and out of place.
  const wanted = options.reopening
    ? [
        ...(ahead(times.post) ? [{ kind: 'post_check_in' as const, dueAt: times.post }] : []),
        { kind: 'aar_reminder' as const, dueAt: times.reminder },
      ]
    : [
        ...(times.pre ? [{ kind: 'pre_check_in' as const, dueAt: times.pre }] : []),
        { kind: 'post_check_in' as const, dueAt: times.post },
        { kind: 'aar_reminder' as const, dueAt: times.reminder },
      ];
  await scheduleCheckIns(deps.db, scope, review, wanted, deps.clock());
  if (!times.pre && !options.reopening)
    await cancelCheckIn(deps.db, scope, review.id, 'pre_check_in', deps.clock());
  deps.log.info({ team: scope.teamId, review: review.id, pre: Boolean(times.pre) }, 'check-ins scheduled');
}
