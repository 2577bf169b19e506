import type { WebClient } from '@slack/web-api';
import { FALLBACK_TIME_ZONE, isValidTimeZone } from '../domain/time.js';

/** users.info only sets a default; a form must still open within Slack's 3 s trigger window. */
const TIME_ZONE_LOOKUP_MS = 1200;

/** A person's time zone from their Slack profile, or UTC when Slack is slow or says nothing useful. */
export async function timeZoneOf(
  slack: { users: Pick<WebClient['users'], 'info'> },
  userId: string,
): Promise<string> {
  const lookup = slack.users
    .info({ user: userId })
    .then((answer) => answer.user?.tz)
    .catch(() => undefined);
  const timeout = new Promise<undefined>((resolve) =>
    setTimeout(() => resolve(undefined), TIME_ZONE_LOOKUP_MS).unref(),
  );
  const zone = await Promise.race([lookup, timeout]);
  return zone && isValidTimeZone(zone) ? zone : FALLBACK_TIME_ZONE;
}
