import type { WebClient } from '@slack/web-api';
import { voicesChartTitle } from '../charts/digest-chart.js';
import type { Database } from '../db/client.js';
import { lastDigestTallies } from '../db/queries/digest-feedback.js';
import {
  answersWithoutTerms,
  digestAfterActions,
  digestAnswers,
  digestReviews,
  findDigest,
  latestDigestOfWeek,
  markDigestPosted,
  notesIn,
  releaseDigest,
  reserveDigestEdition,
  skipCounts,
  storeAnswerTerms,
  weeklyHistory,
} from '../db/queries/digests.js';
import { findOccurrence, recordEffect } from '../db/queries/occurrences.js';
import { listActiveQuestions } from '../db/queries/questions.js';
import { findChannelSettings } from '../db/queries/rhythms.js';
import { scopeOfRow, type WorkspaceScope } from '../db/queries/scope.js';
import type { Digest, Occurrence, StoredDigest } from '../db/schema.js';
import { anonymousAnswersKeptBefore } from '../domain/coarse-time.js';
import {
  analyseDigest,
  BASELINE_WEEKS,
  type DigestAnalysis,
  type MessageRef,
  RECURRING_WINDOW_DAYS,
} from '../domain/digest/analyse.js';
import { textFeatures } from '../domain/digest/text.js';
import type { WithdrawnReason } from '../domain/occurrence-outcome.js';
import { calendarDateIn, FALLBACK_TIME_ZONE, isoWeekKey, shortDay } from '../domain/time.js';
import {
  buildDigestDetails,
  buildDigestLoading,
  buildDigestPreview,
  buildDigestTop,
  type DigestView,
  digestPeriod,
  digestPreviewNote,
  messageKey,
  nothingHappenedSentence,
  voicesChartAltText,
} from '../slack/views/digest.js';
import type { SlackMessage } from '../slack/views/message.js';
import { type DeliverySlack, deliverNow } from './delivery.js';
import type { ServiceDeps } from './deps.js';
import { recordHistoryAfterDigest } from './history-canvas.js';
import { channelMembers, timeZoneOf } from './people.js';

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;
/** Older answers without stored terms get them here, at most this many per digest. */
const TERM_BACKFILL_LIMIT = 2_000;
/** Permalinks are looked up a few at a time: enough to be quick, few enough to stay inside Slack's rate limits. */
const PERMALINK_CONCURRENCY = 4;

/** The Web API methods a digest needs. */
export interface DigestSlack {
  chat: Pick<WebClient['chat'], 'postMessage' | 'getPermalink' | 'postEphemeral'>;
  conversations: Pick<WebClient['conversations'], 'members'>;
  files: Pick<WebClient['files'], 'uploadV2'>;
  auth: Pick<WebClient['auth'], 'test'>;
  users: Pick<WebClient['users'], 'info'>;
}

export interface DigestPrivacy {
  /** Anonymous answers are quoted only when at least this many people (never fewer than three) answered. */
  minVoicesForAnonymousQuotes: number;
}

export const DEFAULT_DIGEST_PRIVACY: DigestPrivacy = { minVoicesForAnonymousQuotes: 3 };

export interface GatheredDigest {
  weekKey: string;
  window: { start: Date; end: Date };
  analysis: DigestAnalysis;
  view: DigestView;
  timeZone: string;
}

// The app's own user id per workspace: the bot is a channel member but not one of the team.
const botUsers = new Map<string, Promise<string | undefined>>();
function botUserOf(slack: DigestSlack, teamId: string): Promise<string | undefined> {
  let known = botUsers.get(teamId);
  if (!known) {
    known = slack.auth.test().then(
      (answer) => answer.user_id,
      () => {
        botUsers.delete(teamId);
        return undefined;
      },
    );
    botUsers.set(teamId, known);
  }
  return known;
}

/** People in the channel, apart from this app; null when Slack will not say. */
async function countMembers(slack: DigestSlack, teamId: string, channelId: string): Promise<number | null> {
  try {
    const members = await channelMembers(slack, channelId);
    const bot = await botUserOf(slack, teamId);
    if (bot) members.delete(bot);
    return members.size;
  } catch {
    return null;
  }
}

/** Every message a digest links to. */
function linksIn(analysis: DigestAnalysis): MessageRef[] {
  const refs = [
    ...analysis.themes.flatMap((theme) => theme.quotes.map((quote) => quote.link)),
    ...analysis.recurringChallenges.flatMap((challenge) => challenge.quotes.map((quote) => quote.link)),
    ...analysis.hypotheses.closed.map((closed) => closed.link),
    ...analysis.hypotheses.surprises.map((surprise) => surprise.quote.link),
    ...analysis.openLoops.map((loop) => loop.link),
    ...analysis.notes.map((note) => note.link),
  ];
  const unique = new Map<string, MessageRef>();
  for (const ref of refs) if (ref) unique.set(messageKey(ref), ref);
  return [...unique.values()];
}

/** Permalinks of the messages a view links to, keyed by messageKey; a deleted message has none. */
export async function resolvePermalinks(
  slack: { chat: Pick<WebClient['chat'], 'getPermalink'> },
  refs: readonly MessageRef[],
): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  let next = 0;
  const workers = Array.from({ length: Math.min(PERMALINK_CONCURRENCY, refs.length) }, async () => {
    while (next < refs.length) {
      const ref = refs[next] as MessageRef;
      next += 1;
      try {
        const answer = await slack.chat.getPermalink({ channel: ref.channelId, message_ts: ref.ts });
        if (answer.permalink) found.set(messageKey(ref), answer.permalink);
      } catch {
        // A deleted message keeps its quote, without a link.
      }
    }
  });
  await Promise.all(workers);
  return found;
}

/** Older answers saved before terms were kept get them now, so the database can count them. */
async function backfillTerms(
  deps: ServiceDeps,
  scope: WorkspaceScope,
  channelId: string,
  window: { start: Date; end: Date },
) {
  const missing = await answersWithoutTerms(deps.db, scope, channelId, window, TERM_BACKFILL_LIMIT);
  for (const answer of missing)
    await storeAnswerTerms(deps.db, scope, { id: answer.id, ...textFeatures(answer.text) });
  return missing.length;
}

/**
 * Reads a channel's week and history and works out its digest; nothing is posted. The week is the seven
 * days up to `asOf`: a week's slot, or the moment someone asked for it by hand (`askedByHand`).
 */
export async function gatherDigest(
  deps: ServiceDeps,
  slack: DigestSlack,
  scope: WorkspaceScope,
  request: { channelId: string; asOf: Date; timeZone?: string; askedByHand?: boolean },
): Promise<GatheredDigest> {
  const { channelId, asOf } = request;
  const askedByHand = request.askedByHand ?? false;
  const settings = await findChannelSettings(deps.db, scope, channelId);
  const timeZone = settings?.timeZone ?? request.timeZone ?? FALLBACK_TIME_ZONE;
  const window = { start: new Date(asOf.getTime() - WEEK_MS), end: asOf };
  // Asked for by hand, a digest counts everything up to the minute, apart from anonymous answers whose
  // hour is not over yet: they would show the minute they came in (see anonymousAnswersKeptBefore).
  const answerWindow = askedByHand
    ? { ...window, anonymousBefore: anonymousAnswersKeptBefore(asOf) }
    : window;
  const historyStart = new Date(asOf.getTime() - (BASELINE_WEEKS + 1) * WEEK_MS);
  await backfillTerms(deps, scope, channelId, { start: historyStart, end: asOf });
  const recent = new Date(asOf.getTime() - RECURRING_WINDOW_DAYS * DAY_MS);
  const [answers, history, reviews, afterActions, skips, notes, questions, members] = await Promise.all([
    digestAnswers(deps.db, scope, channelId, answerWindow),
    weeklyHistory(deps.db, scope, channelId, asOf, BASELINE_WEEKS),
    digestReviews(deps.db, scope, channelId, recent),
    digestAfterActions(deps.db, scope, channelId, recent),
    skipCounts(deps.db, scope, channelId, window),
    notesIn(deps.db, scope, channelId, window),
    listActiveQuestions(deps.db, scope, channelId),
    countMembers(slack, scope.teamId, channelId),
  ]);
  const analysis = analyseDigest({
    window,
    today: calendarDateIn(asOf, timeZone),
    answers,
    history,
    reviews,
    afterActions,
    skips,
    notes,
    questions: questions.map((question) => ({ id: question.id, text: question.text })),
    members,
    privacy: deps.digestPrivacy ?? DEFAULT_DIGEST_PRIVACY,
    // Weeks before the channel was set up are not quiet weeks: they are left out of the chart and the judging.
    setUpAt: settings?.createdAt ?? null,
  });
  const permalinks = await resolvePermalinks(slack, linksIn(analysis));
  return {
    weekKey: isoWeekKey(asOf, timeZone),
    window,
    analysis,
    timeZone,
    view: {
      analysis,
      period: digestPeriod(window, timeZone, askedByHand),
      timeZone,
      askedByHand,
      weekLabels: analysis.voices.weeks.map((week) => shortDay(week.start, timeZone)),
      permalinks,
    },
  };
}

export interface PreparedDigest {
  digest: Digest;
  gathered: GatheredDigest;
}

/** A digest as it will be posted: its top message, its evidence and its chart. */
export function composeDigestMessages(prepared: PreparedDigest): StoredDigest {
  const { digest, gathered } = prepared;
  const weeks = gathered.analysis.voices.weeks;
  return {
    top: buildDigestTop(gathered.view),
    details: buildDigestDetails(gathered.view, { digestId: digest.id }),
    chart: {
      weeks: weeks.map((week, index) => ({
        label: gathered.view.weekLabels[index] ?? '',
        voices: week.voices,
        anonymous: week.anonymous,
      })),
      members: gathered.analysis.numbers.members,
      filename: `voices-${digest.weekKey}.png`,
      title: voicesChartTitle(weeks.length),
      altText: voicesChartAltText(gathered.view),
    },
  };
}

/**
 * Settles a digest's top message in the transaction that records it posted: its evidence and its
 * chart are written as effects of their own, to follow in its thread. Returns their ids to deliver.
 */
export async function recordDigestDelivered(
  db: Database,
  digest: Digest,
  composed: Pick<StoredDigest, 'details' | 'chart'>,
  posted: { messageTs: string; now: Date },
): Promise<string[]> {
  await markDigestPosted(db, digest, posted);
  const scope = scopeOfRow(digest);
  const parts = [
    { kind: 'digest_details', payload: { details: composed.details } },
    { kind: 'digest_chart', payload: { chart: composed.chart } },
  ] as const;
  const written: string[] = [];
  // One after the other: a transaction runs one statement at a time.
  for (const part of parts) {
    const id = await recordEffect(db, scope, {
      ...part,
      channelId: digest.channelId,
      key: `${part.kind}:${digest.id}`,
      digestId: digest.id,
      now: posted.now,
    });
    if (id) written.push(id);
  }
  written.push(...(await recordHistoryAfterDigest(db, digest, posted)));
  return written;
}

/** What a posted digest's log line says: ids only. */
export function logDigestPosted(deps: ServiceDeps, digest: Digest): void {
  deps.log.info(
    { team: digest.teamId, channel: digest.channelId, week: digest.weekKey, edition: digest.edition },
    'digest posted',
  );
}

export type ScheduledDigest =
  | { cancel: WithdrawnReason }
  | { message: SlackMessage; prepared: PreparedDigest };

/** The scheduled digest of a claimed occurrence: its top message, once the week is this occurrence's to post. */
export async function prepareScheduledDigest(
  deps: ServiceDeps,
  slack: DigestSlack,
  occurrence: Occurrence,
): Promise<ScheduledDigest> {
  const scope = scopeOfRow(occurrence);
  const gathered = await gatherDigest(deps, slack, scope, {
    channelId: occurrence.channelId,
    asOf: occurrence.dueAt,
  });
  if (gathered.analysis.quiet) return { cancel: 'quiet_week' };
  const digest = await reserveDigestEdition(deps.db, scope, {
    channelId: occurrence.channelId,
    weekKey: gathered.weekKey,
    edition: 0,
    window: gathered.window,
    occurrenceId: occurrence.id,
    now: deps.clock(),
  });
  if (!digest) return { cancel: 'digest_already_posted' };
  return { message: buildDigestTop(gathered.view), prepared: { digest, gathered } };
}

/** A scheduled digest that will not be posted frees its week for someone to post by hand. */
export async function abandonDigest(deps: ServiceDeps, prepared: PreparedDigest): Promise<void> {
  await releaseDigest(deps.db, prepared.digest);
}

export type DigestPostOutcome =
  | { outcome: 'posted'; ts: string }
  | { outcome: 'already_posted'; link: string | undefined; nextEdition: number }
  /** `nothing` says so, with the period it looked at. */
  | { outcome: 'quiet'; nothing: string }
  | { outcome: 'failed'; error: string };

/**
 * `/learning digest post`: the week's digest now. Edition 0 is the same slot the schedule would take,
 * so the scheduled one is then not posted. A further edition is posted only when a person confirms
 * it, and names the edition it confirms, so a second click on the same button posts nothing more.
 */
export async function postDigestNow(
  deps: ServiceDeps,
  slack: DeliverySlack,
  scope: WorkspaceScope,
  request: { channelId: string; userId: string; edition: number },
): Promise<DigestPostOutcome> {
  const gathered = await gatherDigest(deps, slack, scope, {
    channelId: request.channelId,
    asOf: deps.clock(),
    timeZone: await timeZoneOf(slack, request.userId),
    askedByHand: true,
  });
  if (gathered.analysis.quiet)
    return { outcome: 'quiet', nothing: nothingHappenedSentence(gathered.view, request.channelId) };
  const now = deps.clock();
  // The week's edition and the effect that posts it are written together: once this answers, the
  // digest goes out however the process fares.
  const requested = await deps.db.transaction(async (tx) => {
    const digest = await reserveDigestEdition(tx, scope, {
      channelId: request.channelId,
      weekKey: gathered.weekKey,
      edition: request.edition,
      window: gathered.window,
      requestedBy: request.userId,
      now,
    });
    if (!digest) return undefined;
    const effectId = await recordEffect(tx, scope, {
      kind: 'requested_digest',
      channelId: request.channelId,
      key: `requested_digest:${digest.id}`,
      digestId: digest.id,
      payload: { requestedDigest: composeDigestMessages({ digest, gathered }) },
      now,
    });
    return effectId ? { digest, effectId } : undefined;
  });
  if (!requested) {
    const posted = await latestDigestOfWeek(deps.db, scope, request.channelId, gathered.weekKey);
    const links = posted?.messageTs
      ? await resolvePermalinks(slack, [{ channelId: request.channelId, ts: posted.messageTs }])
      : new Map<string, string>();
    return {
      outcome: 'already_posted',
      link: [...links.values()][0],
      nextEdition: (posted?.edition ?? 0) + 1,
    };
  }
  const result = await deliverNow(deps, slack, requested.effectId);
  const settled = await findDigest(deps.db, scope, requested.digest.id);
  if (settled?.messageTs) return { outcome: 'posted', ts: settled.messageTs };
  // Not refused, only not confirmed yet: the effect stays due and is delivered by the next tick.
  if (result !== 'channel_problem' && result !== 'failed')
    return { outcome: 'failed', error: 'outcome_unknown' };
  const effect = await findOccurrence(deps.db, scope, requested.effectId);
  return { outcome: 'failed', error: effect?.error ?? 'unknown_error' };
}

/** `/learning digest`: the digest as it stands, for one person, in a modal that opens at once. */
export async function previewDigest(
  deps: ServiceDeps,
  slack: DigestSlack & {
    views: Pick<WebClient['views'], 'open' | 'update'>;
    users: Pick<WebClient['users'], 'info'>;
  },
  scope: WorkspaceScope,
  request: { triggerId: string; channelId: string; userId: string },
): Promise<void> {
  // The trigger lapses in 3 s: the modal opens first, and the reading happens while it shows.
  const opened = await slack.views.open({ trigger_id: request.triggerId, view: buildDigestLoading() });
  const gathered = await gatherDigest(deps, slack, scope, {
    channelId: request.channelId,
    asOf: deps.clock(),
    timeZone: await timeZoneOf(slack, request.userId),
    askedByHand: true,
  });
  const lastDigest = await lastDigestTallies(deps.db, { scope, channelId: request.channelId });
  await slack.views.update({
    view_id: opened.view?.id as string,
    ...(opened.view?.hash ? { hash: opened.view.hash } : {}),
    view: buildDigestPreview(gathered.view, digestPreviewNote(gathered.view, request.channelId), lastDigest),
  });
  deps.log.info(
    { team: scope.teamId, channel: request.channelId, themes: gathered.analysis.themes.length },
    'digest previewed',
  );
}
