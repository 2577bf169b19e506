import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningApp, startLearningThread } from '../../src/server.js';
import { testConfig } from '../support/config.js';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack.js';
import { type FakeSocketMode, startFakeSocketMode } from '../support/fake-socket-mode.js';
import { LogCapture } from '../support/harness.js';
import { freePort } from '../support/ports.js';

function command(text: string, name: string) {
  return {
    token: 'deprecated',
    team_id: 'T0FAKETEAM',
    team_domain: 'example',
    channel_id: 'C0TEAM',
    channel_name: 'team',
    user_id: 'U0SOCKET',
    user_name: 'socket',
    command: name,
    text,
    api_app_id: 'A0FAKEAPP',
    is_enterprise_install: 'false',
    response_url: 'http://127.0.0.1:9/response',
    trigger_id: 'trigger-socket',
  };
}

describe('Socket Mode', () => {
  let slack: FakeSlack;
  let socket: FakeSocketMode;
  let app: RunningApp;
  let port: number;

  beforeAll(async () => {
    slack = await startFakeSlack();
    slack.addUser({ id: 'U0SOCKET', tz: 'Asia/Tokyo' });
    slack.addChannel({ id: 'C0TEAM', name: 'team' });
    socket = await startFakeSocketMode();
    slack.setSocketModeUrl(socket.url);
    port = await freePort();
    const config = testConfig({
      apiUrl: slack.url,
      database: { inMemory: true },
      appToken: 'xapp-1-socket',
      port,
      logLevel: 'info',
    });
    app = await startLearningThread(config, { logDestination: new LogCapture() });
    await socket.connected();
  });
  afterAll(async () => {
    await app.stop();
    await socket.close();
    await slack.close();
  });

  it('connects with the app-level token and answers slash commands over the socket', async () => {
    expect(slack.callsTo('apps.connections.open')[0]?.token).toBe('xapp-1-socket');
    const ack = await socket.deliver('slash_commands', command('help', '/learning'));
    expect(ack.payload?.response_type).toBe('ephemeral');
    expect(JSON.stringify(ack.payload?.blocks)).toContain('/bar');
  });

  it('opens the before-action review from /bar', async () => {
    await socket.deliver('slash_commands', command('Pair on the funder report', '/bar'));
    const opened = await slack.waitForCall('views.open');
    expect(JSON.stringify(opened.params.view)).toContain('Pair on the funder report');
  });

  it('still serves the health routes on PORT', async () => {
    const live = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(live.status).toBe(200);
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(ready.status).toBe(200);
  });
});
