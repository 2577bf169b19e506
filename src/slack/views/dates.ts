import { localInstant } from '../../domain/schedule.js';
import { formatLongDate } from '../../domain/time.js';

/**
 * A calendar date as Slack shows it to each reader, in their own format and zone ("today", "tomorrow",
 * "Saturday, December 5th, 2026"). Midday in the zone the date belongs to keeps it on the same day for
 * readers nearby; clients that cannot format dates show the long form written out.
 */
export function slackDate(isoDate: string, timeZone: string): string {
  return slackDateFormatted(
    localInstant(isoDate, '12:00', timeZone),
    '{date_long_pretty}',
    formatLongDate(isoDate),
  );
}

/** A moment as Slack shows it to each reader: their own date format, clock and zone. */
export function slackDateTime(instant: Date, fallback: string): string {
  return slackDateFormatted(instant, '{date_long_pretty} at {time}', fallback);
}

/**
 * A moment in Slack's date formatting with words of our own around its tokens ("{date_short} {time}"),
 * shown in each reader's own format and zone; `fallback` is for clients that cannot format dates.
 */
export function slackDateFormatted(instant: Date, format: string, fallback: string): string {
  const seconds = Math.floor(instant.getTime() / 1000);
  return `<!date^${seconds}^${format}|${fallback}>`;
}
