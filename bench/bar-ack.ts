import { performance } from 'node:perf_hooks';
import { startLearningThread } from '../src/server.js';
import { testConfig } from '../tests/support/config.js';
import { createTestDatabase } from '../tests/support/databases.js';
import { startFakeSlack } from '../tests/support/fake-slack.js';
import { CONTENT_TYPES, sendSigned, slashCommandBody } from '../tests/support/slack-requests.js';
import { summarise } from './stats.js';

const REQUESTS = 100;
const WARM_UP = 5;

/** Time from sending `/bar` to Slack receiving the app's acknowledgement, which must come within 3 s. */
export async function barAck(): Promise<void> {
  const slack = await startFakeSlack();
  slack.addUser({ id: 'U0BENCH', tz: 'Europe/London' });
  slack.addChannel({ id: 'C0BENCH', name: 'bench' });
  const databaseUrl = process.env.BENCH_DATABASE_URL;
  // On Postgres, a scratch database of its own, so the server's databases are left as they were.
  if (databaseUrl) process.env.TEST_DATABASE_URL = databaseUrl;
  const scratch = await createTestDatabase(databaseUrl ? 'postgres' : 'pglite');
  const config = testConfig({ apiUrl: slack.url, database: scratch.settings, logLevel: 'silent' });

  const app = await startLearningThread(config);
  const baseUrl = `http://127.0.0.1:${app.port}`;
  const actor = { teamId: slack.teamId, userId: 'U0BENCH', channelId: 'C0BENCH' };
  const samples: number[] = [];
  try {
    for (let index = 0; index < WARM_UP + REQUESTS; index += 1) {
      const body = slashCommandBody(actor, '/bar', `Benchmark action ${index}`, `trigger-${index}`);
      const started = performance.now();
      const response = await sendSigned(baseUrl, body, CONTENT_TYPES.form);
      const elapsed = performance.now() - started;
      if (response.status !== 200) throw new Error(`/bar answered ${response.status}`);
      if (index >= WARM_UP) samples.push(elapsed);
    }
    await slack.waitForCall(
      'views.open',
      (call) => call.params.trigger_id === `trigger-${WARM_UP + REQUESTS - 1}`,
    );
  } finally {
    await app.stop();
    await slack.close();
    await scratch.drop();
  }
  const line = { bench: 'bar-ack', driver: databaseUrl ? 'postgres' : 'pglite', ...summarise(samples) };
  process.stdout.write(`${JSON.stringify(line)}\n`);
}
