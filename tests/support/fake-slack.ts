import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isRecord } from './block-kit.js';
import { createSlackFaults, type Fault, type RateLimit, rateLimitedAnswer } from './slack-faults.js';
import { authMethods } from './slack-methods/auth.js';
import {
  addCanvas,
  type CanvasPlan,
  type CanvasSeed,
  type CanvasSummary,
  canvasesMethods,
  canvasMarkdown,
  canvasSummaries,
  channelCanvasId,
  renewCanvasSectionIds,
  setCanvasMarkdown,
  setCanvasPlan,
} from './slack-methods/canvases.js';
import { chatMethods } from './slack-methods/chat.js';
import { conversationsMethods } from './slack-methods/conversations.js';
import { filesMethods, receiveUpload, uploadedFiles } from './slack-methods/files.js';
import {
  type FunctionExecution,
  functionExecution,
  functionsMethods,
  startFunctionExecution,
} from './slack-methods/functions.js';
import { storedMessage } from './slack-methods/messages.js';
import { reactionsMethods, reactionsOn, type StoredReaction } from './slack-methods/reactions.js';
import { asString, fail, type MethodTable, type Reply } from './slack-methods/reply.js';
import {
  addChannel,
  addMessage,
  addUser,
  type ChannelSeed,
  createWorkspace,
  dmChannelFor,
  dmIdFor,
  findChannel,
  isUserId,
  type MessageSeed,
  type OAuthGrant,
  type StoredMessage,
  sortedMessages,
  type UploadedFile,
  type UserSeed,
  type WorkspaceOptions,
} from './slack-methods/state.js';
import { usersMethods } from './slack-methods/users.js';
import { addView, viewsMethods } from './slack-methods/views.js';

/*
 * A stand-in for the Slack Web API, served over real HTTP so that the app's own
 * WebClient / Bolt wiring (serialisation, retries, error mapping) is exercised
 * end to end instead of being mocked away. It models just enough of Slack's
 * world (channels, users, messages, views) for the answers to depend on state
 * the way they do in production, and it rejects payloads Slack would reject so
 * that a broken Block Kit layout fails a test rather than a live demo.
 *
 * This file is the HTTP edge: it parses requests, records calls, plays faults
 * (./slack-faults.ts) and hands each call to its method family
 * (./slack-methods/), which act on one shared workspace. The Block Kit rules
 * live in ./block-kit.ts.
 */

export { checkMessageBlocks, checkView } from './block-kit.js';
export type { Fault, RateLimit } from './slack-faults.js';
export type { CanvasPlan, CanvasSeed, CanvasSummary } from './slack-methods/canvases.js';
export type { FunctionExecution } from './slack-methods/functions.js';
export type { StoredReaction } from './slack-methods/reactions.js';
export type {
  ChannelSeed,
  MessageMetadata,
  MessageSeed,
  OAuthGrant,
  StoredFile,
  StoredMessage,
  UploadedFile,
  UserSeed,
} from './slack-methods/state.js';

/**
 * The POST of a file's bytes to the `upload_url` that files.getUploadURLExternal
 * hands out is not a Web API method, but it is recorded (`callsTo('upload')`)
 * and faulted (`failNext('upload', …)`) under this name like one. It has no
 * JSON envelope, so an `error` fault answers HTTP 400 with the error as text.
 */
export const UPLOAD_METHOD = 'upload';

export interface RecordedCall {
  method: string;
  params: Record<string, unknown>;
  token: string | undefined;
  at: number;
  fault?: Fault['kind'];
}

export type FakeSlackOptions = WorkspaceOptions;

export interface FakeSlack {
  /** Base URL for the Web API client, e.g. `http://127.0.0.1:1234/api/`. */
  readonly url: string;
  readonly teamId: string;
  readonly botUserId: string;
  readonly botId: string;
  readonly appId: string;
  readonly calls: readonly RecordedCall[];
  readonly violations: readonly string[];
  callsTo(method: string): RecordedCall[];
  waitForCall(
    method: string,
    predicate?: (call: RecordedCall) => boolean,
    timeoutMs?: number,
  ): Promise<RecordedCall>;
  /** Queues `fault` for the next `times` calls to `method`, which may be UPLOAD_METHOD. */
  failNext(method: string, fault: Fault, times?: number): void;
  /**
   * Like `failNext`, for the next `times` calls to `method` whose `channel` is
   * `channel` (a channel id, or a user id for a direct message) only; it comes
   * before a fault queued for the method as a whole.
   */
  failNextIn(method: string, channel: string, fault: Fault, times?: number): void;
  /**
   * From now on every call to `method` hits `fault` with `probability`, drawn
   * from a PRNG seeded with `seed`, so the n-th call's fate is the same on
   * every run. Several may be registered per method; each draws on every call
   * and the first that hits wins. A queued `failNext` fault still comes first.
   */
  setDefaultFault(method: string, fault: Fault, probability: number, seed?: number): void;
  /**
   * Answers 429 (recorded as `rate_limited`, nothing stored) once a channel has
   * had `perChannelPerSecond` calls of `method` in the last second. Limits apply
   * when a call is actually handled, so a `slow` call is counted when its delay
   * ends and a `lost_response` call can itself be the one refused.
   */
  setRateLimit(method: string, limit: RateLimit): void;
  /** Every message in a channel (or in the DM with a user id), replies included, oldest first. */
  messagesIn(channel: string): StoredMessage[];
  /** Every message in every channel, oldest first. */
  allMessages(): StoredMessage[];
  /** The reactions on a message (by channel and ts) as Slack lists them; none once it is deleted. */
  reactionsOn(channel: string, ts: string): StoredReaction[];
  /** A canvas's whole document as a person reads it: its sections joined by a blank line. */
  canvasMarkdown(canvasId: string): string;
  /** The id of a channel's own canvas (conversations.canvases.create), if it has one. */
  channelCanvasId(channelId: string): string | undefined;
  /** Every canvas in the workspace, deleted ones included, in the order they were made. */
  canvases(): CanvasSummary[];
  /**
   * How the canvas methods answer from now on: `'paid'` (the default) allows
   * everything; `'free'` refuses channel canvases
   * (team_tier_cannot_create_channel_canvases), canvases not tabbed in a channel
   * (free_teams_cannot_create_non_tabbed_canvases) and editing those
   * (free_teams_cannot_edit_standalone_canvases); `'canvases_disabled'` answers
   * canvas_disabled_user_team to every canvas method.
   */
  setCanvasPlan(plan: CanvasPlan): void;
  /** Puts a canvas in the workspace as if someone had made it; returns its id. */
  addCanvas(seed: CanvasSeed): string;
  /**
   * Rewrites a canvas as a person editing it in Slack would: header sections
   * still there keep their ids, everything else is new.
   */
  setCanvasMarkdown(canvasId: string, markdown: string): void;
  /** Gives every section of a canvas a new id, as Slack may after an edit. */
  renewCanvasSectionIds(canvasId: string): void;
  /** Every file whose bytes reached its upload URL, completed or not, in the order uploads began. */
  uploadedFiles(): UploadedFile[];
  /** The next oauth.v2.access exchanging `code` installs the app into this workspace. */
  grantOAuthCode(code: string, grant: OAuthGrant): void;
  addChannel(channel: ChannelSeed): void;
  addUser(user: UserSeed): void;
  /** Puts a message in the world so that later chat.update / chat.delete calls can find it; returns its ts. */
  addMessage(message: MessageSeed): string;
  /**
   * Registers a view as if Slack had opened it, for tests that fabricate an
   * interaction payload; returns the stored view (id, hash…) to embed in it.
   */
  addView(view: Record<string, unknown>): Record<string, unknown>;
  /** The id of the app's DM with this user, as chat.postMessage to the user id reports it. */
  dmChannelFor(userId: string): string;
  /** Where `apps.connections.open` sends a Socket Mode client; unset, the call fails as for an HTTP-only app. */
  setSocketModeUrl(url: string): void;
  /** From now on every call made with `token` answers `error`, as for a revoked or mistyped token. */
  refuseToken(token: string, error?: string): void;
  /**
   * Starts a run of one of the app's Workflow Builder steps, as a workflow reaching it would; returns the
   * run and the `function_executed` event Slack sends the app for it.
   */
  startFunctionExecution(run: { callbackId: string; inputs: Record<string, unknown> }): {
    execution: FunctionExecution;
    event: Record<string, unknown>;
  };
  /** A run as it stands: still running, or completed with its outputs, or failed with its error. */
  functionExecution(id: string): FunctionExecution | undefined;
  reset(): void;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------
// Request parsing
// ---------------------------------------------------------------------------

// The WebClient flattens every non-scalar argument into a JSON string inside a
// form body. Free-text fields are excluded so a message that happens to look
// like JSON stays the string the app sent.
const FREE_TEXT_PARAMS = new Set([
  'text',
  'markdown_text',
  'username',
  'icon_emoji',
  'icon_url',
  'private_metadata',
  'ts',
  'thread_ts',
  'channel',
  'channel_id',
  'user',
  'user_id',
  'message_ts',
  'cursor',
  'filename',
  'title',
  'alt_text',
  'alt_txt',
  'snippet_type',
  'initial_comment',
  'error',
]);

function reviveNested(params: Record<string, unknown>): Record<string, unknown> {
  for (const [key, value] of Object.entries(params)) {
    if (typeof value !== 'string' || FREE_TEXT_PARAMS.has(key)) continue;
    const trimmed = value.trimStart();
    if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) continue;
    try {
      params[key] = JSON.parse(value);
    } catch {
      // Leave it as sent: Slack would then reject it as malformed, and so do the handlers.
    }
  }
  return params;
}

function parseBody(contentType: string | undefined, raw: string): Record<string, unknown> | undefined {
  const mediaType = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (raw.length === 0) return {};
  if (mediaType === 'application/json') {
    try {
      const parsed: unknown = JSON.parse(raw);
      return isRecord(parsed) ? parsed : undefined;
    } catch {
      return undefined;
    }
  }
  if (mediaType === 'application/x-www-form-urlencoded' || mediaType === '') {
    return Object.fromEntries(new URLSearchParams(raw));
  }
  return undefined;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

// The WebClient posts a file's bytes as a multipart form with one file part;
// curl and other SDKs post them raw. Slack takes either.
async function uploadedBytes(contentType: string | undefined, raw: Buffer): Promise<Buffer | undefined> {
  const mediaType = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (mediaType !== 'multipart/form-data') return raw;
  let form: FormData;
  try {
    form = await new Response(new Uint8Array(raw), {
      headers: { 'content-type': contentType ?? '' },
    }).formData();
  } catch {
    return undefined;
  }
  for (const value of form.values()) {
    if (typeof value !== 'string') return Buffer.from(await value.arrayBuffer());
  }
  return undefined;
}

// The conversation a call acts in: `channel` for most methods, `channel_id` for the canvas ones.
function conversationOf(params: Record<string, unknown>): string | undefined {
  return asString(params.channel) ?? asString(params.channel_id);
}

const SLACK_METHODS: MethodTable = {
  ...authMethods,
  ...canvasesMethods,
  ...chatMethods,
  ...conversationsMethods,
  ...filesMethods,
  ...functionsMethods,
  ...reactionsMethods,
  ...usersMethods,
  ...viewsMethods,
};

export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const ws = createWorkspace(options);
  const { teamId, botUserId, botId, appId } = ws;

  const calls: RecordedCall[] = [];
  const violations: string[] = [];
  const faults = createSlackFaults();
  const timers = new Set<NodeJS.Timeout>();
  type Waiter = {
    method: string;
    predicate: (call: RecordedCall) => boolean;
    resolve: (call: RecordedCall) => void;
    reject: (error: Error) => void;
    timer: NodeJS.Timeout;
  };
  const waiters = new Set<Waiter>();
  let closed = false;

  const dispatch = (method: string, params: Record<string, unknown>, token: string | undefined): Reply => {
    const handler = SLACK_METHODS[method];
    if (!handler) return fail('unknown_method');
    // Exchanging an OAuth code authenticates with the client id and secret, not a token.
    if (!token && method !== 'oauth.v2.access') return fail('not_authed');
    const refusal = token ? ws.refusedTokens.get(token) : undefined;
    if (refusal) return fail(refusal);
    return handler(ws, params, token);
  };

  const record = (call: RecordedCall) => {
    calls.push(call);
    for (const waiter of [...waiters]) {
      if (waiter.method !== call.method) continue;
      let matches: boolean;
      try {
        matches = waiter.predicate(call);
      } catch (error) {
        waiters.delete(waiter);
        clearTimeout(waiter.timer);
        waiter.reject(error instanceof Error ? error : new Error(String(error)));
        continue;
      }
      if (matches) {
        waiters.delete(waiter);
        clearTimeout(waiter.timer);
        waiter.resolve(call);
      }
    }
  };

  const sendJson = (
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ) => {
    if (res.writableEnded || res.destroyed) return;
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(body));
  };

  type Outcome = { status: number; body: unknown; headers?: Record<string, string> };
  type Call = { method: string; params: Record<string, unknown>; token: string | undefined };

  const handleCall = (
    method: string,
    params: Record<string, unknown>,
    token: string | undefined,
  ): Outcome => {
    const reply = dispatch(method, params, token);
    if (reply.rejectedPayload) {
      for (const p of reply.rejectedPayload) violations.push(`${method}: ${p}`);
    }
    return { status: 200, body: reply.body };
  };

  // A string body is sent as text: the upload URL answers Slack's "OK - <n>"
  // rather than JSON.
  const send = (res: ServerResponse, outcome: Outcome) => {
    if (typeof outcome.body !== 'string') {
      sendJson(res, outcome.status, outcome.body, outcome.headers);
      return;
    }
    if (res.writableEnded || res.destroyed) return;
    res.writeHead(outcome.status, { 'content-type': 'text/plain; charset=utf-8', ...outcome.headers });
    res.end(outcome.body);
  };

  const later = (delayMs: number, action: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      action();
    }, delayMs);
    timers.add(timer);
  };

  // Rate limits count per conversation, so a user id counts as the DM with
  // that user and a channel name as the channel it names. A canvas method
  // names no `channel`: it counts per channel_id, or else per canvas.
  const throttle = (call: Call): number | undefined => {
    const ref = conversationOf(call.params) ?? asString(call.params.canvas_id);
    if (!ref || !call.token || !SLACK_METHODS[call.method]) return undefined;
    const key = isUserId(ref) ? dmIdFor(ref) : (findChannel(ws, ref)?.id ?? ref);
    return faults.admit(call.method, key);
  };

  const actOrThrottle = (call: Call, act: () => Outcome): Outcome => {
    const retryAfter = throttle(call);
    return retryAfter === undefined ? act() : rateLimitedAnswer(retryAfter);
  };

  // Plays one call out under its fault, if any, whatever the endpoint: `act`
  // is what Slack does with the call and `refuse` how the endpoint reports an
  // `error` fault.
  const serve = (
    res: ServerResponse,
    call: Call,
    fault: Fault | undefined,
    act: () => Outcome,
    refuse: (error: string) => Outcome,
  ) => {
    const recordAs = (kind: Fault['kind'] | undefined) =>
      record({ ...call, at: Date.now(), ...(kind ? { fault: kind } : {}) });
    if (!fault || fault.kind === 'lost_response') {
      // Handled on arrival, so the rate limit is decided before the call is
      // recorded and the record says whether it was refused.
      const retryAfter = throttle(call);
      recordAs(fault?.kind ?? (retryAfter === undefined ? undefined : 'rate_limited'));
      const outcome = retryAfter === undefined ? act() : rateLimitedAnswer(retryAfter);
      if (fault) later(fault.delayMs, () => send(res, outcome));
      else send(res, outcome);
      return;
    }
    recordAs(fault.kind);
    switch (fault.kind) {
      case 'rate_limited':
        send(res, rateLimitedAnswer(fault.retryAfterSeconds));
        return;
      case 'server_error':
        res.writeHead(fault.status ?? 500, { 'content-type': 'text/html' });
        res.end('<html><body><h1>Internal Server Error</h1></body></html>');
        return;
      case 'error':
        send(res, refuse(fault.error));
        return;
      case 'slow':
        later(fault.delayMs, () => send(res, actOrThrottle(call, act)));
        return;
      case 'hang':
        // Deliberately never answered; close() tears the socket down.
        return;
    }
  };

  const bearerOf = (req: IncomingMessage): string | undefined => {
    const header = req.headers.authorization;
    return header?.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() || undefined : undefined;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const raw = await readBody(req);
    const uploadId = /^\/upload\/([A-Za-z0-9]+)$/.exec(url.pathname)?.[1];
    if (uploadId) {
      const bytes = await uploadedBytes(req.headers['content-type'], raw);
      // No token is needed: the URL itself is the credential, as on files.slack.com.
      const call: Call = {
        method: UPLOAD_METHOD,
        params: { file_id: uploadId, length: bytes?.length ?? 0 },
        token: bearerOf(req),
      };
      serve(
        res,
        call,
        faults.take(UPLOAD_METHOD, ''),
        () => receiveUpload(ws, uploadId, bytes),
        (error) => ({ status: 400, body: error }),
      );
      return;
    }
    const match = /^\/api\/([A-Za-z0-9_.]+)$/.exec(url.pathname);
    if (!match?.[1]) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('Not Found');
      return;
    }
    const method = match[1];
    const body = parseBody(req.headers['content-type'], raw.toString('utf8'));
    const params = reviveNested({ ...Object.fromEntries(url.searchParams), ...(body ?? {}) });
    const token = bearerOf(req) ?? asString(params.token);
    delete params.token;

    const fault = faults.take(method, conversationOf(params) ?? '');
    if (body === undefined) {
      record({ method, params, token, at: Date.now(), ...(fault ? { fault: fault.kind } : {}) });
      sendJson(res, 200, { ok: false, error: 'invalid_form_data' });
      return;
    }
    serve(
      res,
      { method, params, token },
      fault,
      () => handleCall(method, params, token),
      (error) => ({ status: 200, body: { ok: false, error } }),
    );
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      violations.push(`fake-slack internal error: ${message}`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(message);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  const url = `${origin}/api/`;
  ws.origin = origin;

  const summariseCalls = () => {
    if (calls.length === 0) return 'none';
    const counts = new Map<string, number>();
    for (const call of calls) counts.set(call.method, (counts.get(call.method) ?? 0) + 1);
    return [...counts].map(([method, n]) => (n > 1 ? `${method} ×${n}` : method)).join(', ');
  };

  return {
    url,
    teamId,
    botUserId,
    botId,
    appId,
    get calls() {
      return calls;
    },
    get violations() {
      return violations;
    },
    callsTo: (method) => calls.filter((call) => call.method === method),
    waitForCall(method, predicate = () => true, timeoutMs = 5000) {
      let existing: RecordedCall | undefined;
      try {
        existing = calls.find((call) => call.method === method && predicate(call));
      } catch (error) {
        return Promise.reject(error);
      }
      if (existing) return Promise.resolve(existing);
      if (closed) return Promise.reject(new Error(`fake Slack is closed; no ${method} call will arrive`));
      return new Promise<RecordedCall>((resolve, reject) => {
        const waiter: Waiter = {
          method,
          predicate,
          resolve,
          reject,
          timer: setTimeout(() => {
            waiters.delete(waiter);
            const sameMethod = calls.filter((call) => call.method === method).length;
            const note =
              sameMethod > 0 ? ` (${sameMethod} ${method} call(s) did not match the predicate)` : '';
            reject(
              new Error(
                `Timed out after ${timeoutMs}ms waiting for a ${method} call${note}. Methods seen: ${summariseCalls()}`,
              ),
            );
          }, timeoutMs),
        };
        waiters.add(waiter);
      });
    },
    failNext: (method, fault, times) => faults.failNext(method, fault, times),
    failNextIn: (method, channel, fault, times) => faults.failNextIn(method, channel, fault, times),
    setDefaultFault: (method, fault, probability, seed) =>
      faults.setDefaultFault(method, fault, probability, seed),
    setRateLimit: (method, limit) => faults.setRateLimit(method, limit),
    messagesIn(ref) {
      const channel = isUserId(ref) ? ws.channels.get(dmIdFor(ref)) : findChannel(ws, ref);
      if (!channel) {
        // A DM nobody has written in yet is simply empty; anything else is a typo worth hearing about.
        if (isUserId(ref) && ws.users.has(ref)) return [];
        throw new Error(`messagesIn: unknown channel ${ref}`);
      }
      return sortedMessages(ws, (m) => m.channel === channel.id).map((m) => storedMessage(ws, m));
    },
    allMessages: () => sortedMessages(ws, () => true).map((m) => storedMessage(ws, m)),
    reactionsOn: (channel, ts) => reactionsOn(ws, channel, ts),
    grantOAuthCode(code, grant) {
      ws.oauthCodes.set(code, grant);
    },
    uploadedFiles: () => uploadedFiles(ws),
    canvasMarkdown: (canvasId) => canvasMarkdown(ws, canvasId),
    channelCanvasId: (channelId) => channelCanvasId(ws, channelId),
    canvases: () => canvasSummaries(ws),
    setCanvasPlan: (plan) => setCanvasPlan(ws, plan),
    addCanvas: (seed) => addCanvas(ws, seed),
    setCanvasMarkdown: (canvasId, markdown) => setCanvasMarkdown(ws, canvasId, markdown),
    renewCanvasSectionIds: (canvasId) => renewCanvasSectionIds(ws, canvasId),
    addChannel: (seed) => addChannel(ws, seed),
    addUser: (seed) => addUser(ws, seed),
    addMessage: (seed) => addMessage(ws, seed),
    addView: (seed) => addView(ws, seed),
    dmChannelFor: (userId) => dmChannelFor(ws, userId),
    setSocketModeUrl(url: string) {
      ws.socketModeUrl = url;
    },
    refuseToken(token: string, error = 'token_revoked') {
      ws.refusedTokens.set(token, error);
    },
    startFunctionExecution: (run) => startFunctionExecution(ws, run),
    functionExecution: (id) => functionExecution(ws, id),
    reset() {
      calls.length = 0;
      violations.length = 0;
      faults.clear();
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const waiter of waiters) {
        clearTimeout(waiter.timer);
        waiter.reject(new Error(`fake Slack closed while waiting for a ${waiter.method} call`));
      }
      waiters.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
