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

/** Bounded like the time-zone lookup: a form opened by an admin must still open within Slack's 3 s. */
const ADMIN_LOOKUP_MS = 1200;

/**
 * Whether a person is a workspace admin or owner, asked afresh each time so someone who stops being one
 * loses the right at once. Anything but a clear, timely yes from Slack (an error, a deleted user) is a no.
 */
export async function isWorkspaceAdmin(
  slack: { users: Pick<WebClient['users'], 'info'> },
  userId: string,
): Promise<boolean> {
  const lookup = slack.users
    .info({ user: userId })
    .then(({ user }) =>
      Boolean(user && !user.deleted && (user.is_admin || user.is_owner || user.is_primary_owner)),
    )
    .catch(() => false);
  const timeout = new Promise<false>((resolve) => setTimeout(() => resolve(false), ADMIN_LOOKUP_MS).unref());
  return Promise.race([lookup, timeout]);
}
