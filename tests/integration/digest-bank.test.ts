import { WebClient } from '@slack/web-api';
import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AnalysisAsRead,
  digestQuarter,
  judgeDigest,
  patternFound,
  plainText,
  type RenderedDigest,
  scoreQuarter,
  type WeekDigest,
} from '../../bench/digest-quality.js';
import { createDatabase, type DatabaseHandle } from '../../src/db/client.js';
import { beforeActionReviews } from '../../src/db/schema.js';
import { textFeatures } from '../../src/domain/digest/text.js';
import { createTestDatabase, DRIVERS, type TestDatabase } from '../support/databases.js';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack.js';
import {
  BANK_WEEKS,
  type BankQuarter,
  bankSpecs,
  digestBank,
  mentions,
  PATTERN_KINDS,
  type PatternKind,
  type PlantedPattern,
  phraseWords,
  SYNONYM_FAMILIES,
  sameWord,
  wordsOf,
} from '../support/synthetic-bank.js';

const bank = digestBank();
const planted = bank.filter((quarter) => !quarter.quiet);
const quiet = bank.filter((quarter) => quarter.quiet);

const inWeek = (quarter: BankQuarter, week: number) =>
  quarter.team.answers.filter((answer) => answer.week === week);
const voicesIn = (quarter: BankQuarter, week: number) =>
  new Set(inWeek(quarter, week).flatMap((answer) => (answer.userId ? [answer.userId] : []))).size;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

describe('the digest bank', () => {
  it('holds thirty planted and thirty quiet quarters of thirteen weeks, teams of two to twelve, every kind planted', () => {
    expect(planted.length).toBeGreaterThanOrEqual(30);
    expect(quiet.length).toBeGreaterThanOrEqual(30);
    for (const quarter of bank) expect(quarter.team.weeks).toBe(BANK_WEEKS);
    for (const quarters of [planted, quiet])
      expect(new Set(quarters.map((quarter) => quarter.people.length))).toEqual(
        new Set([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]),
      );
    expect(new Set(bank.map((quarter) => quarter.seed)).size).toBe(bank.length);
    expect(new Set(bankSpecs().map((spec) => spec.answerRate)).size).toBeGreaterThanOrEqual(6);
    for (const kind of PATTERN_KINDS)
      expect(
        planted.flatMap((quarter) => quarter.plants).filter((plant) => plant.kind === kind).length,
        kind,
      ).toBeGreaterThanOrEqual(8);
  });

  it('comes out the same every time, and words the same pattern differently from quarter to quarter', () => {
    const again = digestBank();
    expect(again.map((quarter) => quarter.team.answers.map((answer) => answer.text))).toEqual(
      bank.map((quarter) => quarter.team.answers.map((answer) => answer.text)),
    );
    const newThemeTexts = planted.flatMap((quarter) =>
      quarter.team.answers.filter((answer) => answer.plant === 'new_theme').map((answer) => answer.text),
    );
    expect(new Set(newThemeTexts).size).toBeGreaterThan(newThemeTexts.length * 0.9);
  });

  it('plants each pattern in its week, as it says', () => {
    for (const quarter of planted)
      for (const pattern of quarter.plants) {
        const where = `${quarter.id} ${pattern.kind} week ${pattern.week}`;
        const { week, phrase } = pattern;
        const saying = (at: number, wording = phrase) =>
          inWeek(quarter, at).filter((answer) => mentions(answer.text, wording));
        const peopleSaying = (at: number) =>
          new Set(saying(at).flatMap((answer) => (answer.userId ? [answer.userId] : []))).size;
        const before = Array.from({ length: week - 1 }, (_, index) => saying(index + 1).length);
        const reviewsNaming = (wording: string) =>
          quarter.team.reviews.filter((review) => mentions(review.anticipatedChallenges, wording));
        const afterOf = (at: number) => quarter.team.afterActions.filter((after) => after.week === at);
        const reviewOf = (key: string) => quarter.team.reviews.find((review) => review.key === key);
        switch (pattern.kind) {
          case 'new_theme':
            expect(peopleSaying(week), where).toBeGreaterThanOrEqual(3);
            expect(
              before.every((count) => count === 0),
              where,
            ).toBe(true);
            break;
          case 'rising_theme':
          case 'rising_theme_dropped_week': {
            const earlierAnswers = Array.from(
              { length: week - 1 },
              (_, index) => inWeek(quarter, index + 1).length,
            );
            const earlierShare =
              before.reduce((a, b) => a + b, 0) / earlierAnswers.reduce((a, b) => a + b, 0);
            expect(before.filter((count) => count > 0).length, where).toBeGreaterThanOrEqual(2);
            expect(earlierShare, where).toBeLessThan(0.2);
            expect(peopleSaying(week), where).toBeGreaterThanOrEqual(3);
            expect(saying(week).length / inWeek(quarter, week).length, where).toBeGreaterThan(
              2 * earlierShare,
            );
            break;
          }
          case 'small_team_topic': {
            const answered = new Set(inWeek(quarter, week).map((answer) => answer.userId));
            expect(quarter.people.length, where).toBeLessThanOrEqual(3);
            expect(answered.size, where).toBeGreaterThanOrEqual(2);
            for (const person of answered)
              expect(
                saying(week).some((answer) => answer.userId === person),
                where,
              ).toBe(true);
            expect(
              before.every((count) => count === 0),
              where,
            ).toBe(true);
            break;
          }
          case 'synonym_theme': {
            const wordings = [phrase, ...pattern.synonyms];
            const onTopic = inWeek(quarter, week).filter((answer) =>
              wordings.some((wording) => mentions(answer.text, wording)),
            );
            expect(onTopic.length, where).toBeGreaterThanOrEqual(4);
            expect(new Set(onTopic.map((answer) => answer.about)).size, where).toBe(3);
            // No one word is in three of them: only their shared meaning makes a theme.
            const termCounts = new Map<string, number>();
            for (const answer of onTopic)
              for (const term of textFeatures(answer.text).terms)
                termCounts.set(term, (termCounts.get(term) ?? 0) + 1);
            expect(Math.max(...termCounts.values()), where).toBeLessThan(3);
            for (const earlier of [week - 1, week - 2])
              expect(
                wordings.some((wording) => saying(earlier, wording).length > 0),
                where,
              ).toBe(true);
            break;
          }
          case 'privately_raised':
            expect(voicesIn(quarter, week), where).toBeGreaterThanOrEqual(5);
            expect(saying(week).length, where).toBeGreaterThanOrEqual(3);
            expect(
              saying(week).every((answer) => answer.kind !== 'thread'),
              where,
            ).toBe(true);
            break;
          case 'breadth_drop': {
            const usual = median(
              Array.from({ length: week - 1 }, (_, index) => voicesIn(quarter, index + 1)),
            );
            expect(voicesIn(quarter, week), where).toBeLessThanOrEqual(3);
            expect(usual, where).toBeGreaterThanOrEqual(6);
            expect(
              inWeek(quarter, week).some((answer) => answer.kind === 'anonymous'),
              where,
            ).toBe(false);
            break;
          }
          case 'skip_spike': {
            const unsafe = quarter.team.skips.filter(
              (skip) => skip.week === week && skip.reason === 'not_safe',
            );
            expect(unsafe.length, where).toBeGreaterThanOrEqual(3);
            for (const skip of unsafe)
              expect(
                inWeek(quarter, week).some((answer) => answer.userId === skip.userId),
                where,
              ).toBe(false);
            break;
          }
          case 'recurring_challenge':
          case 'two_challenges': {
            const loops = [
              ...reviewsNaming(phrase).map((review) => ({ loop: review.key, week: review.week })),
              ...quarter.team.afterActions
                .filter((after) => mentions(after.whyDifferent, phrase))
                .map((after) => ({ loop: after.reviewKey, week: after.week })),
            ];
            expect(new Set(loops.map((loop) => loop.loop)).size, where).toBeGreaterThanOrEqual(3);
            expect(new Set(loops.map((loop) => loop.week)).size, where).toBeGreaterThanOrEqual(2);
            expect(Math.max(...loops.map((loop) => loop.week)), where).toBe(week);
            if (pattern.kind === 'two_challenges') {
              const both = reviewsNaming(phrase).filter((review) =>
                mentions(review.anticipatedChallenges, pattern.second ?? ''),
              );
              expect(both.length, where).toBe(3);
            }
            break;
          }
          case 'surprise':
          case 'surprise_shared_word': {
            const after = afterOf(week).find((candidate) => mentions(candidate.whyDifferent, phrase));
            const anticipated = wordsOf(reviewOf(after?.reviewKey ?? '')?.anticipatedChallenges ?? '');
            const shared = phraseWords(after?.whyDifferent ?? '').filter((word) =>
              anticipated.some((other) => sameWord(word, other)),
            );
            expect(after, where).toBeDefined();
            if (pattern.kind === 'surprise') expect(shared, where).toEqual([]);
            else expect(shared.length, where).toBeGreaterThanOrEqual(1);
            expect(mentions(anticipated.join(' '), phrase), where).toBe(false);
            break;
          }
          case 'refuted_hypothesis': {
            const refuted = afterOf(week).filter((after) => after.verdict === 'not_borne_out');
            expect(
              refuted.map((after) => reviewOf(after.reviewKey)?.action),
              where,
            ).toEqual([phrase]);
            break;
          }
          case 'strength_cause':
            expect(
              afterOf(week).some(
                (after) => after.verdict === 'borne_out' && mentions(after.whyDifferent, phrase),
              ),
              where,
            ).toBe(true);
            break;
        }
      }
  });

  it('keeps quiet quarters free of anything above chance', () => {
    for (const quarter of quiet) {
      expect(quarter.plants).toEqual([]);
      expect(quarter.team.answers.every((answer) => answer.plant === null)).toBe(true);
      const termWeeks = new Map<string, Set<number>>();
      const byWeek = new Map<number, Map<string, Set<string>>>();
      for (const answer of quarter.team.answers) {
        const people = byWeek.get(answer.week) ?? new Map<string, Set<string>>();
        byWeek.set(answer.week, people);
        for (const term of textFeatures(answer.text).terms) {
          termWeeks.set(term, (termWeeks.get(term) ?? new Set()).add(answer.week));
          people.set(term, (people.get(term) ?? new Set()).add(answer.userId ?? `anonymous-${answer.text}`));
        }
      }
      for (let week = 1; week <= BANK_WEEKS; week += 1) {
        const where = `${quarter.id} week ${week}`;
        // An everyday topic is one person's in a week.
        const abouts = inWeek(quarter, week).map(
          (answer) => `${answer.about}:${answer.userId ?? 'anonymous'}`,
        );
        const topics = new Set(abouts.map((about) => about.split(':')[0]));
        expect(topics.size, where).toBe(new Set(abouts).size);
        const answered = new Set(inWeek(quarter, week).map((answer) => answer.userId ?? 'anonymous'));
        for (const [term, people] of byWeek.get(week) ?? []) {
          // Three people sharing a word is chance only for the background words of most weeks.
          if (people.size >= 3)
            expect((termWeeks.get(term)?.size ?? 0) >= BANK_WEEKS / 2, `${where} ${term}`).toBe(true);
          // In a small team, a week all about one thing would be a pattern.
          if (quarter.people.length <= 3 && answered.size >= 2)
            expect(people.size, `${where} ${term}`).toBeLessThan(answered.size);
        }
        expect(
          quarter.team.skips.filter((skip) => skip.week === week && skip.reason === 'not_safe').length,
          where,
        ).toBeLessThan(3);
      }
      // No anticipated challenge or cause is named in three loops.
      const loopsOf = new Map<string, Set<string>>();
      const name = (text: string, loop: string) => {
        for (const term of textFeatures(text).terms)
          loopsOf.set(term, (loopsOf.get(term) ?? new Set()).add(loop));
      };
      for (const review of quarter.team.reviews) name(review.anticipatedChallenges, review.key);
      for (const after of quarter.team.afterActions) name(after.whyDifferent, after.reviewKey);
      for (const [term, loops] of loopsOf) expect(loops.size, `${quarter.id} ${term}`).toBeLessThan(3);
    }
  });
});

// ---- the judge, on hand-made digests ----

const NOTHING_RENDERED: RenderedDigest = { top: '', details: '' };
const pattern = (kind: PatternKind, phrase: string, more: Partial<PlantedPattern> = {}): PlantedPattern => ({
  kind,
  week: 5,
  phrase,
  synonyms: [],
  second: null,
  ...more,
});
const reads = (analysis: AnalysisAsRead, planted: PlantedPattern, rendered = NOTHING_RENDERED) =>
  judgeDigest(analysis, rendered).reports(planted);

describe('judging a digest', () => {
  const backlog = pattern('new_theme', 'referral backlog');

  it('finds a theme by every word of its phrase, in any order or inflection, under its label or its term', () => {
    expect(reads({ themes: [{ label: 'Referrals backlog', trend: 'new' }] }, backlog)).toBe(true);
    expect(reads({ themes: [{ term: 'backlog · referral', trend: 'rising' }] }, backlog)).toBe(true);
    expect(reads({ themes: [{ term: 'backlog', trend: 'new' }] }, backlog)).toBe(false);
    expect(reads({ themes: [{ label: 'handover', term: 'referral backlog', trend: 'new' }] }, backlog)).toBe(
      false,
    );
    // Only an emerging theme announces something new; one that has been there for weeks does not.
    expect(reads({ themes: [{ label: 'referral backlog', trend: 'persistent' }] }, backlog)).toBe(false);
    expect(
      reads(
        { themes: [{ label: 'youth club', trend: 'dominant' }] },
        pattern('small_team_topic', 'youth club'),
      ),
    ).toBe(true);
  });

  it('accepts the phrase said by the rendered message or thread, but not inside a quote', () => {
    expect(reads({}, backlog, { top: '• *Referral backlog*: new', details: '' })).toBe(true);
    expect(reads({}, backlog, { top: '', details: '> The referral backlog grew again (source)' })).toBe(
      false,
    );
  });

  it('gathers the wordings of one topic: any of them may name the theme', () => {
    const family = SYNONYM_FAMILIES[0]?.map((member) => member.phrase) ?? [];
    const synonyms = pattern('synonym_theme', family[0] ?? '', { synonyms: family.slice(1) });
    expect(reads({ themes: [{ label: 'hiring', trend: 'rising' }] }, synonyms)).toBe(true);
    expect(reads({ themes: [{ label: 'recruiting volunteers', trend: 'persistent' }] }, synonyms)).toBe(true);
    expect(reads({ themes: [{ label: 'volunteer', trend: 'rising' }] }, synonyms)).toBe(false);
    expect(reads({ themes: [{ label: 'hiring', trend: 'fading' }] }, synonyms)).toBe(false);
  });

  it('counts a theme as privately raised only when the digest says so, however it spells it', () => {
    const privately = pattern('privately_raised', 'referral backlog');
    const flagged = { label: 'referral backlog', trend: 'new', raisedPrivately: true };
    expect(reads({ themes: [flagged] }, privately)).toBe(true);
    expect(reads({ themes: [{ label: 'referral backlog', trend: 'new' }] }, privately)).toBe(false);
    const otherwiseNamed = { label: 'referral backlog', trend: 'new', saidPrivately: true };
    expect(reads({ themes: [otherwiseNamed] }, privately)).toBe(true);
    const ownList = { themes: [], privateThemes: [{ label: 'referral backlog' }] };
    expect(reads(ownList, privately)).toBe(true);
    expect(
      reads({}, privately, { top: '', details: '*Raised privately*: referral backlog, in 3 answers' }),
    ).toBe(true);
    expect(judgeDigest({ themes: [flagged] }, NOTHING_RENDERED).alarms).toEqual([
      { type: 'private_theme', label: 'referral backlog' },
    ]);
  });

  it('counts two challenges in one field only when they are told apart', () => {
    const two = pattern('two_challenges', 'finance approval', { second: 'room too small' });
    expect(reads({ recurringChallenges: [{ term: 'finance approval · room · small' }] }, two)).toBe(false);
    expect(
      reads({ recurringChallenges: [{ label: 'finance approval' }, { label: 'room too small' }] }, two),
    ).toBe(true);
    expect(reads({ recurringChallenges: [{ label: 'finance approval' }] }, two)).toBe(false);
  });

  it('raises an alarm for a challenge that recurs, not for one that is still circling', () => {
    const alarmsOf = (status?: string) =>
      judgeDigest(
        { recurringChallenges: [{ label: 'rota gaps', ...(status ? { status } : {}) }] },
        NOTHING_RENDERED,
      ).alarms;
    expect(alarmsOf('first')).toEqual([{ type: 'challenge', label: 'rota gaps' }]);
    expect(alarmsOf('again')).toHaveLength(1);
    expect(alarmsOf('circling')).toEqual([]);
    expect(alarmsOf()).toHaveLength(1);
    expect(
      reads(
        { recurringChallenges: [{ label: 'rota gaps', status: 'circling' }] },
        pattern('recurring_challenge', 'rota gaps'),
      ),
    ).toBe(true);
  });

  it('names a surprise by its label or its unforeseen words; a shared-word surprise must be named by the rest', () => {
    const collision = pattern('surprise_shared_word', 'venue double-booked');
    const surpriseOf = (unanticipated: string[], quote: string) => ({
      hypotheses: { surprises: [{ unanticipated, quote: { text: quote } }] },
    });
    const venueQuote = 'The venue was double-booked and we moved rooms.';
    expect(reads(surpriseOf(['book', 'double', 'venue'], venueQuote), collision)).toBe(true);
    expect(reads(surpriseOf(['move', 'room'], venueQuote), collision)).toBe(false);
    expect(
      reads(
        { hypotheses: { surprises: [{ label: 'the venue was double-booked', unanticipated: ['room'] }] } },
        collision,
      ),
    ).toBe(true);
    // A wholly unforeseen cause is the surprise whichever of its words are picked.
    const waterMain = pattern('surprise', 'water main');
    expect(
      reads(
        surpriseOf(['burst', 'close', 'main', 'outside'], 'A burst water main closed the road outside.'),
        waterMain,
      ),
    ).toBe(true);
    expect(reads({ hypotheses: { surprises: [] } }, waterMain)).toBe(false);
  });

  it('finds a strength when it is not reported as a surprise or a challenge', () => {
    const strength = pattern('strength_cause', 'preparation agenda');
    const clean = judgeDigest({ hypotheses: { surprises: [] } }, NOTHING_RENDERED);
    const asSurprise = judgeDigest(
      {
        hypotheses: {
          surprises: [
            { unanticipated: ['clear', 'good'], quote: { text: 'Good preparation and a clear agenda.' } },
          ],
        },
      },
      NOTHING_RENDERED,
    );
    const asChallenge = judgeDigest({ recurringChallenges: [{ label: 'clear agenda' }] }, NOTHING_RENDERED);
    expect(patternFound(strength, [clean, null])).toBe(true);
    expect(patternFound(strength, [clean, asSurprise])).toBe(false);
    expect(patternFound(strength, [asChallenge])).toBe(false);
  });

  it('looks in the pattern’s week and the next, where a week without a digest shows nothing', () => {
    const shown = judgeDigest({ themes: [{ label: 'referral backlog', trend: 'new' }] }, NOTHING_RENDERED);
    const empty = judgeDigest({ themes: [] }, NOTHING_RENDERED);
    expect(patternFound(backlog, [empty, shown])).toBe(true);
    expect(patternFound(backlog, [null, empty])).toBe(false);
  });

  it('reads verdicts, drops and spikes, and raises an alarm for each drop, spike and surprise', () => {
    expect(
      reads(
        { hypotheses: { verdicts: { not_borne_out: 1 } } },
        pattern('refuted_hypothesis', 'Open the club'),
      ),
    ).toBe(true);
    expect(
      reads(
        { hypotheses: { verdicts: { not_borne_out: 0 } } },
        pattern('refuted_hypothesis', 'Open the club'),
      ),
    ).toBe(false);
    expect(reads({ voices: { drop: { current: 2, usual: 8 } } }, pattern('breadth_drop', '2 of 8'))).toBe(
      true,
    );
    expect(reads({ voices: { drop: null } }, pattern('breadth_drop', '2 of 8'))).toBe(false);
    expect(reads({ skipSpikes: [{ reason: 'not_safe' }] }, pattern('skip_spike', 'not safe to say'))).toBe(
      true,
    );
    expect(reads({ skipSpikes: [{ reason: 'no_capacity' }] }, pattern('skip_spike', 'not safe to say'))).toBe(
      false,
    );
    const judged = judgeDigest(
      {
        themes: [
          { label: 'minibus', trend: 'persistent' },
          { label: 'printer', trend: 'fading' },
        ],
        voices: { drop: { current: 2, usual: 8 } },
        skipSpikes: [{ reason: 'not_safe' }],
        hypotheses: { surprises: [{ unanticipated: ['power', 'cut'] }] },
      },
      NOTHING_RENDERED,
    );
    expect(judged.alarms.map((alarm) => alarm.type).sort()).toEqual([
      'skip_spike',
      'surprise',
      'voices_drop',
    ]);
  });

  it('tells which reported items carry the ids and links of their evidence', () => {
    const judged = judgeDigest(
      {
        themes: [
          {
            label: 'minibus',
            trend: 'new',
            evidence: ['r1'],
            quotes: [{ text: 'x', link: { channelId: 'C1', ts: '1.2' } }],
          },
          { label: 'printer', trend: 'new', evidence: [], quotes: [{ text: 'y', link: null }] },
        ],
        recurringChallenges: [{ label: 'rota gaps', evidence: { reviews: ['b1'], afterActions: [] } }],
      },
      NOTHING_RENDERED,
    );
    expect(judged.items).toEqual([
      { type: 'theme', label: 'minibus', ids: true, link: true },
      { type: 'theme', label: 'printer', ids: false, link: false },
      { type: 'challenge', label: 'rota gaps', ids: true, link: false },
    ]);
  });

  it('reads Block Kit as the words a reader sees', () => {
    expect(
      plainText({
        text: 'fallback',
        blocks: [
          { type: 'header', text: { type: 'plain_text', text: 'Weekly learning digest' } },
          { type: 'section', text: { type: 'mrkdwn', text: '*Rota* &amp; <https://x.slack.com/p1|source>' } },
          { type: 'context', elements: [{ type: 'mrkdwn', text: 'Quotes never carry names.' }] },
          {
            type: 'actions',
            elements: [{ type: 'button', text: { type: 'plain_text', text: 'Useful' }, action_id: 'a' }],
          },
        ],
      }),
    ).toBe('Weekly learning digest\n*Rota* & source\nQuotes never carry names.');
  });
});

// ---- a few quarters through the database, as the bench runs them ----

const SCOPE = { teamId: 'T0BANK', enterpriseId: null };
const chosen = (id: string) => bank.find((quarter) => quarter.id === id) as BankQuarter;
/** A pair of two-person teams and a pair of larger teams, one each planted and quiet. */
const THROUGH_THE_DATABASE = [
  chosen('planted-3'),
  chosen('planted-21'),
  chosen('quiet-1'),
  chosen('quiet-7'),
];

describe.each(DRIVERS)('bank quarters digested from the database (%s)', (driver) => {
  let testDatabase: TestDatabase;
  let handle: DatabaseHandle;
  let slack: FakeSlack;
  const digests = new Map<string, Map<number, WeekDigest | null>>();

  beforeAll(async () => {
    testDatabase = await createTestDatabase(driver);
    handle = createDatabase(testDatabase.settings);
    await handle.migrate();
    slack = await startFakeSlack({ teamId: SCOPE.teamId });
    const client = new WebClient('xoxb-bank', { slackApiUrl: slack.url, retryConfig: { retries: 0 } });
    for (const [index, quarter] of THROUGH_THE_DATABASE.entries())
      digests.set(quarter.id, await digestQuarter(handle, slack, client, SCOPE, `C0TEST${index}`, quarter));
  }, 120_000);

  afterAll(async () => {
    await handle?.close();
    await slack?.close();
    await testDatabase?.drop();
  });

  it('holds, for each week’s digest, only what had been written by then', async () => {
    for (const [index, quarter] of THROUGH_THE_DATABASE.entries())
      for (const week of [2, 7, BANK_WEEKS]) {
        const [row] = await handle.db
          .select({ reviews: count() })
          .from(beforeActionReviews)
          .where(
            and(
              eq(beforeActionReviews.teamId, SCOPE.teamId),
              eq(beforeActionReviews.channelId, `C0TEST${index}W${String(week).padStart(2, '0')}`),
            ),
          );
        expect(row?.reviews, `${quarter.id} week ${week}`).toBe(
          quarter.team.reviews.filter((review) => review.createdAt < quarter.team.digestAt(week)).length,
        );
      }
  });

  it('reads back each week as the bank wrote it', () => {
    for (const quarter of THROUGH_THE_DATABASE)
      for (let week = 2; week <= BANK_WEEKS; week += 1) {
        const where = `${quarter.id} week ${week}`;
        const digest = digests.get(quarter.id)?.get(week);
        if (inWeek(quarter, week).length > 0) expect(digest, where).toBeTruthy();
        if (!digest) continue;
        const numbers = digest.analysis.numbers;
        expect(numbers.answers, where).toBe(inWeek(quarter, week).length);
        expect(numbers.voices, where).toBe(voicesIn(quarter, week));
        expect(numbers.members, where).toBe(quarter.people.length);
        expect(numbers.skips.not_safe, where).toBe(
          quarter.team.skips.filter((skip) => skip.week === week && skip.reason === 'not_safe').length,
        );
        expect(numbers.aarsClosed, where).toBe(
          quarter.team.afterActions.filter((after) => after.week === week).length,
        );
        expect(digest.rendered.top, where).toMatch(/answers?\*? from/);
        expect(digest.rendered.top + digest.rendered.details, where).not.toMatch(/<https?:|&amp;/);
      }
  });

  it('judges every digest and every plant, alarms only in quiet quarters', () => {
    for (const quarter of THROUGH_THE_DATABASE) {
      const weekly = digests.get(quarter.id) as Map<number, WeekDigest | null>;
      const score = scoreQuarter(quarter, weekly);
      expect(score.plants.map((plant) => plant.pattern)).toEqual(quarter.plants);
      expect(score.plants.every((plant) => typeof plant.found === 'boolean')).toBe(true);
      expect(score.digests).toBe([...weekly.values()].filter(Boolean).length);
      if (!quarter.quiet) expect(score.alarms).toEqual([]);
      for (const digest of weekly.values()) {
        if (!digest) continue;
        const analysis = digest.analysis;
        // Every theme, challenge and surprise the analysis holds is read as an item, with a name.
        expect(digest.judgement.items.length).toBe(
          analysis.themes.length + analysis.recurringChallenges.length + analysis.hypotheses.surprises.length,
        );
        for (const item of digest.judgement.items) expect(item.label.trim()).not.toBe('');
      }
    }
  });
});
