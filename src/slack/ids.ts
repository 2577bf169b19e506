/** Identifiers shared by view builders and the listeners that read what those views send back. */

export const COMMANDS = {
  bar: '/bar',
  aar: '/aar',
  learning: '/learning',
} as const;

export const EVENTS = {
  appHomeOpened: 'app_home_opened',
  message: 'message',
  memberJoinedChannel: 'member_joined_channel',
} as const;

export const CALLBACKS = {
  barModal: 'bar_modal',
  reviewInFull: 'review_in_full',
  nudgeAnswer: 'nudge_answer',
  rhythmSettings: 'rhythm_settings',
  rhythmSaved: 'rhythm_saved',
  channelPrompts: 'channel_prompts',
} as const;

export const ACTIONS = {
  readReviewInFull: 'review_read_in_full',
  startBar: 'start_bar',
  retryShare: 'review_retry_share',
  answerPrivately: 'nudge_answer_privately',
  answerAnonymously: 'nudge_answer_anonymously',
  skipNudge: 'nudge_skip',
  setUpRhythm: 'rhythm_set_up',
} as const;

/** block_id and action_id of each input in the before-action review modal. */
export const BAR_INPUTS = {
  action: { block: 'bar_action', action: 'value' },
  intendedResults: { block: 'bar_intended_results', action: 'value' },
  anticipatedChallenges: { block: 'bar_challenges', action: 'value' },
  lessonsFromBefore: { block: 'bar_lessons', action: 'value' },
  successFactors: { block: 'bar_success', action: 'value' },
  hypothesisIf: { block: 'bar_hypothesis_if', action: 'value' },
  hypothesisThen: { block: 'bar_hypothesis_then', action: 'value' },
  hypothesisBecause: { block: 'bar_hypothesis_because', action: 'value' },
  lookBackOn: { block: 'bar_look_back', action: 'value' },
  people: { block: 'bar_people', action: 'value' },
  channelId: { block: 'bar_channel', action: 'value' },
} as const;

export const NUDGE_INPUTS = {
  answer: { block: 'nudge_answer', action: 'value' },
} as const;

export const RHYTHM_INPUTS = {
  timeZone: { block: 'rhythm_time_zone', action: 'value' },
  workDays: { block: 'rhythm_work_days', action: 'value' },
  pauseUntil: { block: 'rhythm_pause_until', action: 'value' },
  skipDates: { block: 'rhythm_skip_dates', action: 'value' },
} as const;

/** Each rhythm kind has an on/off, days and a time input, named by kind. */
export function rhythmInput(kind: string, part: 'on' | 'days' | 'time') {
  return { block: `rhythm_${kind}_${part}`, action: 'value' } as const;
}

export const PROMPT_INPUTS = {
  add: { block: 'prompts_add', action: 'value' },
  retire: { block: 'prompts_retire', action: 'value' },
} as const;
