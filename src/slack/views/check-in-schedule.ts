import type { ContextBlock } from '@slack/types';
import type { CheckInChange } from '../../domain/after-action.js';
import { formatLocal } from '../../domain/schedule.js';
import { slackDate, slackDateTime } from './dates.js';

/**
 * One line under a review's summary saying when its check-ins actually come, when that is not at 10:00 on
 * the days the review names: a time already past, or less than an hour after saving, moves to the next
 * work day, and a pre-action check-in that would then come with the look-back one is dropped. Nothing
 * when every check-in keeps its day.
 */
export function checkInScheduleLine(
  changes: readonly CheckInChange[],
  timeZone: string,
): ContextBlock | null {
  const when = (instant: Date) => slackDateTime(instant, formatLocal(instant, timeZone));
  const day = (date: string) => slackDate(date, timeZone);
  const pre = changes.find((change) => change.kind === 'pre_check_in');
  const post = changes.find((change) => change.kind === 'post_check_in');
  const lookBack = post && 'comes' in post ? post : undefined;
  const phrases: string[] = [];
  if (lookBack)
    phrases.push(`the look-back check-in comes ${when(lookBack.comes)} instead of ${day(lookBack.askedFor)}`);
  if (pre && 'dropped' in pre) {
    phrases.push(
      lookBack
        ? `there is no separate pre-action check-in before it`
        : `there is no separate pre-action check-in before the look-back one, ${when(pre.lookBack)}`,
    );
  } else if (pre) {
    phrases.unshift(`the pre-action check-in comes ${when(pre.comes)} instead of ${day(pre.askedFor)}`);
  }
  if (phrases.length === 0) return null;
  return {
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: `:alarm_clock: Check-ins come at 10:00 on a work day, never within an hour of saving, so ${phrases.join(', and ')}.`,
      },
    ],
  };
}
