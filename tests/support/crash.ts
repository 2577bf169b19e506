import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { createDatabase, type Database, type DatabaseSettings } from '../../src/db/client.js';
import { CALLBACKS } from '../../src/slack/ids.js';
import { createTestDatabase, type Driver, type TestDatabase } from './databases.js';
import { barAnswers, barStateValues, daysAfter } from './factories.js';
import { type FakeSlack, type StoredMessage, startFakeSlack } from './fake-slack.js';
import { sample, scrape } from './metrics.js';
import { freePort } from './ports.js';
import { type Started, startProcess, stopProcess, waitUntilReady } from './processes.js';
import {
  type Actor,
  buttonPayload,
  CONTENT_TYPES,
  interactionBody,
  type SentRequest,
  SIGNING_SECRET,
  sendSigned,
  viewSubmissionBody,
} from './slack-requests.js';

/*
 * One way to show that an effect survives its process dying: a first app process takes the requests and
 * is killed with SIGKILL while their effects are in flight, a second starts on the same database and port,
 * runs until its scheduler has nothing due left undelivered, and stops. The test then counts what reached
 * the fake Slack and what the database holds, and nothing else of the app's.
 */

/** Slack and a database that app processes share in turn. */
export interface CrashRig {
  readonly slack: FakeSlack;
  /** Where the processes' database is, to seed it before the first starts and read it after the last stops. */
  readonly settings: DatabaseSettings;
  /** How a process is told where that database is. */
  readonly databaseEnv: Record<string, string>;
}

/** A rig for the enclosing describe block: a fake Slack, and a fresh database on the driver. */
export function useCrashRig(driver: Driver): CrashRig {
  let slack: FakeSlack | undefined;
  let testDatabase: TestDatabase | undefined;
  let dataDir: string | undefined;
  let settings: DatabaseSettings | undefined;
  let databaseEnv: Record<string, string> | undefined;

  beforeAll(async () => {
    // Its message ts follow the machine's clock, as the processes' history checks do.
    slack = await startFakeSlack({ now: () => new Date() });
    if (driver === 'postgres') {
      testDatabase = await createTestDatabase('postgres');
      settings = testDatabase.settings;
      databaseEnv = { DATABASE_URL: (settings as { url: string }).url };
    } else {
      // Two processes in turn share the embedded database through its directory.
      dataDir = mkdtempSync(join(tmpdir(), 'learning-thread-crash-'));
      settings = { dataDir };
      databaseEnv = { DATA_DIR: dataDir };
    }
  });

  afterAll(async () => {
    await slack?.close();
    await testDatabase?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the crash rig starts in beforeAll; use it inside a test');
    return value;
  };
  return {
    get slack() {
      return started(slack);
    },
    get settings() {
      return started(settings);
    },
    get databaseEnv() {
      return started(databaseEnv);
    },
  };
}

/**
 * Runs `use` on the rig's database, migrated, while no app process holds it (the embedded database takes
 * one process at a time): to seed before the first process, or to count after the last.
 */
export async function withDatabase<T>(rig: CrashRig, use: (db: Database) => Promise<T>): Promise<T> {
  const database = createDatabase(rig.settings);
  try {
    await database.migrate();
    return await use(database.db);
  } finally {
    await database.close();
  }
}

/**
 * Long enough that every call held by a fault is still unanswered when the crash strikes, rather than
 * timed out and settled by the first process itself.
 */
const POST_TIMEOUT_SECONDS = 5;

async function startApp(rig: CrashRig, port: number, postTimeoutSeconds: number): Promise<Started> {
  const started = startProcess({
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_BOT_TOKEN: 'xoxb-crash-test-token',
    SLACK_API_URL: rig.slack.url,
    PORT: String(port),
    SCHEDULER_TICK_SECONDS: '1',
    // The shortest lease start-up allows, so the restart takes over what the killed process held soon.
    SCHEDULER_LEASE_SECONDS: String(6 * postTimeoutSeconds + 2),
    SCHEDULER_POST_TIMEOUT_SECONDS: String(postTimeoutSeconds),
    LOG_LEVEL: 'warn',
    ...rig.databaseEnv,
  });
  await waitUntilReady(`http://127.0.0.1:${port}`, started);
  return started;
}

const TICKS = 'learning_thread_scheduler_tick_seconds_count';
const OLDEST_DUE = 'learning_thread_scheduler_oldest_due_seconds';

/**
 * Waits until a scheduler tick that began after this call found nothing due left undelivered. The gauge
 * alone could still show a tick from before the work was saved, or its starting 0: two more ticks must
 * end first, since one may already have been under way.
 */
export async function waitUntilIdle(baseUrl: string, withinMs = 90_000): Promise<void> {
  const ticksBefore = sample((await scrape(baseUrl)).text, TICKS) ?? 0;
  await expect
    .poll(
      async () => {
        const text = (await scrape(baseUrl)).text;
        return { ticked: (sample(text, TICKS) ?? 0) >= ticksBefore + 2, oldestDue: sample(text, OLDEST_DUE) };
      },
      { timeout: withinMs, interval: 200 },
    )
    .toEqual({ ticked: true, oldestDue: 0 });
}

export interface CrashScenario<Snapshot> {
  /**
   * How long any call to Slack may take before its outcome counts as unknown, in both processes; the
   * lease follows from it. Longer for a scenario whose calls are spread over more time before the crash.
   */
  postTimeoutSeconds?: number;
  /**
   * Runs against the first process once it is ready: seeds through requests if it must, queues Slack's
   * faults and sends what the crash should catch in flight. The process is killed the moment it resolves.
   */
  beforeCrash(baseUrl: string): Promise<void>;
  /** What Slack holds the moment the first process is dead, before the second starts. */
  atCrash(): Snapshot;
}

/**
 * Start, send, SIGKILL, start again on the same database and port, wait until the new process is idle,
 * stop it. Returns the snapshot taken at the crash; the caller counts the rest.
 */
export async function runThroughCrash<Snapshot>(
  rig: CrashRig,
  scenario: CrashScenario<Snapshot>,
): Promise<Snapshot> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const postTimeoutSeconds = scenario.postTimeoutSeconds ?? POST_TIMEOUT_SECONDS;
  const first = await startApp(rig, port, postTimeoutSeconds);
  await scenario.beforeCrash(baseUrl);
  first.child.kill('SIGKILL');
  await first.exited;
  const snapshot = scenario.atCrash();

  const second = await startApp(rig, port, postTimeoutSeconds);
  // Posted is not yet settled: its ts must be recorded before the graceful stop. What the killed process
  // held waits for its lease to run out first.
  await waitUntilIdle(baseUrl, 60_000 + (6 * postTimeoutSeconds + 2) * 1000);
  await stopProcess(second);
  return snapshot;
}

/** Resolves once `done` holds of what Slack has seen: the moment for the crash to strike. */
export async function untilSlackHas(done: () => boolean): Promise<void> {
  await expect.poll(done, { timeout: 90_000, interval: 50 }).toBe(true);
}

/** How one kind of effect came through: each expected one should have exactly one post, its ts recorded. */
export interface Tally {
  expected: number;
  delivered: number;
  duplicated: number;
  missing: number;
  tsRecorded: number;
}

/**
 * Counts effects by the messages Slack holds for each (oldest first) and the ts the database recorded
 * for it. A ts is recorded only when it names the one post there is.
 */
export function tally(
  effects: ReadonlyArray<{ posts: readonly string[]; recorded: string | null | undefined }>,
): Tally {
  return {
    expected: effects.length,
    delivered: effects.filter((effect) => effect.posts.length > 0).length,
    duplicated: effects.filter((effect) => effect.posts.length > 1).length,
    missing: effects.filter((effect) => effect.posts.length === 0).length,
    tsRecorded: effects.filter(
      (effect) =>
        effect.posts.length === 1 && Boolean(effect.recorded) && effect.recorded === effect.posts[0],
    ).length,
  };
}

/** What every effect owes: posted exactly once, and its ts recorded. */
export function exactlyOnce(expected: number): Tally {
  return { expected, delivered: expected, duplicated: 0, missing: 0, tsRecorded: expected };
}

/** The counts as the console line shows them; `recordedAs` names what is recorded when it is not a ts. */
export function formatTally(tallied: Tally, recordedAs = 'tsRecorded'): string {
  return `expected=${tallied.expected} delivered=${tallied.delivered} duplicated=${tallied.duplicated} missing=${tallied.missing} ${recordedAs}=${tallied.tsRecorded}`;
}

/** Groups messages by a key, each group oldest first as Slack lists them. */
export function postsBy(
  messages: readonly StoredMessage[],
  key: (message: StoredMessage) => string | undefined,
) {
  const posts = new Map<string, string[]>();
  for (const message of messages) {
    const found = key(message);
    if (found !== undefined) posts.set(found, [...(posts.get(found) ?? []), message.ts]);
  }
  return posts;
}

/** A before-action review form as a person fills it in; the process runs on the machine's clock. */
export interface BarForm {
  action: string;
  channelId: string;
  authorId: string;
  people: string[];
}

/** Submits one before-action review form from its own view, as Slack sends it. */
export function submitBarForm(
  baseUrl: string,
  teamId: string,
  form: BarForm,
  viewId: string,
): Promise<SentRequest> {
  const actor = { teamId, userId: form.authorId, channelId: form.channelId };
  const values = barStateValues(
    barAnswers({
      action: form.action,
      channelId: form.channelId,
      people: form.people,
      lookBackOn: daysAfter(new Date(), 7),
    }),
  );
  const view = {
    id: viewId,
    callback_id: CALLBACKS.barModal,
    private_metadata: JSON.stringify({ timeZone: 'Europe/London' }),
  };
  return sendSigned(baseUrl, viewSubmissionBody(actor, view, values), CONTENT_TYPES.form);
}

/** Submits before-action review forms at once, each from its own view, and returns Slack's answers. */
export function submitBarForms(
  baseUrl: string,
  teamId: string,
  forms: readonly BarForm[],
  viewPrefix: string,
): Promise<SentRequest[]> {
  return Promise.all(
    forms.map((form, index) => submitBarForm(baseUrl, teamId, form, `${viewPrefix}${index}`)),
  );
}

/** Requests sent together, meeting the faults queued for them alone. */
export interface Wave {
  size: number;
  /** Queued just before the wave is sent, so no other wave's calls meet them. */
  queueFaults?: () => void;
  /** True once Slack has seen every call this wave's effects make before the crash should strike. */
  arrived: () => boolean;
}

/**
 * Sends requests `0…n-1` in waves, each once Slack has seen what the one before it sent. The calls the
 * last wave's faults hold are then the last ones made: a process killed as soon as they arrive still has
 * them in flight, rather than timed out and settled by itself while it was handling later requests.
 */
export async function sendInWaves(
  waves: readonly Wave[],
  send: (index: number) => Promise<SentRequest>,
): Promise<SentRequest[]> {
  const answers: SentRequest[] = [];
  for (const wave of waves) {
    wave.queueFaults?.();
    const first = answers.length;
    answers.push(
      ...(await Promise.all(Array.from({ length: wave.size }, (_, index) => send(first + index)))),
    );
    await untilSlackHas(wave.arrived);
  }
  return answers;
}

/** A modal as the app asked Slack to open it. */
export interface OpenedModal {
  callback_id: string;
  private_metadata: string;
}

/**
 * Clicks a button as a person would and returns the modal the app opened for that click, told apart from
 * others by its trigger id, so clicks can be made side by side.
 */
export async function openModalByClick(
  baseUrl: string,
  slack: FakeSlack,
  actor: Actor,
  click: { action_id: string; value: string; channelId: string; messageTs?: string; triggerId: string },
): Promise<OpenedModal> {
  const payload = {
    ...buttonPayload(
      actor,
      { action_id: click.action_id, value: click.value },
      { channelId: click.channelId, ...(click.messageTs ? { messageTs: click.messageTs } : {}) },
    ),
    trigger_id: click.triggerId,
  };
  const answer = await sendSigned(baseUrl, interactionBody(payload), CONTENT_TYPES.form);
  expect(answer.status).toBe(200);
  const opened = await slack.waitForCall(
    'views.open',
    (call) => call.params.trigger_id === click.triggerId,
    30_000,
  );
  return opened.params.view as OpenedModal;
}

/** Submits an opened modal under a view id of its own, as Slack sends it when the person presses submit. */
export function submitModal(
  baseUrl: string,
  actor: Actor,
  modal: OpenedModal,
  viewId: string,
  values: Record<string, Record<string, unknown>>,
): Promise<SentRequest> {
  const view = { id: viewId, callback_id: modal.callback_id, private_metadata: modal.private_metadata };
  return sendSigned(baseUrl, viewSubmissionBody(actor, view, values), CONTENT_TYPES.form);
}

/** The value of every button with this action id in a message's blocks. */
export function buttonValues(blocks: unknown, actionId: string): string[] {
  const values: string[] = [];
  const visit = (node: unknown) => {
    if (Array.isArray(node)) for (const child of node) visit(child);
    else if (node && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      if (record.type === 'button' && record.action_id === actionId && typeof record.value === 'string')
        values.push(record.value);
      for (const child of Object.values(record)) visit(child);
    }
  };
  visit(blocks);
  return values;
}
