import { describe, expect, it } from 'vitest';
import {
  type AnswerRecord,
  analyseDigest,
  type DigestAnalysis,
  type DigestInput,
} from '../../src/domain/digest/analyse.js';
import { clusterNearDuplicates } from '../../src/domain/digest/clusters.js';
import {
  criticalLogLikelihood,
  median,
  poissonUpperTail,
  signedLogLikelihood,
} from '../../src/domain/digest/stats.js';
import { readableSlackText, sentenceAbout, textFeatures } from '../../src/domain/digest/text.js';
import {
  ALL_PLANTS,
  digestInputFor,
  NO_PLANTS,
  QUIET_SEED,
  syntheticTeam,
} from '../support/synthetic-team.js';

const planted = syntheticTeam({ seed: 1, plants: ALL_PLANTS });
const digestOf = (week: number) => analyseDigest(digestInputFor(planted, week));
const emerging = (analysis: DigestAnalysis) =>
  analysis.themes.filter((theme) => theme.trend === 'new' || theme.trend === 'rising');

describe('text features', () => {
  it('reduces words to lemmas and keeps two-word noun phrases', () => {
    const { terms } = textFeatures(
      'The new volunteer rota was confusing, and two volunteers missed the handover.',
    );
    expect(terms).toEqual(
      expect.arrayContaining(['volunteer', 'rota', 'volunteer rota', 'handover', 'miss']),
    );
    expect(terms).not.toContain('the');
    expect(terms).not.toContain('volunteers');
  });

  it('leaves out the words every reflection prompt puts in people’s mouths', () => {
    expect(textFeatures('This week the team learned a lot and noticed a thing or two.').terms).toEqual([]);
  });

  it('scores tone', () => {
    expect(textFeatures('We loved it, a wonderful and happy day.').sentiment).toBeGreaterThan(0.2);
    expect(textFeatures('Awful, stressful and a terrible waste.').sentiment).toBeLessThan(-0.2);
  });

  it('reads Slack markup as a reader sees it, with nobody named', () => {
    expect(
      readableSlackText(
        'Thanks <@U0ABC123|ada> &amp; <#C012|team>: <https://x.org/a|the doc>, <https://y.org> &lt;3 <!here>',
      ),
    ).toBe('Thanks @someone & #team: the doc, https://y.org <3 @here');
    expect(textFeatures('<@U0ABC123> said the handover &amp; the rota').terms).toEqual(['handover', 'rota']);
  });

  it('quotes the sentence that speaks of the term', () => {
    expect(
      sentenceAbout('We started late. The volunteer rota was confusing. Nobody knew.', 'volunteer rota'),
    ).toBe('The volunteer rota was confusing.');
  });
});

describe('statistics', () => {
  it('signs the log-likelihood by direction and grows with the difference', () => {
    const up = signedLogLikelihood(5, 10, 2, 80);
    expect(up).toBeGreaterThan(10);
    expect(signedLogLikelihood(0, 10, 20, 80)).toBeLessThan(-3.84);
    expect(signedLogLikelihood(1, 10, 8, 80)).toBeCloseTo(0, 5);
  });

  it('gives chi-squared critical values and splits them over many tests', () => {
    expect(criticalLogLikelihood(1, 0.05, 0)).toBeCloseTo(3.841, 3);
    expect(criticalLogLikelihood(1, 0.001, 0)).toBeCloseTo(10.828, 3);
    expect(criticalLogLikelihood(100, 0.05, 0)).toBeCloseTo(12.116, 2);
    expect(criticalLogLikelihood(1, 0.05, 6.63)).toBe(6.63);
  });

  it('computes Poisson tails and medians', () => {
    expect(poissonUpperTail(0, 2)).toBe(1);
    expect(poissonUpperTail(1, 1)).toBeCloseTo(1 - Math.exp(-1), 10);
    expect(poissonUpperTail(5, 0.5)).toBeLessThan(0.001);
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});

describe('near-duplicate clusters', () => {
  it('puts the same answer pasted twice in one cluster and different answers apart', () => {
    const texts = [
      'The Saturday handover was messy again.',
      'The Saturday handover was messy again!',
      'Parking near the hall is hard.',
      'The printer jammed twice.',
    ];
    const clusters = clusterNearDuplicates(texts.map((text) => textFeatures(text).terms));
    expect(clusters[0]).toBe(clusters[1]);
    expect(new Set(clusters).size).toBe(3);
  });
});

describe('the planted patterns of a synthetic team', () => {
  it('calls the handover theme new in the week it starts', () => {
    const handover = digestOf(5).themes.find((theme) => theme.term === 'handover');
    expect(handover).toMatchObject({ trend: 'new' });
    expect(handover?.evidence.length).toBeGreaterThanOrEqual(3);
  });

  it('calls it rising the week after, against the channel’s own baseline', () => {
    expect(digestOf(6).themes.find((theme) => theme.term === 'handover')).toMatchObject({ trend: 'rising' });
  });

  it('calls it persistent by week nine, with how many weeks, and quotes the words behind it', () => {
    const handover = digestOf(9).themes.find((theme) => theme.term === 'handover');
    expect(handover).toMatchObject({ trend: 'persistent', weeks: 5 });
    expect(handover?.quotes.length).toBeGreaterThan(0);
    for (const quote of handover?.quotes ?? []) expect(quote.text.toLowerCase()).toContain('handover');
  });

  it('finds the challenge that came back in three before-action reviews', () => {
    const [challenge] = digestOf(9).recurringChallenges;
    expect(challenge?.label).toBe('parking');
    expect(challenge).toMatchObject({ loops: 3, weeks: 3 });
    expect(challenge?.evidence.reviews).toHaveLength(3);
  });

  it('records the hypothesis not borne out, and the cause its review never anticipated', () => {
    const ledger = digestOf(9).hypotheses;
    expect(ledger.verdicts.not_borne_out).toBe(1);
    expect(ledger.surprises).toHaveLength(1);
    expect(ledger.surprises[0]?.unanticipated).toEqual(expect.arrayContaining(['holiday']));
  });

  it('notices the drop in breadth of voices, as numbers only', () => {
    const analysis = digestOf(9);
    expect(analysis.voices.drop).toEqual({ current: 3, usual: expect.any(Number) });
    expect(analysis.voices.drop?.usual).toBeGreaterThanOrEqual(5);
    expect(analysis.voices.weeks).toHaveLength(9);
    expect(JSON.stringify(analysis.voices)).not.toMatch(/U0[A-Z]{3}/);
  });

  it('notices the spike of “not safe to say” skips', () => {
    expect(digestOf(9).skipSpikes).toEqual([{ reason: 'not_safe', count: 5, usual: expect.any(Number) }]);
  });

  it('is deterministic', () => {
    expect(JSON.stringify(digestOf(9))).toBe(JSON.stringify(digestOf(9)));
  });
});

describe('quiet, varied months', () => {
  const SEEDS = Array.from({ length: 40 }, (_, index) => index + 1);
  const digests = SEEDS.flatMap((seed) => {
    const team = syntheticTeam({ seed, plants: NO_PLANTS });
    return [5, 6, 7, 8, 9].map((week) => analyseDigest(digestInputFor(team, week)));
  });

  it('raise no new or rising theme in the month the end-to-end digest uses', () => {
    const team = syntheticTeam({ seed: QUIET_SEED, plants: NO_PLANTS });
    for (const week of [5, 6, 7, 8, 9])
      expect(emerging(analyseDigest(digestInputFor(team, week)))).toEqual([]);
  });

  it('keep chance “new” or “rising” themes within the 5% the test allows, across 200 digests', () => {
    const falseAlarms = digests.filter((analysis) => emerging(analysis).length > 0).length;
    expect(falseAlarms).toBeLessThanOrEqual(digests.length * 0.05);
  });

  it('never report a drop in voices, a skip spike, a surprise or a recurring challenge', () => {
    for (const analysis of digests) {
      expect(analysis.voices.drop).toBeNull();
      expect(analysis.skipSpikes).toEqual([]);
      expect(analysis.recurringChallenges).toEqual([]);
    }
  });
});

function answer(overrides: Partial<AnswerRecord> & { id: string; text: string }): AnswerRecord {
  return {
    kind: 'thread',
    userId: 'U0ADA',
    createdAt: new Date('2026-11-18T10:00:00Z'),
    questionId: null,
    quotable: false,
    link: { channelId: 'C0TEAM', ts: `1763460000.${overrides.id.padStart(6, '0')}` },
    ...overrides,
  };
}

function smallWeek(answers: AnswerRecord[], minVoices = 3): DigestInput {
  const filler = Array.from({ length: 4 }, (_, week) => ({
    start: new Date(Date.UTC(2026, 9, 14 + week * 7)),
    answers: 6,
    voices: 4,
    anonymous: 0,
    termAnswers: new Map([['garden', 1]]),
    skips: {},
  }));
  return {
    window: { start: new Date('2026-11-13T16:00:00Z'), end: new Date('2026-11-20T16:00:00Z') },
    today: '2026-11-20',
    answers,
    history: filler,
    reviews: [],
    afterActions: [],
    skips: {},
    notes: [],
    questions: [],
    members: 6,
    privacy: { minVoicesForAnonymousQuotes: minVoices },
  };
}

describe('quotes and privacy', () => {
  const line = 'The keys for the storeroom went missing again before the session.';

  it('quotes anonymous answers only when at least three named people answered that week', () => {
    const twoNamed = smallWeek([
      answer({ id: '1', kind: 'anonymous', userId: null, text: line }),
      answer({ id: '2', kind: 'anonymous', userId: null, text: `Storeroom keys: ${line}` }),
      answer({
        id: '3',
        userId: 'U0BEN',
        kind: 'private',
        text: 'Nobody could find the storeroom keys this morning.',
      }),
      answer({
        id: '4',
        userId: 'U0CAL',
        kind: 'private',
        text: 'Storeroom keys were lost, so we waited outside.',
      }),
    ]);
    const theme = analyseDigest(twoNamed).themes.find((found) => found.label.includes('storeroom'));
    expect(theme).toBeDefined();
    expect(theme?.quotes).toEqual([]);

    const threeNamed = smallWeek([
      ...twoNamed.answers,
      answer({ id: '5', userId: 'U0DEV', text: 'Lovely session with the families.' }),
    ]);
    const quoted = analyseDigest(threeNamed).themes.find((found) => found.label.includes('storeroom'));
    // The two anonymous answers are near-duplicates: one of them is quoted, once.
    const quotedIds = quoted?.quotes.map((quote) => quote.sourceId) ?? [];
    expect(quotedIds.filter((id) => id === '1' || id === '2')).toHaveLength(1);
    expect(quotedIds).not.toContain('3');
    expect(quotedIds).not.toContain('4');
  });

  it('never goes below three, whatever the setting says', () => {
    const input = smallWeek(
      [
        answer({ id: '1', kind: 'anonymous', userId: null, text: line }),
        answer({ id: '2', userId: 'U0BEN', text: 'Nobody could find the storeroom keys this morning.' }),
        answer({ id: '3', userId: 'U0CAL', text: 'Storeroom keys were lost, so we waited outside.' }),
      ],
      1,
    );
    const theme = analyseDigest(input).themes.find((found) => found.label.includes('storeroom'));
    expect(theme?.quotes.map((quote) => quote.sourceId)).not.toContain('1');
  });

  it('quotes a private answer only when its author allowed it', () => {
    const input = smallWeek([
      answer({ id: '1', userId: 'U0ADA', kind: 'private', quotable: true, text: line }),
      answer({
        id: '2',
        userId: 'U0BEN',
        kind: 'private',
        text: 'Nobody could find the storeroom keys this morning.',
      }),
      answer({
        id: '3',
        userId: 'U0CAL',
        kind: 'private',
        text: 'Storeroom keys were lost, so we waited outside.',
      }),
    ]);
    const theme = analyseDigest(input).themes.find((found) => found.label.includes('storeroom'));
    expect(theme?.quotes.map((quote) => quote.sourceId)).toEqual(['1']);
    expect(theme?.evidence).toHaveLength(3);
  });

  it('counts one person pasting the same answer three times as one, not as a theme', () => {
    const input = smallWeek([
      answer({ id: '1', text: line }),
      answer({ id: '2', text: line }),
      answer({ id: '3', text: line }),
      // A second voice about something else: the pasted words are still one person's.
      answer({ id: '4', userId: 'U0BEN', text: 'Lovely afternoon with the families.' }),
    ]);
    expect(analyseDigest(input).themes).toEqual([]);
  });

  it('stays quiet about a week in which nothing happened', () => {
    expect(analyseDigest(smallWeek([])).quiet).toBe(true);
    expect(analyseDigest(smallWeek([answer({ id: '1', text: 'Fine week.' })])).quiet).toBe(false);
  });
});
