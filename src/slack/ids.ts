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
  channelLeft: 'channel_left',
  groupLeft: 'group_left',
  appUninstalled: 'app_uninstalled',
  tokensRevoked: 'tokens_revoked',
  gridMigrationFinished: 'grid_migration_finished',
} as const;

export const CALLBACKS = {
  barModal: 'bar_modal',
  digestPreview: 'digest_preview',
  reviewInFull: 'review_in_full',
  promptAnswer: 'nudge_answer',
  rhythmSettings: 'rhythm_settings',
  rhythmSaved: 'rhythm_saved',
  channelPrompts: 'channel_prompts',
  learningQuestions: 'learning_questions',
  aarModal: 'aar_modal',
  perspectiveModal: 'perspective_modal',
  confirmDelete: 'confirm_delete',
  learningQuestionsSaved: 'learning_questions_saved',
  channelStewards: 'channel_stewards',
  channelStewardsSaved: 'channel_stewards_saved',
} as const;

export const ACTIONS = {
  readReviewInFull: 'review_read_in_full',
  startBar: 'start_bar',
  retryShare: 'review_retry_share',
  answerPrivately: 'nudge_answer_privately',
  answerAnonymously: 'nudge_answer_anonymously',
  withdrawPrivateAnswer: 'prompt_answer_withdraw',
  skipPrompt: 'nudge_skip',
  setUpRhythm: 'rhythm_set_up',
  startAar: 'aar_start',
  startAarWithoutBar: 'aar_start_without_bar',
  addPerspective: 'perspective_add',
  reviewMenu: 'review_menu',
  checkInConfidence: 'check_in_confidence',
  postDigestAgain: 'digest_post_again',
  digestItemUseful: 'digest_item_useful',
  digestItemNotUseful: 'digest_item_not_useful',
  forgetMe: 'ownership_forget_me',
  deleteChannelData: 'ownership_delete_channel_data',
  exportMine: 'ownership_export_mine',
  moreCommands: 'help_more_commands',
  startWorkflowBar: 'workflow_bar_start',
} as const;

/**
 * Workflow Builder steps: each callback id, with the names of its inputs and outputs, exactly as the
 * manifest's `functions` declare them.
 */
export const WORKFLOW_STEPS = {
  startBar: {
    callbackId: 'start_before_action_review',
    inputs: ['channel_id', 'action', 'people', 'look_back_on'],
    outputs: ['message_link'],
  },
  startAar: {
    callbackId: 'start_after_action_review',
    inputs: ['channel_id', 'before_action_review_link'],
    outputs: ['message_link'],
  },
  askQuestion: {
    callbackId: 'ask_reflection_question',
    inputs: ['channel_id', 'question'],
    outputs: ['message_link'],
  },
} as const;

/** block_id and action_id of each input in the before-action review modal. */
export const BAR_INPUTS = {
  action: { block: 'bar_action', action: 'value' },
  intendedResults: { block: 'bar_intended_results', action: 'value' },
  anticipatedChallenges: { block: 'bar_challenges', action: 'value' },
  lessonsFromBefore: { block: 'bar_lessons', action: 'value' },
  successFactors: { block: 'bar_success', action: 'value' },
  /** One sentence, stored afterwards in its if, then and because parts when it is written that way. */
  hypothesis: { block: 'bar_hypothesis', action: 'value' },
  lookBackOn: { block: 'bar_look_back', action: 'value' },
  people: { block: 'bar_people', action: 'value' },
  channelId: { block: 'bar_channel', action: 'value' },
} as const;

/** block_id of each input in the after-action review modal. */
export const AAR_INPUTS = {
  intended: { block: 'aar_intended', action: 'value' },
  whatHappened: { block: 'aar_what_happened', action: 'value' },
  whyDifferent: { block: 'aar_why_different', action: 'value' },
  sustain: { block: 'aar_sustain', action: 'value' },
  change: { block: 'aar_change', action: 'value' },
  verdict: { block: 'aar_verdict', action: 'value' },
  revisedHypothesis: { block: 'aar_revised_hypothesis', action: 'value' },
  people: { block: 'aar_people', action: 'value' },
  channelId: { block: 'aar_channel', action: 'value' },
  questionId: { block: 'aar_question', action: 'value' },
} as const;

export const PERSPECTIVE_INPUTS = {
  answer: (key: string) => ({ block: `perspective_${key}`, action: 'value' }) as const,
  anonymous: { block: 'perspective_anonymous', action: 'value' },
} as const;

export const BAR_EXTRA_INPUTS = {
  questionId: { block: 'bar_question', action: 'value' },
  checkInOn: { block: 'bar_check_in_on', action: 'value' },
} as const;

export const PROMPT_ANSWER_INPUTS = {
  answer: { block: 'nudge_answer', action: 'value' },
  questionId: { block: 'nudge_question', action: 'value' },
  quotable: { block: 'nudge_quotable', action: 'value' },
} as const;

/** The one checkbox value of the private answer's "may be quoted" choice. */
export const QUOTABLE_VALUE = 'quotable';

export const RHYTHM_INPUTS = {
  timeZone: { block: 'rhythm_time_zone', action: 'value' },
  workDays: { block: 'rhythm_work_days', action: 'value' },
  pauseUntil: { block: 'rhythm_pause_until', action: 'value' },
  skipDates: { block: 'rhythm_skip_dates', action: 'value' },
} as const;

/** Each rhythm kind has a days input (none chosen: off) and a time input, named by kind. */
export function rhythmInput(kind: string, part: 'days' | 'time') {
  return { block: `rhythm_${kind}_${part}`, action: 'value' } as const;
}

export const PROMPT_INPUTS = {
  add: { block: 'prompts_add', action: 'value' },
  retire: { block: 'prompts_retire', action: 'value' },
} as const;

/** The learning questions modal: one text input per active question, plus retire and add. */
export const QUESTION_INPUTS = {
  existing: (questionId: string) => ({ block: `question_${questionId}`, action: 'value' }) as const,
  retire: { block: 'questions_retire', action: 'value' },
  add: { block: 'questions_add', action: 'value' },
} as const;

/** The stewards modal: the people added besides whoever set the channel up. */
export const STEWARD_INPUTS = {
  added: { block: 'stewards_added', action: 'value' },
} as const;

/** The Home tab's choice of which team channel's portrait to show. */
export const HOME_ACTIONS = {
  portraitChannel: 'home_portrait_channel',
} as const;
