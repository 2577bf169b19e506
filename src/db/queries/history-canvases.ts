import { and, eq, isNotNull, isNull } from 'drizzle-orm';
import type { Database } from '../client.js';
import { type HistoryCanvas, historyCanvases } from '../schema.js';
import { inWorkspace, type WorkspaceScope, workspaceOf } from './scope.js';

function inChannel(scope: WorkspaceScope, channelId: string) {
  return and(inWorkspace(historyCanvases, scope), eq(historyCanvases.channelId, channelId));
}

/** The workspace's canvases the app still writes to. */
export async function listLiveHistoryCanvases(db: Database, scope: WorkspaceScope): Promise<HistoryCanvas[]> {
  return db
    .select()
    .from(historyCanvases)
    .where(
      and(
        inWorkspace(historyCanvases, scope),
        isNotNull(historyCanvases.canvasId),
        isNull(historyCanvases.turnedOffAt),
        isNull(historyCanvases.refusedError),
      ),
    );
}

export async function findHistoryCanvas(
  db: Database,
  scope: WorkspaceScope,
  channelId: string,
): Promise<HistoryCanvas | undefined> {
  const [row] = await db.select().from(historyCanvases).where(inChannel(scope, channelId));
  return row;
}

/**
 * Turns the channel's learning history canvas on, or on again: a refusal Slack gave before is forgotten, so
 * the canvas is tried again (the workspace may have changed plan). A canvas already made is kept.
 */
export async function turnHistoryCanvasOn(
  db: Database,
  scope: WorkspaceScope,
  request: { channelId: string; userId: string; now: Date },
): Promise<HistoryCanvas> {
  const [row] = await db
    .insert(historyCanvases)
    .values({
      ...workspaceOf(scope),
      channelId: request.channelId,
      turnedOnBy: request.userId,
      turnedOnAt: request.now,
      createdAt: request.now,
      updatedAt: request.now,
    })
    .onConflictDoUpdate({
      target: [historyCanvases.teamId, historyCanvases.channelId],
      set: {
        turnedOnBy: request.userId,
        turnedOnAt: request.now,
        turnedOffAt: null,
        refusedError: null,
        updatedAt: request.now,
      },
    })
    .returning();
  return row as HistoryCanvas;
}

/** Stops writing to the canvas; `forgetCanvas` when people deleted it, so turning it on makes a new one. */
export async function turnHistoryCanvasOff(
  db: Database,
  scope: WorkspaceScope,
  request: { channelId: string; now: Date; forgetCanvas?: boolean },
): Promise<boolean> {
  const rows = await db
    .update(historyCanvases)
    .set({
      turnedOffAt: request.now,
      updatedAt: request.now,
      ...(request.forgetCanvas ? { canvasId: null } : {}),
    })
    .where(inChannel(scope, request.channelId))
    .returning({ channelId: historyCanvases.channelId });
  return rows.length > 0;
}

export async function recordHistoryCanvasMade(
  db: Database,
  scope: WorkspaceScope,
  made: { channelId: string; canvasId: string; now: Date },
): Promise<void> {
  await db
    .update(historyCanvases)
    .set({ canvasId: made.canvasId, updatedAt: made.now })
    .where(inChannel(scope, made.channelId));
}

/** Slack refused canvases here: from now on the history goes to the channel as a Markdown file. */
export async function recordHistoryCanvasRefused(
  db: Database,
  scope: WorkspaceScope,
  refused: { channelId: string; error: string; now: Date },
): Promise<void> {
  await db
    .update(historyCanvases)
    .set({ refusedError: refused.error, updatedAt: refused.now })
    .where(inChannel(scope, refused.channelId));
}
