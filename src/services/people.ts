import type { WebClient } from '@slack/web-api';
import { FALLBACK_TIME_ZONE, isValidTimeZone } from '../domain/time.js';
import { platformErrorCode, retryAfterMs, slackErrorCode } from '../slack/errors.js';

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

/** How a person is shown by name: the display name they chose, else their full name. */
export function nameOf(
  user:
    | { real_name?: string; profile?: { display_name?: string | null; real_name?: string | null } }
    | undefined,
): string | undefined {
  const candidates = [user?.profile?.display_name, user?.profile?.real_name, user?.real_name];
  return candidates.map((name) => name?.trim()).find((name): name is string => Boolean(name));
}

export interface NamesPolicy {
  /** The longest the Retry-After waits of one lookup may add up to; after that the rest keep their ids. */
  maxWaitMs: number;
  sleep: (ms: number) => Promise<void>;
}

export const DEFAULT_NAMES_POLICY: NamesPolicy = {
  maxWaitMs: 30_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * Names for a set of people, each asked of Slack once and one at a time (users.info is Tier 4: bursts
 * are fine, floods are not). What comes back is the cache for one piece of work, such as an export,
 * so a name is current and never kept. Someone Slack will not name (they left, or were never in this
 * workspace) is missing from it; a 429 is waited out within the policy's budget; when Slack does not
 * answer at all, or the budget is spent, nobody else is asked and the rest keep their ids.
 */
export async function namesOf(
  slack: { users: Pick<WebClient['users'], 'info'> },
  userIds: Iterable<string>,
  policy: NamesPolicy = DEFAULT_NAMES_POLICY,
): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  let waitLeft = policy.maxWaitMs;
  for (const userId of new Set(userIds)) {
    if (!userId) continue;
    for (;;) {
      try {
        const name = nameOf((await slack.users.info({ user: userId })).user);
        if (name) names.set(userId, name);
        break;
      } catch (error) {
        const code = slackErrorCode(error);
        const wait = code === 'ratelimited' ? (retryAfterMs(error) ?? 1_000) : undefined;
        if (wait !== undefined && wait <= waitLeft) {
          waitLeft -= wait;
          await policy.sleep(wait);
          continue;
        }
        // Slack's own answer about this one person (user_not_found…): the others may still be named.
        if (wait === undefined && platformErrorCode(error)) break;
        return names;
      }
    }
  }
  return names;
}

/** Pages of a thousand a channel's members are read in: far more people than a team channel holds. */
const MEMBER_PAGES = 20;

/** The people in a channel, as Slack lists them (the app included); throws what Slack answers when it will not say. */
export async function channelMembers(
  slack: { conversations: Pick<WebClient['conversations'], 'members'> },
  channelId: string,
): Promise<Set<string>> {
  const members = new Set<string>();
  let cursor: string | undefined;
  for (let page = 0; page < MEMBER_PAGES; page += 1) {
    const answer = await slack.conversations.members({
      channel: channelId,
      limit: 1000,
      ...(cursor ? { cursor } : {}),
    });
    for (const member of answer.members ?? []) members.add(member);
    cursor = answer.response_metadata?.next_cursor || undefined;
    if (!cursor) break;
  }
  return members;
}
