import type { WebClient } from '@slack/web-api';
import { questionsOfAfterActions } from '../db/queries/learning-history.js';
import { findChannelSettings } from '../db/queries/rhythms.js';
import type { WorkspaceScope } from '../db/queries/scope.js';
import type { HistoryPeriod } from '../domain/history-period.js';
import type { QuarterPortrait } from '../domain/portrait.js';
import { FALLBACK_TIME_ZONE } from '../domain/time.js';
import { describeError } from '../logger.js';
import { slackErrorCode } from '../slack/errors.js';
import { canvasesUnavailable } from '../slack/views/history-canvas.js';
import {
  historyFileName,
  historyLinks,
  historyTitle,
  learningHistoryDocument,
} from '../slack/views/learning-history.js';
import type { ServiceDeps } from './deps.js';
import { loadPermalinks, loadPortraits } from './portrait.js';

/** Where the history went: a canvas (with its address when Slack gave the workspace's), a file instead, or nowhere. */
export type HistoryOutcome =
  | { outcome: 'canvas'; title: string; url: string | null }
  | { outcome: 'file'; title: string; canvasError: string }
  | { outcome: 'failed'; error: string };

/** What sharing a learning history asks of Slack, and no more. */
export interface HistorySlack {
  auth: Pick<WebClient['auth'], 'test'>;
  canvases: Pick<WebClient['canvases'], 'create' | 'delete'> & {
    access: Pick<WebClient['canvases']['access'], 'set'>;
  };
  chat: Pick<WebClient['chat'], 'getPermalink'>;
  conversations: Pick<WebClient['conversations'], 'info'>;
  files: Pick<WebClient['files'], 'uploadV2'>;
}

/** The channel's own calendar: the one its quarters are counted in. */
export async function historyTimeZone(
  deps: ServiceDeps,
  scope: WorkspaceScope,
  channelId: string,
): Promise<string> {
  const settings = await findChannelSettings(deps.db, scope, channelId);
  return settings?.timeZone ?? FALLBACK_TIME_ZONE;
}

/** The channel's name as Slack gives it, or its id when Slack will not say. */
export async function channelNameOf(
  deps: ServiceDeps,
  slack: Pick<HistorySlack, 'conversations'>,
  channelId: string,
): Promise<string> {
  try {
    const { channel } = await slack.conversations.info({ channel: channelId });
    return channel?.name || channelId;
  } catch (error) {
    deps.log.info(
      { channel: channelId, error: slackErrorCode(error) ?? 'unknown_error' },
      'channel not named',
    );
    return channelId;
  }
}

/**
 * Each tested hypothesis with the learning question its review served, so the history can put the
 * verdict under that question.
 */
async function withQuestions(
  deps: ServiceDeps,
  scope: WorkspaceScope,
  channelId: string,
  portraits: readonly QuarterPortrait[],
): Promise<QuarterPortrait[]> {
  const afterActionIds = portraits.flatMap((portrait) =>
    portrait.hypotheses.tested.map((tested) => tested.afterActionId),
  );
  const questions = await questionsOfAfterActions(deps.db, scope, { channelId, afterActionIds });
  return portraits.map((portrait) => ({
    ...portrait,
    hypotheses: {
      ...portrait.hypotheses,
      tested: portrait.hypotheses.tested.map((tested) => ({
        ...tested,
        questionId: questions.get(tested.afterActionId) ?? null,
      })),
    },
  }));
}

/**
 * Where a canvas can be opened. Slack gives no link for a new canvas, but a canvas is read at
 * `<workspace url>/docs/<team>/<canvas>`, and auth.test names the workspace's url.
 */
async function canvasUrl(
  slack: HistorySlack,
  scope: WorkspaceScope,
  canvasId: string,
): Promise<string | null> {
  try {
    const identity = await slack.auth.test();
    if (!identity.url) return null;
    const base = identity.url.endsWith('/') ? identity.url : `${identity.url}/`;
    return `${base}docs/${identity.team_id ?? scope.teamId}/${canvasId}`;
  } catch {
    return null;
  }
}

type CanvasAttempt = { ok: true; canvasId: string } | { ok: false; error: string };

/** A canvas of the history, readable by everyone in the channel; a canvas made but not shared is taken away again. */
async function shareAsCanvas(
  deps: ServiceDeps,
  slack: HistorySlack,
  request: { channelId: string; title: string; markdown: string },
): Promise<CanvasAttempt> {
  let canvasId: string | undefined;
  try {
    const made = await slack.canvases.create({
      title: request.title,
      document_content: { type: 'markdown', markdown: request.markdown },
    });
    canvasId = made.canvas_id;
    if (!canvasId) return { ok: false, error: 'no_canvas_id' };
    await slack.canvases.access.set({
      canvas_id: canvasId,
      access_level: 'read',
      channel_ids: [request.channelId],
    });
    return { ok: true, canvasId };
  } catch (error) {
    const code = slackErrorCode(error) ?? 'unknown_error';
    if (canvasId) {
      const orphan = canvasId;
      await slack.canvases.delete({ canvas_id: orphan }).catch((deleting: unknown) => {
        deps.log.warn({ canvas: orphan, err: describeError(deleting) }, 'unshared canvas not deleted');
      });
    }
    return { ok: false, error: code };
  }
}

/**
 * The channel's learning history over the period as Markdown, organised by learning question: the
 * document `/learning history` shares, for anything else that carries it (a channel's export). The
 * channel's name is asked of Slack unless given.
 */
export async function learningHistoryMarkdown(
  deps: ServiceDeps,
  slack: Pick<HistorySlack, 'chat' | 'conversations'>,
  scope: WorkspaceScope,
  request: { channelId: string; period: HistoryPeriod; timeZone: string; channelName?: string },
): Promise<{ markdown: string; channelName: string; links: number }> {
  const { channelId, period, timeZone } = request;
  const portraits = await withQuestions(
    deps,
    scope,
    channelId,
    await loadPortraits(deps, scope, { channelId, quarters: period.quarters, timeZone }),
  );
  const [channelName, permalinks] = await Promise.all([
    request.channelName ?? channelNameOf(deps, slack, channelId),
    loadPermalinks(slack, historyLinks(portraits)),
  ]);
  const markdown = learningHistoryDocument({
    channelName,
    periodLabel: period.label,
    portraits,
    permalinks,
    calendar: { timeZone },
  });
  return { markdown, channelName, links: permalinks.size };
}

/**
 * `/learning history`: the channel's learning over the period, organised by learning question, as a
 * canvas shared with the channel; where Slack refuses canvases, the same document as a Markdown file
 * posted in the channel. Returns what to tell the person who asked.
 */
export async function shareLearningHistory(
  deps: ServiceDeps,
  slack: HistorySlack,
  scope: WorkspaceScope,
  request: { channelId: string; userId: string; period: HistoryPeriod; timeZone: string },
): Promise<HistoryOutcome> {
  const { channelId, period } = request;
  const { markdown, channelName, links } = await learningHistoryMarkdown(deps, slack, scope, request);
  const title = historyTitle(channelName, period.label);
  const counts = {
    team: scope.teamId,
    channel: channelId,
    user: request.userId,
    quarters: period.quarters.length,
    characters: markdown.length,
    links,
  };
  const canvas = await shareAsCanvas(deps, slack, { channelId, title, markdown });
  if (canvas.ok) {
    deps.log.info({ ...counts, canvas: canvas.canvasId }, 'learning history shared as a canvas');
    return { outcome: 'canvas', title, url: await canvasUrl(slack, scope, canvas.canvasId) };
  }
  // A passing failure (a timeout, Slack's 5xx) is no reason to post the history in the channel for all to
  // see: the person tries again. Only canvases out of reach here send the file instead.
  if (!canvasesUnavailable(canvas.error)) {
    deps.log.warn({ ...counts, canvasError: canvas.error }, 'learning history not shared');
    return { outcome: 'failed', error: canvas.error };
  }
  try {
    await slack.files.uploadV2({
      channel_id: channelId,
      initial_comment: `The learning history of this channel, ${period.label}: what the team asked, what people said, and what it made of it.`,
      file: Buffer.from(markdown, 'utf8'),
      filename: historyFileName(channelName, period),
      title,
    });
  } catch (error) {
    const code = slackErrorCode(error) ?? 'unknown_error';
    deps.log.warn({ ...counts, canvasError: canvas.error, error: code }, 'learning history not shared');
    return { outcome: 'failed', error: code };
  }
  deps.log.info({ ...counts, canvasError: canvas.error }, 'learning history shared as a file');
  return { outcome: 'file', title, canvasError: canvas.error };
}
