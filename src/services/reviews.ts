import type { WebClient } from '@slack/web-api';
import {
  countOpenReviews,
  createBeforeActionReview,
  findReview,
  listOpenReviews,
  listReviewsForPerson,
  type ReviewWithPeople,
  recordSummaryFailed,
  recordSummaryPosted,
  type WorkspaceScope,
} from '../db/queries/reviews.js';
import { type BarField, defaultLookBackDate, validateBarDraft } from '../domain/review.js';
import { calendarDateIn, FALLBACK_TIME_ZONE, isValidTimeZone } from '../domain/time.js';
import { slackErrorCode } from '../slack/errors.js';
import { type BarModalMetadata, buildBarModal, readBarModal } from '../slack/views/bar-modal.js';
import {
  buildBarSummary,
  buildReviewInFull,
  buildShareFailedNotice,
  type ShareProblem,
} from '../slack/views/bar-summary.js';
import { buildHome, MAX_HOME_REVIEWS } from '../slack/views/home.js';
import type { SlackMessage } from '../slack/views/message.js';
import { buildOpenReviews, MAX_LISTED_REVIEWS } from '../slack/views/open-reviews.js';
import type { ServiceDeps } from './deps.js';

/** The few Web API methods reviews need; tests and callers can supply exactly these. */
export interface ReviewSlack {
  views: Pick<WebClient['views'], 'open' | 'publish'>;
  chat: Pick<WebClient['chat'], 'postMessage'>;
  users: Pick<WebClient['users'], 'info'>;
}

/** users.info is only a nicety for the default date; the modal must open within Slack's 3 s trigger window. */
const TIME_ZONE_LOOKUP_MS = 1200;

async function timeZoneOf(slack: ReviewSlack, userId: string): Promise<string> {
  const lookup = slack.users
    .info({ user: userId })
    .then((answer) => answer.user?.tz)
    .catch(() => undefined);
  const timeout = new Promise<undefined>((resolve) =>
    setTimeout(() => resolve(undefined), TIME_ZONE_LOOKUP_MS).unref(),
  );
  const zone = await Promise.race([lookup, timeout]);
  return zone && isValidTimeZone(zone) ? zone : FALLBACK_TIME_ZONE;
}

/** Channels (C…) and private channels (G…) can hold a summary; DMs and group DMs cannot. */
function isShareableChannel(channelId: string): boolean {
  return /^[CG][A-Z0-9]+$/.test(channelId);
}

export async function openBarModal(
  deps: ServiceDeps,
  slack: ReviewSlack,
  request: { triggerId: string; userId: string; channelId: string | undefined; text: string },
): Promise<void> {
  const timeZone = await timeZoneOf(slack, request.userId);
  const channelId =
    request.channelId && isShareableChannel(request.channelId) ? request.channelId : undefined;
  const metadata: BarModalMetadata = { timeZone };
  await slack.views.open({
    trigger_id: request.triggerId,
    view: buildBarModal({
      action: request.text.trim(),
      channelId,
      authorId: request.userId,
      lookBackOn: defaultLookBackDate(deps.clock(), timeZone),
      metadata,
    }),
  });
  deps.log.info({ user: request.userId, channel: request.channelId }, 'before-action review modal opened');
}

export type BarSubmission =
  | { outcome: 'invalid'; errors: Partial<Record<BarField, string>> }
  | { outcome: 'saved'; review: ReviewWithPeople; created: boolean };

export async function saveBar(
  deps: ServiceDeps,
  scope: WorkspaceScope,
  submission: {
    userId: string;
    viewId: string;
    values: Parameters<typeof readBarModal>[0];
    metadata: BarModalMetadata;
  },
): Promise<BarSubmission> {
  const timeZone = isValidTimeZone(submission.metadata.timeZone)
    ? submission.metadata.timeZone
    : FALLBACK_TIME_ZONE;
  const validation = validateBarDraft(
    readBarModal(submission.values),
    calendarDateIn(deps.clock(), timeZone),
  );
  if (!validation.ok) return { outcome: 'invalid', errors: validation.errors };
  const { review, created } = await createBeforeActionReview(deps.db, scope, {
    authorId: submission.userId,
    sourceViewId: submission.viewId,
    timeZone,
    bar: validation.bar,
  });
  deps.log.info(
    {
      team: scope.teamId,
      review: review.id,
      channel: review.channelId,
      people: review.people.length,
      created,
    },
    created ? 'before-action review saved' : 'before-action review submission replayed',
  );
  return { outcome: 'saved', review, created };
}

const SHARE_PROBLEMS: ReadonlySet<string> = new Set(['not_in_channel', 'channel_not_found', 'is_archived']);

/**
 * Posts the summary in the review's channel and remembers its ts, so later check-ins thread under it.
 * When Slack refuses, the review stays saved and its author is told privately how to fix it.
 */
export async function shareSummary(
  deps: ServiceDeps,
  slack: ReviewSlack,
  scope: WorkspaceScope,
  review: ReviewWithPeople,
): Promise<{ shared: true; ts: string } | { shared: false; problem: ShareProblem }> {
  const summary = buildBarSummary(review);
  try {
    const posted = await slack.chat.postMessage({
      channel: review.channelId,
      ...summary,
      unfurl_links: false,
      unfurl_media: false,
    });
    const ts = posted.ts as string;
    await recordSummaryPosted(deps.db, scope, review.id, ts);
    deps.log.info(
      { team: scope.teamId, review: review.id, channel: review.channelId },
      'review summary posted',
    );
    return { shared: true, ts };
  } catch (error) {
    const code = slackErrorCode(error) ?? 'unknown_error';
    const problem: ShareProblem = SHARE_PROBLEMS.has(code) ? (code as ShareProblem) : 'other';
    await recordSummaryFailed(deps.db, scope, review.id, code);
    deps.log.warn(
      { team: scope.teamId, review: review.id, channel: review.channelId, error: code },
      'review summary could not be posted',
    );
    await tellAuthor(deps, slack, review.authorId, buildShareFailedNotice(review, problem));
    return { shared: false, problem };
  }
}

async function tellAuthor(deps: ServiceDeps, slack: ReviewSlack, userId: string, message: SlackMessage) {
  try {
    // Posting to a user id lands in the person's Messages tab with the app.
    await slack.chat.postMessage({ channel: userId, ...message });
  } catch (error) {
    deps.log.error(
      { user: userId, error: slackErrorCode(error) ?? 'unknown_error' },
      'could not message author',
    );
  }
}

export async function retryShare(
  deps: ServiceDeps,
  slack: ReviewSlack,
  scope: WorkspaceScope,
  request: { reviewId: string; userId: string },
): Promise<'shared' | 'already_shared' | 'failed' | 'not_found'> {
  const review = await findReview(deps.db, scope, request.reviewId);
  if (!review || review.authorId !== request.userId) return 'not_found';
  if (review.summaryTs) return 'already_shared';
  const result = await shareSummary(deps, slack, scope, review);
  return result.shared ? 'shared' : 'failed';
}

export async function showReviewInFull(
  deps: ServiceDeps,
  slack: ReviewSlack,
  scope: WorkspaceScope,
  request: { reviewId: string; triggerId: string },
): Promise<boolean> {
  const review = await findReview(deps.db, scope, request.reviewId);
  if (!review) return false;
  await slack.views.open({ trigger_id: request.triggerId, view: buildReviewInFull(review) });
  return true;
}

export async function describeOpenReviews(
  deps: ServiceDeps,
  scope: WorkspaceScope,
  channelId: string,
): Promise<SlackMessage> {
  const [reviews, total] = await Promise.all([
    listOpenReviews(deps.db, scope, channelId, MAX_LISTED_REVIEWS),
    countOpenReviews(deps.db, scope, channelId),
  ]);
  return buildOpenReviews(reviews, total, deps.clock());
}

export async function publishHome(
  deps: ServiceDeps,
  slack: ReviewSlack,
  scope: WorkspaceScope,
  userId: string,
): Promise<void> {
  const reviews = await listReviewsForPerson(deps.db, scope, userId, MAX_HOME_REVIEWS);
  await slack.views.publish({ user_id: userId, view: buildHome(reviews) });
}
