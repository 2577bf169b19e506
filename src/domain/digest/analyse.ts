import type { SkipReason, Verdict } from '../../db/schema.js';
import { clusterNearDuplicates } from './clusters.js';
import {
  foreseen,
  type Idea,
  ideasOf,
  mostUsedPhrase,
  SYNONYM_SIMILARITY,
  sameChallenge,
  tellingWords,
} from './meaning.js';
import { breadthDrop, judgedWeeks, skipSpike, weeksSinceSetUp } from './participation.js';
import { criticalLogLikelihood, signedLogLikelihood } from './stats.js';
import { clausesOf, readableSlackText, sentenceAbout, textFeatures } from './text.js';
import { rarity, wordSimilarity } from './word-vectors.js';

/**
 * The weekly digest's analysis: pure and deterministic. It takes the week's records and the
 * channel's own history and returns the patterns, each with the ids of the records behind it, so
 * every claim in the digest can be traced back to the team's words.
 */

// ---- thresholds, each with its reason ----

/** Across all the terms tested in a week, the chance of any false "new" or "rising" is held near 5%. */
export const THEME_FAMILY_ALPHA = 0.05;
/** However few terms are tested, a single one still needs p < 0.01 (chi-squared at 1 d.f.). */
export const MIN_CRITICAL_G2 = 6.63;
/** p < 0.05 for a theme going quiet: a fading theme is a question to ask, not an alarm to raise. */
export const FADING_CRITICAL_G2 = 3.84;
/** A theme needs this many separate answers (near-duplicates count once) … */
export const MIN_THEME_ANSWERS = 3;
/** … from at least this many voices (all anonymous answers together count as one), so one person
 *  repeating themselves is not a pattern. */
export const MIN_THEME_VOICES = 2;
/** New and rising claim a change in the team, so they need a third voice: two people can share a
 *  passing topic, three make it the team's. */
export const MIN_EMERGING_VOICES = 3;
/** A term "holds" in a week when it is in this share of the week's answers; steady background words
 *  of a busy channel stay below it. */
export const THEME_PRESENCE_SHARE = 0.08;
/** A term seen in at most this many baseline answers counts as new. */
export const NEW_THEME_BASELINE_MAX = 1;
/** Rising also needs the rate to at least double: significance alone is easy with many answers. */
export const RISING_MIN_RATE_RATIO = 2;
/** Without this many answers before, there is no baseline to judge new or rising against. */
export const MIN_BASELINE_ANSWERS = 10;
/** The previous weeks a theme is judged against. */
export const BASELINE_WEEKS = 8;
export const MAX_THEMES = 6;
export const MAX_QUOTES_PER_THEME = 2;
/** A theme covering mostly the same answers as a stronger one says nothing new. */
const THEME_OVERLAP_LIMIT = 0.7;
/** A challenge recurs when it is named in this many separate BAR→AAR loops … */
export const RECURRING_MIN_LOOPS = 3;
/** … over this many days … */
export const RECURRING_WINDOW_DAYS = 90;
/** … in at least two different weeks: a cluster in one week is one event, not oscillation. */
const RECURRING_MIN_WEEKS = 2;
export const MAX_RECURRING_CHALLENGES = 3;
// Breadth of voices and skip spikes have their thresholds, and their reasons, in participation.ts.
/** Longest quoted excerpt: one sentence, read in a glance. */
export const QUOTE_LENGTH = 200;
export const MAX_NOTES = 5;
export const MAX_OPEN_LOOPS_LISTED = 5;
export const MAX_SURPRISES = 3;
export const MAX_STRENGTHS = 3;

// ---- input ----

export interface MessageRef {
  channelId: string;
  ts: string;
}

export interface AnswerRecord {
  id: string;
  kind: 'thread' | 'private' | 'anonymous';
  /** Null for anonymous answers. */
  userId: string | null;
  text: string;
  /** Stored when the answer was saved; computed here when missing. */
  terms?: readonly string[] | null;
  sentiment?: number | null;
  createdAt: Date;
  questionId: string | null;
  /** For a private answer: the person allowed it to be quoted without their name. */
  quotable: boolean;
  /** The message a quote links to: the reply itself, or the prompt a modal answer responded to. */
  link: MessageRef | null;
}

export interface ReviewRecord {
  id: string;
  action: string;
  intendedResults: string;
  anticipatedChallenges: string;
  successFactors: string;
  hypothesis: string;
  status: 'open' | 'closed';
  lookBackOn: string;
  questionId: string | null;
  createdAt: Date;
  link: MessageRef | null;
}

export interface AfterActionRecord {
  id: string;
  reviewId: string | null;
  action: string;
  whyDifferent: string;
  verdict: Verdict | null;
  questionId: string | null;
  createdAt: Date;
  link: MessageRef | null;
}

export interface NoteRecord {
  id: string;
  text: string;
  createdAt: Date;
  link: MessageRef | null;
}

export type SkipCounts = Partial<Record<SkipReason, number>>;

/** One earlier week, summarised: counts only, which a database can aggregate without reading texts. */
export interface WeekSummary {
  start: Date;
  answers: number;
  voices: number;
  anonymous: number;
  /** For each term, the number of that week's answers that use it. */
  termAnswers: ReadonlyMap<string, number>;
  skips: SkipCounts;
}

export interface DigestInput {
  window: { start: Date; end: Date };
  /** The channel's local date at the window's end: look-back dates before it are overdue. */
  today: string;
  answers: readonly AnswerRecord[];
  /** Earlier weeks, oldest first; up to BASELINE_WEEKS are used. */
  history: readonly WeekSummary[];
  /** Before-action reviews from the last RECURRING_WINDOW_DAYS, and any older ones still open. */
  reviews: readonly ReviewRecord[];
  /** After-action reviews from the last RECURRING_WINDOW_DAYS. */
  afterActions: readonly AfterActionRecord[];
  skips: SkipCounts;
  /** Replies to the last digest, saved as learning notes. */
  notes: readonly NoteRecord[];
  questions: readonly { id: string; text: string }[];
  members: number | null;
  privacy: { minVoicesForAnonymousQuotes: number };
  /** When the channel was set up: earlier weeks are neither charted nor judged against. */
  setUpAt?: Date | null;
}

// ---- output ----

/** `dominant`: fewer than three people wrote it, but it filled the week of everyone who answered. */
export type ThemeTrend = 'new' | 'rising' | 'dominant' | 'persistent' | 'fading';

export interface Quote {
  sourceId: string;
  text: string;
  link: MessageRef | null;
}

export interface Theme {
  /** The stored term (or terms of one meaning, joined by " | ") the theme was found on. */
  term: string;
  /** The phrase people wrote most often in it: "referral backlog". */
  label: string;
  trend: ThemeTrend;
  /** Carried only by private and anonymous answers: said to the app, not yet in the channel. */
  raisedPrivately: boolean;
  /** People behind it (all anonymous answers together count as one). */
  voices: number;
  /** Everyone who answered this week wrote about it. */
  everyone: boolean;
  /** For persistent themes: weeks in a row, this one included. */
  weeks: number;
  /** Separate answers this week (near-duplicates once). */
  answers: number;
  /** Share of this week's answers, and of the baseline's. */
  share: number;
  baselineShare: number;
  g2: number;
  tone: 'positive' | 'negative' | 'mixed';
  evidence: string[];
  quotes: Quote[];
}

/** `first`: it reached three loops this week; `again`: it was already recurring and came back this
 *  week; `circling`: recurring, but nothing new this week. */
export type ChallengeStatus = 'first' | 'again' | 'circling';

export interface RecurringChallenge {
  label: string;
  status: ChallengeStatus;
  loops: number;
  weeks: number;
  evidence: { reviews: string[]; afterActions: string[] };
  quotes: Quote[];
}

export interface Surprise {
  afterActionId: string;
  reviewId: string;
  action: string;
  /** The cause's most telling words that no anticipated challenge covered, in the order written. */
  unanticipated: string[];
  quote: Quote;
}

/** Something a cause said went well: never a challenge or a surprise. */
export interface Strength {
  sourceId: string;
  text: string;
  link: MessageRef | null;
}

export interface VoicesWeek {
  start: Date;
  voices: number;
  anonymous: number;
}

export interface DigestAnalysis {
  window: { start: Date; end: Date };
  numbers: {
    answers: number;
    voices: number;
    anonymousAnswers: number;
    members: number | null;
    barsOpened: number;
    aarsClosed: number;
    openLoopsPastLookBack: number;
    skips: Record<SkipReason, number>;
  };
  themes: Theme[];
  /** True when there was too little history to call anything new or rising. */
  baselineTooShort: boolean;
  recurringChallenges: RecurringChallenge[];
  hypotheses: {
    verdicts: Record<Verdict, number>;
    closed: { afterActionId: string; action: string; verdict: Verdict | null; link: MessageRef | null }[];
    surprises: Surprise[];
  };
  /** What after-action reviews this week said went well. */
  strengths: Strength[];
  quietQuestions: { id: string; text: string }[];
  voices: { weeks: VoicesWeek[]; drop: { current: number; usual: number } | null };
  skipSpikes: { reason: SkipReason; count: number; usual: number }[];
  notes: Quote[];
  openLoops: { id: string; action: string; lookBackOn: string; link: MessageRef | null }[];
  /** Nothing happened and nothing is waiting: a digest would only be noise. */
  quiet: boolean;
}

const SKIP_REASON_LIST: readonly SkipReason[] = ['not_relevant', 'no_capacity', 'not_safe', 'other'];
const VERDICT_LIST: readonly Verdict[] = ['borne_out', 'partly', 'not_borne_out', 'too_early'];

function termsOf(record: { text: string; terms?: readonly string[] | null }): readonly string[] {
  return record.terms ?? textFeatures(record.text).terms;
}

function byTimeThenId(left: { createdAt: Date; id: string }, right: { createdAt: Date; id: string }) {
  return left.createdAt.getTime() - right.createdAt.getTime() || (left.id < right.id ? -1 : 1);
}

/** A quote as a reader should see it: Slack markup resolved, one line, at most `max` characters. */
export function fold(text: string, max: number): string {
  const single = readableSlackText(text).replace(/\s+/g, ' ').trim();
  return single.length <= max ? single : `${single.slice(0, max - 1).trimEnd()}…`;
}

/** Counts for a week of answers, in the same shape the database aggregates earlier weeks into. */
export function summariseWeek(
  start: Date,
  answers: readonly AnswerRecord[],
  skips: SkipCounts = {},
): WeekSummary {
  const termAnswers = new Map<string, number>();
  for (const answer of answers)
    for (const term of new Set(termsOf(answer))) termAnswers.set(term, (termAnswers.get(term) ?? 0) + 1);
  return {
    start,
    answers: answers.length,
    voices: new Set(answers.flatMap((answer) => (answer.userId ? [answer.userId] : []))).size,
    anonymous: answers.filter((answer) => answer.userId === null).length,
    termAnswers,
    skips,
  };
}

// ---- themes ----

interface TermStats {
  clusters: Set<number>;
  answers: number[];
  voices: Set<string>;
}

function holds(count: number, total: number): boolean {
  return count >= MIN_THEME_ANSWERS && total > 0 && count / total >= THEME_PRESENCE_SHARE;
}

export function mayQuote(answer: AnswerRecord, namedVoices: number, minVoices: number): boolean {
  if (answer.kind === 'anonymous') return namedVoices >= Math.max(3, minVoices);
  if (answer.kind === 'private') return answer.quotable;
  return true;
}

function chooseQuotes(
  answers: readonly AnswerRecord[],
  indexes: readonly number[],
  clusterOf: readonly number[],
  term: string,
  allowed: (answer: AnswerRecord) => boolean,
): Quote[] {
  const candidates = indexes
    .filter((index) => allowed(answers[index] as AnswerRecord))
    // Answers of a readable length first, then the earliest: stable for the same records.
    .sort((left, right) => {
      const a = answers[left] as AnswerRecord;
      const b = answers[right] as AnswerRecord;
      return Math.abs(a.text.length - 120) - Math.abs(b.text.length - 120) || byTimeThenId(a, b);
    });
  const quotes: Quote[] = [];
  const usedClusters = new Set<number>();
  const usedPeople = new Set<string>();
  for (const index of candidates) {
    if (quotes.length >= MAX_QUOTES_PER_THEME) break;
    const answer = answers[index] as AnswerRecord;
    if (usedClusters.has(clusterOf[index] as number)) continue;
    if (answer.userId && usedPeople.has(answer.userId)) continue;
    usedClusters.add(clusterOf[index] as number);
    if (answer.userId) usedPeople.add(answer.userId);
    quotes.push({
      sourceId: answer.id,
      text: fold(sentenceAbout(answer.text, term), QUOTE_LENGTH),
      link: answer.link,
    });
  }
  return quotes;
}

function toneOf(answers: readonly AnswerRecord[], indexes: readonly number[]): Theme['tone'] {
  const scores = indexes.map((index) => (answers[index] as AnswerRecord).sentiment ?? 0);
  const mean = scores.reduce((sum, score) => sum + score, 0) / Math.max(1, scores.length);
  if (mean >= 0.2) return 'positive';
  if (mean <= -0.2) return 'negative';
  return 'mixed';
}

/** How many of a week's answers used any of a theme's terms; several words of one meaning in one
 *  answer are counted once as far as the week's totals can tell (never more than the week's answers). */
function countIn(week: WeekSummary, members: readonly string[]): number {
  let count = 0;
  for (const member of members) count += week.termAnswers.get(member) ?? 0;
  return Math.min(count, week.answers);
}

/** The largest share of a week's answers the theme reached before, in a week it was more than a passing
 *  mention. Rising means a new high: a word that comes and goes week to week is not rising just because
 *  this is one of its busier weeks; but one mention in a week of two answers is not a high to beat. */
function highestShare(members: readonly string[], history: readonly WeekSummary[]): number {
  return Math.max(
    0,
    ...history.map((week) => {
      const count = countIn(week, members);
      return count >= MIN_THEME_VOICES ? count / week.answers : 0;
    }),
  );
}

/** Consecutive earlier weeks, most recent first, in which the theme held. */
function streak(members: readonly string[], history: readonly WeekSummary[]): number {
  let weeks = 0;
  for (let index = history.length - 1; index >= 0; index -= 1) {
    const week = history[index] as WeekSummary;
    if (!holds(countIn(week, members), week.answers)) break;
    weeks += 1;
  }
  return weeks;
}

/** Only words at least this rare are joined by meaning: everyday verbs ("ask", "hear", "expect") sit
 *  close together in any word space without being one topic. 0.7 is about the 5,000th commonest word
 *  ("hire" 0.71, "recruitment" 0.76; "ask" 0.60, "transport" 0.61). */
export const SYNONYM_MIN_RARITY = 0.7;
/** Single words compared for meaning: the week's most used, so the comparison stays quick in a busy week. */
const MAX_SYNONYM_CANDIDATES = 300;
/** The texts read again for a theme's label: enough to know which phrase people use most. */
const MAX_LABEL_TEXTS = 40;
/** A topic fills the week when it is in this share of the week's separate answers. */
export const DOMINANT_SHARE = 0.6;

/**
 * Words of one meaning, used in the week, joined into one topic ("recruit", "hire"): the groups of more
 * than one word, commonest first. Phrases are left as they are: they are already specific.
 */
function synonymGroups(stats: ReadonlyMap<string, TermStats>): string[][] {
  const words = [...stats]
    .filter(([term]) => !term.includes(' ') && rarity(term) >= SYNONYM_MIN_RARITY)
    .sort((a, b) => b[1].clusters.size - a[1].clusters.size || (a[0] < b[0] ? -1 : 1))
    .slice(0, MAX_SYNONYM_CANDIDATES)
    .map(([term]) => term);
  // A word joins a group only when it is close to every word already in it: chained likeness
  // ("ask" to "expect" to "glad") is not one meaning.
  const groups: string[][] = [];
  for (const word of words) {
    const group = groups.find((members) =>
      members.every((member) => wordSimilarity(word, member) >= SYNONYM_SIMILARITY),
    );
    if (group) group.push(word);
    else groups.push([word]);
  }
  return groups.filter((members) => members.length > 1);
}

function findThemes(input: DigestInput, answers: readonly AnswerRecord[], history: readonly WeekSummary[]) {
  const termSets = answers.map(termsOf);
  const clusterOf = clusterNearDuplicates(termSets);
  const clusterCount = new Set(clusterOf).size;
  const stats = new Map<string, TermStats>();
  termSets.forEach((terms, index) => {
    const answer = answers[index] as AnswerRecord;
    for (const term of terms) {
      let entry = stats.get(term);
      if (!entry) {
        entry = { clusters: new Set(), answers: [], voices: new Set() };
        stats.set(term, entry);
      }
      entry.clusters.add(clusterOf[index] as number);
      entry.answers.push(index);
      entry.voices.add(answer.userId ?? 'anonymous');
    }
  });
  // Each topic is counted under all the words of its meaning.
  const membersOf = new Map<string, string[]>();
  for (const members of synonymGroups(stats)) {
    const merged: TermStats = { clusters: new Set(), answers: [], voices: new Set() };
    for (const member of members) {
      const entry = stats.get(member) as TermStats;
      for (const cluster of entry.clusters) merged.clusters.add(cluster);
      for (const voice of entry.voices) merged.voices.add(voice);
      merged.answers.push(...entry.answers);
      stats.delete(member);
    }
    merged.answers = [...new Set(merged.answers)].sort((a, b) => a - b);
    const key = members.join(' | ');
    stats.set(key, merged);
    membersOf.set(key, members);
  }
  const members = (term: string) => membersOf.get(term) ?? [term];

  const baselineAnswers = history.reduce((sum, week) => sum + week.answers, 0);
  const baselineTooShort = baselineAnswers < MIN_BASELINE_ANSWERS;
  const baselineCount = (term: string) =>
    history.reduce((sum, week) => sum + countIn(week, members(term)), 0);
  const namedVoices = new Set(answers.flatMap((answer) => (answer.userId ? [answer.userId] : []))).size;
  const weekVoices = namedVoices + (answers.some((answer) => answer.userId === null) ? 1 : 0);
  const allowed = (answer: AnswerRecord) =>
    mayQuote(answer, namedVoices, input.privacy.minVoicesForAnonymousQuotes);
  // "Raised privately" says that only private and anonymous answers carry a theme: said only when enough
  // people answered that week that none of them can be picked out by it.
  const privatelyTold = namedVoices >= Math.max(3, input.privacy.minVoicesForAnonymousQuotes);

  type Candidate = Omit<Theme, 'quotes' | 'tone' | 'evidence' | 'label'> & {
    indexes: number[];
    clusters: Set<number>;
  };
  const rising: Candidate[] = [];
  const dominant: Candidate[] = [];
  const persistent: Candidate[] = [];
  // A topic in most of the week's answers is worth saying whatever the test can tell: from three
  // people or more, or from both of the two who answered, even in two answers, since that is all the
  // week holds. Whether it is what they usually write about is judged below.
  const fillsWeek = (entry: TermStats) =>
    entry.clusters.size / clusterCount >= DOMINANT_SHARE &&
    ((entry.voices.size >= MIN_EMERGING_VOICES && entry.clusters.size >= MIN_THEME_ANSWERS) ||
      (weekVoices === MIN_THEME_VOICES &&
        entry.voices.size === weekVoices &&
        entry.clusters.size >= MIN_THEME_VOICES));
  const supported = [...stats].filter(
    ([, entry]) =>
      (entry.clusters.size >= MIN_THEME_ANSWERS && entry.voices.size >= MIN_THEME_VOICES) || fillsWeek(entry),
  );
  // Only terms with enough answers and voices can be called new or rising, so only they count as tests
  // (Tarone's refinement of Bonferroni: a term that could never qualify spends none of the 5%).
  const testable = supported.filter(([, entry]) => entry.voices.size >= MIN_EMERGING_VOICES).length;
  const critical = criticalLogLikelihood(testable, THEME_FAMILY_ALPHA, MIN_CRITICAL_G2);
  for (const [term, entry] of supported) {
    const count = entry.clusters.size;
    const before = baselineCount(term);
    const g2 = signedLogLikelihood(count, clusterCount, before, baselineAnswers);
    const share = count / clusterCount;
    const baselineShare = baselineAnswers > 0 ? before / baselineAnswers : 0;
    const base = {
      term,
      weeks: 1,
      answers: count,
      voices: entry.voices.size,
      everyone: entry.voices.size === weekVoices,
      share,
      baselineShare,
      g2,
      raisedPrivately:
        privatelyTold && !entry.answers.some((index) => (answers[index] as AnswerRecord).kind === 'thread'),
      indexes: entry.answers,
      clusters: entry.clusters,
    };
    const newHigh =
      share >= RISING_MIN_RATE_RATIO * baselineShare && share > highestShare(members(term), history);
    const significant = !baselineTooShort && g2 >= critical && entry.voices.size >= MIN_EMERGING_VOICES;
    if (significant && before <= NEW_THEME_BASELINE_MAX) rising.push({ ...base, trend: 'new' });
    else if (significant && newHigh) rising.push({ ...base, trend: 'rising' });
    else if (
      // A topic can fill a week the test cannot call: too few weeks to judge against, or only two people.
      fillsWeek(entry) &&
      (baselineTooShort || (newHigh && entry.voices.size < MIN_EMERGING_VOICES))
    )
      dominant.push({ ...base, trend: 'dominant' });
    else if (holds(count, clusterCount)) {
      const weeks = streak(members(term), history) + 1;
      if (weeks >= 3) persistent.push({ ...base, trend: 'persistent', weeks });
    }
  }

  // Fading: held in most recent weeks, and this week clearly less.
  const fading: Candidate[] = [];
  const recent = history.slice(-4);
  const candidatesForFading = new Set<string>();
  for (const week of recent)
    for (const [term, count] of week.termAnswers)
      if (holds(count, week.answers)) candidatesForFading.add(term);
  for (const term of candidatesForFading) {
    const heldWeeks = recent.filter((week) => holds(week.termAnswers.get(term) ?? 0, week.answers)).length;
    if (heldWeeks < 3) continue;
    const entry = stats.get(term);
    const count = entry?.clusters.size ?? 0;
    if (holds(count, clusterCount)) continue;
    const before = baselineCount(term);
    const g2 = signedLogLikelihood(count, clusterCount, before, baselineAnswers);
    if (clusterCount === 0 || g2 > -FADING_CRITICAL_G2) continue;
    fading.push({
      term,
      trend: 'fading',
      weeks: heldWeeks,
      answers: count,
      voices: entry?.voices.size ?? 0,
      everyone: false,
      share: clusterCount > 0 ? count / clusterCount : 0,
      baselineShare: baselineAnswers > 0 ? before / baselineAnswers : 0,
      g2,
      raisedPrivately: false,
      indexes: entry?.answers ?? [],
      clusters: entry?.clusters ?? new Set(),
    });
  }

  const byPhraseFirst = (a: Candidate, b: Candidate) =>
    b.term.split(' ').length - a.term.split(' ').length || (a.term < b.term ? -1 : 1);
  const ordered = [
    ...rising.sort((a, b) => b.g2 - a.g2 || byPhraseFirst(a, b)),
    ...dominant.sort((a, b) => b.share - a.share || b.g2 - a.g2 || byPhraseFirst(a, b)).slice(0, 1),
    ...persistent.sort((a, b) => b.weeks - a.weeks || b.answers - a.answers || byPhraseFirst(a, b)),
    ...fading.sort((a, b) => a.g2 - b.g2 || byPhraseFirst(a, b)),
  ];
  const accepted: Candidate[] = [];
  for (const candidate of ordered) {
    if (accepted.length >= MAX_THEMES) break;
    const overlaps = accepted.some((theme) => {
      if (theme.trend === 'fading' || candidate.trend === 'fading') {
        const words = new Set(theme.term.split(' '));
        return (
          candidate.term.split(' ').every((word) => words.has(word)) ||
          theme.term.split(' ').every((word) => candidate.term.split(' ').includes(word))
        );
      }
      let shared = 0;
      for (const cluster of candidate.clusters) if (theme.clusters.has(cluster)) shared += 1;
      return shared / candidate.clusters.size >= THEME_OVERLAP_LIMIT;
    });
    if (!overlaps) accepted.push(candidate);
  }

  const earlierUse = (key: string) =>
    history.reduce((sum, week) => sum + (week.termAnswers.get(key) ?? 0), 0);
  const themes: Theme[] = [];
  for (const { indexes, clusters: _clusters, ...theme } of accepted) {
    const words = new Set(members(theme.term).flatMap((term) => term.split(' ')));
    const texts = indexes
      .slice(0, MAX_LABEL_TEXTS)
      .map((index) => clausesOf((answers[index] as AnswerRecord).text));
    const label =
      mostUsedPhrase(texts, (key) => key.split(/[ -]/).some((word) => words.has(word)), earlierUse, {
        companion: true,
      }) ?? (members(theme.term)[0] as string);
    // Two terms of one topic ("referral", "backlog") can pass apart; the reader sees one theme.
    if (themes.some((other) => other.label === label)) continue;
    themes.push({
      ...theme,
      label,
      tone: toneOf(answers, indexes),
      evidence: indexes.map((index) => (answers[index] as AnswerRecord).id),
      quotes: chooseQuotes(answers, indexes, clusterOf, members(theme.term)[0] as string, allowed),
    });
  }
  return { themes, baselineTooShort };
}

// ---- reviews ----

export interface ChallengeSource {
  id: string;
  loop: string;
  kind: 'review' | 'afterAction';
  idea: Idea;
  text: string;
  createdAt: Date;
  link: MessageRef | null;
}

/**
 * Each clause of an anticipated challenge, and each cause that got in the way, from `since` on, grouped
 * with the earlier ones of the same meaning; groups and their members oldest first.
 */
export function groupChallenges(
  reviews: readonly Pick<ReviewRecord, 'id' | 'anticipatedChallenges' | 'createdAt' | 'link'>[],
  afterActions: readonly Pick<AfterActionRecord, 'id' | 'reviewId' | 'whyDifferent' | 'createdAt' | 'link'>[],
  since: number,
): ChallengeSource[][] {
  const sources: ChallengeSource[] = [
    ...reviews
      .filter((review) => review.createdAt.getTime() >= since && review.anticipatedChallenges.trim())
      .flatMap((review) =>
        ideasOf(review.anticipatedChallenges).map((idea) => ({
          id: review.id,
          loop: review.id,
          kind: 'review' as const,
          idea,
          text: review.anticipatedChallenges,
          createdAt: review.createdAt,
          link: review.link,
        })),
      ),
    ...afterActions
      .filter((after) => after.createdAt.getTime() >= since && after.whyDifferent.trim())
      .flatMap((after) =>
        ideasOf(after.whyDifferent)
          .filter((idea) => idea.polarity === 'got_in_the_way')
          .map((idea) => ({
            id: after.id,
            loop: after.reviewId ?? after.id,
            kind: 'afterAction' as const,
            idea,
            text: after.whyDifferent,
            createdAt: after.createdAt,
            link: after.link,
          })),
      ),
  ].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : 1));

  const groups: ChallengeSource[][] = [];
  for (const source of sources) {
    const group = groups.find((members) =>
      sameChallenge((members[0] as ChallengeSource).idea.words, source.idea.words),
    );
    if (group) group.push(source);
    else groups.push([source]);
  }
  return groups;
}

/** A challenge named by the phrase the team used most for it. */
export function challengeLabel(group: readonly ChallengeSource[]): string {
  return (
    mostUsedPhrase(
      group.map((source) => source.idea.clauses),
      () => true,
      () => 0,
      { companion: true },
    ) ?? (group[0] as ChallengeSource).idea.text
  );
}

/**
 * Challenges that keep coming back: each clause of an anticipated challenge, and each cause that got in
 * the way, grouped with the earlier ones of the same meaning. A group recurs when it spans three loops in
 * two different weeks.
 */
function findRecurringChallenges(input: DigestInput): RecurringChallenge[] {
  const since = input.window.end.getTime() - RECURRING_WINDOW_DAYS * 86_400_000;
  const groups = groupChallenges(input.reviews, input.afterActions, since);

  const weekOf = (date: Date) => Math.floor((input.window.end.getTime() - date.getTime()) / (7 * 86_400_000));
  const statusOrder: Record<ChallengeStatus, number> = { first: 0, again: 1, circling: 2 };
  const recurring = groups
    .map((found) => {
      const loops = new Set(found.map((source) => source.loop));
      const before = new Set(
        found.filter((source) => source.createdAt < input.window.start).map((source) => source.loop),
      );
      const thisWeek = found.filter((source) => inWindow(source.createdAt, input.window));
      const status: ChallengeStatus =
        thisWeek.length === 0 ? 'circling' : before.size < RECURRING_MIN_LOOPS ? 'first' : 'again';
      return {
        found,
        loops,
        thisWeek,
        status,
        weeks: new Set(found.map((source) => weekOf(source.createdAt))).size,
      };
    })
    .filter((entry) => entry.loops.size >= RECURRING_MIN_LOOPS && entry.weeks >= RECURRING_MIN_WEEKS)
    .sort(
      (a, b) =>
        statusOrder[a.status] - statusOrder[b.status] ||
        b.loops.size - a.loops.size ||
        (a.found[0] as ChallengeSource).createdAt.getTime() -
          (b.found[0] as ChallengeSource).createdAt.getTime(),
    )
    .slice(0, MAX_RECURRING_CHALLENGES);

  return recurring.map((entry) => {
    const label = challengeLabel(entry.found);
    // This week's words first, so the thread shows what is new rather than the same quotes every week.
    const newestFirst = (sources: readonly ChallengeSource[]) => [...sources].reverse();
    const quoted = [
      ...newestFirst(entry.thisWeek),
      ...newestFirst(entry.found.filter((source) => !entry.thisWeek.includes(source))),
    ]
      .filter((source, index, all) => all.findIndex((other) => other.id === source.id) === index)
      .slice(0, MAX_QUOTES_PER_THEME);
    return {
      label,
      status: entry.status,
      loops: entry.loops.size,
      weeks: entry.weeks,
      evidence: {
        reviews: [
          ...new Set(entry.found.filter((source) => source.kind === 'review').map((source) => source.id)),
        ],
        afterActions: [
          ...new Set(
            entry.found.filter((source) => source.kind === 'afterAction').map((source) => source.id),
          ),
        ],
      },
      quotes: quoted.map((source) => ({
        sourceId: source.id,
        text: fold(source.idea.text, QUOTE_LENGTH),
        link: source.link,
      })),
    };
  });
}

function inWindow(date: Date, window: DigestInput['window']): boolean {
  return date >= window.start && date < window.end;
}

function hypothesisLedger(input: DigestInput): DigestAnalysis['hypotheses'] & { strengths: Strength[] } {
  const closed = input.afterActions
    .filter((after) => inWindow(after.createdAt, input.window))
    .sort(byTimeThenId);
  const verdicts = Object.fromEntries(VERDICT_LIST.map((verdict) => [verdict, 0])) as Record<Verdict, number>;
  for (const after of closed) if (after.verdict) verdicts[after.verdict] += 1;
  const reviews = new Map(input.reviews.map((review) => [review.id, review]));
  const surprises: Surprise[] = [];
  const strengths: Strength[] = [];
  for (const after of closed) {
    if (!after.whyDifferent.trim()) continue;
    const causes = ideasOf(after.whyDifferent);
    for (const idea of causes.filter((cause) => cause.polarity === 'went_well'))
      strengths.push({
        sourceId: after.id,
        text: fold(idea.text.replace(/[.!]+$/, ''), QUOTE_LENGTH),
        link: after.link,
      });
    const review = after.reviewId ? reviews.get(after.reviewId) : undefined;
    if (!review) continue;
    // Judged idea by idea: "the venue was double-booked and we moved rooms" holds a surprise even
    // though the review had worried about the room.
    const challenges = ideasOf(review.anticipatedChallenges);
    const surprising = causes
      .filter((cause) => cause.polarity === 'got_in_the_way' && !foreseen(cause, challenges))
      .flatMap((cause) => cause.words);
    if (surprising.length === 0) continue;
    const planned = new Set(
      clausesOf([review.intendedResults, review.successFactors, review.hypothesis, review.action].join('. '))
        .flatMap((clause) => clause.words)
        .flatMap((word) => word.lemmas),
    );
    const unplanned = surprising.filter((word) => !word.lemmas.every((lemma) => planned.has(lemma)));
    surprises.push({
      afterActionId: after.id,
      reviewId: review.id,
      action: review.action,
      unanticipated: tellingWords(unplanned.length > 0 ? unplanned : surprising, 4),
      quote: { sourceId: after.id, text: fold(after.whyDifferent, QUOTE_LENGTH), link: after.link },
    });
  }
  return {
    verdicts,
    closed: closed.map((after) => ({
      afterActionId: after.id,
      action: after.action,
      verdict: after.verdict,
      link: after.link,
    })),
    surprises: surprises.slice(0, MAX_SURPRISES),
    strengths: strengths.slice(0, MAX_STRENGTHS),
  };
}

// ---- voices and skips ----

function voicesOverTime(
  input: DigestInput,
  current: WeekSummary,
  history: readonly WeekSummary[],
): DigestAnalysis['voices'] {
  const weeks = [...weeksSinceSetUp(history, input.setUpAt), current].map((week) => ({
    start: week.start,
    voices: week.voices,
    anonymous: week.anonymous,
  }));
  const drop = breadthDrop({ current, history: judgedWeeks(history, input.setUpAt) });
  return { weeks, drop: drop ? { current: drop.current, usual: drop.usual } : null };
}

function skipSpikes(input: DigestInput, history: readonly WeekSummary[]): DigestAnalysis['skipSpikes'] {
  const judged = judgedWeeks(history, input.setUpAt);
  return SKIP_REASON_LIST.flatMap((reason) => {
    const spike = skipSpike(
      reason,
      input.skips[reason] ?? 0,
      judged.map((week) => week.skips[reason] ?? 0),
    );
    return spike ? [{ reason, count: spike.count, usual: spike.usual }] : [];
  });
}

// ---- the whole digest ----

export function analyseDigest(input: DigestInput): DigestAnalysis {
  const answers = input.answers
    .filter((answer) => inWindow(answer.createdAt, input.window))
    .sort(byTimeThenId);
  const history = input.history.slice(-BASELINE_WEEKS);
  const current = summariseWeek(input.window.start, answers, input.skips);
  const { themes, baselineTooShort } = findThemes(input, answers, history);
  const ledger = hypothesisLedger(input);

  const skips = Object.fromEntries(
    SKIP_REASON_LIST.map((reason) => [reason, input.skips[reason] ?? 0]),
  ) as Record<SkipReason, number>;
  const openLoops = input.reviews
    .filter((review) => review.status === 'open' && review.lookBackOn < input.today)
    .sort((a, b) =>
      a.lookBackOn < b.lookBackOn ? -1 : a.lookBackOn > b.lookBackOn ? 1 : a.id < b.id ? -1 : 1,
    );
  const barsOpened = input.reviews.filter((review) => inWindow(review.createdAt, input.window));
  const aarsClosed = input.afterActions.filter((after) => inWindow(after.createdAt, input.window));

  const evidenced = new Set<string>();
  for (const record of [...answers, ...barsOpened, ...aarsClosed])
    if (record.questionId) evidenced.add(record.questionId);
  const quietQuestions = input.questions.filter((question) => !evidenced.has(question.id));

  const notes = [...input.notes]
    .sort(byTimeThenId)
    .slice(0, MAX_NOTES)
    .map((note) => ({ sourceId: note.id, text: fold(note.text, QUOTE_LENGTH), link: note.link }));

  const skipped = SKIP_REASON_LIST.reduce((sum, reason) => sum + skips[reason], 0);
  const quiet =
    answers.length === 0 &&
    barsOpened.length === 0 &&
    aarsClosed.length === 0 &&
    skipped === 0 &&
    notes.length === 0 &&
    openLoops.length === 0;

  return {
    window: input.window,
    numbers: {
      answers: answers.length,
      voices: current.voices,
      anonymousAnswers: current.anonymous,
      members: input.members,
      barsOpened: barsOpened.length,
      aarsClosed: aarsClosed.length,
      openLoopsPastLookBack: openLoops.length,
      skips,
    },
    themes,
    baselineTooShort,
    recurringChallenges: findRecurringChallenges(input),
    hypotheses: { verdicts: ledger.verdicts, closed: ledger.closed, surprises: ledger.surprises },
    strengths: ledger.strengths,
    quietQuestions,
    voices: voicesOverTime(input, current, history),
    skipSpikes: skipSpikes(input, history),
    notes,
    openLoops: openLoops.slice(0, MAX_OPEN_LOOPS_LISTED).map((review) => ({
      id: review.id,
      action: review.action,
      lookBackOn: review.lookBackOn,
      link: review.link,
    })),
    quiet,
  };
}
