import type { WebClient } from '@slack/web-api';
import { recordEffect } from '../db/queries/occurrences.js';
import { countReviewsInChannel } from '../db/queries/reviews.js';
import {
  changeCustomPrompts,
  findChannelSettings,
  listChannelRhythms,
  listCustomPrompts,
  recordWelcome,
  saveChannelRhythms,
} from '../db/queries/rhythms.js';
import type { WorkspaceScope } from '../db/queries/scope.js';
import type { RhythmKind } from '../db/schema.js';
import { isTeamChannel } from '../domain/ids.js';
import { MAX_PROMPT_LENGTH, PROMPT_LIBRARY } from '../domain/prompts.js';
import {
  CONFIGURABLE_RHYTHMS,
  firstDueTimes,
  RHYTHM_DEFAULTS,
  type RhythmSettingsDraft,
  type RhythmSettingsField,
  validateRhythmSettings,
} from '../domain/rhythm-settings.js';
import { DEFAULT_WORK_DAYS, nextOccurrences } from '../domain/schedule.js';
import { calendarDateIn } from '../domain/time.js';
import { slackErrorCode } from '../slack/errors.js';
import type { PromptsDraft } from '../slack/forms/prompts.js';
import {
  buildPromptsModal,
  buildRhythmModal,
  buildRhythmSaved,
  MAX_CUSTOM_PROMPTS,
  type RhythmModalInput,
} from '../slack/views/rhythms.js';
import { type DeliverySlack, deliverNow } from './delivery.js';
import type { ServiceDeps } from './deps.js';
import { timeZoneOf } from './people.js';
import {
  type AccessSlack,
  checkSubmissionAccess,
  claimIfUnclaimed,
  mayOpenChannelSettings,
} from './stewards.js';

export interface RhythmSlack {
  views: Pick<WebClient['views'], 'open'>;
  users: Pick<WebClient['users'], 'info'>;
  chat: Pick<WebClient['chat'], 'postMessage' | 'postEphemeral'>;
  conversations: Pick<WebClient['conversations'], 'join' | 'info'>;
}

/** A channel's welcome goes through delivery like every other effect. */
export type WelcomeSlack = RhythmSlack & DeliverySlack;

/**
 * The app must be a member of a channel with rhythms: thread replies only reach members, and a lost
 * post can only be looked for in a channel's history by a member. Public channels are joined; private
 * ones need an invitation.
 */
async function ensureMember(
  deps: ServiceDeps,
  slack: RhythmSlack,
  scope: WorkspaceScope,
  channelId: string,
): Promise<string | undefined> {
  try {
    // Private channels can have C ids too, so ask Slack what the channel is rather than guess from its id.
    const { channel } = await slack.conversations.info({ channel: channelId });
    if (channel?.is_archived) return ARCHIVED;
    if (channel?.is_member) return undefined;
    if (channel?.is_private || channel?.is_im || channel?.is_mpim) return NOT_A_MEMBER;
    // Joining announces the app; the welcome inviting people to set up a rhythm is not wanted here.
    await recordWelcome(deps.db, scope, channelId, deps.clock());
    await slack.conversations.join({ channel: channelId });
    return undefined;
  } catch (error) {
    const code = slackErrorCode(error);
    if (code === 'is_archived') return ARCHIVED;
    if (code && INVITATION_NEEDED.has(code)) return NOT_A_MEMBER;
    return 'Slack did not answer just now. Your choices are still here: press Save again.';
  }
}

const INVITATION_NEEDED: ReadonlySet<string> = new Set([
  'channel_not_found',
  'not_in_channel',
  'method_not_supported_for_channel_type',
]);

const MEMBERSHIP_CHECK_MS = 1500;
const ARCHIVED = 'This channel is archived, so nothing can be posted here.';
const NOT_A_MEMBER =
  'Invite me to this channel first (type /invite @Learning Thread in it), then press Save again.';

/** Opens the rhythm settings for a channel, filled with what is saved or with sensible first values. */
export async function openRhythmModal(
  deps: ServiceDeps,
  slack: RhythmSlack,
  scope: WorkspaceScope,
  request: { triggerId: string; userId: string; channelId: string },
): Promise<void> {
  if (!(await mayOpenChannelSettings(deps, slack, scope, request, 'rhythm'))) return;
  const [settings, saved] = await Promise.all([
    findChannelSettings(deps.db, scope, request.channelId),
    listChannelRhythms(deps.db, scope, request.channelId),
  ]);
  const rhythms = {} as RhythmModalInput['rhythms'];
  for (const kind of CONFIGURABLE_RHYTHMS) {
    const row = saved.find((rhythm) => rhythm.kind === kind);
    rhythms[kind] = row
      ? { enabled: row.enabled, days: row.days, localTime: row.localTime }
      : { enabled: false, ...RHYTHM_DEFAULTS[kind] };
  }
  await slack.views.open({
    trigger_id: request.triggerId,
    view: buildRhythmModal({
      channelId: request.channelId,
      timeZone: settings?.timeZone ?? (await timeZoneOf(slack, request.userId)),
      workDays: settings?.workDays ?? DEFAULT_WORK_DAYS,
      pauseUntil: settings?.pauseUntil ?? null,
      skipDates: settings?.skipDates ?? [],
      rhythms,
      now: deps.clock(),
    }),
  });
}

export type RhythmSubmission =
  | { outcome: 'invalid'; errors: Partial<Record<RhythmSettingsField, string>> }
  | { outcome: 'saved'; view: ReturnType<typeof buildRhythmSaved> };

/** How many upcoming times the confirmation lists for each rhythm. */
const UPCOMING_SHOWN = 3;

export async function saveRhythmSettings(
  deps: ServiceDeps,
  slack: RhythmSlack,
  scope: WorkspaceScope,
  submission: { userId: string; channelId: string; draft: RhythmSettingsDraft },
): Promise<RhythmSubmission> {
  const check = await checkSubmissionAccess(deps, slack, scope, submission, 'rhythm');
  if (!check.allowed) return { outcome: 'invalid', errors: { timeZone: check.error } };
  const now = deps.clock();
  const validation = validateRhythmSettings(submission.draft, (zone) => calendarDateIn(now, zone));
  if (!validation.ok) return { outcome: 'invalid', errors: validation.errors };
  const { settings } = validation;
  const anyEnabled = CONFIGURABLE_RHYTHMS.some((kind) => settings.rhythms[kind].enabled);
  // The form must be answered within Slack's three seconds: a slow membership check is left to finish on
  // its own, and a channel that turns out to refuse posts is paused later, with its steward told.
  const membership = anyEnabled
    ? await Promise.race([
        ensureMember(deps, slack, scope, submission.channelId),
        new Promise<undefined>((resolve) =>
          setTimeout(() => resolve(undefined), MEMBERSHIP_CHECK_MS).unref(),
        ),
      ])
    : undefined;
  if (membership) return { outcome: 'invalid', errors: { timeZone: membership } };
  const due = firstDueTimes(settings, now);
  await saveChannelRhythms(deps.db, scope, submission.channelId, {
    calendar: {
      ...settings.calendar,
      workDays: [...settings.calendar.workDays],
      skipDates: [...settings.calendar.skipDates],
    },
    rhythms: CONFIGURABLE_RHYTHMS.map((kind) => ({
      kind,
      enabled: settings.rhythms[kind].enabled,
      days: [...settings.rhythms[kind].days],
      localTime: settings.rhythms[kind].localTime,
      nextDueAt: due[kind],
    })),
    userId: submission.userId,
    // Questions or prompts may have been set up first; whoever did that stays the channel's steward.
    stewardId: check.access.stewards.founderId ?? submission.userId,
    now,
  });
  const upcoming = {} as Record<RhythmKind, Date[] | null>;
  for (const kind of CONFIGURABLE_RHYTHMS) {
    const rhythm = settings.rhythms[kind];
    upcoming[kind] = rhythm.enabled ? nextOccurrences(rhythm, settings.calendar, now, UPCOMING_SHOWN) : null;
  }
  deps.log.info(
    {
      team: scope.teamId,
      channel: submission.channelId,
      enabled: CONFIGURABLE_RHYTHMS.filter((kind) => settings.rhythms[kind].enabled),
    },
    'rhythms saved',
  );
  return {
    outcome: 'saved',
    view: buildRhythmSaved({
      channelId: submission.channelId,
      timeZone: settings.calendar.timeZone,
      pauseUntil: settings.calendar.pauseUntil,
      upcoming,
    }),
  };
}

/** Posts the one welcome a channel ever gets, when the app is added to it. */
export async function welcomeChannel(
  deps: ServiceDeps,
  slack: WelcomeSlack,
  scope: WorkspaceScope,
  channelId: string,
): Promise<boolean> {
  if (!isTeamChannel(channelId)) return false;
  const now = deps.clock();
  const welcome = await deps.db.transaction(async (tx) => {
    const first = await recordWelcome(tx, scope, channelId, now);
    if (!first) return undefined;
    // Saving a rhythm or sharing a review joins the channel; a welcome inviting people to set up a rhythm
    // would then be noise beside what they just did.
    if (await findChannelSettings(tx, scope, channelId)) return undefined;
    if ((await countReviewsInChannel(tx, scope, channelId)) > 0) return undefined;
    return recordEffect(tx, scope, { kind: 'welcome', channelId, key: `welcome:${channelId}`, now });
  });
  if (!welcome) return false;
  await deliverNow(deps, slack, welcome);
  deps.log.info({ team: scope.teamId, channel: channelId }, 'channel welcomed');
  return true;
}

export async function openPromptsModal(
  deps: ServiceDeps,
  slack: RhythmSlack,
  scope: WorkspaceScope,
  request: { triggerId: string; userId: string; channelId: string },
): Promise<void> {
  if (!(await mayOpenChannelSettings(deps, slack, scope, request, 'prompts'))) return;
  const custom = await listCustomPrompts(deps.db, scope, request.channelId);
  await slack.views.open({
    trigger_id: request.triggerId,
    view: buildPromptsModal({
      channelId: request.channelId,
      libraryCount: PROMPT_LIBRARY.length,
      custom: custom.map((prompt) => ({ id: prompt.id, text: prompt.text })),
    }),
  });
}

export type PromptsSubmission =
  | { outcome: 'invalid'; error: string }
  | { outcome: 'saved'; added: number; retired: number };

export async function savePrompts(
  deps: ServiceDeps,
  slack: AccessSlack,
  scope: WorkspaceScope,
  submission: { userId: string; channelId: string; draft: PromptsDraft },
): Promise<PromptsSubmission> {
  const check = await checkSubmissionAccess(deps, slack, scope, submission, 'prompts');
  if (!check.allowed) return { outcome: 'invalid', error: check.error };
  const change = submission.draft;
  const tooLong = change.add.find((text) => [...text].length > MAX_PROMPT_LENGTH);
  if (tooLong) {
    return {
      outcome: 'invalid',
      error: `Keep each prompt under ${MAX_PROMPT_LENGTH} characters; “${tooLong.slice(0, 40)}…” is longer.`,
    };
  }
  const active = await listCustomPrompts(deps.db, scope, submission.channelId);
  const retiring = change.retire.filter((id) => active.some((prompt) => prompt.id === id));
  if (active.length - retiring.length + change.add.length > MAX_CUSTOM_PROMPTS) {
    return {
      outcome: 'invalid',
      error: `A channel can keep up to ${MAX_CUSTOM_PROMPTS} prompts of its own.`,
    };
  }
  await changeCustomPrompts(deps.db, scope, submission.channelId, {
    add: change.add,
    retire: retiring,
    userId: submission.userId,
    now: deps.clock(),
  });
  await claimIfUnclaimed(deps, scope, check.access, submission);
  deps.log.info(
    { team: scope.teamId, channel: submission.channelId, added: change.add.length, retired: retiring.length },
    'channel prompts changed',
  );
  return { outcome: 'saved', added: change.add.length, retired: retiring.length };
}
