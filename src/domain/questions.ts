/**
 * A team's learning questions: the few live questions about its real work that act as a compass.
 * The rules here decide what a save may leave behind; they never judge how a question is phrased.
 */

/** A compass with more than a handful of needles stops pointing anywhere. */
export const MAX_ACTIVE_QUESTIONS = 5;

/** A team that retires its last question has nothing left for prompts and reviews to be tagged with. */
export const MIN_ACTIVE_QUESTIONS = 1;

/**
 * Long enough for "What will it take to …?" with a real object and a qualifier, short enough to be read
 * at a glance on a phone and to fit, whole, wherever a prompt or review shows the question it serves.
 */
export const MAX_QUESTION_LENGTH = 200;

export interface ActiveQuestion {
  id: string;
  text: string;
}

/** What a person asked for in one save, as read from the form. */
export interface QuestionChange {
  reword: Array<{ id: string; text: string }>;
  retire: string[];
  add: string[];
}

/** `existing:<id>` names the input holding one saved question. */
export type QuestionField = 'add' | 'retire' | `existing:${string}`;

export type QuestionErrors = Partial<Record<QuestionField, string>>;

export const existingField = (id: string): `existing:${string}` => `existing:${id}`;

const length = (text: string) => [...text].length;

/**
 * "What will it take to …?", forgiving of case, curly apostrophes ("What’ll"), doubled spaces and
 * "for us to" / "for our partners to", which keep the same shape and intent.
 */
const FRAMING = /^what(?:\s+will|'ll)\s+it\s+take\s+(?:for\s+\S.*?\s+)?to\s+\S.*\?$/;

export function isFramingQuestion(text: string): boolean {
  const normal = text
    .replace(/[\u2018\u2019\u02BC\u0060\u00B4]/g, "'")
    .replace(/\uFF1F/g, '?')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
  return FRAMING.test(normal);
}

/**
 * The change as it would actually apply: only this channel's active questions can be reworded or
 * retired, a question being retired is not also reworded, and a reword that leaves the text as it
 * was is no change at all (so its "updated" time keeps meaning something).
 */
export function planQuestionChanges(
  current: readonly ActiveQuestion[],
  change: QuestionChange,
): QuestionChange {
  const byId = new Map(current.map((question) => [question.id, question]));
  const retire = [...new Set(change.retire)].filter((id) => byId.has(id));
  const retiring = new Set(retire);
  const reworded = new Map<string, string>();
  for (const { id, text } of change.reword) {
    const question = byId.get(id);
    const trimmed = text.trim();
    if (question && !retiring.has(id) && trimmed !== question.text) reworded.set(id, trimmed);
  }
  return {
    reword: [...reworded].map(([id, text]) => ({ id, text })),
    retire,
    add: change.add.map((text) => text.trim()).filter(Boolean),
  };
}

// In words, because the people reading this are setting a compass, not filling in a range.
const ONE_TO_FIVE = 'one to five';

/** Field by field, what stops this change from being saved; empty when it can be. */
export function validateQuestionChanges(
  current: readonly ActiveQuestion[],
  change: QuestionChange,
): QuestionErrors {
  const plan = planQuestionChanges(current, change);
  const errors: QuestionErrors = {};
  for (const { id, text } of plan.reword) {
    if (text === '') {
      errors[existingField(id)] =
        'To stop using this question, choose it under Retire instead of emptying it.';
    } else if (length(text) > MAX_QUESTION_LENGTH) {
      errors[existingField(id)] =
        `Keep a question to ${MAX_QUESTION_LENGTH} characters; this one has ${length(text)}.`;
    }
  }
  const tooLong = plan.add.find((text) => length(text) > MAX_QUESTION_LENGTH);
  if (tooLong) {
    errors.add = `Keep each question to ${MAX_QUESTION_LENGTH} characters; “${[...tooLong].slice(0, 40).join('')}…” is longer.`;
  }
  const remaining = current.length - plan.retire.length + plan.add.length;
  if (remaining < MIN_ACTIVE_QUESTIONS) {
    const message =
      plan.retire.length > 0
        ? `Keep ${ONE_TO_FIVE} questions: retiring these would leave none. Add a new one, or retire fewer.`
        : `Add at least one question: a team keeps ${ONE_TO_FIVE}.`;
    errors[plan.retire.length > 0 ? 'retire' : 'add'] ??= message;
  } else if (remaining > MAX_ACTIVE_QUESTIONS) {
    const field = plan.add.length > 0 ? 'add' : 'retire';
    errors[field] ??=
      `Keep ${ONE_TO_FIVE} questions: this would leave ${remaining}. Retire some, or add fewer.`;
  }
  return errors;
}
