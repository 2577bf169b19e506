import { describe, expect, it } from 'vitest';
import { type Config, loadConfig } from '../../src/config.js';

const SIGNING_SECRET = '8f742231b10e8888abcd99ccc85a5e0f';
const BOT_TOKEN = 'xoxb-1111-2222-botsecretvalue';
const APP_TOKEN = 'xapp-1-A0APP-3333-appsecretvalue';

const httpMode = { SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_BOT_TOKEN: BOT_TOKEN };

function configFrom(env: Record<string, string | undefined>): Config {
  const result = loadConfig(env);
  if (!result.ok) throw new Error(`expected the configuration to load, got:\n${result.message}`);
  return result.config;
}

function problemsFrom(env: Record<string, string | undefined>): string {
  const result = loadConfig(env);
  if (result.ok) throw new Error('expected the configuration to be refused');
  return result.message;
}

/** The message's bullet lines, so each key can be checked to appear on a line of its own. */
function problemLines(message: string): string[] {
  return message.split('\n').filter((line) => line.startsWith('  - '));
}

describe('loadConfig: what the operator is told when the app cannot start', () => {
  it.each([
    ['SLACK_SIGNING_SECRET', 'not-hex-at-all!', /hexadecimal Signing Secret/],
    ['SLACK_SIGNING_SECRET', 'abc123', /hexadecimal Signing Secret/],
    ['SLACK_BOT_TOKEN', 'xoxp-a-user-token', /starting with xoxb-/],
    ['SLACK_APP_TOKEN', 'xoxb-not-an-app-token', /starting with xapp-/],
    ['DATABASE_URL', 'mysql://user:pw@host/db', /postgres:\/\/user:password@host:5432\/database/],
    ['DATABASE_URL', 'localhost:5432', /postgres:\/\//],
    ['PORT', 'eighty', /whole number from 0 to 65535/],
    ['PORT', '65536', /whole number from 0 to 65535/],
    ['PORT', '-1', /whole number from 0 to 65535/],
    ['PORT', '3000.5', /whole number from 0 to 65535/],
    ['SLACK_API_URL', 'ftp://slack.com/api/', /http\(s\) URL such as https:\/\/slack\.com\/api\//],
    ['SLACK_API_URL', 'slack dot com', /http\(s\) URL/],
    ['LOG_LEVEL', 'verbose', /one of fatal, error, warn, info, debug, trace, silent/],
  ])('names %s and what it should look like when it is %j', (key, value, advice) => {
    const lines = problemLines(problemsFrom({ ...httpMode, [key]: value }));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(key);
    expect(lines[0]).toMatch(advice);
  });

  it('reports every bad key in one message, so one restart is enough to fix them all', () => {
    const message = problemsFrom({
      SLACK_SIGNING_SECRET: 'nothex',
      SLACK_BOT_TOKEN: 'xoxp-user',
      SLACK_APP_TOKEN: 'token',
      DATABASE_URL: 'sqlite://file.db',
      PORT: 'http',
      SLACK_API_URL: 'not a url',
      LOG_LEVEL: 'loud',
    });
    const lines = problemLines(message);
    const keys = [
      'SLACK_SIGNING_SECRET',
      'SLACK_BOT_TOKEN',
      'SLACK_APP_TOKEN',
      'DATABASE_URL',
      'PORT',
      'SLACK_API_URL',
      'LOG_LEVEL',
    ];
    for (const key of keys) {
      expect(lines.filter((line) => line.startsWith(`  - ${key} `))).toHaveLength(1);
    }
    expect(lines).toHaveLength(keys.length);
    expect(message).toMatch(/^Learning Thread cannot start because of its configuration:/);
    expect(message).toMatch(/\.env\.example/);
  });

  it('lists both required keys when nothing is set, with where to find each one', () => {
    const lines = problemLines(problemsFrom({}));
    expect(lines).toEqual([
      expect.stringMatching(/^ {2}- SLACK_BOT_TOKEN is missing: .*xoxb-.*OAuth & Permissions/),
      expect.stringMatching(/^ {2}- SLACK_SIGNING_SECRET is missing: .*Basic Information/),
    ]);
  });

  it('mixes missing and malformed keys in the same message', () => {
    const lines = problemLines(problemsFrom({ PORT: 'abc', LOG_LEVEL: 'chatty' }));
    expect(lines.map((line) => line.split(' ')[3])).toEqual([
      'SLACK_BOT_TOKEN',
      'SLACK_SIGNING_SECRET',
      'PORT',
      'LOG_LEVEL',
    ]);
  });

  // `KEY=` lines in an .env file arrive as empty strings; they must read as "not set", not as bad values.
  it('treats empty required keys as missing rather than malformed', () => {
    const lines = problemLines(problemsFrom({ SLACK_SIGNING_SECRET: '', SLACK_BOT_TOKEN: '' }));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/SLACK_BOT_TOKEN is missing/);
    expect(lines[1]).toMatch(/SLACK_SIGNING_SECRET is missing/);
  });

  it('requires the signing secret in HTTP mode even when SLACK_APP_TOKEN is present but empty', () => {
    const lines = problemLines(problemsFrom({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_APP_TOKEN: '' }));
    expect(lines).toEqual([expect.stringMatching(/SLACK_SIGNING_SECRET is missing/)]);
  });

  it('never repeats the secrets it was given, good or bad', () => {
    const secrets = {
      SLACK_SIGNING_SECRET: 'zz-very-secret-signing-zz',
      SLACK_BOT_TOKEN: 'xoxp-very-secret-user-token',
      SLACK_APP_TOKEN: 'xoxe-very-secret-refresh',
      DATABASE_URL: 'mysql://admin:hunter2@db.internal/prod',
    };
    const message = problemsFrom({ ...secrets, PORT: 'nope' });
    for (const value of Object.values(secrets)) expect(message).not.toContain(value);
    expect(message).not.toContain('hunter2');
    expect(message).not.toContain('very-secret');

    const withValidSecrets = problemsFrom({
      ...httpMode,
      SLACK_APP_TOKEN: APP_TOKEN,
      DATABASE_URL: 'postgres://app:s3cr3t-pass@db:5432/learning',
      LOG_LEVEL: 'everything',
    });
    for (const value of [SIGNING_SECRET, BOT_TOKEN, APP_TOKEN, 's3cr3t-pass']) {
      expect(withValidSecrets).not.toContain(value);
    }
  });
});

describe('loadConfig: what a working configuration gives the app', () => {
  it('fills in defaults for everything optional', () => {
    expect(configFrom(httpMode)).toEqual({
      slack: {
        signingSecret: SIGNING_SECRET,
        botToken: BOT_TOKEN,
        appToken: undefined,
        apiUrl: 'https://slack.com/api/',
      },
      database: { dataDir: './data' },
      port: 3000,
      scheduler: { tickSeconds: 60, graceMinutes: 120, leaseSeconds: 300, postTimeoutSeconds: 10 },
      digest: { minPeopleForAnonymousQuotes: 3 },
      logLevel: 'info',
    });
  });

  it.each([
    ['SCHEDULER_TICK_SECONDS', '7', 'divides a minute'],
    ['SCHEDULER_TICK_SECONDS', '0', 'divides a minute'],
    ['SCHEDULER_GRACE_MINUTES', '0', 'minutes, 1 or more'],
    ['SCHEDULER_LEASE_SECONDS', 'soon', 'seconds, 5 or more'],
  ])('refuses %s=%s', (key, value, advice) => {
    const result = loadConfig({ ...httpMode, [key]: value });
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.message).toContain(
        `${key} should be ${advice.startsWith('divides') ? 'a number of seconds that ' : 'a whole number of '}${advice}`,
      );
  });

  it('refuses a lease too short to cover one try at posting', () => {
    const result = loadConfig({
      ...httpMode,
      SCHEDULER_LEASE_SECONDS: '20',
      SCHEDULER_POST_TIMEOUT_SECONDS: '10',
    });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain('SCHEDULER_LEASE_SECONDS should be at least 62');
  });

  it('keeps anonymous quotes to weeks with at least three named people, and never fewer', () => {
    expect(configFrom(httpMode).digest).toEqual({ minPeopleForAnonymousQuotes: 3 });
    expect(configFrom({ ...httpMode, DIGEST_ANONYMOUS_QUOTES_MIN_PEOPLE: '5' }).digest).toEqual({
      minPeopleForAnonymousQuotes: 5,
    });
    const result = loadConfig({ ...httpMode, DIGEST_ANONYMOUS_QUOTES_MIN_PEOPLE: '2' });
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.message).toContain(
        'DIGEST_ANONYMOUS_QUOTES_MIN_PEOPLE should be a whole number, 3 or more',
      );
  });

  it('reads the scheduler settings', () => {
    const config = configFrom({
      ...httpMode,
      SCHEDULER_TICK_SECONDS: '15',
      SCHEDULER_GRACE_MINUTES: '30',
      SCHEDULER_LEASE_SECONDS: '90',
    });
    expect(config.scheduler).toEqual({
      tickSeconds: 15,
      graceMinutes: 30,
      leaseSeconds: 90,
      postTimeoutSeconds: 10,
    });
  });

  it('applies the same defaults when optional keys are present but empty', () => {
    const config = configFrom({
      ...httpMode,
      SLACK_APP_TOKEN: '',
      DATABASE_URL: '',
      DATA_DIR: '',
      PORT: '',
      SLACK_API_URL: '',
      LOG_LEVEL: '',
    });
    expect(config.slack.appToken).toBeUndefined();
    expect(config.database).toEqual({ dataDir: './data' });
    expect(config.port).toBe(3000);
    expect(config.slack.apiUrl).toBe('https://slack.com/api/');
    expect(config.logLevel).toBe('info');
  });

  it.each([
    ['postgres://app:pw@db:5432/learning'],
    ['postgresql://app:pw@db.example.com:6543/learning?sslmode=require'],
  ])('uses the Postgres server at %s instead of the local data directory', (url) => {
    expect(configFrom({ ...httpMode, DATABASE_URL: url, DATA_DIR: '/var/lib/ignored' }).database).toEqual({
      url,
    });
  });

  it('keeps embedded data where DATA_DIR points when there is no DATABASE_URL', () => {
    expect(configFrom({ ...httpMode, DATA_DIR: '/srv/learning' }).database).toEqual({
      dataDir: '/srv/learning',
    });
  });

  it.each([
    ['https://slack.com/api/', 'https://slack.com/api/'],
    ['https://slack.com/api', 'https://slack.com/api/'],
    ['http://127.0.0.1:4010/api', 'http://127.0.0.1:4010/api/'],
    ['http://127.0.0.1:4010/api/', 'http://127.0.0.1:4010/api/'],
  ])('reads SLACK_API_URL %s as %s so method names can be appended', (given, expected) => {
    expect(configFrom({ ...httpMode, SLACK_API_URL: given }).slack.apiUrl).toBe(expected);
  });

  it.each([
    ['0', 0],
    ['8080', 8080],
    ['65535', 65535],
  ])('reads PORT %s as the number %d', (given, expected) => {
    expect(configFrom({ ...httpMode, PORT: given }).port).toBe(expected);
  });

  it.each(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const)(
    'accepts LOG_LEVEL %s',
    (level) => {
      expect(configFrom({ ...httpMode, LOG_LEVEL: level }).logLevel).toBe(level);
    },
  );

  // Socket Mode authenticates with the app-level token, so there are no request signatures to verify.
  it('starts in Socket Mode without a signing secret', () => {
    const config = configFrom({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_APP_TOKEN: APP_TOKEN });
    expect(config.slack.appToken).toBe(APP_TOKEN);
    expect(config.slack.signingSecret).toBeUndefined();
  });

  it('still requires the bot token in Socket Mode', () => {
    const lines = problemLines(problemsFrom({ SLACK_APP_TOKEN: APP_TOKEN }));
    expect(lines).toEqual([expect.stringMatching(/SLACK_BOT_TOKEN is missing/)]);
  });

  // Code that reads the configuration later must not be able to change what was checked at start-up.
  it('cannot be changed after it is loaded', () => {
    const config = configFrom(httpMode);
    expect(Object.isFrozen(config)).toBe(true);
    expect(() => {
      (config as { port: number }).port = 1;
    }).toThrow(TypeError);
    expect(config.port).toBe(3000);
  });

  it('cannot be changed after it is loaded, nested settings included', () => {
    const config = configFrom(httpMode);
    expect(() => {
      (config.slack as { apiUrl: string }).apiUrl = 'https://attacker.example/api/';
    }).toThrow(TypeError);
    expect(() => {
      (config.database as { dataDir: string }).dataDir = '/tmp/elsewhere';
    }).toThrow(TypeError);
    expect(config.slack.apiUrl).toBe('https://slack.com/api/');
    expect(config.database).toEqual({ dataDir: './data' });
  });
});
