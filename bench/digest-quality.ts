import { performance } from 'node:perf_hooks';
import { WebClient } from '@slack/web-api';
import type { DatabaseHandle } from '../src/db/client.js';
import { createDatabase } from '../src/db/client.js';
import type { WorkspaceScope } from '../src/db/queries/scope.js';
import type { DigestAnalysis } from '../src/domain/digest/analyse.js';
import { createLogger } from '../src/logger.js';
import { gatherDigest } from '../src/services/digest.js';
import { buildDigestDetails, buildDigestTop } from '../src/slack/views/digest.js';
import type { SlackMessage } from '../src/slack/views/message.js';
import { createTestDatabase, type Driver } from '../tests/support/databases.js';
import { type FakeSlack, startFakeSlack } from '../tests/support/fake-slack.js';
import { LogCapture } from '../tests/support/harness.js';
import { seedSyntheticTeam } from '../tests/support/seed-digest.js';
import {
  BANK_WEEKS,
  type BankQuarter,
  digestBank,
  mentions,
  mentionsAny,
  NON_PATTERN_KINDS,
  PATTERN_KINDS,
  type PlantedPattern,
} from '../tests/support/synthetic-bank.js';

/**
 * How well the weekly digest finds what a team's words hold: every quarter of the synthetic bank is
 * seeded into a scratch database and digested week by week as the scheduler would, through
 * gatherDigest and the views. For each planted pattern, whether its week's digest (or the next) shows
 * it; for the quiet quarters, how many alarms each digest raises about nothing.
 */

// ---- reading a digest ----

/** A digest as a reader sees it: the channel message and the thread's details, as plain text. */
export interface RenderedDigest {
  top: string;
  details: string;
}

interface QuoteAsRead {
  text?: string;
  sourceId?: string;
  link?: unknown;
}
interface ThemeAsRead {
  label?: string;
  term?: string;
  trend?: string;
  raisedPrivately?: boolean;
  evidence?: unknown;
  quotes?: readonly QuoteAsRead[];
}
interface ChallengeAsRead {
  label?: string;
  term?: string;
  status?: string;
  evidence?: unknown;
  quotes?: readonly QuoteAsRead[];
}
interface SurpriseAsRead {
  label?: string;
  unanticipated?: readonly string[];
  afterActionId?: string;
  quote?: QuoteAsRead;
}

/**
 * What the judge reads of an analysis. Every field is optional and loosely typed, so that while the
 * analysis changes shape a renamed field is read as missing rather than breaking the measurement.
 */
export interface AnalysisAsRead {
  themes?: readonly ThemeAsRead[];
  recurringChallenges?: readonly ChallengeAsRead[];
  hypotheses?: {
    verdicts?: Partial<Record<string, number>>;
    closed?: readonly { action?: string; verdict?: string | null }[];
    surprises?: readonly SurpriseAsRead[];
  };
  voices?: { drop?: unknown };
  skipSpikes?: readonly { reason?: string }[];
}

export type AlarmType = 'theme' | 'private_theme' | 'surprise' | 'challenge' | 'voices_drop' | 'skip_spike';

export interface ReportedItem {
  type: 'theme' | 'private_theme' | 'challenge' | 'surprise';
  label: string;
  /** Carries the ids of the records behind it. */
  ids: boolean;
  /** Links to a message a reader can open. */
  link: boolean;
}

export interface Judgement {
  /** What a digest of a quiet week should not have said. */
  alarms: { type: AlarmType; label: string }[];
  /** Every theme, challenge and surprise it reported, with whether its evidence can be traced. */
  items: ReportedItem[];
  /** Whether it reports the pattern: shows a theme or challenge by its words, a surprise, a drop… For a
   *  strength, whether it wrongly reports it as a surprise or a challenge. */
  reports(pattern: PlantedPattern): boolean;
}

const ANNOUNCED_TRENDS: ReadonlySet<string> = new Set(['new', 'rising', 'dominant']);

/** True for a field naming privacy ("raisedPrivately", trend "private"), however the analysis spells it. */
function saysPrivately(item: object): boolean {
  return Object.entries(item).some(
    ([key, value]) =>
      (/privat/i.test(key) && value === true) ||
      (['trend', 'kind', 'source', 'origin'].includes(key) &&
        typeof value === 'string' &&
        /privat/i.test(value)),
  );
}

/** A challenge line that only says it is still circling announces nothing new. */
function onlyCircling(challenge: object): boolean {
  return Object.entries(challenge).some(
    ([key, value]) =>
      !['label', 'term'].includes(key) && typeof value === 'string' && /circl|^still/i.test(value),
  );
}

function hasIds(value: unknown): boolean {
  if (typeof value === 'string') return value.length > 0;
  if (Array.isArray(value)) return value.some(hasIds);
  if (value && typeof value === 'object') return Object.values(value).some(hasIds);
  return false;
}

function hasLink(quotes: readonly (QuoteAsRead | undefined)[]): boolean {
  return quotes.some((quote) => Boolean(quote?.link));
}

/**
 * Reads one digest: what it reports, what it raises as an alarm, and whether each item's evidence can
 * be traced. Names are read as `label ?? term`, a surprise as `label ?? unanticipated`; a phrase also
 * counts when the rendered message or thread says it outside a quote (quotes are people's words, not
 * the digest's). Phrases match by their words, in any order or inflection.
 */
export function judgeDigest(analysis: AnalysisAsRead, rendered: RenderedDigest): Judgement {
  const themes = (analysis.themes ?? []).map((theme) => ({
    label: theme.label ?? theme.term ?? '',
    trend: String(theme.trend ?? ''),
    privately: saysPrivately(theme),
    ids: hasIds(theme.evidence),
    link: hasLink(theme.quotes ?? []),
  }));
  // A privately raised theme may also come in a list of its own.
  const privateLists = Object.entries(analysis).flatMap(([key, value]) =>
    /privat/i.test(key) && Array.isArray(value) ? (value as ThemeAsRead[]) : [],
  );
  const privateThemes = [
    ...themes.filter((theme) => theme.privately),
    ...privateLists.map((theme) => ({
      label: theme.label ?? theme.term ?? '',
      ids: hasIds(theme.evidence),
      link: hasLink(theme.quotes ?? []),
    })),
  ];
  const announced = themes.filter((theme) => ANNOUNCED_TRENDS.has(theme.trend) && !theme.privately);
  const challenges = (analysis.recurringChallenges ?? []).map((challenge) => ({
    label: challenge.label ?? challenge.term ?? '',
    circling: onlyCircling(challenge),
    ids: hasIds(challenge.evidence),
    link: hasLink(challenge.quotes ?? []),
  }));
  const surprises = (analysis.hypotheses?.surprises ?? []).map((surprise) => ({
    label: surprise.label ?? (surprise.unanticipated ?? []).join(' '),
    quote: surprise.quote?.text ?? '',
    ids: hasIds(surprise.afterActionId) || hasIds(surprise.quote?.sourceId),
    link: hasLink([surprise.quote]),
  }));
  const lines = `${rendered.top}\n${rendered.details}`
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !line.startsWith('>'));
  const said = (phrase: string, also: RegExp = /./) =>
    lines.some((line) => mentions(line, phrase) && also.test(line));
  const named = (items: readonly { label: string }[], phrase: string) =>
    items.some((item) => mentions(item.label, phrase));

  const reports = (pattern: PlantedPattern): boolean => {
    const { phrase } = pattern;
    switch (pattern.kind) {
      case 'new_theme':
      case 'rising_theme':
      case 'rising_theme_dropped_week':
      case 'small_team_topic':
        return named(announced, phrase) || named(privateThemes, phrase) || said(phrase);
      case 'synonym_theme': {
        const wordings = [phrase, ...pattern.synonyms];
        const shown = themes.filter((theme) => theme.trend !== 'fading');
        return wordings.some((wording) => named(shown, wording) || said(wording));
      }
      case 'privately_raised':
        return named(privateThemes, phrase) || said(phrase, /privat/i);
      case 'recurring_challenge':
        return named(challenges, phrase) || said(phrase);
      case 'two_challenges': {
        // Told apart: each challenge by an item (or a line) of its own.
        const second = pattern.second ?? '';
        const first = challenges.findIndex(
          (item) => mentions(item.label, phrase) && !mentions(item.label, second),
        );
        const other = challenges.findIndex(
          (item) => mentions(item.label, second) && !mentions(item.label, phrase),
        );
        const firstLine = lines.some((line) => mentions(line, phrase) && !mentions(line, second));
        const otherLine = lines.some((line) => mentions(line, second) && !mentions(line, phrase));
        return (first >= 0 || firstLine) && (other >= 0 || otherLine);
      }
      case 'surprise':
        // Anything in a wholly unforeseen cause is the surprise: reporting it with the cause quoted is enough.
        return (
          named(surprises, phrase) || surprises.some((item) => mentions(item.quote, phrase)) || said(phrase)
        );
      case 'surprise_shared_word':
        // A cause that shares a word with what was foreseen: the surprise must be named by the rest.
        return named(surprises, phrase) || said(phrase);
      case 'refuted_hypothesis':
        return (
          (analysis.hypotheses?.verdicts?.not_borne_out ?? 0) > 0 ||
          (analysis.hypotheses?.closed ?? []).some((closed) => closed.verdict === 'not_borne_out') ||
          said(phrase, /not borne out/i)
        );
      case 'breadth_drop':
        return Boolean(analysis.voices?.drop) || lines.some((line) => /fewer (voices|people)/i.test(line));
      case 'skip_spike':
        return (
          (analysis.skipSpikes ?? []).some((spike) => spike.reason === 'not_safe') ||
          lines.some((line) => /not safe to say/i.test(line) && /than usual/i.test(line))
        );
      case 'strength_cause':
        return (
          surprises.some((item) => mentionsAny(item.label, phrase) || mentionsAny(item.quote, phrase)) ||
          challenges.some((item) => mentionsAny(item.label, phrase))
        );
    }
  };

  const alarms: Judgement['alarms'] = [
    ...announced.map((theme) => ({ type: 'theme' as const, label: theme.label })),
    ...privateThemes.map((theme) => ({ type: 'private_theme' as const, label: theme.label })),
    ...surprises.map((surprise) => ({ type: 'surprise' as const, label: surprise.label })),
    ...challenges
      .filter((challenge) => !challenge.circling)
      .map((challenge) => ({ type: 'challenge' as const, label: challenge.label })),
    ...(analysis.voices?.drop ? [{ type: 'voices_drop' as const, label: 'fewer voices' }] : []),
    ...(analysis.skipSpikes ?? []).map((spike) => ({
      type: 'skip_spike' as const,
      label: spike.reason ?? '',
    })),
  ];
  const items: ReportedItem[] = [
    ...themes
      .filter((theme) => !theme.privately)
      .map(({ label, ids, link }) => ({ type: 'theme' as const, label, ids, link })),
    ...privateThemes.map(({ label, ids, link }) => ({ type: 'private_theme' as const, label, ids, link })),
    ...challenges.map(({ label, ids, link }) => ({ type: 'challenge' as const, label, ids, link })),
    ...surprises.map(({ label, ids, link }) => ({ type: 'surprise' as const, label, ids, link })),
  ];
  return { alarms, items, reports };
}

/**
 * Whether a pattern was found, from the digests of its week and the next (null: no digest was posted).
 * A strength is found when neither digest reports it as a problem.
 */
export function patternFound(pattern: PlantedPattern, judgements: readonly (Judgement | null)[]): boolean {
  const reported = judgements.some((judgement) => judgement?.reports(pattern) ?? false);
  return NON_PATTERN_KINDS.has(pattern.kind) ? !reported : reported;
}

/** Block Kit as plain text: every section, field, header and context text, with Slack's link markup
 *  read as its label and its escapes undone. Buttons and images say nothing a reader reads as the digest. */
export function plainText(message: SlackMessage): string {
  const texts: string[] = [];
  const add = (value: unknown) => {
    if (typeof value === 'string') texts.push(value);
    else if (value && typeof value === 'object' && 'text' in value && typeof value.text === 'string')
      texts.push(value.text);
  };
  for (const block of message.blocks ?? []) {
    if (block.type === 'actions') continue;
    if ('text' in block) add(block.text);
    if ('fields' in block && Array.isArray(block.fields)) for (const field of block.fields) add(field);
    if (block.type === 'context') for (const element of block.elements) add(element);
  }
  return texts
    .join('\n')
    .replace(/<([^<>|]+)\|([^<>]*)>/g, '$2')
    .replace(/<([^<>]+)>/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

// ---- running the bank ----

export interface WeekDigest {
  week: number;
  analysis: DigestAnalysis;
  rendered: RenderedDigest;
  judgement: Judgement;
}

/** The quarter as the database held it when week `week`'s digest was due: nothing from after it. */
export function quarterAsOf(quarter: BankQuarter, week: number): BankQuarter {
  const asOf = quarter.team.digestAt(week);
  const team = quarter.team;
  return {
    ...quarter,
    team: {
      ...team,
      weeks: week,
      answers: team.answers.filter((answer) => answer.createdAt < asOf),
      skips: team.skips.filter((skip) => skip.createdAt < asOf),
      reviews: team.reviews.filter((review) => review.createdAt < asOf),
      afterActions: team.afterActions.filter((after) => after.createdAt < asOf),
    },
  };
}

/** Puts a quarter into the database and its messages into the fake Slack, in a channel of its own. */
export async function seedQuarter(
  handle: DatabaseHandle,
  slack: FakeSlack,
  scope: WorkspaceScope,
  channelId: string,
  quarter: BankQuarter,
): Promise<void> {
  slack.addChannel({ id: channelId, isMember: true, members: [...quarter.people] });
  for (const message of await seedSyntheticTeam(handle.db, scope, channelId, quarter.team))
    slack.addMessage(message);
}

/**
 * The digest of every week from the second on, as the scheduler computes it at the week's end, each
 * from a channel holding only what had been written by then (reviews are read without an end date, so
 * a quarter seeded whole would lend earlier weeks its later reviews). A week the analysis calls quiet
 * is not posted, and maps to null.
 */
export async function digestQuarter(
  handle: DatabaseHandle,
  slack: FakeSlack,
  client: WebClient,
  scope: WorkspaceScope,
  channelPrefix: string,
  quarter: BankQuarter,
): Promise<Map<number, WeekDigest | null>> {
  const log = createLogger('silent', new LogCapture());
  const digests = new Map<number, WeekDigest | null>();
  for (let week = 2; week <= BANK_WEEKS; week += 1) {
    const channelId = `${channelPrefix}W${String(week).padStart(2, '0')}`;
    await seedQuarter(handle, slack, scope, channelId, quarterAsOf(quarter, week));
    const asOf = quarter.team.digestAt(week);
    const gathered = await gatherDigest({ db: handle.db, log, clock: () => asOf }, client, scope, {
      channelId,
      asOf,
    });
    if (gathered.analysis.quiet) {
      digests.set(week, null);
      continue;
    }
    const rendered = {
      top: plainText(buildDigestTop(gathered.view)),
      details: plainText(buildDigestDetails(gathered.view)),
    };
    digests.set(week, {
      week,
      analysis: gathered.analysis,
      rendered,
      judgement: judgeDigest(gathered.analysis, rendered),
    });
  }
  return digests;
}

export interface QuarterScore {
  plants: { pattern: PlantedPattern; found: boolean }[];
  digests: number;
  alarms: Judgement['alarms'];
  digestsWithAlarms: number;
  items: ReportedItem[];
}

/** A quarter's digests, scored: each plant found or not in its week or the next; alarms if quiet. */
export function scoreQuarter(
  quarter: BankQuarter,
  digests: ReadonlyMap<number, WeekDigest | null>,
): QuarterScore {
  const posted = [...digests.values()].filter((digest): digest is WeekDigest => digest !== null);
  const judgementOf = (week: number) => digests.get(week)?.judgement ?? null;
  return {
    plants: quarter.plants.map((pattern) => ({
      pattern,
      found: patternFound(
        pattern,
        [pattern.week, pattern.week + 1].filter((week) => week <= BANK_WEEKS).map(judgementOf),
      ),
    })),
    digests: posted.length,
    alarms: quarter.quiet ? posted.flatMap((digest) => digest.judgement.alarms) : [],
    digestsWithAlarms: quarter.quiet
      ? posted.filter((digest) => digest.judgement.alarms.length > 0).length
      : 0,
    items: posted.flatMap((digest) => digest.judgement.items),
  };
}

const SCOPE = { teamId: 'T0QUALITY', enterpriseId: null };

function line(fields: Record<string, unknown>) {
  process.stdout.write(`${JSON.stringify({ bench: 'digest-quality', ...fields })}\n`);
}

function ratio(part: number, whole: number): number {
  return whole > 0 ? Math.round((part / whole) * 1000) / 1000 : 0;
}

/**
 * `npm run bench -- digest-quality`: recall per planted kind, alarms per quiet digest, and reported items
 * without traceable evidence. PGlite unless BENCH_DATABASE_URL or TEST_DATABASE_URL names a Postgres.
 */
export async function digestQualityBench(): Promise<void> {
  const started = performance.now();
  const url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  const driver: Driver = url ? 'postgres' : 'pglite';
  if (url) process.env.TEST_DATABASE_URL = url;
  const scratch = await createTestDatabase(driver);
  const handle = createDatabase(scratch.settings);
  const slack = await startFakeSlack({ teamId: SCOPE.teamId });
  try {
    await handle.migrate();
    const client = new WebClient('xoxb-quality', { slackApiUrl: slack.url, retryConfig: { retries: 0 } });
    const bank = digestBank();
    const scores: { quarter: BankQuarter; score: QuarterScore }[] = [];
    for (const [index, quarter] of bank.entries()) {
      const channelPrefix = `C0BANK${String(index + 1).padStart(3, '0')}`;
      const score = scoreQuarter(
        quarter,
        await digestQuarter(handle, slack, client, SCOPE, channelPrefix, quarter),
      );
      scores.push({ quarter, score });
      process.stderr.write(
        `digest-quality: ${quarter.id} (${index + 1}/${bank.length}) ${score.digests} digests, ` +
          `${score.plants.filter((plant) => plant.found).length}/${score.plants.length} found, ` +
          `${score.alarms.length} alarms, ${Math.round((performance.now() - started) / 1000)}s\n`,
      );
    }

    const plants = scores.flatMap(({ quarter, score }) =>
      score.plants.map((plant) => ({ quarter, ...plant })),
    );
    for (const kind of PATTERN_KINDS) {
      const ofKind = plants.filter((plant) => plant.pattern.kind === kind);
      const found = ofKind.filter((plant) => plant.found).length;
      line({ kind, planted: ofKind.length, found, recall: ratio(found, ofKind.length) });
      const missed = ofKind
        .filter((plant) => !plant.found)
        .map((plant) => `${plant.quarter.id}@${plant.pattern.week}`);
      if (missed.length > 0) process.stderr.write(`digest-quality: missed ${kind}: ${missed.join(' ')}\n`);
    }

    const quiet = scores.filter(({ quarter }) => quarter.quiet).map(({ score }) => score);
    const digests = quiet.reduce((sum, score) => sum + score.digests, 0);
    const alarms = quiet.flatMap((score) => score.alarms);
    const byType: Partial<Record<AlarmType, number>> = {};
    for (const alarm of alarms) byType[alarm.type] = (byType[alarm.type] ?? 0) + 1;
    const byLabel = new Map<string, number>();
    for (const alarm of alarms) {
      const key = `${alarm.type} "${alarm.label}"`;
      byLabel.set(key, (byLabel.get(key) ?? 0) + 1);
    }
    const commonest = [...byLabel].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 12);
    if (commonest.length > 0)
      process.stderr.write(
        `digest-quality: commonest quiet alarms: ${commonest.map(([key, times]) => `${key} ×${times}`).join(', ')}\n`,
      );
    line({
      kind: 'quiet',
      digests,
      alarms: alarms.length,
      alarmsPerDigest: ratio(alarms.length, digests),
      digestsWithAlarms: quiet.reduce((sum, score) => sum + score.digestsWithAlarms, 0),
      byType,
    });

    const items = scores.flatMap(({ score }) => score.items);
    line({
      kind: 'evidence',
      items: items.length,
      withoutIds: items.filter((item) => !item.ids).length,
      withoutLink: items.filter((item) => !item.link).length,
      withoutLinkedEvidence: items.filter((item) => !item.ids && !item.link).length,
    });
    line({
      kind: 'run',
      driver,
      quarters: bank.length,
      digests: scores.reduce((sum, { score }) => sum + score.digests, 0),
      seconds: Math.round((performance.now() - started) / 100) / 10,
    });
  } finally {
    await handle.close();
    await slack.close();
    await scratch.drop();
  }
}
