import { describe, expect, it } from 'vitest';
import type { AnswerRecord } from '../../src/domain/digest/analyse.js';
import {
  type PortraitAfterAction,
  type PortraitInput,
  type PortraitReview,
  portraitOfQuarter,
} from '../../src/domain/portrait.js';
import { previousQuarter, quarterOf } from '../../src/domain/quarters.js';

const TZ = 'Europe/London';
const summer = quarterOf(2026, 3, TZ);
const spring = previousQuarter(summer, TZ);
const DAY = 86_400_000;
/** Midday on a day of the summer quarter (day 0 is 1 July), or of the spring one when negative. */
const day = (n: number) => new Date(summer.start.getTime() + n * DAY + 12 * 3_600_000);
const link = (ts: string) => ({ channelId: 'C1', ts });

function review(id: string, n: number, extra: Partial<PortraitReview> = {}): PortraitReview {
  return {
    id,
    action: `Action ${id}`,
    anticipatedChallenges: '',
    hypothesis: `If we try ${id}, then we expect more, because reasons`,
    status: 'closed',
    lookBackOn: new Date(day(n).getTime() + 7 * DAY).toISOString().slice(0, 10),
    questionId: null,
    fromAfterActionReviewId: null,
    createdAt: day(n),
    link: link(`r-${id}`),
    ...extra,
  };
}

function afterAction(
  id: string,
  reviewId: string | null,
  n: number,
  extra: Partial<PortraitAfterAction> = {},
) {
  return {
    id,
    reviewId,
    action: `Action ${reviewId ?? id}`,
    whyDifferent: '',
    verdict: 'borne_out',
    revisedHypothesis: null,
    change: '',
    questionId: null,
    createdAt: day(n),
    link: link(`a-${id}`),
    ...extra,
  } satisfies PortraitAfterAction as PortraitAfterAction;
}

function answer(id: string, n: number, extra: Partial<AnswerRecord> = {}): AnswerRecord {
  return {
    id,
    kind: 'thread',
    userId: 'U1',
    text: `Answer ${id}`,
    createdAt: day(n),
    questionId: null,
    quotable: false,
    link: link(`x-${id}`),
    ...extra,
  };
}

function input(extra: Partial<PortraitInput>): PortraitInput {
  return {
    timeZone: TZ,
    now: day(50),
    answers: [],
    reviews: [],
    afterActions: [],
    promptsAt: [],
    notes: [],
    questions: [],
    members: 8,
    privacy: { minVoicesForAnonymousQuotes: 3 },
    ...extra,
  };
}

describe('the portrait of a quarter: loops', () => {
  const records = input({
    reviews: [
      review('r1', -30), // spring, closed in summer
      review('r2', 5), // summer, closed in summer
      review('r3', 10, { status: 'open' }), // summer, still open
      review('r4', -20, { status: 'open' }), // spring, still open
    ],
    afterActions: [afterAction('a1', 'r1', 3), afterAction('a2', 'r2', 16)],
  });

  it('counts reviews opened and closed, and loops still open', () => {
    const now = portraitOfQuarter(records, summer);
    expect(now.loops.opened).toBe(2);
    expect(now.loops.closed).toBe(2);
    expect(now.loops.stillOpen).toBe(2);
    expect(now.loops.openEvidence.map((loop) => loop.id)).toEqual(['r4', 'r3']);
    expect(now.loops.openedEvidence.map((loop) => loop.link?.ts)).toEqual(['r-r2', 'r-r3']);

    const before = portraitOfQuarter(records, spring);
    expect(before.loops.opened).toBe(2);
    expect(before.loops.closed).toBe(0);
    // At the end of spring, r1 had not been looked back on yet.
    expect(before.loops.stillOpen).toBe(2);
  });

  it('takes the median days from look-back date to after-action review', () => {
    // r1 looked back on day -23, reviewed day 3: 26 days late; r2 due day 12, reviewed day 16: 4 days.
    expect(portraitOfQuarter(records, summer).loops.medianDaysLookBackToAfterAction).toBe(15);
    expect(portraitOfQuarter(records, spring).loops.medianDaysLookBackToAfterAction).toBeNull();
  });

  it('reads the quarter under way only up to now', () => {
    const early = portraitOfQuarter({ ...records, now: day(8) }, summer);
    expect(early.loops.opened).toBe(1);
    expect(early.loops.closed).toBe(1);
  });
});

describe('the portrait of a quarter: hypotheses', () => {
  it('counts verdicts and follows a revised hypothesis tested again', () => {
    const records = input({
      reviews: [
        review('r1', -40),
        review('r2', -10, { fromAfterActionReviewId: 'a1' }),
        review('r3', 20, { fromAfterActionReviewId: 'a2' }),
        review('r4', 22),
      ],
      afterActions: [
        afterAction('a1', 'r1', -30, { verdict: 'not_borne_out', revisedHypothesis: 'If we try r2 …' }),
        afterAction('a2', 'r2', 5, {
          verdict: 'partly',
          revisedHypothesis: 'If we try r3 …',
          change: 'Book earlier',
        }),
        afterAction('a3', 'r3', 30, { verdict: 'borne_out' }),
        afterAction('a4', 'r4', 31, { verdict: null }),
      ],
    });
    const portrait = portraitOfQuarter(records, summer);
    expect(portrait.hypotheses.verdicts).toEqual({ borne_out: 1, partly: 1, not_borne_out: 0, too_early: 0 });
    expect(portrait.hypotheses.tested.map((tested) => tested.afterActionId)).toEqual(['a2', 'a3', 'a4']);
    expect(portrait.hypotheses.tested[0]).toMatchObject({
      hypothesis: 'If we try r2, then we expect more, because reasons',
      change: 'Book earlier',
      revisedHypothesis: 'If we try r3 …',
    });
    // One chain, the longest: r1 → r2 → r3, not also r1 → r2.
    expect(portrait.hypotheses.chains).toHaveLength(1);
    expect(portrait.hypotheses.chains[0]?.steps.map((step) => [step.reviewId, step.verdict])).toEqual([
      ['r1', 'not_borne_out'],
      ['r2', 'partly'],
      ['r3', 'borne_out'],
    ]);
    // Spring tested r1 only: no chain there.
    expect(portraitOfQuarter(records, spring).hypotheses.chains).toEqual([]);
  });
});

describe('the portrait of a quarter: challenges', () => {
  it('tells a challenge a review changed something about from one still coming back', () => {
    const records = input({
      reviews: [
        review('r1', -40, { anticipatedChallenges: 'Parking near the hall' }),
        review('r2', -20, { anticipatedChallenges: 'Finance approval could hold us up' }),
        review('r3', 10, { anticipatedChallenges: 'Parking near the hall again' }),
        review('r4', 30, { anticipatedChallenges: 'Waiting on finance approval' }),
        review('r5', 40, { anticipatedChallenges: 'Finance approval may be slow' }),
      ],
      afterActions: [
        afterAction('a3', 'r3', 20, {
          whyDifferent: 'Parking was a nightmare',
          change: 'Use the car park behind the church',
        }),
      ],
    });
    const challenges = portraitOfQuarter(records, summer).challenges;
    const finance = challenges.find((challenge) => /finance/i.test(challenge.label));
    const parking = challenges.find((challenge) => /parking/i.test(challenge.label));
    expect(finance).toMatchObject({ state: 'circling', loops: 3, link: link('r-r5') });
    expect(parking).toMatchObject({ state: 'advancing', loops: 2 });
    expect(finance?.quotes.length).toBeLessThanOrEqual(2);
    // Circling first: it is the one to act on.
    expect(challenges[0]).toBe(finance);
  });
});

describe('the portrait of a quarter: learning questions', () => {
  it('counts evidence for each question, the latest piece, and says which have none', () => {
    const records = input({
      questions: [
        { id: 'q1', text: 'What will it take to hear from families?', createdAt: day(-60), retiredAt: null },
        { id: 'q2', text: 'What will it take to keep volunteers?', createdAt: day(-60), retiredAt: null },
        { id: 'q3', text: 'Retired before summer', createdAt: day(-60), retiredAt: day(-10) },
      ],
      answers: [
        answer('x1', 3, { questionId: 'q1', text: 'Families told us the forms were long' }),
        answer('x2', 6, { questionId: 'q1', kind: 'private', userId: 'U2', text: 'Secret', quotable: false }),
      ],
      reviews: [review('r1', 4, { questionId: 'q1' })],
    });
    const questions = portraitOfQuarter(records, summer).questions;
    expect(questions.map((question) => [question.id, question.pieces])).toEqual([
      ['q1', 3],
      ['q2', 0],
    ]);
    // The private answer is the newest, and counted; the latest piece shown is the newest one that may
    // be quoted, so its day beside the question points to no one.
    expect(questions[0]?.latest).toMatchObject({ id: 'r1' });
    expect(JSON.stringify(questions[0])).not.toContain('x2');
    expect(questions[0]?.quotes.map((quote) => quote.text)).toEqual(['Families told us the forms were long']);
    expect(questions[1]?.latest).toBeNull();
  });

  it('quotes an anonymous answer only among enough named voices that week', () => {
    const lone = input({
      questions: [{ id: 'q1', text: 'Q', createdAt: day(-60), retiredAt: null }],
      answers: [answer('x1', 3, { questionId: 'q1', kind: 'anonymous', userId: null, text: 'Hush' })],
    });
    expect(portraitOfQuarter(lone, summer).questions[0]?.quotes).toEqual([]);
    const busy = {
      ...lone,
      answers: [
        ...lone.answers,
        answer('y1', 2, { userId: 'U1' }),
        answer('y2', 3, { userId: 'U2' }),
        answer('y3', 4, { userId: 'U3' }),
      ],
    };
    expect(portraitOfQuarter(busy, summer).questions[0]?.quotes.map((quote) => quote.text)).toEqual(['Hush']);
  });
});

describe('the portrait of a quarter: voices and ownership', () => {
  it('gives breadth per week as numbers, never names', () => {
    const records = input({
      now: day(21),
      answers: [
        answer('x1', 1, { userId: 'U1' }),
        answer('x2', 2, { userId: 'U2' }),
        answer('x3', 3, { userId: 'U1' }),
        answer('x4', 8, { userId: 'U3' }),
        answer('x5', 9, { userId: null, kind: 'anonymous' }),
      ],
    });
    const { voices } = portraitOfQuarter(records, summer);
    expect(voices.weeks.map((week) => [week.voices, week.anonymous])).toEqual([
      [2, 0],
      [1, 1],
      [0, 0],
      [0, 0],
    ]);
    // The fourth week has only begun: the average is of the three whole ones.
    expect(voices.averagePerWeek).toBe(1);
    expect(voices.members).toBe(8);
    expect(JSON.stringify(voices)).not.toMatch(/U[123]/);
  });

  it('counts reviews started with no prompt or check-in in the day before', () => {
    const records = input({
      reviews: [review('r1', 3), review('r2', 10), review('r3', 20)],
      promptsAt: [new Date(day(3).getTime() - 2 * 3_600_000), new Date(day(10).getTime() - 30 * 3_600_000)],
    });
    expect(portraitOfQuarter(records, summer).reviewsWithoutPrompt).toEqual({ count: 2, of: 3 });
  });

  it('keeps learning notes newest first', () => {
    const records = input({
      notes: [
        { id: 'n1', text: 'First note', createdAt: day(2), link: link('n1') },
        { id: 'n2', text: 'Second note', createdAt: day(9), link: link('n2') },
        { id: 'n0', text: 'Spring note', createdAt: day(-9), link: link('n0') },
      ],
    });
    expect(portraitOfQuarter(records, summer).notes.map((note) => note.text)).toEqual([
      'Second note',
      'First note',
    ]);
  });

  it('names what the quarter’s answers were about', () => {
    const texts = [
      'The volunteer rota was confusing',
      'Nobody understood the volunteer rota',
      'We rewrote the volunteer rota twice',
      'The cake stall sold out',
    ];
    const records = input({
      answers: texts.map((text, index) => answer(`x${index}`, index, { text, userId: `U${index}` })),
    });
    const [theme] = portraitOfQuarter(records, summer).themes;
    expect(theme).toMatchObject({ label: 'volunteer rota', answers: 3, voices: 3 });
  });
});
