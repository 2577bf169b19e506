import type { Workspace } from './state.js';

/*
 * What a Web API method answers, and the reading of its arguments that every
 * method family shares.
 */

/** A method's JSON answer; `rejectedPayload` lists what the app got wrong, to be recorded as violations. */
export type Reply = { body: Record<string, unknown>; rejectedPayload?: string[] };

/** One Web API method: the call's arguments (the token taken out) against the workspace. */
export type SlackMethod = (ws: Workspace, params: Record<string, unknown>, token?: string) => Reply;

/** A method family: Slack's method names to what they do. */
export type MethodTable = Record<string, SlackMethod>;

export function ok(body: Record<string, unknown> = {}): Reply {
  return { body: { ok: true, ...body } };
}

export function fail(error: string, extra: Record<string, unknown> = {}): Reply {
  return { body: { ok: false, error, ...extra } };
}

// Argument errors are the app's fault rather than the world's, so they are
// also collected as violations.
export function rejectPayload(error: string, problems: string[], withErrorsField = false): Reply {
  const messages = problems.map((p) => `[ERROR] ${p}`);
  return {
    body: {
      ok: false,
      error,
      ...(withErrorsField ? { errors: problems } : {}),
      response_metadata: { messages },
    },
    rejectedPayload: problems.length > 0 ? problems : [error],
  };
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

// The WebClient sends booleans as form strings; JSON callers send real ones.
export function asFlag(value: unknown): boolean {
  return value === true || value === 'true' || value === 1 || value === '1';
}

export function pageLimit(value: unknown, fallback: number, max: number): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  if (!Number.isFinite(n) || n < 1) return fallback;
  return Math.min(Math.floor(n), max);
}
