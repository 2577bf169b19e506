/**
 * Breadth of voices and skip spikes, judged against the channel's own weeks. Pure: counts in, verdicts out.
 *
 * Both answer one question: is this week's count beyond what this channel's ordinary weeks produce? Each is
 * held to p < 0.01, the same false-alarm budget a single theme gets (MIN_CRITICAL_G2 in analyse.ts): the
 * drop as one test, the skips as one family of four reasons.
 */

import { SKIP_REASONS, type SkipReason } from '../../db/schema.js';
import { median } from './stats.js';

/** The false-alarm budget of the drop, and of the skips together: p < 0.01, as for a single theme term. */
export const PARTICIPATION_P = 0.01;
/** Weeks of history since set-up, each with something in it, before a drop or a spike is judged. */
export const MIN_JUDGED_WEEKS = 4;
/**
 * The budget of each skip reason. The digest judges all four every week, so PARTICIPATION_P is split among
 * them (a weighted Bonferroni split: the skips as a whole raise no more false alarms than one test). "Not
 * safe to say" has half of it: it is the one reason that speaks of the channel's safety, and a steward who
 * misses it loses more than one who is shown three that came by chance. The other three share the rest.
 */
export const SKIP_REASON_P: Readonly<Record<SkipReason, number>> = Object.fromEntries(
  SKIP_REASONS.map((reason) => [
    reason,
    reason === 'not_safe' ? PARTICIPATION_P / 2 : PARTICIPATION_P / 2 / (SKIP_REASONS.length - 1),
  ]),
) as Record<SkipReason, number>;
/** A skip count is a spike only if there are at least this many: two skips are never a pattern in themselves. */
export const SKIP_SPIKE_MIN = 3;
/**
 * The Jeffreys prior on a weekly skip rate, Gamma(1/2, 0): what a channel's weeks are taken to say before
 * any are seen. It lets a channel that never skipped for a reason still have some chance of it.
 */
export const SKIP_RATE_PRIOR = 0.5;

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
  /** The usual week's named voices (the median of the ordinary weeks judged against), to the nearest person. */
  usual: number;
  /** How often an ordinary week of this channel has as few voices or fewer. */
  p: number;
}

/**
 * A drop in breadth: this week's voices, tested against the channel's ordinary weeks.
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
 * - and the count must be below the lowest week judged against as well: a spread estimated from four to
 *   eight weeks can be well short of the true one, and a week as low as one the channel has already had is
 *   not news.
 *
 * Ordinary weeks. An earlier week lower than this one that was itself a drop is not judged against (see
 * ordinaryVoices): left in, one earlier drop widens the spread and lowers the floor so far that no later
 * drop could be told.
 *
 * Anonymous answers may each be a different person, so this week is counted at its most (named voices plus
 * anonymous answers) and the weeks before at their least (named voices): a drop is claimed only if it holds
 * even then. On 3,600 ordinary weeks of the bank's quiet teams drawn afresh, this raised 10 alarms (0.3%).
 */
export function breadthDrop(params: {
  current: Pick<ParticipationWeek, 'voices' | 'anonymous'>;
  history: readonly Pick<ParticipationWeek, 'answers' | 'voices' | 'anonymous'>[];
}): BreadthDrop | null {
  // A week in which nobody answered (everyone skipped, or no prompt went out) was a week off, not a
  // narrow one: it would only make every later week look ordinary.
  const spoken = params.history.filter((week) => week.answers > 0);
  if (spoken.length < MIN_JUDGED_WEEKS) return null;
  const { current } = params;
  const thisWeek = current.voices + current.anonymous;
  const ordinary = ordinaryVoices(spoken, thisWeek);
  const p = dropTail(thisWeek, ordinary);
  if (p === null || p >= PARTICIPATION_P) return null;
  return { current: current.voices, usual: Math.round(median(ordinary)), p };
}

/**
 * The named voices of the weeks a drop of this week's count is judged against. The lowest week is set
 * aside when it is below this week and, judged by the same test against the others, it would have been a
 * drop itself; and so on with the next lowest while one is and MIN_JUDGED_WEEKS remain. A week out of the
 * ordinary says nothing about the ordinary spread, as a control chart leaves out its points out of control
 * before setting its limits. A week only stands out when it is below every other: two weeks as low as each
 * other are a pattern of the channel's own, and both stay, as a week as low as this one does. The week set
 * aside is counted at its most (named voices plus anonymous answers), so it is set aside only if it was a
 * drop even then.
 */
export function ordinaryVoices(
  weeks: readonly Pick<ParticipationWeek, 'voices' | 'anonymous'>[],
  thisWeek: number,
): number[] {
  const ordinary = [...weeks];
  while (ordinary.length > MIN_JUDGED_WEEKS) {
    const lowest = ordinary.reduce((low, week) => (week.voices < low.voices ? week : low));
    if (lowest.voices >= thisWeek) break;
    const others = ordinary.filter((week) => week !== lowest);
    const p = dropTail(
      lowest.voices + lowest.anonymous,
      others.map((week) => week.voices),
    );
    if (p === null || p >= PARTICIPATION_P) break;
    ordinary.splice(ordinary.indexOf(lowest), 1);
  }
  return ordinary.map((week) => week.voices);
}

/**
 * P(X ≤ count) against the weeks' named voices (see breadthDrop), or null when the count is no lower than
 * the lowest of them or there are too few people to tell.
 */
function dropTail(count: number, weeks: readonly number[]): number | null {
  const people = Math.max(...weeks);
  if (people < 2 || count >= Math.min(...weeks)) return null;
  const total = weeks.reduce((sum, voices) => sum + voices, 0);
  const rate = (total + 0.5) / (weeks.length * people + 1);
  const mean = total / weeks.length;
  const spread = weeks.reduce((sum, voices) => sum + (voices - mean) ** 2, 0) / (weeks.length - 1);
  const binomialSpread = people * rate * (1 - rate);
  const correlation = Math.min(0.99, Math.max(0, (spread / binomialSpread - 1) / (people - 1)));
  return betaBinomialLowerTail(count, people, rate, correlation);
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
 * A spike in skips for one reason: how often a week of this channel would have this many or more, claimed
 * when that is below the reason's budget (SKIP_REASON_P) and there are at least SKIP_SPIKE_MIN of them.
 *
 * Each week's skips for a reason are taken as Poisson with a rate the weeks judged have only estimated:
 * with the Jeffreys prior (SKIP_RATE_PRIOR) and s skips over n weeks the rate is Gamma(s + 1/2, n), and
 * next week's count is then negative binomial (the posterior predictive). That keeps what the weeks do not
 * know. After four weeks without a "not safe to say", three in one week happen by chance 0.27% of the time;
 * after eight weeks with one among them, 0.29%; after four with one, 1.6%, which is no spike. Whatever the
 * channel's true rate, a spike then comes by chance less often than the budget allows (at most 0.92 of it
 * from four weeks on, at any rate up to 300 skips a week). A Poisson at the bare mean would call any first skip impossible; one
 * with its mean floored at 0.5 a week, as before, let three "not safe to say" after any number of quiet
 * weeks pass (1.4%), yet at a true rate near two a week raised twice its 1% in a channel four weeks old.
 * On 3,600 ordinary weeks of the bank's quiet teams drawn afresh, this raised no alarm.
 */
export function skipSpike(reason: SkipReason, count: number, history: readonly number[]): SkipSpike | null {
  if (history.length < MIN_JUDGED_WEEKS || count < SKIP_SPIKE_MIN) return null;
  const total = history.reduce((sum, skips) => sum + skips, 0);
  const p = skipUpperTail(count, total, history.length);
  const usual = Math.round((total / history.length) * 10) / 10;
  return p < SKIP_REASON_P[reason] ? { count, usual, p } : null;
}

/**
 * P(X ≥ count) for next week's skips after `total` skips in `weeks` weeks: negative binomial with
 * r = total + 1/2 and success chance weeks / (weeks + 1), one minus its terms below `count`. Each term is
 * found in logs, so a channel with hundreds of skips a week does not underflow to "never".
 */
export function skipUpperTail(count: number, total: number, weeks: number): number {
  if (count <= 0) return 1;
  const shape = total + SKIP_RATE_PRIOR;
  const logStay = Math.log(weeks / (weeks + 1));
  const logGo = Math.log(1 / (weeks + 1));
  let log = shape * logStay;
  let below = Math.exp(log);
  for (let i = 1; i < count; i += 1) {
    log += Math.log((shape + i - 1) / i) + logGo;
    below += Math.exp(log);
  }
  return Math.max(0, 1 - below);
}
