import { RHYTHM_KINDS, type RhythmKind } from '../../src/db/schema.js';
import type { BarDraft } from '../../src/domain/review.js';
import { BAR_INPUTS, RHYTHM_INPUTS, rhythmInput } from '../../src/slack/ids.js';

/** Where tests pin the app's clock unless they need another moment: Saturday 21 November 2026, 10:00 UTC. */
export const PINNED_NOW = new Date('2026-11-21T10:00:00Z');

/** The calendar day (UTC) `days` after `now`, as a date picker sends it. */
export function daysAfter(now: Date, days: number): string {
  return new Date(now.getTime() + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * What a person answers in the before-action review modal, with the hypothesis in the three parts it is
 * stored as; `barStateValues` types those parts into the form's one hypothesis input.
 */
export type BarAnswers = Omit<BarDraft, 'hypothesis'> & {
  hypothesisIf: string;
  hypothesisThen: string;
  hypothesisBecause: string;
};

export function barAnswers(overrides: Partial<BarAnswers> = {}): BarAnswers {
  return {
    action: 'Run the first community listening session in Leeds',
    intendedResults:
      'Twenty residents attend and at least five name a local priority we had not heard before',
    anticipatedChallenges: 'Turnout on a weekday evening; the room may be dominated by the usual voices',
    lessonsFromBefore: 'Last spring the Bradford session worked better once we offered childcare',
    successFactors: 'Co-hosting with the tenants’ association and speaking in rounds',
    hypothesisIf: 'we co-host with a group residents already trust',
    hypothesisThen: 'more first-time voices will speak',
    hypothesisBecause: 'trust travels through existing relationships',
    // A week after the pinned clock; a test on another clock passes its own date.
    lookBackOn: daysAfter(PINNED_NOW, 7),
    people: ['U0AUTHOR', 'U0TEAMMATE'],
    channelId: 'C0TEAM',
    ...overrides,
  };
}

/**
 * The hypothesis as a person types it into the form's one input: "If we …, then we expect …, because …".
 * Without its "if" part there is no hypothesis, and the input is left empty.
 */
export function typedHypothesis(
  answers: Pick<BarAnswers, 'hypothesisIf' | 'hypothesisThen' | 'hypothesisBecause'>,
): string {
  const action = answers.hypothesisIf.trim().replace(/^we\s+/i, '');
  if (!action) return '';
  const because = answers.hypothesisBecause.trim() ? `, because ${answers.hypothesisBecause.trim()}` : '';
  const expectation = answers.hypothesisThen.trim();
  return expectation
    ? `If we ${action}, then we expect ${expectation}${because}.`
    : `If we ${action}${because}.`;
}

/** The draft the form reads from these answers: everything as typed, the hypothesis as one sentence. */
export function barDraft(overrides: Partial<BarDraft> = {}): BarDraft {
  const { hypothesisIf, hypothesisThen, hypothesisBecause, ...answers } = barAnswers();
  return {
    ...answers,
    hypothesis: typedHypothesis({ hypothesisIf, hypothesisThen, hypothesisBecause }),
    ...overrides,
  };
}

/** The view.state.values Slack sends when the before-action review modal is submitted with these answers. */
export function barStateValues(answers: BarAnswers): Record<string, Record<string, unknown>> {
  const text = (value: string) => ({ type: 'plain_text_input', value: value === '' ? null : value });
  return {
    [BAR_INPUTS.action.block]: { [BAR_INPUTS.action.action]: text(answers.action) },
    [BAR_INPUTS.intendedResults.block]: {
      [BAR_INPUTS.intendedResults.action]: text(answers.intendedResults),
    },
    [BAR_INPUTS.hypothesis.block]: { [BAR_INPUTS.hypothesis.action]: text(typedHypothesis(answers)) },
    [BAR_INPUTS.anticipatedChallenges.block]: {
      [BAR_INPUTS.anticipatedChallenges.action]: text(answers.anticipatedChallenges),
    },
    [BAR_INPUTS.lessonsFromBefore.block]: {
      [BAR_INPUTS.lessonsFromBefore.action]: text(answers.lessonsFromBefore),
    },
    [BAR_INPUTS.successFactors.block]: { [BAR_INPUTS.successFactors.action]: text(answers.successFactors) },
    [BAR_INPUTS.lookBackOn.block]: {
      [BAR_INPUTS.lookBackOn.action]: { type: 'datepicker', selected_date: answers.lookBackOn },
    },
    [BAR_INPUTS.people.block]: {
      [BAR_INPUTS.people.action]: { type: 'multi_users_select', selected_users: answers.people },
    },
    [BAR_INPUTS.channelId.block]: {
      [BAR_INPUTS.channelId.action]: {
        type: 'conversations_select',
        selected_conversation: answers.channelId,
      },
    },
  };
}

export interface RhythmAnswers {
  timeZone: string;
  workDays: number[];
  pauseUntil: string | null;
  skipDates: string;
  rhythms: Partial<Record<RhythmKind, { enabled: boolean; days: number[]; time: string | null }>>;
}

/** Only the weekly digest, on Fridays at 16:00 London time. */
export const DIGEST_ONLY: RhythmAnswers = {
  timeZone: 'Europe/London',
  workDays: [1, 2, 3, 4, 5],
  pauseUntil: null,
  skipDates: '',
  rhythms: {
    week_ahead: { enabled: false, days: [1], time: '09:30' },
    mid_week: { enabled: false, days: [3], time: '14:00' },
    look_back: { enabled: false, days: [5], time: '15:00' },
    digest: { enabled: true, days: [5], time: '16:00' },
  },
};

/** A week-ahead prompt every day of the week at 09:30 UTC, so one is always due within a day. */
export const WEEK_AHEAD_EVERY_DAY: RhythmAnswers = {
  timeZone: 'UTC',
  workDays: [1, 2, 3, 4, 5, 6, 7],
  pauseUntil: null,
  skipDates: '',
  rhythms: {
    week_ahead: { enabled: true, days: [1, 2, 3, 4, 5, 6, 7], time: '09:30' },
    mid_week: { enabled: false, days: [3], time: '14:00' },
    look_back: { enabled: false, days: [5], time: '15:00' },
    digest: { enabled: false, days: [5], time: '16:00' },
  },
};

/** The view.state.values Slack sends when the rhythm modal is saved with these choices. */
export function rhythmStateValues(answers: RhythmAnswers): Record<string, Record<string, unknown>> {
  const options = (values: readonly (string | number)[]) => values.map((value) => ({ value: String(value) }));
  const values: Record<string, Record<string, unknown>> = {
    [RHYTHM_INPUTS.timeZone.block]: {
      value: {
        type: 'external_select',
        selected_option: { text: { type: 'plain_text', text: answers.timeZone }, value: answers.timeZone },
      },
    },
    [RHYTHM_INPUTS.workDays.block]: {
      value: { type: 'checkboxes', selected_options: options(answers.workDays) },
    },
    [RHYTHM_INPUTS.pauseUntil.block]: { value: { type: 'datepicker', selected_date: answers.pauseUntil } },
    [RHYTHM_INPUTS.skipDates.block]: {
      value: { type: 'plain_text_input', value: answers.skipDates || null },
    },
  };
  for (const kind of RHYTHM_KINDS) {
    const rhythm = answers.rhythms[kind] ?? { enabled: false, days: [], time: null };
    // The form turns a rhythm off by leaving its days empty.
    values[rhythmInput(kind, 'days').block] = {
      value: { type: 'multi_static_select', selected_options: options(rhythm.enabled ? rhythm.days : []) },
    };
    values[rhythmInput(kind, 'time').block] = { value: { type: 'timepicker', selected_time: rhythm.time } };
  }
  return values;
}
