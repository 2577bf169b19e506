/** Identifiers shared by view builders and the listeners that read what those views send back. */

export const COMMANDS = {
  bar: '/bar',
  aar: '/aar',
  learning: '/learning',
} as const;

export const EVENTS = {
  appHomeOpened: 'app_home_opened',
} as const;

export const CALLBACKS = {
  barModal: 'bar_modal',
  reviewInFull: 'review_in_full',
} as const;

export const ACTIONS = {
  readReviewInFull: 'review_read_in_full',
  startBar: 'start_bar',
  retryShare: 'review_retry_share',
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
