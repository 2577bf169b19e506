/**
 * Breadth of voices and skip spikes, judged against the channel's own weeks. Pure: counts in, verdicts out.
 *
 * Both answer one question: is this week's count beyond what this channel's ordinary weeks produce? Each is
 * a single test at p < 0.01, the same false-alarm budget a single theme gets (MIN_CRITICAL_G2 in analyse.ts).
 */

import { median, poissonUpperTail } from './stats.js';

/** The false-alarm budget of each test: p < 0.01, as for a single theme term. */
export const PARTICIPATION_P = 0.01;
/** Weeks of history since set-up, each with something in it, before a drop or a spike is judged. */
export const MIN_JUDGED_WEEKS = 4;
/** A skip count is a spike only if there are at least this many: two skips are never a pattern in themselves. */
export const SKIP_SPIKE_MIN = 3;
/** A channel that never skipped still has some chance of it; this floor keeps one odd week from "spiking". */
export const SKIP_MEAN_FLOOR = 0.5;

const WEEK_MS = 7 * 86_400_000;

/** What the judgements need of a week: its start, who answered, and its skips. */
export interface ParticipationWeek {
  start: Date;
  answers: number;
  /** Distinct named people who answered. */
  voices: number;
  /** Anonymous answers: each may be someone else, or someone already counted. */
  anonymous: number;
  skips: Partial<Record<string, number>>;
}

/**
 * The weeks that end after the channel was set up: a week before it is not a quiet week, only one the app
 * was not there for. With no set-up time known, every week is kept.
 */
export function weeksSinceSetUp<Week extends { start: Date }>(
  weeks: readonly Week[],
  setUpAt: Date | null | undefined,
): Week[] {
  if (!setUpAt) return [...weeks];
  return weeks.filter((week) => week.start.getTime() + WEEK_MS > setUpAt.getTime());
}

/**
 * The weeks a judgement may learn from: those since set-up in which someone answered or skipped. A week
 * with neither had no prompt reach anyone (a pause, a holiday, or before set-up when that is not known),
 * so it says nothing about how many people usually speak or skip.
 */
export function judgedWeeks<Week extends ParticipationWeek>(
  history: readonly Week[],
  setUpAt: Date | null | undefined,
): Week[] {
  return weeksSinceSetUp(history, setUpAt).filter(
    (week) => week.answers > 0 || Object.values(week.skips).some((count) => (count ?? 0) > 0),
  );
}

// ---- breadth of voices ----

export interface BreadthDrop {
  /** Named people who answered this week. */
  current: number;
  /** The usual week's named voices (the median of the weeks judged against), to the nearest person. */
  usual: number;
  /** How often an ordinary week of this channel has as few voices or fewer. */
  p: number;
}

/**
 * A drop in breadth: this week's voices, tested against the channel's own weeks.
 *
 * The test. Each week some of the channel's people answer: the count is modelled as binomial over N people
 * with the rate pooled over the weeks judged (Jeffreys-smoothed, so weeks of everyone answering do not
 * make one absence impossible), and a drop is claimed when P(X ≤ this week) < PARTICIPATION_P.
 *
 * N is the most voices any judged week has had, not the channel's members: members who never answer (a
 * manager reading along, a second bot) are not at risk of going quiet, and counting them makes the
 * binomial wider than the channel's own weeks ever are. In a channel of ten where five to seven answer,
 * three would then have p ≈ 0.04 and a real drop could never be told.
 *
 * Overdispersion. People are not independent coins: a holiday or a busy week takes several away at once,
 * so a team can vary more from week to week than a binomial allows. Two guards keep such a team quiet:
 * - when the weeks judged spread more than the binomial says, it is widened into a beta-binomial with that
 *   spread (the method-of-moments intra-class correlation of the weekly counts);
 * - and the count must be below the lowest week seen as well: a spread estimated from four to eight weeks
 *   can be well short of the true one, and a week as low as one the channel has already had is not news.
 *
 * Anonymous answers may each be a different person, so this week is counted at its most (named voices plus
 * anonymous answers) and the weeks before at their least (named voices): a drop is claimed only if it holds
 * even then. On 2,000 ordinary weeks of the synthetic teams the tests use, this raised one alarm.
 */
export function breadthDrop(params: {
  current: Pick<ParticipationWeek, 'voices' | 'anonymous'>;
  history: readonly Pick<ParticipationWeek, 'answers' | 'voices'>[];
}): BreadthDrop | null {
  // A week in which nobody answered (everyone skipped, or no prompt went out) was a week off, not a
  // narrow one: it would only make every later week look ordinary.
  const spoken = params.history.filter((week) => week.answers > 0);
  if (spoken.length < MIN_JUDGED_WEEKS) return null;
  const counts = spoken.map((week) => week.voices);
  const { current } = params;
  const people = Math.max(...counts);
  const thisWeek = current.voices + current.anonymous;
  if (people < 2 || thisWeek >= Math.min(...counts)) return null;

  const total = counts.reduce((sum, count) => sum + count, 0);
  const rate = (total + 0.5) / (counts.length * people + 1);
  const mean = total / counts.length;
  const spread = counts.reduce((sum, count) => sum + (count - mean) ** 2, 0) / (counts.length - 1);
  const binomialSpread = people * rate * (1 - rate);
  const correlation = Math.min(0.99, Math.max(0, (spread / binomialSpread - 1) / (people - 1)));
  const p = betaBinomialLowerTail(thisWeek, people, rate, correlation);
  if (p >= PARTICIPATION_P) return null;
  return { current: current.voices, usual: Math.round(median(counts)), p };
}

/**
 * P(X ≤ k) for X beta-binomial over n trials with mean rate `rate` and intra-class correlation
 * `correlation` (0 gives the binomial). Summed term by term from P(X = 0), in logs, so a large channel
 * neither overflows nor loses the small tail.
 */
export function betaBinomialLowerTail(k: number, n: number, rate: number, correlation: number): number {
  if (k < 0) return 0;
  if (k >= n) return 1;
  const logTerms: number[] = [];
  if (correlation <= 0) {
    if (rate <= 0) return 1;
    if (rate >= 1) return 0;
    let log = n * Math.log(1 - rate);
    logTerms.push(log);
    for (let i = 0; i < k; i += 1) {
      log += Math.log((n - i) / (i + 1)) + Math.log(rate / (1 - rate));
      logTerms.push(log);
    }
  } else {
    const precision = (1 - correlation) / correlation;
    const alpha = rate * precision;
    const beta = (1 - rate) * precision;
    // P(X = 0) = B(α, n + β) / B(α, β) = Π (β + j) / (α + β + j), then the ratio of successive terms.
    let log = 0;
    for (let j = 0; j < n; j += 1) log += Math.log((beta + j) / (alpha + beta + j));
    logTerms.push(log);
    for (let i = 0; i < k; i += 1) {
      log += Math.log(((n - i) * (alpha + i)) / ((i + 1) * (beta + n - i - 1)));
      logTerms.push(log);
    }
  }
  return Math.min(
    1,
    logTerms.reduce((sum, log) => sum + Math.exp(log), 0),
  );
}

// ---- skips ----

export interface SkipSpike {
  count: number;
  /** The usual week's skips for the reason: the mean over the weeks judged against, to one decimal. */
  usual: number;
  p: number;
}

/**
 * A spike in skips for one reason: this week's count against a Poisson with the channel's weekly mean over
 * the weeks judged (floored, so a channel that never skipped is not startled by its first few), claimed
 * when P(X ≥ count) < PARTICIPATION_P and there are at least SKIP_SPIKE_MIN of them.
 */
export function skipSpike(count: number, history: readonly number[]): SkipSpike | null {
  if (history.length < MIN_JUDGED_WEEKS || count < SKIP_SPIKE_MIN) return null;
  const mean = history.reduce((sum, skips) => sum + skips, 0) / history.length;
  const p = poissonUpperTail(count, Math.max(mean, SKIP_MEAN_FLOOR));
  return p < PARTICIPATION_P ? { count, usual: Math.round(mean * 10) / 10, p } : null;
}
