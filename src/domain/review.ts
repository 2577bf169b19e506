import { isValid, parseISO } from 'date-fns';
import { addCalendarDays, calendarDateIn } from './time.js';

/** Slack's own ceiling for a plain-text input; answers may use all of it. */
export const MAX_ANSWER_LENGTH = 3000;
/** Enough for a team or a cross-organisation group, small enough to list in one message. */
export const MAX_PEOPLE = 30;
/** A look-back further away than this stops being a review of one action. */
export const MAX_LOOK_BACK_DAYS = 366;
export const DEFAULT_LOOK_BACK_DAYS = 7;

export interface BarDraft {
  action: string;
  intendedResults: string;
  /** The action hypothesis as typed, one sentence: "If we …, then we expect …, because …". */
  hypothesis: string;
  anticipatedChallenges: string;
  lessonsFromBefore: string;
  successFactors: string;
  lookBackOn: string | null;
  people: string[];
  channelId: string | null;
}

export type BarField = keyof BarDraft;

/**
 * A draft that passed validation: trimmed, with every required value present, and the hypothesis in the
 * three parts it is stored as.
 */
export interface ValidBar {
  action: string;
  intendedResults: string;
  anticipatedChallenges: string;
  lessonsFromBefore: string;
  successFactors: string;
  hypothesisIf: string;
  hypothesisThen: string;
  hypothesisBecause: string | null;
  lookBackOn: string;
  people: string[];
  channelId: string;
}

export type BarValidation =
  | { ok: true; bar: ValidBar }
  | { ok: false; errors: Partial<Record<BarField, string>> };

// Only what a five-minute huddle cannot do without; everything else may be left for later, or for never.
const REQUIRED_TEXT: ReadonlyArray<[BarField, string]> = [
  ['action', 'Say in a few words what you are about to do.'],
  ['intendedResults', 'What do you intend to happen, and how will you know?'],
  ['hypothesis', 'Write down your best bet: “If we …, then we expect …”.'],
];

const OPTIONAL_TEXT: readonly BarField[] = ['anticipatedChallenges', 'lessonsFromBefore', 'successFactors'];

/** Who was involved and where the review is shared: the same rules for every kind of review. */
export function checkPeopleAndChannel(draft: { people: readonly string[]; channelId: string | null }): {
  people: string[];
  problems: { people?: string; channelId?: string };
} {
  const people = [...new Set(draft.people)];
  const problems: { people?: string; channelId?: string } = {};
  if (people.length === 0) problems.people = 'Add at least one person involved.';
  if (people.length > MAX_PEOPLE) problems.people = `Add at most ${MAX_PEOPLE} people.`;
  if (!draft.channelId) problems.channelId = 'Choose the channel where the team will see this review.';
  return { people, problems };
}

export function defaultLookBackDate(now: Date, timeZone: string): string {
  return addCalendarDays(calendarDateIn(now, timeZone), DEFAULT_LOOK_BACK_DAYS);
}

/**
 * Checks a before-action review as typed into the modal. `today` is the author's calendar date, so
 * "not in the past" means what the author sees on their own calendar.
 */
export function validateBarDraft(draft: BarDraft, today: string): BarValidation {
  const errors: Partial<Record<BarField, string>> = {};
  const trimmed = (field: BarField) => String(draft[field] ?? '').trim();

  for (const [field, message] of REQUIRED_TEXT) {
    if (trimmed(field).length === 0) errors[field] = message;
  }
  for (const field of [...REQUIRED_TEXT.map(([field]) => field), ...OPTIONAL_TEXT]) {
    const length = [...trimmed(field)].length;
    if (length > MAX_ANSWER_LENGTH) {
      errors[field] = `Please keep this under ${MAX_ANSWER_LENGTH} characters (it is ${length}).`;
    }
  }

  const lookBackOn = draft.lookBackOn;
  if (!lookBackOn || !/^\d{4}-\d{2}-\d{2}$/.test(lookBackOn) || !isValid(parseISO(lookBackOn))) {
    errors.lookBackOn = 'Pick the date when you will look back.';
  } else if (lookBackOn < today) {
    errors.lookBackOn = 'The look-back date has already passed. Pick today or a later date.';
  } else if (lookBackOn > addCalendarDays(today, MAX_LOOK_BACK_DAYS)) {
    errors.lookBackOn = 'Pick a date within the next year, while the action is still fresh.';
  }

  const { people, problems } = checkPeopleAndChannel(draft);
  Object.assign(errors, problems);

  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    bar: {
      action: trimmed('action'),
      intendedResults: trimmed('intendedResults'),
      anticipatedChallenges: trimmed('anticipatedChallenges'),
      lessonsFromBefore: trimmed('lessonsFromBefore'),
      successFactors: trimmed('successFactors'),
      ...hypothesisParts(trimmed('hypothesis')),
      lookBackOn: lookBackOn as string,
      people,
      channelId: draft.channelId as string,
    },
  };
}

// People often retype the words the form already says ("If we …", "… then we expect …"); drop them so the
// sentence reads once.
const LEADING_WORDS = {
  action: /^(?:if\s+)?we\s+/i,
  expectation: /^(?:then\s+)?(?:we\s+expect\s+(?:that\s+)?)?/i,
  because: /^because\s+/i,
} as const;

function clause(text: string, leading: RegExp): string {
  return text
    .trim()
    .replace(leading, '')
    .replace(/[\s.]+$/, '');
}

/** Where the "if" part of a typed hypothesis ends, the most explicit way of saying it first. */
const THEN_MARKERS: readonly RegExp[] = [
  /,\s*then\s+we\s+expect\s+(?:that\s+)?/i,
  /\s+then\s+we\s+expect\s+(?:that\s+)?/i,
  /,\s*we\s+expect\s+(?:that\s+)?/i,
  /,\s*then\s+/i,
  /\s+then\s+/i,
];
const BECAUSE_MARKER = /,?\s+because\s+/i;
const WORDS = /[\p{L}\p{N}]/u;

export interface HypothesisParts {
  hypothesisIf: string;
  hypothesisThen: string;
  hypothesisBecause: string | null;
}

/**
 * The three parts a hypothesis is stored in, from the one sentence the form asks for: "If we X, then we
 * expect Y, because Z" gives X, Y and Z. A bet written any other way is kept whole as its "if" part, with
 * no "then", and is shown as it was written.
 */
export function hypothesisParts(sentence: string): HypothesisParts {
  const text = sentence.trim();
  const asWritten: HypothesisParts = { hypothesisIf: text, hypothesisThen: '', hypothesisBecause: null };
  const body = text.replace(/[\s.]+$/, '').match(/^if\s+(?:we(?=[\s,])\s*)?([\s\S]+)$/i)?.[1];
  if (!body) return asWritten;
  for (const marker of THEN_MARKERS) {
    const found = marker.exec(body);
    if (!found || found.index === 0) continue;
    const rest = body.slice(found.index + found[0].length);
    const because = BECAUSE_MARKER.exec(rest);
    const action = body.slice(0, found.index).trim();
    const expectation = (because ? rest.slice(0, because.index) : rest).trim();
    const reason = because ? rest.slice(because.index + because[0].length).trim() : '';
    if (!WORDS.test(action) || !WORDS.test(expectation)) return asWritten;
    return { hypothesisIf: action, hypothesisThen: expectation, hypothesisBecause: reason || null };
  }
  return asWritten;
}

function endSentence(text: string): string {
  return /[!?]$/.test(text) ? text : `${text}.`;
}

/**
 * "If we X, then we expect Y, because Z." from the three parts of an action hypothesis; a hypothesis kept
 * whole, with no "then", reads as it was written.
 */
export function hypothesisSentence(parts: {
  action: string;
  expectation: string;
  because?: string | null;
}): string {
  const because = parts.because?.trim() ? `, because ${clause(parts.because, LEADING_WORDS.because)}` : '';
  if (!parts.expectation.trim()) return endSentence(`${clause(parts.action, /^/)}${because}`);
  const action = clause(parts.action, LEADING_WORDS.action);
  // "If we're …" already has its "we".
  const condition = /^we['’]/i.test(action) ? `If ${action}` : `If we ${action}`;
  return `${condition}, then we expect ${clause(parts.expectation, LEADING_WORDS.expectation)}${because}.`;
}

/** Nobody picked means the person writing the review is the one involved. */
export function peopleOrAuthor(people: readonly string[], authorId: string): string[] {
  return people.length > 0 ? [...people] : [authorId];
}
