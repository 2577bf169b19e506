import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { parse as parseQueryString } from 'node:querystring';
import { isValidSlackRequest } from '@slack/bolt';
import getRawBody from 'raw-body';
import type { Logger } from '../logger.js';

/** Bolt's own limit for a request body; larger ones are answered 413 as Bolt would. */
export const BODY_LIMIT_BYTES = 4 * 1024 * 1024;

/**
 * Whether Bolt will parse this body to an object. A form's `payload` field is JSON, anything else is JSON
 * itself; JSON text is an object or an array exactly when it starts with `{` or `[`, so the body is
 * not parsed here a second time. Text that starts so but is not JSON is Bolt's to refuse, after it has
 * checked the signature.
 */
function isObjectBody(raw: Buffer, contentType: string | undefined): boolean {
  let json = raw.toString();
  if (contentType === 'application/x-www-form-urlencoded') {
    const { payload } = parseQueryString(json);
    if (typeof payload !== 'string') return true;
    json = payload;
  }
  const first = json.trimStart()[0];
  return first === '{' || first === '[';
}

function signedBySlack(req: IncomingMessage, raw: Buffer, signingSecret: string): boolean {
  const signature = req.headers['x-slack-signature'];
  const timestamp = Number(req.headers['x-slack-request-timestamp']);
  if (typeof signature !== 'string' || !Number.isFinite(timestamp)) return false;
  return isValidSlackRequest({
    signingSecret,
    body: raw.toString(),
    headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp },
  });
}

/** How far a request's signed timestamp may be from the clock, either way, as Slack documents. */
export const REQUEST_TIMESTAMP_TOLERANCE_SECONDS = 5 * 60;

/**
 * Whether the request's timestamp is more than the tolerance from now, in either direction. Bolt refuses
 * only stale ones; a timestamp in the future would let a captured request be replayed until then.
 * Missing or unreadable timestamps are left to Bolt's signature check, which refuses them.
 */
function outsideTimestampWindow(req: IncomingMessage, nowMs: number): boolean {
  const header = req.headers['x-slack-request-timestamp'];
  if (typeof header !== 'string' || header.trim() === '') return false;
  const timestamp = Number(header);
  if (!Number.isFinite(timestamp)) return false;
  return Math.abs(timestamp * 1000 - nowMs) > REQUEST_TIMESTAMP_TOLERANCE_SECONDS * 1000;
}

/**
 * Reads each POST body before Bolt does, and refuses what Bolt would mishandle:
 * - a timestamp more than five minutes from the clock in either direction: 401, whatever the signature;
 * - a signed body that parses to `null` (`null` as JSON, or `payload=null` in a form), which Bolt's
 *   receiver reads a field of before its error handling begins, so it would reject outside any catch
 *   and end the process: 400 (401 when it is not signed).
 * Every other request goes on to Bolt with its body already read, which Bolt accepts in place of the
 * stream. Signed timestamps are compared with the wall clock, as Slack signs them and as Bolt checks
 * staleness: the app's injected clock says what time it is for the practice, not for the transport.
 */
export function refusingNonObjectBodies(
  next: RequestListener,
  signingSecret: string,
  log: Logger,
  nowMs: () => number = Date.now,
): RequestListener {
  return (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'POST') {
      next(req, res);
      return;
    }
    getRawBody(req, { limit: BODY_LIMIT_BYTES }).then(
      (raw) => {
        if (outsideTimestampWindow(req, nowMs())) {
          log.warn({ bytes: raw.length }, 'request timestamp outside the five-minute window; refused');
          res.writeHead(401).end();
          return;
        }
        const contentType = req.headers['content-type'];
        if (isObjectBody(raw, contentType)) {
          Object.assign(req, { rawBody: raw });
          next(req, res);
          return;
        }
        const signed = signedBySlack(req, raw, signingSecret);
        log.warn({ bytes: raw.length, signed }, 'request body is not an object; refused');
        res.writeHead(signed ? 400 : 401).end();
      },
      (error: { status?: number; type?: string }) => {
        const tooLarge = error.type === 'entity.too.large' || error.status === 413;
        log.warn({ tooLarge }, 'request body could not be read');
        if (!res.headersSent) res.writeHead(tooLarge ? 413 : 400).end();
      },
    );
  };
}
