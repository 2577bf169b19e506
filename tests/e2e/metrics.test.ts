import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningApp, startLearningThread } from '../../src/server.js';
import { testConfig } from '../support/config.js';
import { createTestDatabase, DRIVERS } from '../support/databases.js';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack.js';
import { AUTHOR, CHANNEL, LogCapture, TEAM, useHarness } from '../support/harness.js';
import { sample, scrape } from '../support/metrics.js';

const NOW = new Date('2026-11-23T09:30:00Z');

describe.each(DRIVERS)('GET /metrics (%s)', (driver) => {
  const h = useHarness({ driver, now: () => NOW });

  it('counts requests by kind and status, times acknowledgements, and names no workspace, channel or person', async () => {
    const before = await scrape(h.baseUrl);
    expect(before.status).toBe(200);
    expect(before.type).toContain('text/plain');
    expect(sample(before.text, 'learning_thread_slack_requests_total{kind="command",status="200"}')).toBe(
      undefined,
    );
    expect(before.text).toContain('process_cpu_user_seconds_total');

    expect((await h.command('/learning', 'help')).status).toBe(200);
    await h.app.idle();
    const after = await scrape(h.baseUrl);
    expect(sample(after.text, 'learning_thread_slack_requests_total{kind="command",status="200"}')).toBe(1);
    expect(sample(after.text, 'learning_thread_slack_ack_seconds_count{kind="command"}')).toBe(1);
    expect(after.text).toContain('learning_thread_scheduler_tick_seconds_count');
    for (const id of [TEAM, CHANNEL, AUTHOR]) expect(after.text).not.toContain(id);
  });

  it('counts what a scheduler tick recorded and posted, and how old the oldest due occurrence is', async () => {
    await h.app.scheduler.tick();
    const text = (await scrape(h.baseUrl)).text;
    expect(sample(text, 'learning_thread_scheduler_tick_seconds_count')).toBe(1);
    expect(sample(text, 'learning_thread_scheduler_oldest_due_seconds')).toBe(0);
    if (driver === 'pglite') expect(text).not.toContain('learning_thread_db_pool_');
    else expect(sample(text, 'learning_thread_db_pool_waiting')).toBe(0);
  });
});

describe('two apps in one process', () => {
  let slack: FakeSlack;
  const apps: RunningApp[] = [];

  beforeAll(async () => {
    slack = await startFakeSlack();
    for (let i = 0; i < 2; i += 1) {
      const database = await createTestDatabase('pglite');
      apps.push(
        await startLearningThread(testConfig({ apiUrl: slack.url, database: database.settings }), {
          logDestination: new LogCapture(),
          startScheduler: false,
        }),
      );
    }
  });
  afterAll(async () => {
    for (const app of apps) await app.stop();
    await slack.close();
  });

  it('keep their own counts and learn their workspace from auth.test', async () => {
    await apps[0]?.scheduler.tick();
    const [first, second] = await Promise.all(
      apps.map(async (app) => (await fetch(`http://127.0.0.1:${app.port}/metrics`)).text()),
    );
    expect(sample(first ?? '', 'learning_thread_scheduler_tick_seconds_count')).toBe(1);
    expect(sample(second ?? '', 'learning_thread_scheduler_tick_seconds_count')).toBe(0);
    expect(apps[0]?.homeWorkspace()).toMatchObject({ teamId: slack.teamId, enterpriseId: null });
  });
});
