import type { WebClient } from '@slack/web-api';
import type { Database } from '../db/client.js';
import {
  findHistoryCanvas,
  listLiveHistoryCanvases,
  recordHistoryCanvasMade,
  recordHistoryCanvasRefused,
  turnHistoryCanvasOff,
  turnHistoryCanvasOn,
} from '../db/queries/history-canvases.js';
import { recordEffect } from '../db/queries/occurrences.js';
import { FORGOTTEN_PERSON } from '../db/queries/ownership.js';
import { findChannelTimeZone } from '../db/queries/rhythms.js';
import { scopeOfRow, type WorkspaceScope } from '../db/queries/scope.js';
import type { Digest, HistoryCanvas, Occurrence } from '../db/schema.js';
import { MAX_HISTORY_QUARTERS } from '../domain/history-period.js';
import type { QuarterPortrait } from '../domain/portrait.js';
import { previousQuarter, type Quarter, quarterContaining } from '../domain/quarters.js';
import { calendarDateIn } from '../domain/time.js';
import {
  buildHistoryCanvasDeleted,
  buildHistoryCanvasRefused,
  buildHistoryCanvasTurnedOff,
  buildHistoryCanvasTurnedOn,
  canvasesUnavailable,
  HISTORY_CANVAS_TITLE,
  historyFileComment,
} from '../slack/views/history-canvas.js';
import {
  channelCanvasMarkdown,
  historyLinks,
  QUESTIONS_HEADER,
  quarterSectionMarkdown,
  questionsSectionMarkdown,
} from '../slack/views/learning-history.js';
import { recordNotice } from './compose.js';
import {
  type Composer,
  type DeliverySlack,
  deliverAllNow,
  type FollowUps,
  type Refusal,
} from './delivery.js';
import type { ServiceDeps } from './deps.js';
import { channelNameOf } from './learning-history.js';
import { loadPermalinks, loadPortraits } from './portrait.js';
import { mayOpenChannelSettings } from './stewards.js';
import { tellPrivately } from './tell.js';

type SwitchSlack = DeliverySlack & Parameters<typeof mayOpenChannelSettings>[1] & Pick<WebClient, 'chat'>;

/**
 * `/learning canvas` and `/learning canvas off`, by a steward or admin: the canvas is made (or written
 * again) through the delivery pipeline, from the row and effect written here in one transaction.
 */
export async function switchHistoryCanvas(
  deps: ServiceDeps,
  slack: SwitchSlack,
  scope: WorkspaceScope,
  request: { channelId: string; userId: string; on: boolean },
): Promise<void> {
  const { channelId, userId } = request;
  if (!(await mayOpenChannelSettings(deps, slack, scope, { channelId, userId }, 'canvas'))) return;
  const now = deps.clock();
  if (!request.on) {
    const before = await findHistoryCanvas(deps.db, scope, channelId);
    const wasOn = Boolean(before && !before.turnedOffAt);
    if (wasOn) await turnHistoryCanvasOff(deps.db, scope, { channelId, now });
    deps.log.info({ team: scope.teamId, channel: channelId, wasOn }, 'history canvas turned off');
    await tellPrivately(slack, deps.log, {
      userId,
      channelId,
      message: buildHistoryCanvasTurnedOff(channelId, wasOn),
    });
    return;
  }
  const { effectId, again } = await deps.db.transaction(async (tx) => {
    const before = await findHistoryCanvas(tx, scope, channelId);
    const canvas = await turnHistoryCanvasOn(tx, scope, { channelId, userId, now });
    const id = await recordEffect(tx, scope, {
      kind: 'history_canvas',
      channelId,
      key: `history_canvas:${channelId}:on:${now.getTime()}`,
      payload: { history: { quarterKey: null, threadTs: null } },
      now,
    });
    return { effectId: id, again: Boolean(before?.canvasId && canvas.canvasId) };
  });
  deps.log.info({ team: scope.teamId, channel: channelId, again }, 'history canvas turned on');
  await tellPrivately(slack, deps.log, {
    userId,
    channelId,
    message: buildHistoryCanvasTurnedOn(channelId, again),
  });
  await deliverAllNow(deps, slack, [effectId]);
}

/**
 * After a digest is posted, in the transaction that records it: the canvas's quarter is brought up to
 * date, or, where Slack refused canvases, the history follows in the digest's thread as a file.
 */
export async function recordHistoryAfterDigest(
  db: Database,
  digest: Digest,
  posted: { messageTs: string; now: Date },
): Promise<string[]> {
  const scope = scopeOfRow(digest);
  const canvas = await findHistoryCanvas(db, scope, digest.channelId);
  if (!canvas || canvas.turnedOffAt) return [];
  const timeZone = await findChannelTimeZone(db, scope, digest.channelId);
  // From the quarter the digest's week began in: a week that spans two quarters brings both up to date.
  const quarterKey = quarterContaining(digest.windowStart, timeZone).key;
  const kind = canvas.refusedError ? 'history_file' : 'history_canvas';
  const id = await recordEffect(db, scope, {
    kind,
    channelId: digest.channelId,
    key: `${kind}:${digest.id}`,
    digestId: digest.id,
    payload: { history: { quarterKey, threadTs: canvas.refusedError ? posted.messageTs : null } },
    now: posted.now,
  });
  return id ? [id] : [];
}

/** A quarter key that sorts before every quarter's: every section of the canvas is rewritten. */
const EVERY_QUARTER = '0000-Q1';

/**
 * After a person is forgotten, in the same transaction: every canvas the app keeps in the workspace is
 * written again in full from what is left, so their words leave the quarters no digest would rewrite.
 */
export async function recordHistoryRewrites(
  db: Database,
  scope: WorkspaceScope,
  change: { cause: string; now: Date },
): Promise<string[]> {
  const written: string[] = [];
  for (const canvas of await listLiveHistoryCanvases(db, scope)) {
    const id = await recordEffect(db, scope, {
      kind: 'history_canvas',
      channelId: canvas.channelId,
      key: `history_canvas:${canvas.channelId}:${change.cause}`,
      payload: { history: { quarterKey: EVERY_QUARTER, threadTs: null } },
      now: change.now,
    });
    if (id) written.push(id);
  }
  return written;
}

/** Whether a quarter held anything to tell: a canvas has no section for a quarter with nothing in it. */
function eventful(portrait: QuarterPortrait): boolean {
  return (
    portrait.loops.opened + portrait.loops.closed + portrait.loops.stillOpen > 0 ||
    portrait.hypotheses.tested.length > 0 ||
    portrait.voices.weeks.some((week) => week.voices + week.anonymous > 0) ||
    portrait.notes.length > 0
  );
}

interface HistoryDocument {
  channelName: string;
  /** The whole canvas: title, learning questions, each eventful quarter oldest first. */
  markdown: string;
  /** The canvas's parts the app rewrites, each with the header it is found by. */
  sections: { header: string; markdown: string }[];
  quarters: readonly Quarter[];
  timeZone: string;
}

/**
 * The channel's learning history as the canvas holds it: up to MAX_HISTORY_QUARTERS quarters back, those
 * with something in them, and always the current one. With `fromQuarter`, the sections to rewrite are
 * that quarter's and every later one's, and only their links are looked up unless the whole document is
 * wanted (a canvas still to make, a file).
 */
async function loadHistoryDocument(
  deps: ServiceDeps,
  slack: DeliverySlack,
  scope: WorkspaceScope,
  request: { channelId: string; fromQuarter: string | null; whole: boolean },
): Promise<HistoryDocument> {
  const { channelId, fromQuarter } = request;
  const timeZone = await findChannelTimeZone(deps.db, scope, channelId);
  const current = quarterContaining(deps.clock(), timeZone);
  const quarters: Quarter[] = [current];
  while (quarters.length < MAX_HISTORY_QUARTERS)
    quarters.unshift(previousQuarter(quarters[0] as Quarter, timeZone));
  const portraits = (await loadPortraits(deps, scope, { channelId, quarters, timeZone })).filter(
    (portrait) => portrait.quarter.key === current.key || eventful(portrait),
  );
  // Quarter keys ("2026-Q3") sort as the quarters do.
  const rewritten = fromQuarter
    ? portraits.filter((portrait) => portrait.quarter.key >= fromQuarter)
    : portraits;
  const latest = portraits.at(-1);
  const linked = request.whole ? portraits : [...new Set([...rewritten, ...(latest ? [latest] : [])])];
  const [channelName, permalinks] = await Promise.all([
    channelNameOf(deps, slack, channelId),
    loadPermalinks(slack, historyLinks(linked)),
  ]);
  const calendar = { timeZone };
  const questions = questionsSectionMarkdown(latest?.questions ?? [], permalinks, calendar);
  return {
    channelName,
    markdown: channelCanvasMarkdown({
      channelName,
      questions: latest?.questions ?? [],
      portraits,
      permalinks,
      calendar,
    }),
    sections: [
      { header: QUESTIONS_HEADER, markdown: questions },
      ...rewritten.map((portrait) => ({
        header: portrait.quarter.label,
        markdown: quarterSectionMarkdown(portrait, permalinks, calendar),
      })),
    ],
    quarters: portraits.map((portrait) => portrait.quarter),
    timeZone,
  };
}

function historyOf(occurrence: Occurrence): { quarterKey: string | null; threadTs: string | null } {
  const payload = occurrence.payload;
  return payload && 'history' in payload ? payload.history : { quarterKey: null, threadTs: null };
}

/** The canvas is no longer written to: turned off, or never on. */
async function canvasStillOn(deps: ServiceDeps, occurrence: Occurrence): Promise<HistoryCanvas | undefined> {
  const canvas = await findHistoryCanvas(deps.db, scopeOfRow(occurrence), occurrence.channelId);
  return canvas && !canvas.turnedOffAt ? canvas : undefined;
}

/**
 * What a refusal of the canvas changes: people deleted it (stop, and say so), or canvases are out of
 * reach here (the history goes out as a file from now on). The steward who turned it on hears once.
 */
async function canvasRefused(
  tx: Database,
  occurrence: Occurrence,
  canvas: HistoryCanvas,
  refusal: Refusal,
  now: Date,
): Promise<FollowUps> {
  const scope = scopeOfRow(occurrence);
  const { channelId } = occurrence;
  const tell = async (key: string, message: ReturnType<typeof buildHistoryCanvasDeleted>) =>
    canvas.turnedOnBy === FORGOTTEN_PERSON
      ? []
      : recordNotice(tx, scope, { userId: canvas.turnedOnBy, key, message, now });
  if (refusal.error === 'canvas_not_found' || refusal.error === 'canvas_deleted') {
    await turnHistoryCanvasOff(tx, scope, { channelId, now, forgetCanvas: true });
    return tell(
      `history_canvas:${channelId}:deleted:${canvas.canvasId}`,
      buildHistoryCanvasDeleted(channelId),
    );
  }
  const followUps: string[] = [];
  if (canvasesUnavailable(refusal.error)) {
    await recordHistoryCanvasRefused(tx, scope, { channelId, error: refusal.error, now });
    const id = await recordEffect(tx, scope, {
      kind: 'history_file',
      channelId,
      key: `history_file:${occurrence.id}`,
      payload: { history: { quarterKey: null, threadTs: null } },
      now,
    });
    if (id) followUps.push(id);
  }
  followUps.push(
    ...(await tell(
      `history_canvas:${channelId}:refused:${canvas.turnedOnAt.getTime()}`,
      buildHistoryCanvasRefused(channelId, refusal.error),
    )),
  );
  return followUps;
}

export const composeHistoryCanvas: Composer = async (deps, slack, occurrence) => {
  const canvas = await canvasStillOn(deps, occurrence);
  if (!canvas) return { cancel: 'history_turned_off' };
  // Refused since this was written: the history goes as a file, like everything after the refusal.
  if (canvas.refusedError) return composeHistoryFile(deps, slack, occurrence);
  const scope = scopeOfRow(occurrence);
  const { quarterKey } = historyOf(occurrence);
  const document = await loadHistoryDocument(deps, slack, scope, {
    channelId: occurrence.channelId,
    fromQuarter: quarterKey,
    whole: canvas.canvasId === null || quarterKey === null,
  });
  return {
    operation: {
      canvas: {
        canvasId: canvas.canvasId,
        remakeIfGone: quarterKey === null,
        title: HISTORY_CANVAS_TITLE,
        document: document.markdown,
        sections: document.sections,
      },
    },
    settle: {
      delivered: async (tx, canvasId, now) => {
        if (canvasId && canvasId !== canvas.canvasId)
          await recordHistoryCanvasMade(tx, scope, { channelId: occurrence.channelId, canvasId, now });
        return [];
      },
      refused: (tx, refusal, now) => canvasRefused(tx, occurrence, canvas, refusal, now),
    },
  };
};

export const composeHistoryFile: Composer = async (deps, slack, occurrence) => {
  const canvas = await canvasStillOn(deps, occurrence);
  if (!canvas) return { cancel: 'history_turned_off' };
  const scope = scopeOfRow(occurrence);
  const { threadTs } = historyOf(occurrence);
  const document = await loadHistoryDocument(deps, slack, scope, {
    channelId: occurrence.channelId,
    fromQuarter: null,
    whole: true,
  });
  return {
    operation: {
      upload: {
        ...(threadTs ? { threadTs } : {}),
        file: Buffer.from(document.markdown, 'utf8'),
        filename: `learning-history-${calendarDateIn(deps.clock(), document.timeZone)}.md`,
        title: `${HISTORY_CANVAS_TITLE} of #${document.channelName}`,
        altText: `The learning history of #${document.channelName}, in Markdown`,
        comment: historyFileComment(occurrence.channelId, Boolean(threadTs)),
      },
    },
  };
};
