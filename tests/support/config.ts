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
  /** Installing into many workspaces: no bot token, each workspace's comes from its installation. */
  distribution?: Config['distribution'];
}): Config {
  return {
    slack: {
      signingSecret: parts.appToken ? undefined : SIGNING_SECRET,
      botToken: parts.distribution ? undefined : BOT_TOKEN,
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
    distribution: parts.distribution,
    logLevel: parts.logLevel ?? 'debug',
  };
}
