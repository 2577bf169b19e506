import { z } from 'zod';
import type { DatabaseSettings } from './db/client.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

// Empty strings come from `KEY=` lines in .env files; treat them as "not set" so defaults apply.
const optionalText = z.preprocess((value) => (value === '' ? undefined : value), z.string().optional());

function wholeNumber(message: string, accept: (value: number) => boolean, fallback: number) {
  return z.preprocess(
    (value) => (value === '' ? undefined : value),
    z.coerce.number({ error: message }).int(message).refine(accept, message).default(fallback),
  );
}

const KEY_ADVICE =
  'should be <key id>:<32 random bytes in base64>, for example k1:$(openssl rand -base64 32); the id is 1 to 32 letters, digits, - or _';

export interface EncryptionKey {
  id: string;
  key: Buffer;
}

/** "<id>:<base64 of 32 bytes>" → the key, or undefined when it is not one. */
function parseKey(text: string): EncryptionKey | undefined {
  const match = /^([A-Za-z0-9_-]{1,32}):([A-Za-z0-9+/]+={0,2})$/.exec(text);
  if (!match) return undefined;
  const key = Buffer.from(match[2] as string, 'base64');
  return key.length === 32 ? { id: match[1] as string, key } : undefined;
}

const envSchema = z.object({
  SLACK_SIGNING_SECRET: optionalText.pipe(
    z
      .string()
      .regex(/^[0-9a-f]{16,}$/i, 'should be the hexadecimal Signing Secret from Basic Information')
      .optional(),
  ),
  SLACK_BOT_TOKEN: optionalText.pipe(
    z
      .string()
      .regex(/^xoxb-\S+$/, 'should be a bot token starting with xoxb- (OAuth & Permissions page)')
      .optional(),
  ),
  SLACK_APP_TOKEN: optionalText.pipe(
    z
      .string()
      .regex(/^xapp-\S+$/, 'should be an app-level token starting with xapp- (Basic Information page)')
      .optional(),
  ),
  SLACK_CLIENT_ID: optionalText.pipe(
    z
      .string()
      .regex(/^\d+\.\d+$/, 'should be the Client ID from Basic Information, such as 1234.5678')
      .optional(),
  ),
  SLACK_CLIENT_SECRET: optionalText.pipe(
    z
      .string()
      .regex(/^[0-9a-f]{16,}$/i, 'should be the hexadecimal Client Secret from Basic Information')
      .optional(),
  ),
  SLACK_STATE_SECRET: optionalText.pipe(
    z.string().min(16, 'should be a random string of at least 16 characters').optional(),
  ),
  TOKEN_ENCRYPTION_KEY: optionalText.pipe(
    z
      .string()
      .refine((value) => parseKey(value) !== undefined, KEY_ADVICE)
      .optional(),
  ),
  TOKEN_ENCRYPTION_OLD_KEYS: optionalText.pipe(
    z
      .string()
      .refine(
        (value) => value.split(',').every((part) => parseKey(part.trim()) !== undefined),
        `should be a comma-separated list; each ${KEY_ADVICE}`,
      )
      .optional(),
  ),
  DATA_RETENTION_DAYS: wholeNumber('should be a whole number of days, 1 or more', (value) => value >= 1, 30),
  DATABASE_URL: optionalText.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\/\S+$/, 'should look like postgres://user:password@host:5432/database')
      .optional(),
  ),
  DATA_DIR: optionalText.pipe(z.string().default('./data')),
  PORT: wholeNumber(
    'should be a whole number from 0 to 65535',
    (value) => value >= 0 && value <= 65535,
    3000,
  ),
  SLACK_API_URL: optionalText.pipe(
    z
      .url({ protocol: /^https?$/, error: 'should be an http(s) URL such as https://slack.com/api/' })
      .default('https://slack.com/api/'),
  ),
  SCHEDULER_TICK_SECONDS: wholeNumber(
    'should be a number of seconds that divides a minute (1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30) or 60',
    (value) => value > 0 && 60 % value === 0,
    60,
  ),
  SCHEDULER_GRACE_MINUTES: wholeNumber(
    'should be a whole number of minutes, 1 or more',
    (value) => value >= 1,
    120,
  ),
  SCHEDULER_LEASE_SECONDS: wholeNumber(
    'should be a whole number of seconds, 5 or more',
    (value) => value >= 5,
    300,
  ),
  SCHEDULER_POST_TIMEOUT_SECONDS: wholeNumber(
    'should be a whole number of seconds from 1 to 60',
    (value) => value >= 1 && value <= 60,
    10,
  ),
  DIGEST_ANONYMOUS_QUOTES_MIN_PEOPLE: wholeNumber(
    'should be a whole number, 3 or more: in smaller groups a quote could identify its author',
    (value) => value >= 3,
    3,
  ),
  LOG_LEVEL: optionalText.pipe(
    z.enum(LOG_LEVELS, { error: `should be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  ),
});

export interface Distribution {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly stateSecret: string;
  /** New secrets are sealed with the first key; the others still open what they sealed. */
  readonly keys: readonly EncryptionKey[];
  /** Days an uninstalled workspace's data is kept in case it installs again. */
  readonly retentionDays: number;
}

export interface Config {
  readonly slack: {
    readonly signingSecret: string | undefined;
    /** The one workspace's token; absent when installing into many workspaces (`distribution`). */
    readonly botToken: string | undefined;
    readonly appToken: string | undefined;
    readonly apiUrl: string;
  };
  readonly database: DatabaseSettings;
  readonly port: number;
  readonly scheduler: {
    readonly tickSeconds: number;
    readonly graceMinutes: number;
    readonly leaseSeconds: number;
    readonly postTimeoutSeconds: number;
  };
  readonly digest: {
    /** Anonymous answers are quoted only in a week when at least this many named people answered. */
    readonly minPeopleForAnonymousQuotes: number;
  };
  readonly distribution: Distribution | undefined;
  readonly logLevel: (typeof LOG_LEVELS)[number];
}

export type ConfigResult = { ok: true; config: Config } | { ok: false; message: string };

// Which keys must be present depends on the mode, so these rules run beside the per-key schema and every
// problem is reported in one go.
const DISTRIBUTION_KEYS = [
  'SLACK_CLIENT_ID',
  'SLACK_CLIENT_SECRET',
  'SLACK_STATE_SECRET',
  'TOKEN_ENCRYPTION_KEY',
];

function missingKeys(env: Record<string, string | undefined>): string[] {
  const isSet = (key: string) => Boolean(env[key]);
  const problems: string[] = [];
  // Installing into many workspaces needs the OAuth settings and a key to seal their tokens with, all together.
  if (DISTRIBUTION_KEYS.some(isSet)) {
    for (const key of DISTRIBUTION_KEYS.filter((name) => !isSet(name)))
      problems.push(
        `${key} is missing: installing into many workspaces needs ${DISTRIBUTION_KEYS.join(', ')} together`,
      );
    if (isSet('SLACK_BOT_TOKEN'))
      problems.push(
        'SLACK_BOT_TOKEN should not be set with SLACK_CLIENT_ID: each workspace’s token comes from its installation',
      );
    if (isSet('SLACK_APP_TOKEN'))
      problems.push(
        'SLACK_APP_TOKEN should not be set with SLACK_CLIENT_ID: installing into many workspaces uses HTTP',
      );
    if (!isSet('SLACK_SIGNING_SECRET'))
      problems.push(
        'SLACK_SIGNING_SECRET is missing: copy the Signing Secret from your Slack app’s Basic Information page',
      );
    return problems;
  }
  if (!isSet('SLACK_BOT_TOKEN')) {
    problems.push(
      'SLACK_BOT_TOKEN is missing: copy the Bot User OAuth Token (xoxb-…) from your Slack app’s OAuth & Permissions page',
    );
  }
  // Socket Mode authenticates with the app-level token; HTTP mode must verify request signatures.
  if (!isSet('SLACK_APP_TOKEN') && !isSet('SLACK_SIGNING_SECRET')) {
    problems.push(
      'SLACK_SIGNING_SECRET is missing: copy the Signing Secret from your Slack app’s Basic Information page',
    );
  }
  return problems;
}

/**
 * Between two renewals of a claim a try can read up to five pages of history and then post, each up to
 * the timeout; a claim that lapsed in between would let another replica post the same message.
 */
function leaseProblems(values: { SCHEDULER_LEASE_SECONDS: number; SCHEDULER_POST_TIMEOUT_SECONDS: number }) {
  const least = values.SCHEDULER_POST_TIMEOUT_SECONDS * 6 + 2;
  return values.SCHEDULER_LEASE_SECONDS >= least
    ? []
    : [
        `SCHEDULER_LEASE_SECONDS should be at least ${least} (six times SCHEDULER_POST_TIMEOUT_SECONDS, plus 2), so a claim outlasts one try at posting`,
      ];
}

export function loadConfig(env: Record<string, string | undefined>): ConfigResult {
  const parsed = envSchema.safeParse(env);
  const problems = [
    ...missingKeys(env),
    ...(parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`)),
    ...(parsed.success ? leaseProblems(parsed.data) : []),
  ];
  if (!parsed.success || problems.length > 0) {
    const unique = [...new Set(problems)].map((problem) => `  - ${problem}`);
    return {
      ok: false,
      message: [
        'Learning Thread cannot start because of its configuration:',
        ...unique,
        'Set these as environment variables (see .env.example for every setting).',
      ].join('\n'),
    };
  }
  const values = parsed.data;
  const config: Config = {
    slack: {
      signingSecret: values.SLACK_SIGNING_SECRET,
      botToken: values.SLACK_BOT_TOKEN,
      appToken: values.SLACK_APP_TOKEN,
      apiUrl: values.SLACK_API_URL.endsWith('/') ? values.SLACK_API_URL : `${values.SLACK_API_URL}/`,
    },
    database: values.DATABASE_URL ? { url: values.DATABASE_URL } : { dataDir: values.DATA_DIR },
    port: values.PORT,
    scheduler: {
      tickSeconds: values.SCHEDULER_TICK_SECONDS,
      graceMinutes: values.SCHEDULER_GRACE_MINUTES,
      leaseSeconds: values.SCHEDULER_LEASE_SECONDS,
      postTimeoutSeconds: values.SCHEDULER_POST_TIMEOUT_SECONDS,
    },
    digest: { minPeopleForAnonymousQuotes: values.DIGEST_ANONYMOUS_QUOTES_MIN_PEOPLE },
    distribution: values.SLACK_CLIENT_ID
      ? Object.freeze({
          clientId: values.SLACK_CLIENT_ID,
          clientSecret: values.SLACK_CLIENT_SECRET as string,
          stateSecret: values.SLACK_STATE_SECRET as string,
          keys: Object.freeze(
            [
              values.TOKEN_ENCRYPTION_KEY as string,
              ...(values.TOKEN_ENCRYPTION_OLD_KEYS?.split(',') ?? []),
            ].map((text) => parseKey(text.trim()) as EncryptionKey),
          ),
          retentionDays: values.DATA_RETENTION_DAYS,
        })
      : undefined,
    logLevel: values.LOG_LEVEL,
  };
  Object.freeze(config.slack);
  Object.freeze(config.database);
  Object.freeze(config.scheduler);
  Object.freeze(config.digest);
  return { ok: true, config: Object.freeze(config) };
}

/** Just the database settings, for tools that never talk to Slack (the operators' command line). */
export function loadDatabaseSettings(
  env: Record<string, string | undefined>,
): { ok: true; settings: DatabaseSettings } | { ok: false; message: string } {
  const parsed = envSchema.pick({ DATABASE_URL: true, DATA_DIR: true }).safeParse(env);
  if (!parsed.success) {
    return {
      ok: false,
      message: parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`).join('\n'),
    };
  }
  const { DATABASE_URL, DATA_DIR } = parsed.data;
  return { ok: true, settings: DATABASE_URL ? { url: DATABASE_URL } : { dataDir: DATA_DIR } };
}
