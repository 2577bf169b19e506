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
 * Bolt and the Web API client log through this adapter. Their debug output can include request
 * bodies (what people wrote), so it is only passed on at trace level.
 */
export function boltLogger(log: Logger): BoltLogger {
  const scoped = log.child({ module: 'bolt' });
  let level: BoltLogLevel = LogLevel.INFO;
  const flatten = (msg: unknown[]) =>
    msg
      .map((part) => (part instanceof Error ? part.message : typeof part === 'string' ? part : ''))
      .join(' ');
  return {
    debug: (...msg) => scoped.trace(flatten(msg)),
    info: (...msg) => scoped.info(flatten(msg)),
    warn: (...msg) => scoped.warn(flatten(msg)),
    error: (...msg) => scoped.error(flatten(msg)),
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
