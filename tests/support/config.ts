import type { Config } from '../../src/config.js';
import type { DatabaseSettings } from '../../src/db/client.js';
import { SIGNING_SECRET } from './slack-requests.js';

export const BOT_TOKEN = 'xoxb-test-0000-secret-token';

/** A complete configuration for an app pointed at a fake Slack, as loadConfig would build it. */
export function testConfig(parts: {
  apiUrl: string;
  database: DatabaseSettings;
  appToken?: string;
  port?: number;
  logLevel?: Config['logLevel'];
  scheduler?: Partial<Config['scheduler']>;
}): Config {
  return {
    slack: {
      signingSecret: parts.appToken ? undefined : SIGNING_SECRET,
      botToken: BOT_TOKEN,
      appToken: parts.appToken,
      apiUrl: parts.apiUrl,
    },
    database: parts.database,
    port: parts.port ?? 0,
    scheduler: {
      tickSeconds: 60,
      graceMinutes: 120,
      leaseSeconds: 300,
      postTimeoutSeconds: 10,
      ...parts.scheduler,
    },
    digest: { minPeopleForAnonymousQuotes: 3 },
    logLevel: parts.logLevel ?? 'debug',
  };
}
