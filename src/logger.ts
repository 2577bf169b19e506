import { type Logger as BoltLogger, type LogLevel as BoltLogLevel, LogLevel } from '@slack/bolt';
import { type DestinationStream, type Logger, pino } from 'pino';

export type { Logger };

// Field names that may hold a credential anywhere in a logged object are censored before writing.
const REDACTED_PATHS = [
  'token',
  '*.token',
  'botToken',
  'appToken',
  'signingSecret',
  'authorization',
  '*.authorization',
  'headers.authorization',
  'DATABASE_URL',
  'databaseUrl',
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    { level, base: { app: 'learning-thread' }, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } },
    destination,
  );
}

/**
 * What Bolt, the OAuth installer, Socket Mode and the Web API client may say in our log: a fixed message
 * for each line we know, matched on its fixed start. Their lines interpolate request URLs (with OAuth
 * codes), request bodies (the client secret, what people wrote), signatures and error messages (which
 * can quote a database query's parameters), so none of their own text is passed on, and a line not on
 * this list is reported only as withheld.
 */
const SDK_LINES: ReadonlyArray<readonly [RegExp, string]> = [
  [/^An incoming event was not acknowledged within/, 'request not acknowledged in time'],
  [/^An unhandled error occurred/, 'unhandled error in a listener'],
  [/^Authorization of incoming event did not succeed/, 'request not authorised; no listener called'],
  [/^Could not determine the type of an incoming event/, 'request of unknown type; no listener called'],
  [/^Invalid request signature detected/, 'request signature invalid'],
  [/^Request body exceeded the maximum allowed size/, 'request body too large'],
  [/^Unexpected content-type detected/, 'request content type unexpected'],
  [/^(Failed to parse|Malformed request body)/, 'request body could not be parsed'],
  [
    /^(An unhandled HTTP request|Unhandled HTTP request|No request handler matched)/,
    'HTTP request not handled',
  ],
  [/^ack\(\) has already been called/, 'request acknowledged twice'],
  [/^http request failed/, 'Slack Web API request failed'],
  [/^(API Call failed due to rate limiting|Rate limited)/, 'Slack Web API rate limited'],
  [/^Slack API error/, 'Slack Web API error'],
  [/^HTTP error \d+/, 'Slack Web API HTTP error'],
  [/^Failed to perform oauth\.v2\.access API call for token rotation/, 'token rotation failed'],
  [
    /^(HTTPReceiver encountered an unexpected error|An unhandled error occurred while Bolt processed a request to the installation path)/,
    'installation request failed',
  ],
  [
    /^(Failed to retrieve a new WSS URL|Failed to send|WebSocket|A ping wasn't|A pong wasn't|Peer did not complete|Expected \w+Event)/,
    'Socket Mode connection trouble',
  ],
  [/is deprecated\. Please check on/, 'Slack Web API method deprecated'],
];

function sdkLine(text: string): string {
  return SDK_LINES.find(([start]) => start.test(text))?.[1] ?? 'Slack SDK log line withheld';
}

/**
 * Bolt and the Web API client log through this adapter. Their debug lines are dropped at every level:
 * they quote request bodies and authorisation results (the OAuth client secret, the user behind an
 * anonymous action). Their other lines become the fixed messages above.
 */
export function boltLogger(log: Logger): BoltLogger {
  const scoped = log.child({ module: 'bolt' });
  let level: BoltLogLevel = LogLevel.INFO;
  const firstText = (msg: unknown[]) => {
    const first = msg[0];
    return first instanceof Error ? first.message : typeof first === 'string' ? first : '';
  };
  return {
    debug: () => {},
    info: (...msg) => scoped.info(sdkLine(firstText(msg))),
    warn: (...msg) => scoped.warn(sdkLine(firstText(msg))),
    error: (...msg) => scoped.error(sdkLine(firstText(msg))),
    setLevel: (next) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => {},
  };
}

/**
 * What a log line may say about an error: its kind and code, never its message. Database errors quote the
 * failed query's parameters in their message, and those are what people wrote.
 */
export function describeError(error: unknown): { type: string; code?: string } {
  if (!(error instanceof Error)) return { type: typeof error };
  const codeOf = (value: unknown): string | undefined => {
    const code = (value as { code?: unknown } | undefined)?.code;
    return typeof code === 'string' || typeof code === 'number' ? String(code) : undefined;
  };
  const slackCode = (error as { data?: { error?: unknown } }).data?.error;
  const code = typeof slackCode === 'string' ? slackCode : (codeOf(error.cause) ?? codeOf(error));
  return code ? { type: error.name, code } : { type: error.name };
}
