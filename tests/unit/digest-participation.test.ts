import { describe, expect, it } from 'vitest';
import type { SkipReason } from '../../src/db/schema.js';
import {
  type AnswerRecord,
  analyseDigest,
  type DigestInput,
  type SkipCounts,
  type WeekSummary,
} from '../../src/domain/digest/analyse.js';
import {
  betaBinomialLowerTail,
  breadthDrop,
  MIN_JUDGED_WEEKS,
  ordinaryVoices,
  PARTICIPATION_P,
  SKIP_REASON_P,
  SKIP_SPIKE_MIN,
  skipSpike,
  skipUpperTail,
} from '../../src/domain/digest/participation.js';
import { poissonUpperTail } from '../../src/domain/digest/stats.js';
import { PINNED_NOW } from '../support/factories.js';

const WEEK_MS = 7 * 86_400_000;
const END = PINNED_NOW;
const START = new Date(END.getTime() - WEEK_MS);
const PEOPLE = ['U0ADA', 'U0BEN', 'U0CAL', 'U0DEV', 'U0EVE', 'U0FIN', 'U0GUS', 'U0HAL'];

interface WeekShape {
  voices: number;
  anonymous?: number;
  skips?: SkipCounts;
}

/** Earlier weeks, oldest first, ending where this week starts, in the shape the database counts them. */
function history(weeks: readonly WeekShape[]): WeekSummary[] {
  return weeks.map((week, index) => {
    const anonymous = week.anonymous ?? 0;
    return {
      start: new Date(START.getTime() - (weeks.length - index) * WEEK_MS),
      answers: week.voices + anonymous,
      voices: week.voices,
      anonymous,
      termAnswers: new Map(),
      skips: week.skips ?? {},
    };
  });
}

/** This week: one answer from each of the first `voices` people, and `anonymous` answers without a name. */
function thisWeek(voices: number, anonymous = 0): AnswerRecord[] {
  const named = PEOPLE.slice(0, voices).map((userId, index) => ({ userId, index }));
  const hidden = Array.from({ length: anonymous }, (_, index) => ({ userId: null, index: voices + index }));
  return [...named, ...hidden].map(({ userId, index }) => ({
    id: `answer-${index}`,
    kind: userId ? 'thread' : 'anonymous',
    userId,
    text: 'We finished the garden beds.',
    createdAt: new Date(START.getTime() + (index + 1) * 3_600_000),
    questionId: null,
    quotable: false,
    link: null,
  }));
}

function digestInput(overrides: Partial<DigestInput>): DigestInput {
  return {
    window: { start: START, end: END },
    today: '2026-11-21',
    answers: [],
    history: [],
    reviews: [],
    afterActions: [],
    skips: {},
    notes: [],
    questions: [],
    members: PEOPLE.length,
    privacy: { minVoicesForAnonymousQuotes: 3 },
    ...overrides,
  };
}

const voicesOf = (voices: readonly number[]) => history(voices.map((count) => ({ voices: count })));

function dropAfter(earlier: readonly number[], voices: number, anonymous = 0) {
  return analyseDigest(digestInput({ history: voicesOf(earlier), answers: thisWeek(voices, anonymous) }))
    .voices.drop;
}

describe('breadth of voices', () => {
  it('calls 4 of 8 an ordinary week after three or more ordinary weeks of 5 to 8 voices', () => {
    for (const earlier of [
      [7, 7, 7],
      [8, 5, 7, 7],
      [5, 8, 6, 7],
      [5, 6, 7, 8, 5, 6, 7, 8],
      [8, 8, 5, 7, 6, 7, 5, 8],
    ])
      expect(dropAfter(earlier, 4), `after ${earlier.join(', ')}`).toBeNull();
  });

  it('finds a real drop: 2 of 8 after weeks of 7 or 8', () => {
    expect(dropAfter([7, 8, 7, 8], 2)).toEqual({ current: 2, usual: 8 });
    expect(dropAfter([8, 7, 8, 7, 7, 8, 8, 7], 2)).toEqual({ current: 2, usual: 8 });
    expect(dropAfter([7, 7, 8, 7, 7, 7], 3)).toEqual({ current: 3, usual: 7 });
  });

  it('claims no drop that anonymous answers could explain, since each may be someone else', () => {
    expect(dropAfter([7, 8, 7, 8], 2, 5)).toBeNull();
    expect(dropAfter([7, 8, 7, 8], 2, 1)).toEqual({ current: 2, usual: 8 });
  });

  it('stays quiet for a team whose weekly voices genuinely swing, and not for a steady one', () => {
    // A plain binomial would call 2 after these weeks a drop (p ≈ 0.0004); their own spread says otherwise.
    expect(dropAfter([3, 8, 8, 8, 3, 8, 8, 8], 2)).toBeNull();
    expect(dropAfter([6, 5, 6, 6, 5, 6, 5, 6], 2)).toEqual({ current: 2, usual: 6 });
  });

  it('is never claimed at a count the channel has already had', () => {
    expect(dropAfter([8, 8, 8, 2, 8, 8, 8, 8], 2)).toBeNull();
    expect(dropAfter([7, 8, 6, 8, 7, 4, 8, 7], 4)).toBeNull();
  });

  it('finds a second drop: an earlier, deeper drop does not make this one ordinary', () => {
    // Left in, the week of 2 would widen the spread and set the floor at 2: no drop could be told again.
    expect(dropAfter([8, 8, 8, 2, 8, 8, 8, 8], 3)).toEqual({ current: 3, usual: 8 });
    expect(dropAfter([8, 8, 8, 2, 8, 8, 8, 8], 4)).toEqual({ current: 4, usual: 8 });
    expect(dropAfter([9, 8, 9, 2, 9, 6, 8, 7], 3)).toEqual({ current: 3, usual: 8 });
  });

  it('sets an earlier week aside only if it was a drop even with its anonymous answers as other people', () => {
    const withAnonymous = (anonymous: number) =>
      analyseDigest(
        digestInput({
          history: history(
            [8, 8, 8, 2, 8, 8, 8, 8].map((voices, index) => ({
              voices,
              anonymous: index === 3 ? anonymous : 0,
            })),
          ),
          answers: thisWeek(3),
        }),
      ).voices.drop;
    expect(withAnonymous(4)).toEqual({ current: 3, usual: 8 });
    expect(withAnonymous(6)).toBeNull();
  });

  it('is judged only with four weeks in which someone answered', () => {
    expect(MIN_JUDGED_WEEKS).toBe(4);
    expect(dropAfter([7, 8, 8], 1)).toBeNull();
    expect(dropAfter([7, 0, 8, 8], 1)).toBeNull();
    expect(dropAfter([7, 0, 8, 8, 7], 1)).toEqual({ current: 1, usual: 8 });
  });

  it('reports how unlikely the week is, below the false-alarm budget', () => {
    const drop = breadthDrop({
      current: { voices: 2, anonymous: 0 },
      history: voicesOf([7, 8, 7, 8]),
    });
    expect(drop?.p).toBeLessThan(PARTICIPATION_P);
    expect(PARTICIPATION_P).toBe(0.01);
  });
});

describe('the ordinary weeks a drop is judged against', () => {
  const weeks = (voices: readonly number[]) => voices.map((count) => ({ voices: count, anonymous: 0 }));

  it('leaves out a week below this one that was a drop against the others, then the next', () => {
    expect(ordinaryVoices(weeks([8, 8, 8, 8, 2]), 3)).toEqual([8, 8, 8, 8]);
    expect(ordinaryVoices(weeks([8, 8, 8, 8, 8, 8, 8, 2]), 3)).toEqual([8, 8, 8, 8, 8, 8, 8]);
    expect(ordinaryVoices(weeks([8, 8, 8, 8, 8, 8, 5, 2]), 6)).toEqual([8, 8, 8, 8, 8, 8]);
  });

  it('keeps a week as low as this one, weeks as low as each other, and any the others’ spread explains', () => {
    expect(ordinaryVoices(weeks([8, 8, 8, 8, 2]), 2)).toEqual([8, 8, 8, 8, 2]);
    expect(ordinaryVoices(weeks([8, 8, 8, 8, 8, 8, 5, 2]), 5)).toEqual([8, 8, 8, 8, 8, 8, 5]);
    expect(ordinaryVoices(weeks([3, 8, 8, 8, 3, 8, 8, 8]), 4)).toEqual([3, 8, 8, 8, 3, 8, 8, 8]);
    // The 2 is not beyond weeks that include a 3, so neither is set aside.
    expect(ordinaryVoices(weeks([7, 7, 8, 2, 7, 3, 8, 8]), 3)).toEqual([7, 7, 8, 2, 7, 3, 8, 8]);
    expect(ordinaryVoices(weeks([5, 6, 7, 8, 5, 6, 7, 8]), 4)).toEqual([5, 6, 7, 8, 5, 6, 7, 8]);
  });

  it('never leaves fewer than four weeks to judge against', () => {
    expect(ordinaryVoices(weeks([8, 8, 8, 2]), 3)).toEqual([8, 8, 8, 2]);
  });
});

describe('the beta-binomial lower tail', () => {
  it('is the binomial when people answer independently', () => {
    // P(X ≤ 1) for X ~ Binomial(4, 0.5) = (1 + 4) / 16.
    expect(betaBinomialLowerTail(1, 4, 0.5, 0)).toBeCloseTo(5 / 16, 12);
    expect(betaBinomialLowerTail(4, 4, 0.5, 0)).toBe(1);
    expect(betaBinomialLowerTail(-1, 4, 0.5, 0)).toBe(0);
  });

  it('matches the beta-binomial’s own formula, and widens the tail as weeks vary together', () => {
    // α = β = 1 (correlation 1/3) is uniform on 0..n: P(X ≤ 1) = 2 / 5 for n = 4.
    expect(betaBinomialLowerTail(1, 4, 0.5, 1 / 3)).toBeCloseTo(2 / 5, 12);
    expect(betaBinomialLowerTail(2, 8, 0.85, 0.2)).toBeGreaterThan(betaBinomialLowerTail(2, 8, 0.85, 0));
  });

  it('keeps its precision for a large channel', () => {
    const tail = betaBinomialLowerTail(100, 2000, 0.2, 0);
    expect(tail).toBeGreaterThan(0);
    expect(tail).toBeLessThan(1e-40);
  });
});

describe('weeks since the channel was set up', () => {
  const steady = [7, 8, 7, 8, 7, 8, 7, 8];
  const weekStart = (weeksBefore: number) => new Date(START.getTime() - weeksBefore * WEEK_MS);

  it('charts and judges no week that ended before set-up', () => {
    const input = (setUpAt: Date | null) =>
      digestInput({ history: voicesOf(steady), answers: thisWeek(2), setUpAt });

    const threeWeeksIn = analyseDigest(input(weekStart(3))).voices;
    expect(threeWeeksIn.weeks.map((week) => week.start)).toEqual([
      weekStart(3),
      weekStart(2),
      weekStart(1),
      START,
    ]);
    expect(threeWeeksIn.drop).toBeNull();

    const fourWeeksIn = analyseDigest(input(weekStart(4))).voices;
    expect(fourWeeksIn.weeks).toHaveLength(5);
    expect(fourWeeksIn.drop).toEqual({ current: 2, usual: 8 });

    expect(analyseDigest(input(null)).voices.weeks).toHaveLength(9);
  });

  it('keeps the week the channel was set up in', () => {
    const midWeek = new Date(weekStart(2).getTime() + 3 * 86_400_000);
    const weeks = analyseDigest(digestInput({ history: voicesOf(steady), setUpAt: midWeek })).voices.weeks;
    expect(weeks.map((week) => week.start)).toEqual([weekStart(2), weekStart(1), START]);
  });

  it('shows a new channel no empty weeks from before it existed', () => {
    const setUpAt = new Date(START.getTime() - 2 * 86_400_000);
    const analysis = analyseDigest(
      digestInput({ history: voicesOf([0, 0, 0, 0, 0, 0, 0, 0]), answers: thisWeek(5), setUpAt }),
    );
    expect(analysis.voices.weeks).toEqual([
      { start: weekStart(1), voices: 0, anonymous: 0 },
      { start: START, voices: 5, anonymous: 0 },
    ]);
    expect(analysis.voices.drop).toBeNull();
  });
});

describe('skip spikes', () => {
  const skipsOf = (reason: SkipReason, counts: readonly number[]) =>
    history(counts.map((count) => ({ voices: 6, skips: { [reason]: count } })));
  const spikesAfter = (earlier: WeekSummary[], skips: SkipCounts, setUpAt?: Date) =>
    analyseDigest(digestInput({ history: earlier, answers: thisWeek(6), skips, setUpAt })).skipSpikes;

  it('finds five “not safe to say” skips after weeks with none', () => {
    expect(spikesAfter(skipsOf('not_safe', [0, 0, 0, 0]), { not_safe: 5 })).toEqual([
      { reason: 'not_safe', count: 5, usual: 0 },
    ]);
  });

  it('finds three “not safe to say” skips in a channel that has not had one in four weeks or more', () => {
    // A Poisson with its mean floored at 0.5 a week put three at p ≈ 0.014, however long the channel was quiet.
    expect(spikesAfter(skipsOf('not_safe', [0, 0, 0, 0]), { not_safe: 3 })).toEqual([
      { reason: 'not_safe', count: 3, usual: 0 },
    ]);
    expect(spikesAfter(skipsOf('not_safe', [0, 0, 0, 0, 0, 0, 1, 0]), { not_safe: 3 })).toEqual([
      { reason: 'not_safe', count: 3, usual: 0.1 },
    ]);
  });

  it('does not call three a spike after four weeks that had one between them', () => {
    expect(spikesAfter(skipsOf('not_safe', [0, 1, 0, 0]), { not_safe: 3 })).toEqual([]);
  });

  it('holds the other reasons to their smaller share: three “not relevant” need more quiet weeks', () => {
    expect(spikesAfter(skipsOf('not_relevant', [0, 0, 0, 0]), { not_relevant: 3 })).toEqual([]);
    expect(spikesAfter(skipsOf('not_relevant', [0, 0, 0, 0, 0, 0, 0, 0]), { not_relevant: 3 })).toEqual([
      { reason: 'not_relevant', count: 3, usual: 0 },
    ]);
  });

  it('does not call two skips a spike, nor a count the channel often sees', () => {
    // Two after eight quiet weeks are rare (p ≈ 0.005), but two people are not yet a pattern.
    expect(skipUpperTail(2, 0, 8)).toBeLessThan(SKIP_REASON_P.not_safe);
    expect(SKIP_SPIKE_MIN).toBe(3);
    expect(spikesAfter(skipsOf('not_safe', [0, 0, 0, 0, 0, 0, 0, 0]), { not_safe: 2 })).toEqual([]);
    expect(spikesAfter(skipsOf('no_capacity', [3, 2, 4, 3]), { no_capacity: 5 })).toEqual([]);
  });

  it('is judged only after four weeks since set-up', () => {
    const earlier = skipsOf('not_safe', [0, 0, 0, 0, 0, 0]);
    const threeWeeksIn = new Date(START.getTime() - 3 * WEEK_MS);
    const fourWeeksIn = new Date(START.getTime() - 4 * WEEK_MS);
    expect(spikesAfter(earlier, { not_safe: 5 }, threeWeeksIn)).toEqual([]);
    expect(spikesAfter(earlier, { not_safe: 5 }, fourWeeksIn)).toHaveLength(1);
  });

  it('does not let empty weeks lower what is usual', () => {
    // Two a week while the channel was in use: five is not rare (p ≈ 0.05). Counted over all eight
    // weeks, empty ones included, the usual would halve and five would look like a spike.
    const earlier = [
      ...history([{ voices: 0 }, { voices: 0 }, { voices: 0 }, { voices: 0 }]),
      ...skipsOf('not_relevant', [2, 2, 2, 2]),
    ].map((week, index) => ({ ...week, start: new Date(START.getTime() - (8 - index) * WEEK_MS) }));
    expect(spikesAfter(earlier, { not_relevant: 5 })).toEqual([]);
  });
});

describe('the chance of a week’s skips', () => {
  it('is the negative binomial the Jeffreys prior and the weeks seen give', () => {
    // No skips in four weeks: r = 1/2, success chance 4/5, so P(X ≥ 1) = 1 − (4/5)^½.
    expect(skipUpperTail(1, 0, 4)).toBeCloseTo(1 - Math.sqrt(0.8), 12);
    // P(X ≥ 3) = 1 − (4/5)^½ (1 + ½ · 1/5 + ⅜ · 1/25).
    expect(skipUpperTail(3, 0, 4)).toBeCloseTo(1 - Math.sqrt(0.8) * (1 + 0.1 + 0.015), 12);
    expect(skipUpperTail(0, 0, 4)).toBe(1);
  });

  it('comes to the Poisson at the usual mean once many weeks have pinned the rate down', () => {
    expect(skipUpperTail(4, 4000, 1000)).toBeCloseTo(poissonUpperTail(4, 4), 6);
  });

  it('does not underflow for a channel with hundreds of skips a week', () => {
    expect(skipUpperTail(700, 8 * 800, 8)).toBeGreaterThan(0.99);
    expect(skipUpperTail(1100, 8 * 800, 8)).toBeLessThan(1e-6);
  });

  it('grows rarer the longer a channel has gone without', () => {
    expect(skipUpperTail(3, 0, 8)).toBeLessThan(skipUpperTail(3, 0, 4));
    expect(skipUpperTail(3, 0, 4)).toBeLessThan(SKIP_REASON_P.not_safe);
    expect(skipUpperTail(3, 1, 4)).toBeGreaterThan(SKIP_REASON_P.not_safe);
  });
});

describe('the skip budget', () => {
  it('gives “not safe to say” half of one test’s budget and splits the rest among the other reasons', () => {
    expect(SKIP_REASON_P.not_safe).toBe(PARTICIPATION_P / 2);
    const total = Object.values(SKIP_REASON_P).reduce((sum, share) => sum + share, 0);
    expect(total).toBeCloseTo(PARTICIPATION_P, 15);
  });

  it('is kept whatever a channel’s true rate of skips: chance spikes come less often than each share', () => {
    // Weeks of Poisson skips at a fixed rate: the chance that the weeks before and this one make a
    // spike, summed over every total the weeks before can have.
    const poisson = (k: number, mean: number) => {
      let log = -mean;
      for (let i = 1; i <= k; i += 1) log += Math.log(mean / i);
      return Math.exp(log);
    };
    for (const reason of ['not_safe', 'no_capacity'] as const)
      for (const weeks of [4, 8])
        for (let rate = 0.05; rate <= 30; rate *= 1.25) {
          let chance = 0;
          for (let total = 0; total <= weeks * rate * 3 + 20; total += 1) {
            const history = [total, ...Array.from({ length: weeks - 1 }, () => 0)];
            let count = SKIP_SPIKE_MIN;
            while (!skipSpike(reason, count, history)) count += 1;
            chance += poisson(total, weeks * rate) * poissonUpperTail(count, rate);
          }
          expect(chance, `${reason}, ${weeks} weeks at ${rate.toFixed(2)} a week`).toBeLessThan(
            SKIP_REASON_P[reason],
          );
        }
  });
});
