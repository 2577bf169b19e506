import { describe, expect, it } from 'vitest';
import {
  type AfterActionRecord,
  type AnswerRecord,
  analyseDigest,
  type DigestInput,
  type ReviewRecord,
  summariseWeek,
  type WeekSummary,
} from '../../src/domain/digest/analyse.js';
import { relatedLessons } from '../../src/domain/digest/lessons.js';
import {
  ANTICIPATED_SIMILARITY,
  coverage,
  foreseen,
  type Idea,
  ideasOf,
  mostUsedPhrase,
} from '../../src/domain/digest/meaning.js';
import { clausesOf } from '../../src/domain/digest/text.js';
import { wordSimilarity } from '../../src/domain/digest/word-vectors.js';
import { buildDigestDetails, buildDigestTop, type DigestView } from '../../src/slack/views/digest.js';
import { PINNED_NOW } from '../support/factories.js';
import { FRAMES, TOPICS } from '../support/synthetic-team.js';

const DAY = 86_400_000;
const WEEK = 7 * DAY;
const END = PINNED_NOW;
const START = new Date(END.getTime() - WEEK);
const at = (weeksAgo: number, day = 2) => new Date(START.getTime() - weeksAgo * WEEK + day * DAY);

let sequence = 0;
function answer(
  text: string,
  userId: string | null,
  createdAt = at(0),
  kind?: AnswerRecord['kind'],
): AnswerRecord {
  sequence += 1;
  return {
    id: `a${sequence}`,
    kind: kind ?? (userId ? 'thread' : 'anonymous'),
    userId,
    text,
    createdAt,
    questionId: null,
    quotable: false,
    link: { channelId: 'C0TEAM', ts: `${1_700_000_000 + sequence}.000100` },
  };
}

function review(
  id: string,
  challenges: string,
  createdAt: Date,
  extra: Partial<ReviewRecord> = {},
): ReviewRecord {
  return {
    id,
    action: `Run the ${id} session`,
    intendedResults: 'More families come along.',
    anticipatedChallenges: challenges,
    successFactors: 'Clear roles.',
    hypothesis: 'If we send a reminder then more families come',
    status: 'closed',
    lookBackOn: '2026-01-01',
    questionId: null,
    createdAt,
    link: { channelId: 'C0TEAM', ts: `${createdAt.getTime() / 1000}.000200` },
    ...extra,
  };
}

function afterAction(
  reviewId: string,
  cause: string,
  createdAt: Date,
  verdict: AfterActionRecord['verdict'] = 'partly',
): AfterActionRecord {
  return {
    id: `after-${reviewId}`,
    reviewId,
    action: `Run the ${reviewId} session`,
    whyDifferent: cause,
    verdict,
    questionId: null,
    createdAt,
    link: { channelId: 'C0TEAM', ts: `${createdAt.getTime() / 1000}.000300` },
  };
}

/** Ordinary earlier weeks: varied answers from `people`, one each, none about the same thing. */
function ordinaryHistory(
  weeks: number,
  people: readonly string[],
): { answers: AnswerRecord[]; history: WeekSummary[] } {
  const all: AnswerRecord[] = [];
  const history: WeekSummary[] = [];
  let topic = 0;
  for (let ago = weeks; ago >= 1; ago -= 1) {
    const week = people.map((person, index) => {
      topic += 1;
      const frame = FRAMES[(topic + index) % FRAMES.length] as (topic: string) => string;
      return answer(frame(TOPICS[topic % TOPICS.length] as string), person, at(ago, 1 + (index % 5)));
    });
    all.push(...week);
    history.push(summariseWeek(new Date(START.getTime() - ago * WEEK), week));
  }
  return { answers: all, history };
}

function input(parts: Partial<DigestInput>): DigestInput {
  return {
    window: { start: START, end: END },
    today: END.toISOString().slice(0, 10),
    answers: [],
    history: [],
    reviews: [],
    afterActions: [],
    skips: {},
    notes: [],
    questions: [],
    members: 8,
    privacy: { minVoicesForAnonymousQuotes: 3 },
    ...parts,
  };
}

function rendered(analysis: ReturnType<typeof analyseDigest>): { top: string; details: string } {
  const view: DigestView = {
    analysis,
    period: '14–20 Nov',
    timeZone: 'Europe/London',
    weekLabels: [],
    permalinks: new Map(),
  };
  const text = (
    blocks: readonly { type: string; text?: { text: string }; elements?: { text?: string }[] }[],
  ) =>
    blocks
      .map(
        (block) => block.text?.text ?? (block.elements ?? []).map((element) => element.text ?? '').join(' '),
      )
      .join('\n');
  return {
    top: text(buildDigestTop(view).blocks as never),
    details: text(buildDigestDetails(view).blocks as never),
  };
}

describe('meaning, not spelling', () => {
  it('knows related words from the vectors shipped with the app', () => {
    expect(wordSimilarity('recruit', 'hire')).toBeGreaterThan(0.6);
    expect(wordSimilarity('referral', 'printer')).toBeLessThan(0.3);
    expect(wordSimilarity('someunknownword', 'room')).toBe(0);
  });

  it('reads a field naming two challenges as two clauses', () => {
    const clauses = clausesOf('Finance approval could hold us up again; the room may be too small.');
    expect(clauses.map((clause) => clause.words.map((word) => word.written))).toEqual([
      ['finance', 'approval', 'hold'],
      ['room', 'small'],
    ]);
  });

  it(`counts a cause as foreseen only when it says so, names the same thing, or its meaning is close (${ANTICIPATED_SIMILARITY})`, () => {
    const challenges = ideasOf('The room may be too small. Finding enough volunteers who can tutor maths.');
    const [venue, moved] = ideasOf('The venue was double-booked and we moved rooms.');
    expect(foreseen(venue as Idea, challenges)).toBe(false);
    expect(foreseen(moved as Idea, challenges)).toBe(true);
    expect(foreseen(ideasOf('Not enough volunteers turned up.')[0] as Idea, challenges)).toBe(true);
    expect(foreseen(ideasOf('We were two helpers short, as we feared.')[0] as Idea, challenges)).toBe(true);
    const [holiday] = ideasOf('The school holiday started.');
    expect(foreseen(holiday as Idea, challenges)).toBe(false);
    expect(coverage(holiday?.words ?? [], challenges[1]?.words ?? [])).toBeLessThan(ANTICIPATED_SIMILARITY);
    // What follows from a foreseen cause is part of it, not a surprise of its own.
    const microphone = ideasOf('The microphone gave out, so we shouted.');
    expect(microphone).toHaveLength(1);
    expect(foreseen(microphone[0] as Idea, ideasOf('The old microphone is unreliable.'))).toBe(true);
  });

  it('tells what went well from what got in the way, and from nothing to report', () => {
    const polarities = (text: string) => ideasOf(text).map((idea) => idea.polarity);
    expect(polarities('Good preparation and a clear agenda.')).toEqual(['went_well', 'went_well']);
    expect(polarities('Sending the reminder twice paid off.')).toEqual(['went_well']);
    expect(polarities('The venue was double-booked.')).toEqual(['got_in_the_way']);
    // Warm words in a risk are still a risk.
    expect(polarities('Finance approval could hold us up again.')).toEqual(['got_in_the_way']);
    expect(polarities('No real difference this time.')).toEqual(['as_planned']);
  });

  it('names a group by the phrase its texts use most, as written', () => {
    const texts = [
      'The referral backlog is growing.',
      'Referral backlog again: the data came late.',
      'Nobody is clearing the referral backlog.',
      'Referrals keep arriving with no data.',
    ].map(clausesOf);
    expect(mostUsedPhrase(texts, (key) => key.split(' ').includes('referral'))).toBe('referral backlog');
    expect(mostUsedPhrase(texts, (key) => key.split(' ').includes('datum'))).toBe('data');
  });
});

describe('themes people recognise', () => {
  const team = ['U0ADA', 'U0BEN', 'U0CAL', 'U0DEV', 'U0EVE', 'U0FIN'];
  const backlog = [
    'The referral backlog doubled this week.',
    'We could not get through the referral backlog.',
    'Referral backlog is the thing keeping me up.',
    'Half the referral backlog has no data attached.',
    'The referral backlog means families wait a month.',
  ];

  it('are named by the phrase people wrote, never a bare word stem, and keep the name the week after', () => {
    const { answers: earlier, history } = ordinaryHistory(5, team);
    const week = backlog.map((text, index) => answer(text, team[index] as string));
    const first = analyseDigest(input({ answers: [...earlier, ...week], history }));
    const theme = first.themes.find((found) => found.trend === 'new');
    expect(theme?.label).toBe('referral backlog');

    // Two weeks on it is still there, now mostly as "referrals": the theme keeps its name.
    const later = [
      'Referrals are piling up.',
      'Referrals wait for weeks.',
      'The referral backlog is still there.',
      'More referrals than we can handle.',
      'The referral backlog is shrinking slowly.',
    ];
    const weekAfter = (offset: number) =>
      later.map((text, index) =>
        answer(text, team[index] as string, new Date(END.getTime() + offset * WEEK + 2 * DAY)),
      );
    const second = weekAfter(0);
    const third = weekAfter(1);
    const thirdHistory = [...history.slice(2), summariseWeek(START, week), summariseWeek(END, second)];
    const persisting = analyseDigest(
      input({
        window: { start: new Date(END.getTime() + WEEK), end: new Date(END.getTime() + 2 * WEEK) },
        answers: third,
        history: thirdHistory,
      }),
    );
    expect(persisting.themes[0]).toMatchObject({ label: 'referral backlog', trend: 'persistent', weeks: 3 });
    const labels = [...first.themes, ...persisting.themes].map((found) => found.label);
    expect(labels).not.toContain('datum');
  });

  it('say honestly when the two people who answered both wrote about one new thing', () => {
    const pair = ['U0ADA', 'U0BEN'];
    const { answers: earlier, history } = ordinaryHistory(4, pair);
    const week = backlog.map((text, index) => answer(text, pair[index % 2] as string));
    const analysis = analyseDigest(input({ answers: [...earlier, ...week], history, members: 2 }));
    expect(analysis.themes[0]).toMatchObject({ label: 'referral backlog', trend: 'dominant', voices: 2 });
    const { top } = rendered(analysis);
    expect(top).toContain('Both people who answered this week wrote about *referral backlog*');
    expect(top).not.toContain('Nothing stands out');
  });

  it('say what filled a new channel’s first week, without claiming a before it did not have', () => {
    const week = [
      answer('The minibus booking fell through again.', 'U0ADA'),
      answer('Chasing the minibus booking took all Tuesday.', 'U0BEN'),
      answer('Who owns the minibus booking now?', 'U0CAL'),
      answer('Lovely afternoon at the allotment.', 'U0DEV'),
    ];
    const analysis = analyseDigest(input({ answers: week }));
    expect(analysis.baselineTooShort).toBe(true);
    expect(analysis.themes[0]).toMatchObject({
      label: 'minibus booking',
      trend: 'dominant',
      everyone: false,
    });
    const { top, details } = rendered(analysis);
    expect(top).toContain(
      'Most of this week’s answers were about *minibus booking* (3 answers from 3 people)',
    );
    expect(details).toContain('(75% of the week)');
    expect(details).not.toContain('before');
    expect(details).toContain('too few earlier answers');
  });

  it('count words of one meaning together', () => {
    const { answers: earlier, history } = ordinaryHistory(5, team);
    const week = [
      'Hiring is slow again.',
      'We need to recruit two more drivers.',
      'Still hiring for the Saturday shift.',
      'Recruiting takes us far too long.',
    ].map((text, index) => answer(text, team[index] as string));
    const analysis = analyseDigest(input({ answers: [...earlier, ...week], history }));
    const theme = analysis.themes.find((found) => found.trend === 'new');
    expect(theme?.answers).toBe(4);
    expect(theme?.term).toContain('hire');
    expect(theme?.term).toContain('recruit');
  });

  it('say what is raised privately and not yet in the channel, quoting only what may be quoted', () => {
    const { answers: earlier, history } = ordinaryHistory(5, team);
    const week = [
      ...team
        .slice(0, 3)
        .map((person) =>
          answer(
            `Talk of the volunteer bonus ${person === 'U0ADA' ? 'worries me' : 'feels unfair'}.`,
            person,
            at(0),
            'private',
          ),
        ),
      answer('The volunteer bonus is unfair on the quiet ones.', null),
      ...team
        .slice(3)
        .map((person, index) => answer(FRAMES[index]?.(TOPICS[index] as string) as string, person)),
    ];
    const analysis = analyseDigest(input({ answers: [...earlier, ...week], history }));
    const theme = analysis.themes.find((found) => found.raisedPrivately);
    expect(theme?.label).toContain('bonus');
    // The private answers were not marked quotable; the anonymous one may be, with six people answering.
    expect(theme?.quotes.map((quote) => quote.text)).toEqual([
      'The volunteer bonus is unfair on the quiet ones.',
    ]);
    expect(rendered(analysis).top).toContain('Raised privately, not yet in the channel');

    // With only two named people answering, nobody is told it came privately.
    const fewer = analyseDigest(
      input({ answers: [...earlier, week[0], week[1], week[3]] as AnswerRecord[], history }),
    );
    expect(fewer.themes.some((found) => found.raisedPrivately)).toBe(false);
  });
});

describe('challenges and surprises', () => {
  const weeksAgo = (weeks: number) => at(weeks, 1);

  it('finds both challenges a field names, each recurring', () => {
    const both = 'Finance approval could hold us up again; the room may be too small.';
    const reviews = [
      review('r1', both, weeksAgo(3)),
      review('r2', both, weeksAgo(2)),
      review('r3', both, at(0, 1)),
    ];
    const analysis = analyseDigest(input({ reviews }));
    expect(analysis.recurringChallenges.map((challenge) => challenge.label).sort()).toEqual([
      'finance approval',
      'room',
    ]);
    expect(analysis.recurringChallenges.every((challenge) => challenge.status === 'first')).toBe(true);
  });

  it('announces a challenge when it first recurs and when it comes back, and only mentions it in between', () => {
    const parking = (id: string, when: Date) =>
      review(id, `Parking near the hall is a problem (${id}).`, when);
    const reviews = [parking('r1', weeksAgo(5)), parking('r2', weeksAgo(4)), parking('r3', weeksAgo(3))];
    const quiet = analyseDigest(input({ reviews }));
    expect(quiet.recurringChallenges[0]?.status).toBe('circling');
    expect(rendered(quiet).top).toContain('Still circling: parking, 3 reviews');
    expect(rendered(quiet).top).not.toContain('keeps coming back');

    const back = analyseDigest(input({ reviews: [...reviews, parking('r4', at(0, 1))] }));
    expect(back.recurringChallenges[0]).toMatchObject({ status: 'again', loops: 4 });
    // This week's words are quoted first, not the same quote as every week before.
    expect(back.recurringChallenges[0]?.quotes[0]?.text).toContain('r4');
    expect(rendered(back).top).toContain('came back again');
  });

  it('finds the surprise in a cause that shares one word with what was anticipated, in the words written', () => {
    const planned = review('r1', 'The room may be too small.', weeksAgo(1));
    const after = afterAction(
      'r1',
      'The venue was double-booked and we moved rooms.',
      at(0, 3),
      'not_borne_out',
    );
    const analysis = analyseDigest(input({ reviews: [planned], afterActions: [after] }));
    expect(analysis.hypotheses.surprises[0]?.unanticipated).toEqual(['venue', 'double-booked']);
    const { top } = rendered(analysis);
    // A hypothesis not borne out and the surprise reach the channel message itself.
    expect(top).toContain('A hypothesis was not borne out');
    expect(top).toContain('_venue double-booked_');
  });

  it('never reports what went well as a challenge or a surprise', () => {
    const good = 'Good preparation and a clear agenda.';
    const reviews = [
      review('r1', 'Families may not come.', weeksAgo(3)),
      review('r2', 'Families may not come.', weeksAgo(2)),
      review('r3', 'Families may not come.', weeksAgo(1)),
    ];
    const afterActions = reviews.map((planned, index) =>
      afterAction(planned.id, good, index === 2 ? at(0, 3) : new Date(planned.createdAt.getTime() + DAY)),
    );
    const analysis = analyseDigest(input({ reviews, afterActions }));
    expect(analysis.hypotheses.surprises).toEqual([]);
    expect(analysis.recurringChallenges.map((challenge) => challenge.label)).not.toContain('preparation');
    expect(analysis.recurringChallenges.map((challenge) => challenge.label)).not.toContain('clear agenda');
    expect(rendered(analysis).top).toContain('What keeps working: good preparation, a clear agenda');
  });
});

describe('lessons offered in the before-action review form', () => {
  const lesson = (id: string, action: string, change: string, sustain = '') => ({
    id,
    action,
    change,
    sustain,
    whyDifferent: '',
    revisedHypothesis: null,
    createdAt: new Date(PINNED_NOW.getTime() - Number(id) * DAY),
  });
  const lessons = [
    lesson('1', 'Send the Saturday reminder', 'Send the reminder sooner', 'A friendly tone'),
    lesson('2', 'Volunteer hiring drive', 'Start hiring earlier', 'Word of mouth works'),
    lesson('3', 'Repair the minibus', 'Book the garage in advance'),
  ];

  it('are found by meaning, not only by the same words', () => {
    expect(relatedLessons('Run a recruitment drive for new drivers', lessons)).toEqual({
      basis: 'related',
      lessons: [lessons[1]],
    });
    expect(relatedLessons('Fix the Saturday reminder for families', lessons).lessons).toEqual([lessons[0]]);
  });

  it('are never offered as related when nothing is', () => {
    expect(relatedLessons('Paint the mural', lessons)).toEqual({ basis: 'related', lessons: [] });
    expect(relatedLessons('', lessons).basis).toBe('recent');
  });
});
