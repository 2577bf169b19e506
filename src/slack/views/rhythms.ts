import type { InputBlock, KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import type { RhythmKind } from '../../db/schema.js';
import { MAX_PROMPT_LENGTH } from '../../domain/prompts.js';
import { CONFIGURABLE_RHYTHMS } from '../../domain/rhythm-settings.js';
import { formatLocal } from '../../domain/schedule.js';
import { MAX_TIME_ZONE_MATCHES, type TimeZoneMatch, utcOffsetLabel } from '../../domain/time-zones.js';
import { ACTIONS, CALLBACKS, PROMPT_INPUTS, RHYTHM_INPUTS, rhythmInput } from '../ids.js';
import { slackDate, slackDateTime } from './dates.js';
import type { SlackMessage } from './message.js';
import { foldMrkdwn, foldPlain, LIMITS } from './text.js';

const WEEKDAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;

const weekdayOption = (day: number): PlainTextOption => ({
  text: { type: 'plain_text', text: WEEKDAY_NAMES[day - 1] ?? String(day) },
  value: String(day),
});

export const RHYTHM_DESCRIPTIONS: Record<RhythmKind, { title: string; purpose: string }> = {
  week_ahead: {
    title: 'Week-ahead check-in',
    purpose:
      'Before the week’s work: what is coming up where learning matters, and which question it serves.',
  },
  mid_week: { title: 'Mid-week reflection', purpose: 'A short, rotating prompt about the work in progress.' },
  look_back: {
    title: 'Look-back',
    purpose: 'After the week’s work: what happened, compared with what we expected.',
  },
  digest: {
    title: 'Weekly digest slot',
    purpose:
      'When the weekly digest arrives: the week in numbers, the themes emerging from the team’s own words, and a question back to the team.',
  },
};

export interface RhythmModalInput {
  channelId: string;
  timeZone: string;
  workDays: readonly number[];
  pauseUntil: string | null;
  skipDates: readonly string[];
  rhythms: Record<RhythmKind, { enabled: boolean; days: readonly number[]; localTime: string }>;
  /** When the form opens: the time zone shows its offset from UTC at this instant. */
  now: Date;
}

/** Slack asks for the zones matching what was typed once this many characters are in the search box. */
export const TIME_ZONE_QUERY_LENGTH = 2;

/** "America/New York (GMT-5)": the zone as the menu lists it; its value is the zone's own name. */
export function timeZoneOption(match: TimeZoneMatch): PlainTextOption {
  return {
    text: {
      type: 'plain_text',
      text: foldPlain(`${match.zone.replaceAll('_', ' ')} (${match.offset})`, LIMITS.optionText),
    },
    value: match.zone,
  };
}

/** The answer to a search in the time zone menu. */
export function buildTimeZoneOptions(matches: readonly TimeZoneMatch[]): { options: PlainTextOption[] } {
  return { options: matches.slice(0, MAX_TIME_ZONE_MATCHES).map(timeZoneOption) };
}

/**
 * One rhythm is two inputs: the days it runs on, none meaning off, and its time. Leaving the days empty
 * is the one way to turn a rhythm off, so that input alone is optional.
 */
function rhythmBlocks(kind: RhythmKind, rhythm: RhythmModalInput['rhythms'][RhythmKind]): KnownBlock[] {
  const days = rhythmInput(kind, 'days');
  const time = rhythmInput(kind, 'time');
  const { title, purpose } = RHYTHM_DESCRIPTIONS[kind];
  return [
    {
      type: 'input',
      block_id: days.block,
      optional: true,
      label: { type: 'plain_text', text: title },
      hint: { type: 'plain_text', text: purpose },
      element: {
        type: 'multi_static_select',
        action_id: days.action,
        options: [1, 2, 3, 4, 5, 6, 7].map(weekdayOption),
        ...(rhythm.enabled && rhythm.days.length > 0
          ? { initial_options: rhythm.days.map(weekdayOption) }
          : {}),
        placeholder: { type: 'plain_text', text: 'Off: pick days to turn it on' },
      },
    },
    {
      type: 'input',
      block_id: time.block,
      label: { type: 'plain_text', text: `Time of the ${title.toLowerCase()}` },
      element: { type: 'timepicker', action_id: time.action, initial_time: rhythm.localTime },
    },
  ];
}

export function buildRhythmModal(input: RhythmModalInput): ModalView {
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `Choose when <#${input.channelId}> gets its reflection prompts. Each posts one short message; answers go in its thread, privately or anonymously. A rhythm with no days is off.`,
      },
    },
    {
      type: 'input',
      block_id: RHYTHM_INPUTS.timeZone.block,
      label: { type: 'plain_text', text: 'Channel time zone' },
      hint: {
        type: 'plain_text',
        text: 'Every time below is on this clock. Type a city to find another, like London or New York.',
      },
      element: {
        type: 'external_select',
        action_id: RHYTHM_INPUTS.timeZone.action,
        min_query_length: TIME_ZONE_QUERY_LENGTH,
        placeholder: { type: 'plain_text', text: 'Type a city, like London' },
        initial_option: timeZoneOption({
          zone: input.timeZone,
          offset: utcOffsetLabel(input.timeZone, input.now),
        }),
      },
    },
    {
      type: 'input',
      block_id: RHYTHM_INPUTS.workDays.block,
      label: { type: 'plain_text', text: 'Work days' },
      element: {
        type: 'checkboxes',
        action_id: RHYTHM_INPUTS.workDays.action,
        options: [1, 2, 3, 4, 5, 6, 7].map(weekdayOption),
        ...(input.workDays.length > 0 ? { initial_options: input.workDays.map(weekdayOption) } : {}),
      },
    },
    ...CONFIGURABLE_RHYTHMS.flatMap((kind) => rhythmBlocks(kind, input.rhythms[kind])),
    {
      type: 'input',
      block_id: RHYTHM_INPUTS.pauseUntil.block,
      optional: true,
      label: { type: 'plain_text', text: 'Pause everything until' },
      hint: { type: 'plain_text', text: 'Nothing posts on or before this date.' },
      element: {
        type: 'datepicker',
        action_id: RHYTHM_INPUTS.pauseUntil.action,
        ...(input.pauseUntil ? { initial_date: input.pauseUntil } : {}),
      },
    },
    {
      type: 'input',
      block_id: RHYTHM_INPUTS.skipDates.block,
      optional: true,
      label: { type: 'plain_text', text: 'Dates to skip (holidays)' },
      hint: { type: 'plain_text', text: 'Dates like 2026-12-24, separated by commas or new lines.' },
      element: {
        type: 'plain_text_input',
        action_id: RHYTHM_INPUTS.skipDates.action,
        multiline: true,
        max_length: 1500,
        ...(input.skipDates.length > 0 ? { initial_value: input.skipDates.join(', ') } : {}),
      },
    },
  ];
  return {
    type: 'modal',
    callback_id: CALLBACKS.rhythmSettings,
    private_metadata: JSON.stringify({ channelId: input.channelId }),
    title: { type: 'plain_text', text: 'Reflection rhythm' },
    submit: { type: 'plain_text', text: 'Save' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks,
  };
}

export interface SavedRhythms {
  channelId: string;
  timeZone: string;
  pauseUntil: string | null;
  upcoming: Record<RhythmKind, Date[] | null>;
}

/** Replaces the modal after saving, so people see exactly when the next prompts will arrive. */
export function buildRhythmSaved(saved: SavedRhythms): ModalView {
  const lines = CONFIGURABLE_RHYTHMS.map((kind) => {
    const { title } = RHYTHM_DESCRIPTIONS[kind];
    const upcoming = saved.upcoming[kind];
    if (!upcoming) return `*${title}*: off`;
    if (upcoming.length === 0)
      return `*${title}*: on, but no day in the next year fits its days and work days`;
    const times = upcoming.map(
      (instant) => `• ${slackDateTime(instant, formatLocal(instant, saved.timeZone))}`,
    );
    return `*${title}*\n${times.join('\n')}`;
  });
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `Saved for <#${saved.channelId}>, on ${foldMrkdwn(saved.timeZone, 64)} time. The next times, as Slack shows them in your own time zone:`,
      },
    },
    ...lines.map((text): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text } })),
  ];
  if (saved.pauseUntil) {
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `Paused until ${slackDate(saved.pauseUntil, saved.timeZone)}.` }],
    });
  }
  return {
    type: 'modal',
    callback_id: CALLBACKS.rhythmSaved,
    title: { type: 'plain_text', text: 'Reflection rhythm' },
    close: { type: 'plain_text', text: 'Done' },
    blocks,
  };
}

export function buildWelcome(channelId: string): SlackMessage {
  return {
    text: 'Learning Thread is here. Nothing is posted in this channel until someone sets up a rhythm.',
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: 'Hello! I help this channel keep its learning alive: `/bar` before a significant action, and short reflection prompts at times you choose. *Nothing is posted here until someone sets up a rhythm.*',
        },
        accessory: {
          type: 'button',
          action_id: ACTIONS.setUpRhythm,
          text: { type: 'plain_text', text: 'Set up a rhythm' },
          value: channelId,
        },
      },
    ],
  };
}

const PAUSE_REASONS: Record<string, string> = {
  channel_not_found:
    'I can no longer see the channel (it was deleted, or I was removed from a private channel)',
  is_archived: 'the channel is archived',
  not_in_channel: 'I am no longer a member of the channel',
  removed_from_channel: 'I was removed from the channel',
  restricted_action: 'the channel only lets certain people post',
};

/** Sent once to the person who set the rhythms up, when Slack stops accepting them. */
export function buildChannelPausedNotice(channelId: string, error: string): SlackMessage {
  const reason = PAUSE_REASONS[error] ?? `Slack refused the post (${foldMrkdwn(error, 60)})`;
  const text = `I paused the reflection rhythms in <#${channelId}> because ${reason}. Nothing more will post there. When the channel is usable again, run \`/learning rhythm\` in it and press Save to start again.`;
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}

export interface CustomPromptForDisplay {
  id: string;
  text: string;
}

/** Enough room for a team's own prompts while keeping the retire list within one select. */
export const MAX_CUSTOM_PROMPTS = 100;

export function buildPromptsModal(input: {
  channelId: string;
  libraryCount: number;
  custom: readonly CustomPromptForDisplay[];
}): ModalView {
  const blocks: (KnownBlock | InputBlock)[] = [
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `The mid-week reflection rotates through ${input.libraryCount} built-in prompts and this channel’s own, without repeating one until all have been used.`,
      },
    },
    {
      type: 'input',
      block_id: PROMPT_INPUTS.add.block,
      optional: true,
      label: { type: 'plain_text', text: 'Add prompts, one per line' },
      hint: {
        type: 'plain_text',
        text: `Plain words, answerable in a sentence, up to ${MAX_PROMPT_LENGTH} characters each.`,
      },
      element: {
        type: 'plain_text_input',
        action_id: PROMPT_INPUTS.add.action,
        multiline: true,
        max_length: 3000,
        placeholder: {
          type: 'plain_text',
          text: 'What did a partner tell us this week that we had not expected?',
        },
      },
    },
  ];
  if (input.custom.length > 0) {
    blocks.push({
      type: 'input',
      block_id: PROMPT_INPUTS.retire.block,
      optional: true,
      label: { type: 'plain_text', text: 'Retire some of this channel’s prompts' },
      hint: { type: 'plain_text', text: 'Retired prompts stop appearing; answers to them are kept.' },
      element: {
        type: 'multi_static_select',
        action_id: PROMPT_INPUTS.retire.action,
        placeholder: { type: 'plain_text', text: 'Choose prompts to retire' },
        options: input.custom.slice(0, MAX_CUSTOM_PROMPTS).map((prompt) => ({
          text: { type: 'plain_text' as const, text: foldPlain(prompt.text, LIMITS.optionText) },
          value: prompt.id,
        })),
      },
    });
  }
  return {
    type: 'modal',
    callback_id: CALLBACKS.channelPrompts,
    private_metadata: JSON.stringify({ channelId: input.channelId }),
    title: { type: 'plain_text', text: 'Reflection prompts' },
    submit: { type: 'plain_text', text: 'Save' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks,
  };
}
