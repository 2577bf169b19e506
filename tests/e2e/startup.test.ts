import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack.js';
import { freePort } from '../support/ports.js';
import { startProcess, waitUntilReady } from '../support/processes.js';
import { SIGNING_SECRET } from '../support/slack-requests.js';

const CLIENT = { id: '1234.5678', secret: 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6' };

// A process's cold start compiles the app and opens the embedded database: seconds on a quiet machine, far more
// with both cores busy. These bounds only keep a hung process from holding the suite.
const COLD_START_MS = 180_000;

/** Lines the process wrote that are not pino JSON: what an operator reads on the terminal. */
function plainLines(output: string): string[] {
  return output.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('{'));
}

describe('starting the app as a process', () => {
  let slack: FakeSlack;
  let dataDir: string;
  const env = () => ({
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.url,
    DATA_DIR: dataDir,
    PORT: '0',
  });

  beforeAll(async () => {
    slack = await startFakeSlack({ client: CLIENT });
    slack.refuseToken('xoxb-revoked-token', 'token_revoked');
    slack.refuseToken('xapp-1-mistyped', 'invalid_auth');
    dataDir = mkdtempSync(join(tmpdir(), 'learning-thread-start-'));
  });
  afterAll(async () => {
    await slack.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it.each([
    ['an unknown bot token', 'xoxb-unknown-0-fake', 'invalid_auth'],
    ['a revoked bot token', 'xoxb-revoked-token', 'token_revoked'],
  ])(
    'with %s, says so in one line naming where to fix it and exits 1',
    async (_name, token, code) => {
      const started = startProcess({ ...env(), SLACK_BOT_TOKEN: token });
      expect(await started.exited).toBe(1);
      const lines = plainLines(started.output());
      expect(lines).toEqual([
        expect.stringMatching(
          new RegExp(`^Learning Thread could not start: SLACK_BOT_TOKEN was refused by Slack \\(${code}\\)`),
        ),
      ]);
      expect(lines[0]).toContain('OAuth & Permissions');
      expect(started.output()).not.toContain(token);
      expect(started.output()).not.toContain('learning thread listening');
    },
    COLD_START_MS,
  );

  it(
    'with a mistyped app-level token in Socket Mode, names SLACK_APP_TOKEN and exits 1',
    async () => {
      const started = startProcess({
        SLACK_API_URL: slack.url,
        DATA_DIR: dataDir,
        PORT: '0',
        SLACK_BOT_TOKEN: 'xoxb-socket-test',
        SLACK_APP_TOKEN: 'xapp-1-mistyped',
      });
      expect(await started.exited).toBe(1);
      const lines = plainLines(started.output());
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain('SLACK_APP_TOKEN was refused by Slack (invalid_auth)');
      expect(lines[0]).toContain('App-Level Tokens');
    },
    COLD_START_MS,
  );

  it(
    'with a wrong client secret for many workspaces, names SLACK_CLIENT_SECRET and exits 1',
    async () => {
      const started = startProcess({
        ...env(),
        SLACK_CLIENT_ID: CLIENT.id,
        SLACK_CLIENT_SECRET: 'ffffffffffffffffffffffffffffffff',
        SLACK_STATE_SECRET: 'a-state-secret-long-enough',
        TOKEN_ENCRYPTION_KEY: `k1:${Buffer.alloc(32, 7).toString('base64')}`,
      });
      expect(await started.exited).toBe(1);
      const lines = plainLines(started.output());
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain('SLACK_CLIENT_SECRET was refused by Slack (bad_client_secret)');
      expect(lines[0]).toContain('Basic Information');
      expect(started.output()).not.toContain('ffffffffffffffffffffffffffffffff');
    },
    COLD_START_MS,
  );

  it(
    'with Slack out of reach, stays up, answers /readyz 503 with the reason, and is ready once Slack answers',
    async () => {
      const slackPort = await freePort();
      const port = await freePort();
      const baseUrl = `http://127.0.0.1:${port}`;
      const started = startProcess({
        ...env(),
        PORT: String(port),
        SLACK_BOT_TOKEN: 'xoxb-reachable-later',
        SLACK_API_URL: `http://127.0.0.1:${slackPort}/api/`,
      });
      await expect
        .poll(
          async () => {
            const response = await fetch(`${baseUrl}/readyz`).catch(() => undefined);
            return response ? { status: response.status, body: await response.json() } : undefined;
          },
          { timeout: COLD_START_MS / 2, interval: 100 },
        )
        .toEqual({
          status: 503,
          body: { status: 'not ready', reason: 'Slack could not be reached (ECONNREFUSED); retrying' },
        });
      expect((await fetch(`${baseUrl}/healthz`)).status).toBe(200);

      // Slack comes back: the address the app keeps asking now leads to the fake.
      const relay = await relayTo(new URL(slack.url).port, slackPort);
      try {
        await waitUntilReady(baseUrl, started);
        // The log line can reach this process's pipe just after /readyz has answered.
        await expect
          .poll(() => started.output(), { timeout: COLD_START_MS / 2 })
          .toContain('"msg":"Slack reachable; ready"');
        const warnings = started.output().match(/Slack not reachable/g) ?? [];
        expect(warnings).toHaveLength(1);
        expect(plainLines(started.output())).toEqual([]);
      } finally {
        relay.close();
      }
    },
    COLD_START_MS * 2,
  );
});

function relayTo(targetPort: string, listenPort: number): Promise<Server> {
  const relay = createServer((socket) => {
    const upstream = connect(Number(targetPort), '127.0.0.1');
    socket.pipe(upstream).pipe(socket);
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  return new Promise((resolve) => relay.listen(listenPort, '127.0.0.1', () => resolve(relay)));
}
