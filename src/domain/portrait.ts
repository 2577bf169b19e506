import type { Verdict } from '../db/schema.js';
import {
  type AnswerRecord,
  challengeLabel,
  fold,
  groupChallenges,
  type MessageRef,
  MIN_THEME_ANSWERS,
  MIN_THEME_VOICES,
  mayQuote,
  type NoteRecord,
  QUOTE_LENGTH,
  type Quote,
} from './digest/analyse.js';
import { clusterNearDuplicates } from './digest/clusters.js';
import { mostUsedPhrase } from './digest/meaning.js';
import { clausesOf, sentenceAbout, textFeatures } from './digest/text.js';
import { previousQuarter, type Quarter } from './quarters.js';
import { calendarDateIn } from './time.js';

/**
 * The team's portrait of a quarter: what its loops, hypotheses, challenges, learning questions and
 * voices came to, each count with the records behind it so a person can read the evidence.
 * Pure: the records come in, the portrait goes out.
 */

/** Something the portrait counts, with where to read it. */
export interface Evidence {
  id: string;
  text: string;
  at: Date;
  link: MessageRef | null;
}

export interface HypothesisTested {
  afterActionId: string;
  reviewId: string | null;
  /** The before-action review's action (or the after-action review's). */
  action: string;
  /** As the team wrote it ("If we …, then we expect …, because …"), '' if none. */
  hypothesis: string;
  verdict: Verdict | null;
  revisedHypothesis: string | null;
  /** The after-action review's "what will we change" ('' if none). */
  change: string;
  at: Date;
  link: MessageRef | null;
}

/** A hypothesis revised and tested again: reviews linked by fromAfterActionReviewId, oldest first. */
export interface HypothesisChain {
  steps: { reviewId: string; hypothesis: string; verdict: Verdict | null; link: MessageRef | null }[];
}

export interface ChallengeTrend {
  /** The challenge in the team's words, as the digest labels recurring challenges. */
  label: string;
  /** Loops it came up in, over both quarters. */
  loops: number;
  lastSeen: Date;
  /** advancing: a review changed something and it has not come back since; circling: still coming back. */
  state: 'advancing' | 'circling';
  /** The latest place it came up. */
  link: MessageRef | null;
  /** At most 2, under the digest's privacy rules. */
  quotes: Quote[];
}

export interface QuestionEvidence {
  id: string;
  text: string;
  /** Answers, reviews and after-action reviews tagged with the question in the quarter. */
  pieces: number;
  latest: Evidence | null;
  /** People's words on it, under the digest's privacy rules (no names), at most 3. */
  quotes: Quote[];
}

export interface VoicesWeekCount {
  start: Date;
  voices: number;
  anonymous: number;
}

export interface QuarterPortrait {
  quarter: Quarter;
  loops: {
    opened: number;
    closed: number;
    medianDaysLookBackToAfterAction: number | null;
    stillOpen: number;
    openedEvidence: Evidence[];
    closedEvidence: Evidence[];
    openEvidence: Evidence[];
  };
  hypotheses: { tested: HypothesisTested[]; verdicts: Record<Verdict, number>; chains: HypothesisChain[] };
  challenges: ChallengeTrend[];
  /** Every learning question active in the quarter; one with no evidence has pieces 0. */
  questions: QuestionEvidence[];
  /** Breadth only: never names. */
  voices: { weeks: VoicesWeekCount[]; averagePerWeek: number; members: number | null };
  /** Reviews opened with no app prompt or check-in in the channel in the 24 h before them. */
  reviewsWithoutPrompt: { count: number; of: number };
  /** What the quarter's answers were about. */
  themes: { label: string; answers: number; voices: number }[];
  /** Learning notes (replies in a digest's thread), newest first. */
  notes: Evidence[];
}

/** A before-action review as the portrait reads it. */
export interface PortraitReview {
  id: string;
  action: string;
  anticipatedChallenges: string;
  hypothesis: string;
  status: 'open' | 'closed';
  /** The channel's calendar date the team meant to look back on. */
  lookBackOn: string;
  questionId: string | null;
  /** The after-action review whose revised hypothesis this review started from. */
  fromAfterActionReviewId: string | null;
  createdAt: Date;
  link: MessageRef | null;
}

/** An after-action review as the portrait reads it. */
export interface PortraitAfterAction {
  id: string;
  reviewId: string | null;
  action: string;
  whyDifferent: string;
  verdict: Verdict | null;
  revisedHypothesis: string | null;
  change: string;
  questionId: string | null;
  createdAt: Date;
  link: MessageRef | null;
}

/** Everything a portrait reads for a channel, as plain records, covering every quarter asked for. */
export interface PortraitInput {
  timeZone: string;
  /** Now: the current quarter is read up to here. */
  now: Date;
  answers: readonly AnswerRecord[];
  /** Reviews created in the quarters, any still open, and those a chain or an after-action review needs. */
  reviews: readonly PortraitReview[];
  afterActions: readonly PortraitAfterAction[];
  /** When the app posted a prompt or a check-in in the channel. */
  promptsAt: readonly Date[];
  notes: readonly NoteRecord[];
  questions: readonly { id: string; text: string; createdAt: Date; retiredAt: Date | null }[];
  members: number | null;
  privacy: { minVoicesForAnonymousQuotes: number };
}

const DAY_MS = 86_400_000;

/** Whole days from one calendar date to another: negative when `to` comes first. */
function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}
const WEEK_MS = 7 * DAY_MS;
const VERDICT_LIST: readonly Verdict[] = ['borne_out', 'partly', 'not_borne_out', 'too_early'];
/** A review this soon after the app asked something was prompted by it. */
export const PROMPTED_WITHIN_MS = DAY_MS;
/** A challenge is a trend once it has come up in this many loops over the two quarters. */
export const CHALLENGE_MIN_LOOPS = 2;
export const MAX_CHALLENGES = 5;
export const MAX_CHALLENGE_QUOTES = 2;
export const MAX_QUESTION_QUOTES = 3;
export const MAX_THEMES = 5;

interface Span {
  start: Date;
  end: Date;
}

function within(at: Date, span: Span): boolean {
  return at >= span.start && at < span.end;
}

function newestFirst<T extends { createdAt: Date; id: string }>(left: T, right: T): number {
  return right.createdAt.getTime() - left.createdAt.getTime() || (left.id < right.id ? 1 : -1);
}

function oldestFirst<T extends { createdAt: Date; id: string }>(left: T, right: T): number {
  return -newestFirst(left, right);
}

function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** The quarter as far as it has gone: a quarter still under way is read up to now. */
export function spanOf(quarter: Quarter, now: Date): Span {
  return {
    start: quarter.start,
    end: now < quarter.end ? (now > quarter.start ? now : quarter.start) : quarter.end,
  };
}

function loopsOf(input: PortraitInput, span: Span): QuarterPortrait['loops'] {
  const closedAt = new Map<string, Date>();
  for (const after of input.afterActions)
    if (after.reviewId) {
      const known = closedAt.get(after.reviewId);
      if (!known || after.createdAt < known) closedAt.set(after.reviewId, after.createdAt);
    }
  const reviews = new Map(input.reviews.map((review) => [review.id, review]));
  const opened = input.reviews.filter((review) => within(review.createdAt, span)).sort(oldestFirst);
  const closed = input.afterActions.filter((after) => within(after.createdAt, span)).sort(oldestFirst);
  const days = closed.flatMap((after) => {
    const review = after.reviewId ? reviews.get(after.reviewId) : undefined;
    return review ? [daysBetween(review.lookBackOn, calendarDateIn(after.createdAt, input.timeZone))] : [];
  });
  // Open at the quarter's end: started by then and not looked back on by then.
  const open = input.reviews
    .filter((review) => {
      if (review.createdAt >= span.end) return false;
      const at = closedAt.get(review.id);
      if (at) return at >= span.end;
      return review.status === 'open';
    })
    .sort(oldestFirst);
  const evidence = (record: { id: string; action: string; createdAt: Date; link: MessageRef | null }) => ({
    id: record.id,
    text: fold(record.action, QUOTE_LENGTH),
    at: record.createdAt,
    link: record.link,
  });
  return {
    opened: opened.length,
    closed: closed.length,
    medianDaysLookBackToAfterAction: median(days),
    stillOpen: open.length,
    openedEvidence: opened.map(evidence),
    closedEvidence: closed.map(evidence),
    openEvidence: open.map(evidence),
  };
}

function hypothesesOf(input: PortraitInput, span: Span): QuarterPortrait['hypotheses'] {
  const reviews = new Map(input.reviews.map((review) => [review.id, review]));
  const afterOf = new Map<string, PortraitAfterAction>();
  for (const after of input.afterActions) if (after.reviewId) afterOf.set(after.reviewId, after);
  const afters = new Map(input.afterActions.map((after) => [after.id, after]));
  const closed = input.afterActions.filter((after) => within(after.createdAt, span)).sort(oldestFirst);
  const verdicts = Object.fromEntries(VERDICT_LIST.map((verdict) => [verdict, 0])) as Record<Verdict, number>;
  for (const after of closed) if (after.verdict) verdicts[after.verdict] += 1;
  const tested: HypothesisTested[] = closed.map((after) => {
    const review = after.reviewId ? reviews.get(after.reviewId) : undefined;
    return {
      afterActionId: after.id,
      reviewId: after.reviewId,
      action: review?.action ?? after.action,
      hypothesis: review?.hypothesis ?? '',
      verdict: after.verdict,
      revisedHypothesis: after.revisedHypothesis,
      change: after.change,
      at: after.createdAt,
      link: after.link,
    };
  });

  // A chain ends at a review tested in the quarter that started from an earlier revised hypothesis.
  const chains: HypothesisChain[] = [];
  for (const after of closed) {
    const review = after.reviewId ? reviews.get(after.reviewId) : undefined;
    if (!review?.fromAfterActionReviewId) continue;
    const steps: HypothesisChain['steps'] = [];
    const seen = new Set<string>();
    let step: PortraitReview | undefined = review;
    while (step && !seen.has(step.id)) {
      seen.add(step.id);
      steps.unshift({
        reviewId: step.id,
        hypothesis: step.hypothesis,
        verdict: afterOf.get(step.id)?.verdict ?? null,
        link: afterOf.get(step.id)?.link ?? step.link,
      });
      const from: PortraitAfterAction | undefined = step.fromAfterActionReviewId
        ? afters.get(step.fromAfterActionReviewId)
        : undefined;
      step = from?.reviewId ? reviews.get(from.reviewId) : undefined;
    }
    if (steps.length > 1) chains.push({ steps });
  }
  // A chain another one carries on is said once, in its longest form.
  const longest = chains.filter(
    (chain) =>
      !chains.some(
        (other) =>
          other !== chain &&
          other.steps.length > chain.steps.length &&
          chain.steps.every((step, index) => other.steps[index]?.reviewId === step.reviewId),
      ),
  );
  return { tested, verdicts, chains: longest };
}

function challengesOf(input: PortraitInput, quarter: Quarter, span: Span): ChallengeTrend[] {
  const since = previousQuarter(quarter, input.timeZone).start.getTime();
  const reviews = input.reviews.filter((review) => review.createdAt < span.end);
  const afterActions = input.afterActions.filter((after) => after.createdAt < span.end);
  const groups = groupChallenges(reviews, afterActions, since);
  const afterOfLoop = new Map<string, PortraitAfterAction>();
  for (const after of afterActions) afterOfLoop.set(after.reviewId ?? after.id, after);
  const trends = groups.flatMap((group) => {
    const loops = new Set(group.map((source) => source.loop));
    if (loops.size < CHALLENGE_MIN_LOOPS) return [];
    if (!group.some((source) => within(source.createdAt, span))) return [];
    const last = group[group.length - 1] as (typeof group)[number];
    // The latest review of one of its loops that changed something: advancing if it has not come back since.
    const changes = [...loops]
      .map((loop) => afterOfLoop.get(loop))
      .filter((after): after is PortraitAfterAction => Boolean(after?.change.trim()))
      .sort(newestFirst);
    const changed = changes[0];
    const state: ChallengeTrend['state'] =
      changed && !group.some((source) => source.createdAt > changed.createdAt) ? 'advancing' : 'circling';
    const quotes = [...group]
      .reverse()
      .filter((source, index, all) => all.findIndex((other) => other.id === source.id) === index)
      .slice(0, MAX_CHALLENGE_QUOTES)
      .map((source) => ({
        sourceId: source.id,
        text: fold(source.idea.text, QUOTE_LENGTH),
        link: source.link,
      }));
    return [
      {
        label: challengeLabel(group),
        loops: loops.size,
        lastSeen: last.createdAt,
        state,
        link: last.link,
        quotes,
      },
    ];
  });
  return trends
    .sort(
      (a, b) =>
        (a.state === b.state ? 0 : a.state === 'circling' ? -1 : 1) ||
        b.loops - a.loops ||
        b.lastSeen.getTime() - a.lastSeen.getTime(),
    )
    .slice(0, MAX_CHALLENGES);
}

/** Named people who answered in the seven days around an answer: an anonymous one is quoted only among enough of them. */
function quotableIn(input: PortraitInput, answers: readonly AnswerRecord[]) {
  const minVoices = input.privacy.minVoicesForAnonymousQuotes;
  return (answer: AnswerRecord) => {
    if (answer.kind !== 'anonymous') return mayQuote(answer, 0, minVoices);
    const from = answer.createdAt.getTime() - WEEK_MS / 2;
    const to = answer.createdAt.getTime() + WEEK_MS / 2;
    const voices = new Set(
      answers
        .filter(
          (other) => other.userId && other.createdAt.getTime() >= from && other.createdAt.getTime() < to,
        )
        .map((other) => other.userId),
    ).size;
    return mayQuote(answer, voices, minVoices);
  };
}

function questionsOf(input: PortraitInput, span: Span): QuestionEvidence[] {
  const answers = input.answers.filter((answer) => within(answer.createdAt, span));
  const allowed = quotableIn(input, input.answers);
  const active = input.questions.filter(
    (question) => question.createdAt < span.end && (!question.retiredAt || question.retiredAt >= span.start),
  );
  return active.map((question) => {
    const tagged = answers.filter((answer) => answer.questionId === question.id).sort(newestFirst);
    // Answers that may not be quoted are counted, never shown: not even when, as the latest piece, their
    // day beside the question could point to who gave them.
    const shown: (Evidence & { createdAt: Date })[] = [
      ...tagged.filter(allowed).map((answer) => ({
        id: answer.id,
        text: fold(answer.text, QUOTE_LENGTH),
        at: answer.createdAt,
        createdAt: answer.createdAt,
        link: answer.link,
      })),
      ...input.reviews
        .filter((review) => review.questionId === question.id && within(review.createdAt, span))
        .map((review) => ({
          id: review.id,
          text: fold(review.action, QUOTE_LENGTH),
          at: review.createdAt,
          createdAt: review.createdAt,
          link: review.link,
        })),
      ...input.afterActions
        .filter((after) => after.questionId === question.id && within(after.createdAt, span))
        .map((after) => ({
          id: after.id,
          text: fold(after.action, QUOTE_LENGTH),
          at: after.createdAt,
          createdAt: after.createdAt,
          link: after.link,
        })),
    ].sort(newestFirst);
    const latest = shown[0];
    const people = new Set<string>();
    const quotes: Quote[] = [];
    for (const answer of tagged) {
      if (quotes.length >= MAX_QUESTION_QUOTES) break;
      if (!allowed(answer)) continue;
      if (answer.userId && people.has(answer.userId)) continue;
      if (answer.userId) people.add(answer.userId);
      quotes.push({ sourceId: answer.id, text: fold(answer.text, QUOTE_LENGTH), link: answer.link });
    }
    return {
      id: question.id,
      text: question.text,
      pieces: shown.length + tagged.filter((answer) => !allowed(answer)).length,
      latest: latest ? { id: latest.id, text: latest.text, at: latest.at, link: latest.link } : null,
      quotes,
    };
  });
}

function voicesOf(input: PortraitInput, span: Span): QuarterPortrait['voices'] {
  const weeks: VoicesWeekCount[] = [];
  for (let start = span.start.getTime(); start < span.end.getTime(); start += WEEK_MS) {
    const week = { start: new Date(start), end: new Date(Math.min(start + WEEK_MS, span.end.getTime())) };
    const answers = input.answers.filter((answer) => within(answer.createdAt, week));
    weeks.push({
      start: week.start,
      voices: new Set(answers.flatMap((answer) => (answer.userId ? [answer.userId] : []))).size,
      anonymous: answers.filter((answer) => answer.userId === null).length,
    });
  }
  // A week only begun would pull the average down: whole weeks are averaged, once there is one.
  const whole = weeks.filter((week) => week.start.getTime() + WEEK_MS <= span.end.getTime());
  const counted = whole.length > 0 ? whole : weeks;
  const averagePerWeek =
    counted.length > 0 ? counted.reduce((sum, week) => sum + week.voices, 0) / counted.length : 0;
  return { weeks, averagePerWeek, members: input.members };
}

function withoutPrompt(input: PortraitInput, span: Span): QuarterPortrait['reviewsWithoutPrompt'] {
  const opened = input.reviews.filter((review) => within(review.createdAt, span));
  const prompts = input.promptsAt.map((at) => at.getTime());
  const count = opened.filter((review) => {
    const at = review.createdAt.getTime();
    return !prompts.some((prompt) => prompt <= at && prompt > at - PROMPTED_WITHIN_MS);
  }).length;
  return { count, of: opened.length };
}

/**
 * What the quarter's answers were about: words (or phrases) used in several separate answers by more
 * than one person, named by the phrase people wrote most, each answer counted under one theme at most.
 */
function themesOf(input: PortraitInput, span: Span): QuarterPortrait['themes'] {
  const answers = input.answers.filter((answer) => within(answer.createdAt, span));
  const termSets = answers.map((answer) => answer.terms ?? textFeatures(answer.text).terms);
  const clusterOf = clusterNearDuplicates(termSets);
  const stats = new Map<string, { indexes: number[]; clusters: Set<number>; voices: Set<string> }>();
  termSets.forEach((terms, index) => {
    const answer = answers[index] as AnswerRecord;
    for (const term of new Set(terms)) {
      const entry = stats.get(term) ?? {
        indexes: [],
        clusters: new Set<number>(),
        voices: new Set<string>(),
      };
      entry.indexes.push(index);
      entry.clusters.add(clusterOf[index] as number);
      entry.voices.add(answer.userId ?? 'anonymous');
      stats.set(term, entry);
    }
  });
  const ranked = [...stats]
    .filter(([, entry]) => entry.clusters.size >= MIN_THEME_ANSWERS && entry.voices.size >= MIN_THEME_VOICES)
    .sort(
      (a, b) =>
        b[1].clusters.size - a[1].clusters.size ||
        b[0].split(' ').length - a[0].split(' ').length ||
        (a[0] < b[0] ? -1 : 1),
    );
  const claimed = new Set<number>();
  const themes: QuarterPortrait['themes'] = [];
  for (const [term, entry] of ranked) {
    if (themes.length >= MAX_THEMES) break;
    const fresh = entry.indexes.filter((index) => !claimed.has(index));
    // Mostly the answers of a stronger theme: the same topic by another word.
    if (fresh.length < MIN_THEME_ANSWERS || fresh.length < entry.indexes.length / 2) continue;
    const words = new Set(term.split(' '));
    const label =
      mostUsedPhrase(
        entry.indexes
          .slice(0, 40)
          .map((index) => clausesOf(sentenceAbout((answers[index] as AnswerRecord).text, term))),
        (key) => key.split(/[ -]/).some((word) => words.has(word)),
        () => 0,
        { companion: true },
      ) ?? term;
    if (themes.some((theme) => theme.label === label)) continue;
    for (const index of entry.indexes) claimed.add(index);
    themes.push({ label, answers: entry.clusters.size, voices: entry.voices.size });
  }
  return themes;
}

export function portraitOfQuarter(input: PortraitInput, quarter: Quarter): QuarterPortrait {
  const span = spanOf(quarter, input.now);
  return {
    quarter,
    loops: loopsOf(input, span),
    hypotheses: hypothesesOf(input, span),
    challenges: challengesOf(input, quarter, span),
    questions: questionsOf(input, span),
    voices: voicesOf(input, span),
    reviewsWithoutPrompt: withoutPrompt(input, span),
    themes: themesOf(input, span),
    notes: input.notes
      .filter((note) => within(note.createdAt, span))
      .sort(newestFirst)
      .map((note) => ({
        id: note.id,
        text: fold(note.text, QUOTE_LENGTH),
        at: note.createdAt,
        link: note.link,
      })),
  };
}
