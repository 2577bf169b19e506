import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { Distribution } from '../../src/config.js';
import { type RunningApp, startLearningThread } from '../../src/server.js';
import { BOT_TOKEN, testConfig } from './config.js';
import { createTestDatabase, type Driver, type TestDatabase } from './databases.js';
import { type FakeSlack, startFakeSlack } from './fake-slack.js';
import {
  type Actor,
  buttonPayload,
  CONTENT_TYPES,
  eventBody,
  interactionBody,
  type SentRequest,
  sendSigned,
  slashCommandBody,
  viewSubmissionPayload,
} from './slack-requests.js';

export const TEAM = 'T0FAKETEAM';
export const AUTHOR = 'U0AUTHOR';
export const TEAMMATE = 'U0TEAMMATE';
export const CHANNEL = 'C0TEAM';
export { BOT_TOKEN };

/** Every log line the app wrote, parsed, so tests can check what operators would see. */
export class LogCapture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void) {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  }
  get text(): string {
    return this.lines.join('\n');
  }
}

export interface Harness {
  slack: FakeSlack;
  app: RunningApp;
  baseUrl: string;
  logs: LogCapture;
  actor: Actor;
  command(command: string, text: string, actor?: Partial<Actor>): Promise<SentRequest>;
  interact(payload: unknown): Promise<SentRequest>;
  submitView(
    view: { id: string; callback_id: string; private_metadata: string },
    values: Record<string, Record<string, unknown>>,
    actor?: Partial<Actor>,
  ): Promise<SentRequest>;
  clickButton(
    action: { action_id: string; value: string },
    container?: { channelId?: string; messageTs?: string },
    actor?: Partial<Actor>,
  ): Promise<SentRequest>;
  event(event: Record<string, unknown>, eventId?: string): Promise<SentRequest>;
  /**
   * Waits until the app has finished the work its answered requests started and any scheduler tick: how a
   * test shows that nothing more happens, instead of sleeping for a while.
   */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

export interface HarnessOptions {
  driver: Driver;
  now?: () => Date;
  /** Off unless asked for: tests call `app.scheduler.tick()` themselves at pinned instants. */
  startScheduler?: boolean;
  /** Installing into many workspaces instead of holding one bot token; nothing is installed yet. */
  distribution?: Distribution;
}

export async function startHarness(options: HarnessOptions): Promise<Harness> {
  const slack = await startFakeSlack({ teamId: TEAM, now: options.now ?? (() => new Date()) });
  slack.addUser({ id: AUTHOR, name: 'ada', realName: 'Ada Author', tz: 'Europe/London' });
  slack.addUser({ id: TEAMMATE, name: 'tomas', realName: 'Tomás Teammate', tz: 'America/New_York' });
  slack.addChannel({ id: CHANNEL, name: 'team' });
  const database: TestDatabase = await createTestDatabase(options.driver);
  const logs = new LogCapture();
  const config = testConfig({
    apiUrl: slack.url,
    database: database.settings,
    distribution: options.distribution,
  });

  const app = await startLearningThread(config, {
    clock: options.now,
    logDestination: logs,
    startScheduler: options.startScheduler ?? false,
  });
  const baseUrl = `http://127.0.0.1:${app.port}`;
  const actor: Actor = { teamId: TEAM, userId: AUTHOR, channelId: CHANNEL };
  const as = (overrides?: Partial<Actor>): Actor => ({ ...actor, ...overrides });
  const interact = (payload: unknown) => sendSigned(baseUrl, interactionBody(payload), CONTENT_TYPES.form);
  return {
    slack,
    app,
    baseUrl,
    logs,
    actor,
    command: (command, text, overrides) =>
      sendSigned(baseUrl, slashCommandBody(as(overrides), command, text), CONTENT_TYPES.form),
    interact,
    submitView: (view, values, overrides) => interact(viewSubmissionPayload(as(overrides), view, values)),
    clickButton: (action, container, overrides) => interact(buttonPayload(as(overrides), action, container)),
    event: (event, eventId) => sendSigned(baseUrl, eventBody(TEAM, event, eventId), CONTENT_TYPES.json),
    idle: () => app.idle(),
    async stop() {
      await app.stop();
      await slack.close();
      await database.drop();
    },
  };
}

/**
 * One app for the enclosing describe block, checked after every test for anything Slack would have
 * rejected. The returned object forwards to the harness once beforeAll has started it.
 */
export function useHarness(options: HarnessOptions): Harness {
  let current: Harness | undefined;
  beforeAll(async () => {
    current = await startHarness(options);
  });
  afterAll(async () => {
    await current?.stop();
  });
  afterEach(() => {
    expect(current?.slack.violations).toEqual([]);
    current?.slack.reset();
  });
  return new Proxy({} as Harness, {
    get(_target, key) {
      if (!current) throw new Error('the harness starts in beforeAll; use it inside a test');
      return current[key as keyof Harness];
    },
  });
}
