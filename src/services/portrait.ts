import type { WebClient } from '@slack/web-api';
import { digestAfterActions, digestAnswers, notesIn } from '../db/queries/digests.js';
import { portraitQuestions, portraitReviews, promptTimes } from '../db/queries/portrait.js';
import { findChannelTimeZone } from '../db/queries/rhythms.js';
import type { WorkspaceScope } from '../db/queries/scope.js';
import type { MessageRef } from '../domain/digest/analyse.js';
import { type PortraitInput, portraitOfQuarter, type QuarterPortrait } from '../domain/portrait.js';
import { previousQuarter, type Quarter } from '../domain/quarters.js';
import type { ServiceDeps } from './deps.js';
import { DEFAULT_DIGEST_PRIVACY, resolvePermalinks } from './digest.js';

const DAY_MS = 86_400_000;
/** How far back a revised hypothesis is followed to the review it first came from. */
const CHAIN_REACH_MS = 365 * DAY_MS;

/**
 * The portraits of a channel's quarters, read in one round of queries covering them all: the quarter
 * before the earliest asked is read too, since a challenge is judged over two quarters.
 */
export async function loadPortraits(
  deps: ServiceDeps,
  scope: WorkspaceScope,
  request: { channelId: string; quarters: readonly Quarter[]; members?: number | null; timeZone?: string },
): Promise<QuarterPortrait[]> {
  if (request.quarters.length === 0) return [];
  const { channelId } = request;
  const timeZone = request.timeZone ?? (await findChannelTimeZone(deps.db, scope, channelId));
  const now = deps.clock();
  const earliest = request.quarters.reduce((first, quarter) =>
    quarter.start < first.start ? quarter : first,
  );
  const latestEnd = new Date(Math.max(...request.quarters.map((quarter) => quarter.end.getTime())));
  const end = latestEnd < now ? latestEnd : now;
  const before = previousQuarter(earliest, timeZone).start;
  const reach = new Date(earliest.start.getTime() - CHAIN_REACH_MS);
  const [answers, reviews, afterActions, promptsAt, notes, questions] = await Promise.all([
    // A week either side of the quarters: an anonymous answer is quoted only among enough voices that week.
    digestAnswers(deps.db, scope, channelId, {
      start: new Date(earliest.start.getTime() - 7 * DAY_MS),
      end,
    }),
    portraitReviews(deps.db, scope, channelId, before < reach ? before : reach),
    digestAfterActions(deps.db, scope, channelId, before < reach ? before : reach),
    promptTimes(deps.db, scope, channelId, { start: new Date(earliest.start.getTime() - DAY_MS), end }),
    notesIn(deps.db, scope, channelId, { start: earliest.start, end }),
    portraitQuestions(deps.db, scope, channelId, earliest.start),
  ]);
  const input: PortraitInput = {
    timeZone,
    now,
    answers,
    reviews,
    afterActions,
    promptsAt,
    notes,
    questions,
    members: request.members ?? null,
    privacy: deps.digestPrivacy ?? DEFAULT_DIGEST_PRIVACY,
  };
  const portraits = request.quarters.map((quarter) => portraitOfQuarter(input, quarter));
  deps.log.info(
    {
      team: scope.teamId,
      channel: channelId,
      quarters: request.quarters.map((quarter) => quarter.key),
      answers: answers.length,
      reviews: reviews.length,
    },
    'portrait read',
  );
  return portraits;
}

/** Permalinks for the messages a portrait shows, looked up a few at a time. */
export function loadPermalinks(
  slack: { chat: Pick<WebClient['chat'], 'getPermalink'> },
  refs: readonly MessageRef[],
): Promise<Map<string, string>> {
  return resolvePermalinks(slack, refs);
}
