import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { barAnswers, barStateValues, daysAfter } from '../support/factories.js';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack.js';
import { freePort } from '../support/ports.js';
import { startProcess, waitUntilReady } from '../support/processes.js';
import {
  CONTENT_TYPES,
  interactionBody,
  SIGNING_SECRET,
  sendSigned,
  slashCommandBody,
  viewSubmissionPayload,
} from '../support/slack-requests.js';

describe('the app as a process', () => {
  let slack: FakeSlack;
  let dataDir: string;

  beforeAll(async () => {
    slack = await startFakeSlack();
    slack.addUser({ id: 'U0NEWCOMER', tz: 'Europe/Berlin' });
    slack.addChannel({ id: 'C0TEAM', name: 'team' });
    dataDir = mkdtempSync(join(tmpdir(), 'learning-thread-'));
  });
  afterAll(async () => {
    await slack.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('with nothing configured, prints one clear message naming what is missing and exits 1', async () => {
    const started = startProcess({});
    expect(await started.exited).toBe(1);
    const output = started.output();
    expect(output).toContain('SLACK_BOT_TOKEN is missing');
    expect(output).toContain('SLACK_SIGNING_SECRET is missing');
    expect(output).not.toMatch(/\n\s+at /);
  });

  it('serves /readyz, completes a /bar round trip on the embedded database, and stops cleanly', async () => {
    const port = await freePort();
    const env = {
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_BOT_TOKEN: 'xoxb-process-test-token',
      SLACK_API_URL: slack.url,
      PORT: String(port),
      DATA_DIR: dataDir,
    };
    const baseUrl = `http://127.0.0.1:${port}`;
    const actor = { teamId: slack.teamId, userId: 'U0NEWCOMER', channelId: 'C0TEAM' };

    const first = startProcess(env);
    await waitUntilReady(baseUrl, first);
    expect(
      (
        await sendSigned(
          baseUrl,
          slashCommandBody(actor, '/bar', 'Open the new drop-in hours'),
          CONTENT_TYPES.form,
        )
      ).status,
    ).toBe(200);
    const opened = await slack.waitForCall('views.open');
    const view = opened.params.view as { callback_id: string; private_metadata: string };
    await sendSigned(
      baseUrl,
      interactionBody(
        viewSubmissionPayload(
          actor,
          { ...view, id: 'V0PROCESS' },
          barStateValues(
            barAnswers({
              action: 'Open the new drop-in hours',
              people: ['U0NEWCOMER'],
              // The process runs on the machine's clock, so its look-back date is a week from today.
              lookBackOn: daysAfter(new Date(), 7),
            }),
          ),
        ),
      ),
      CONTENT_TYPES.form,
    );
    await slack.waitForCall('chat.postMessage', (call) => call.params.channel === 'C0TEAM');

    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(first.output()).toContain('"msg":"stopped"');
    expect(first.output()).not.toContain('xoxb-process-test-token');
    expect(first.output()).not.toContain('drop-in hours');

    // The embedded database kept the review across the restart.
    const second = startProcess(env);
    await waitUntilReady(baseUrl, second);
    const listed = await sendSigned(baseUrl, slashCommandBody(actor, '/aar', ''), CONTENT_TYPES.form);
    expect(listed.body).toContain('Open the new drop-in hours');
    second.child.kill('SIGINT');
    expect(await second.exited).toBe(0);
  }, 240_000); // Two cold starts of the app as a process, the first creating the embedded database.
});
