import { describe, expect, it } from 'vitest';
import {
  type AarDraft,
  type AarField,
  checkInTimes,
  nextWorkDay,
  REMINDER_AFTER_WORK_DAYS,
  VERDICT_LABELS,
  validateAarDraft,
} from '../../src/domain/after-action.js';
import { MAX_ANSWER_LENGTH, MAX_PEOPLE } from '../../src/domain/review.js';
import { ALL_WEEKDAYS, type ChannelCalendar, DEFAULT_WORK_DAYS } from '../../src/domain/schedule.js';

const iso = (date: Date | null) => date?.toISOString() ?? null;

function draft(overrides: Partial<AarDraft> = {}): AarDraft {
  return {
    intended: 'Twenty residents attend and five name a priority we had not heard',
    whatHappened: 'Fourteen came; three named something new',
    whyDifferent: 'It rained, and the bus route changed that week',
    sustain: 'Speaking in rounds: quieter people spoke',
    change: 'Check transport before picking the date',
    verdict: 'partly',
    revisedHypothesis: 'If we meet in the library, then we expect more families to come.',
    people: ['U0AUTHOR', 'U0TEAMMATE'],
    channelId: 'C0TEAM',
    questionId: null,
    ...overrides,
  };
}

const WITH_BEFORE = { hasBeforeReview: true };
const WITHOUT_BEFORE = { hasBeforeReview: false };

function errorsOf(result: ReturnType<typeof validateAarDraft>) {
  if (result.ok) throw new Error('expected the draft to be refused');
  return result.errors;
}

function validOf(result: ReturnType<typeof validateAarDraft>) {
  if (!result.ok) throw new Error(`expected the draft to be accepted: ${JSON.stringify(result.errors)}`);
  return result.aar;
}

describe('validateAarDraft', () => {
  it('accepts a complete review of a before-action review, trimmed', () => {
    const aar = validOf(
      validateAarDraft(draft({ whatHappened: '  Fourteen came  \n', questionId: 'q-1' }), WITH_BEFORE),
    );
    expect(aar).toEqual({
      intended: 'Twenty residents attend and five name a priority we had not heard',
      whatHappened: 'Fourteen came',
      whyDifferent: 'It rained, and the bus route changed that week',
      sustain: 'Speaking in rounds: quieter people spoke',
      change: 'Check transport before picking the date',
      verdict: 'partly',
      revisedHypothesis: 'If we meet in the library, then we expect more families to come.',
      people: ['U0AUTHOR', 'U0TEAMMATE'],
      channelId: 'C0TEAM',
      questionId: 'q-1',
    });
  });

  // The before-action review already says what was intended; asking again would only invite a different answer.
  it('does not ask what was intended when a before-action review says it', () => {
    const aar = validOf(validateAarDraft(draft({ intended: '' }), WITH_BEFORE));
    expect(aar.intended).toBe('');
  });

  it('requires a verdict on the hypothesis when there is a before-action review', () => {
    expect(errorsOf(validateAarDraft(draft({ verdict: null }), WITH_BEFORE))).toEqual({
      verdict: 'Say whether the hypothesis held.',
    });
  });

  it('asks what was intended, and where to share, when there is no before-action review', () => {
    expect(errorsOf(validateAarDraft(draft({ intended: '', channelId: null }), WITHOUT_BEFORE))).toEqual({
      intended: 'What did we intend to happen?',
      channelId: 'Choose the channel where the team will see this review.',
    });
  });

  // There is no hypothesis to judge without a before-action review.
  it('does not require a verdict when there is no before-action review', () => {
    const aar = validOf(validateAarDraft(draft({ verdict: null }), WITHOUT_BEFORE));
    expect(aar.verdict).toBeNull();
  });

  const blank: AarDraft = {
    intended: '',
    whatHappened: '',
    whyDifferent: '',
    sustain: '',
    change: '',
    verdict: null,
    revisedHypothesis: '',
    people: [],
    channelId: null,
    questionId: null,
  };

  it.each<[string, { hasBeforeReview: boolean }, AarField[]]>([
    [
      'with a before-action review',
      WITH_BEFORE,
      ['whatHappened', 'whyDifferent', 'verdict', 'people', 'channelId'],
    ],
    [
      'without a before-action review',
      WITHOUT_BEFORE,
      ['intended', 'whatHappened', 'whyDifferent', 'people', 'channelId'],
    ],
  ])('puts an error under every unanswered question of an empty form %s', (_name, context, fields) => {
    const errors = errorsOf(validateAarDraft(blank, context));
    expect(Object.keys(errors).sort()).toEqual([...fields].sort());
    // Each message is specific to its own question, so none can be mistaken for another's.
    expect(new Set(Object.values(errors)).size).toBe(fields.length);
  });

  // What happened and why is the review; what to keep and change can follow later.
  it.each(['sustain', 'change'] as const)('lets %s stay empty, and stores it as empty text', (field) => {
    expect(validOf(validateAarDraft(draft({ [field]: ' \n ' }), WITH_BEFORE))[field]).toBe('');
    expect(validOf(validateAarDraft(draft({ [field]: '' }), WITHOUT_BEFORE))[field]).toBe('');
  });

  it.each<AarField>(['whatHappened', 'whyDifferent'])(
    'treats a %s of only spaces and line breaks as unanswered',
    (field) => {
      const errors = errorsOf(validateAarDraft(draft({ [field]: ' \n\t ' }), WITH_BEFORE));
      expect(Object.keys(errors)).toEqual([field]);
    },
  );

  it('treats an intention of only spaces as unanswered when there is no before-action review', () => {
    const errors = errorsOf(validateAarDraft(draft({ intended: '   ' }), WITHOUT_BEFORE));
    expect(Object.keys(errors)).toEqual(['intended']);
  });

  const longFields: AarField[] = [
    'intended',
    'whatHappened',
    'whyDifferent',
    'sustain',
    'change',
    'revisedHypothesis',
  ];

  it.each(longFields)('accepts a %s as long as Slack allows', (field) => {
    const aar = validOf(validateAarDraft(draft({ [field]: 'x'.repeat(MAX_ANSWER_LENGTH) }), WITHOUT_BEFORE));
    expect(aar[field as keyof typeof aar]).toHaveLength(MAX_ANSWER_LENGTH);
  });

  it.each(longFields)('refuses a %s one character too long, saying how long it is', (field) => {
    const errors = errorsOf(
      validateAarDraft(draft({ [field]: 'x'.repeat(MAX_ANSWER_LENGTH + 1) }), WITHOUT_BEFORE),
    );
    expect(errors).toEqual({
      [field]: `Please keep this under ${MAX_ANSWER_LENGTH} characters (it is ${MAX_ANSWER_LENGTH + 1}).`,
    });
  });

  it('asks for at least one person involved', () => {
    expect(errorsOf(validateAarDraft(draft({ people: [] }), WITH_BEFORE))).toEqual({
      people: 'Add at least one person involved.',
    });
  });

  it('counts a person picked twice once', () => {
    const aar = validOf(
      validateAarDraft(draft({ people: ['U0A', 'U0B', 'U0A', 'U0B', 'U0C'] }), WITH_BEFORE),
    );
    expect(aar.people).toEqual(['U0A', 'U0B', 'U0C']);
  });

  const people = (count: number) => Array.from({ length: count }, (_, i) => `U0P${i}`);

  it.each<[string, string[], boolean]>([
    ['exactly the most people allowed', people(MAX_PEOPLE), true],
    ['one person more than allowed', people(MAX_PEOPLE + 1), false],
    // Duplicates collapse before counting, so a repeated pick cannot push a full list over the limit.
    ['the most allowed plus a repeat', [...people(MAX_PEOPLE), 'U0P0'], true],
  ])('with %s: accepted %s', (_name, list, accepted) => {
    const result = validateAarDraft(draft({ people: list }), WITH_BEFORE);
    expect(result.ok).toBe(accepted);
    if (!result.ok) expect(result.errors).toEqual({ people: `Add at most ${MAX_PEOPLE} people.` });
  });

  it.each(Object.keys(VERDICT_LABELS))('accepts the verdict %s', (verdict) => {
    expect(validOf(validateAarDraft(draft({ verdict }), WITH_BEFORE)).verdict).toBe(verdict);
  });

  it.each(['yes', 'BORNE_OUT', 'borne out', ''])('refuses the verdict %j', (verdict) => {
    expect(Object.keys(errorsOf(validateAarDraft(draft({ verdict }), WITH_BEFORE)))).toEqual(['verdict']);
  });

  it.each(['', '   ', '\n'])('keeps no revised hypothesis when it is %j', (revisedHypothesis) => {
    expect(validOf(validateAarDraft(draft({ revisedHypothesis }), WITH_BEFORE)).revisedHypothesis).toBeNull();
  });
});

function calendar(overrides: Partial<ChannelCalendar> = {}): ChannelCalendar {
  return {
    timeZone: 'Europe/London',
    workDays: DEFAULT_WORK_DAYS,
    pauseUntil: null,
    skipDates: [],
    ...overrides,
  };
}

/** Long before any date used here, so no check-in is moved to "now" unless a test says so. */
const EARLY = new Date('2026-01-01T00:00:00Z');

describe('nextWorkDay', () => {
  it.each([
    ['a Friday stays', '2026-06-05', [], '2026-06-05'],
    ['a Saturday moves to Monday', '2026-06-06', [], '2026-06-08'],
    ['a Sunday moves to Monday', '2026-06-07', [], '2026-06-08'],
    ['a holiday moves to the next day', '2026-12-25', ['2026-12-25'], '2026-12-28'],
    [
      'a run of holidays is stepped over',
      '2026-12-24',
      ['2026-12-24', '2026-12-25', '2026-12-28'],
      '2026-12-29',
    ],
  ])('%s', (_name, date, skipDates, expected) => {
    expect(nextWorkDay(date, calendar({ skipDates }))).toBe(expected);
  });

  it('follows the channel’s own work days', () => {
    expect(nextWorkDay('2026-06-05', calendar({ workDays: [2, 4] }))).toBe('2026-06-09');
    expect(nextWorkDay('2026-06-06', calendar({ workDays: ALL_WEEKDAYS }))).toBe('2026-06-06');
  });

  it('gives the date itself when no day is ever a work day, instead of searching forever', () => {
    expect(nextWorkDay('2026-06-06', calendar({ workDays: [] }))).toBe('2026-06-06');
  });
});

describe('checkInTimes', () => {
  it('asks three work days before reminding', () => {
    expect(REMINDER_AFTER_WORK_DAYS).toBe(3);
  });

  it.each([
    // BST: 10:00 in London is 09:00 UTC.
    ['a summer Friday', '2026-06-05', [], '2026-06-05T09:00:00.000Z', '2026-06-10T09:00:00.000Z'],
    // GMT: 10:00 in London is 10:00 UTC.
    ['a winter Friday', '2026-11-27', [], '2026-11-27T10:00:00.000Z', '2026-12-02T10:00:00.000Z'],
    ['a Saturday', '2026-06-06', [], '2026-06-08T09:00:00.000Z', '2026-06-11T09:00:00.000Z'],
    [
      'a holiday Monday',
      '2026-06-08',
      ['2026-06-08'],
      '2026-06-09T09:00:00.000Z',
      '2026-06-12T09:00:00.000Z',
    ],
    [
      'a Monday with a holiday in the following days',
      '2026-06-08',
      ['2026-06-10'],
      '2026-06-08T09:00:00.000Z',
      '2026-06-12T09:00:00.000Z',
    ],
    // The clocks go back on 25 October 2026, so the reminder's 10:00 is an hour later in UTC.
    [
      'a Friday before the clocks change',
      '2026-10-23',
      [],
      '2026-10-23T09:00:00.000Z',
      '2026-10-28T10:00:00.000Z',
    ],
  ])(
    'for a look-back on %s, checks in at 10:00 on a work day and reminds three work days later',
    (_name, lookBackOn, skipDates, post, reminder) => {
      const times = checkInTimes({ checkInOn: null, lookBackOn }, calendar({ skipDates }), EARLY);
      expect(iso(times.post)).toBe(post);
      expect(iso(times.reminder)).toBe(reminder);
    },
  );

  it.each([
    ['on a summer date', '2026-06-02', '2026-06-02T09:00:00.000Z'],
    ['on a winter date', '2026-11-24', '2026-11-24T10:00:00.000Z'],
  ])('holds the pre-action check-in at 10:00 %s', (_name, checkInOn, expected) => {
    const times = checkInTimes({ checkInOn, lookBackOn: '2026-12-04' }, calendar(), EARLY);
    expect(iso(times.pre)).toBe(expected);
  });

  it('has no pre-action check-in unless one was asked for', () => {
    expect(checkInTimes({ checkInOn: null, lookBackOn: '2026-06-05' }, calendar(), EARLY).pre).toBeNull();
  });

  it('moves a check-in whose time has already passed today to the next work day, never straight after saving', () => {
    const now = new Date('2026-06-05T13:30:00Z');
    const times = checkInTimes({ checkInOn: '2026-06-05', lookBackOn: '2026-06-05' }, calendar(), now);
    // The pre-action check-in would then come with the look-back one (see check-in-times.test.ts).
    expect(times.pre).toBeNull();
    expect(iso(times.post)).toBe('2026-06-08T09:00:00.000Z');
    expect(iso(times.reminder)).toBe('2026-06-10T09:00:00.000Z');
  });

  it('keeps a check-in later today at its own time', () => {
    const now = new Date('2026-06-05T07:00:00Z');
    const times = checkInTimes({ checkInOn: null, lookBackOn: '2026-06-05' }, calendar(), now);
    expect(iso(times.post)).toBe('2026-06-05T09:00:00.000Z');
  });

  it.each([
    ['in summer', '2026-06-05', '2026-06-05T14:00:00.000Z'],
    ['in winter', '2026-11-27', '2026-11-27T15:00:00.000Z'],
  ])('checks in at 10:00 New York time %s', (_name, lookBackOn, expected) => {
    const times = checkInTimes(
      { checkInOn: null, lookBackOn },
      calendar({ timeZone: 'America/New_York' }),
      EARLY,
    );
    expect(iso(times.post)).toBe(expected);
  });

  it('still gives times for a calendar with no work days at all', () => {
    const times = checkInTimes(
      { checkInOn: null, lookBackOn: '2026-06-06' },
      calendar({ workDays: [] }),
      EARLY,
    );
    expect(iso(times.post)).toBe('2026-06-06T09:00:00.000Z');
    expect(times.reminder.getTime()).toBeGreaterThan(times.post.getTime());
  });
});
