import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  afterActionReviews,
  beforeActionReviews,
  learningQuestions,
  occurrences,
  perspectives,
  processedEvents,
  responses,
} from '../../src/db/schema.js';
import { CALLBACKS, PROMPT_ANSWER_INPUTS, QUESTION_INPUTS } from '../../src/slack/ids.js';
import { BOT_TOKEN } from '../support/config.js';
import { DRIVERS } from '../support/databases.js';
import { rowCounts, snapshotTables, type TableSnapshot } from '../support/db-snapshot.js';
import { barAnswers, barStateValues, type RhythmAnswers, rhythmStateValues } from '../support/factories.js';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack.js';
import {
  authorisingTeam,
  type ForeignIds,
  FUZZ_TEAM,
  type FuzzRequest,
  fuzzRequests,
  inPool,
  Rng,
  sendFuzz,
  teamsBoltMayAuthoriseAs,
} from '../support/fuzz-payloads.js';
import { AUTHOR, CHANNEL, TEAM, TEAMMATE } from '../support/harness.js';
import { addPerspective, openAar, type SentView, submitAar, viewOf } from '../support/loop.js';
import { botTokenOf, useInstalledHarness } from '../support/oauth.js';
import { freePort } from '../support/ports.js';
import { type Started, startProcess, waitUntilReady } from '../support/processes.js';
import {
  type Actor,
  buttonPayload,
  CONTENT_TYPES,
  eventBody,
  interactionBody,
  SIGNING_SECRET,
  sendSigned,
  signature,
  viewSubmissionPayload,
} from '../support/slack-requests.js';

const SEED = 20_261_123;
/**
 * Two workspaces installed through OAuth, each with its own bot token, sharing channel and user ids. The
 * sender's team id is the one the fuzzed requests carry (or garbage no installation answers to); the
 * victim's review, look-back, prompt and question ids are forged into them. In single-workspace mode every
 * request belongs to the bot token's workspace whatever it names, so there is no other workspace to reach:
 * that payload-named team ids cannot redirect storage there is shown in workspace-isolation.test.ts.
 */
const SENDER = TEAM;
const VICTIM = 'T0VICTIM';
const victim: Actor = { teamId: VICTIM, userId: AUTHOR, channelId: CHANNEL };
const PLAN = {
  slashCommands: 2_400,
  blockActions: 2_200,
  viewSubmissions: 2_200,
  otherInteractions: 200,
  events: 2_200,
  handshakes: 200,
  raw: 600,
  badlySigned: 2_000,
};
// Handled requests are answered in milliseconds; 16 at once keeps the app busy without queueing.
const AT_ONCE = 16;
// A request unanswered by then is most likely waiting out Bolt's three seconds, and frees its place;
// never more than this many are in flight, so a slow app is not buried deeper.
const PATIENCE = { patienceMs: 250, outstanding: 256 };

const WEEK_AHEAD: RhythmAnswers = {
  timeZone: 'Europe/London',
  workDays: [1, 2, 3, 4, 5],
  pauseUntil: null,
  skipDates: '',
  rhythms: { week_ahead: { enabled: true, days: [1], time: '09:30' } },
};

// Refused, ignored or answered; Node itself answers 413 and 431 to bodies and headers past its limits.
// A 5xx would have Slack retry and show the person an error.
const ACCEPTABLE = new Set([200, 400, 401, 413, 431]);

/** Whatever secret-looking material a log line could leak. */
const SECRET_PATTERNS: RegExp[] = [
  new RegExp(SIGNING_SECRET),
  new RegExp(BOT_TOKEN),
  /xox[abposer]-[A-Za-z0-9-]+/,
  /xapp-[A-Za-z0-9-]+/,
];

describe.each(DRIVERS)('hostile and broken requests (%s)', (driver) => {
  let now = new Date('2026-11-21T10:00:00Z'); // a Saturday
  const h = useInstalledHarness({ driver, now: () => now }, [
    { teamId: SENDER, teamName: 'Sender', userId: AUTHOR },
    { teamId: VICTIM, teamName: 'Victim', userId: AUTHOR },
  ]);
  let foreign: ForeignIds;
  const rowsOf = (snapshot: TableSnapshot, teamId: string) =>
    Object.entries(snapshot).flatMap(([table, rows]) =>
      rows.filter((row) => row.includes(`"teamId":"${teamId}"`)).map((row) => `${table} ${row}`),
    );
  const rowsOfNeither = (snapshot: TableSnapshot) =>
    Object.entries(snapshot).flatMap(([table, rows]) =>
      rows
        .filter((row) => !row.includes(`"teamId":"${SENDER}"`) && !row.includes(`"teamId":"${VICTIM}"`))
        .map((row) => `${table} ${row}`),
    );

  async function openedView(callbackId: string, before: number): Promise<SentView> {
    await h.slack.waitForCall(
      'views.open',
      (call) =>
        h.slack.callsTo('views.open').length > before &&
        (call.params.view as { callback_id: string }).callback_id === callbackId,
    );
    return viewOf(h.slack.callsTo('views.open').at(-1) as never);
  }

  it('gives another workspace in the same database a review, a look-back, a prompt and a question', async () => {
    expect(FUZZ_TEAM).toBe(SENDER);
    let before = h.slack.callsTo('views.open').length;
    await h.command('/learning', 'rhythm', victim);
    const rhythm = await openedView(CALLBACKS.rhythmSettings, before);
    await h.submitView({ ...rhythm, id: 'V0VICTIMRHYTHM' }, rhythmStateValues(WEEK_AHEAD), victim);

    before = h.slack.callsTo('views.open').length;
    await h.command('/learning', 'questions', victim);
    const questions = await openedView(CALLBACKS.learningQuestions, before);
    await h.submitView(
      { ...questions, id: 'V0VICTIMQUESTIONS' },
      {
        [QUESTION_INPUTS.add.block]: {
          value: { type: 'plain_text_input', value: 'What will it take to be trusted?' },
        },
      },
      victim,
    );

    before = h.slack.callsTo('views.open').length;
    await h.command('/bar', 'The other workspace’s review', victim);
    const bar = await openedView(CALLBACKS.barModal, before);
    await h.submitView(
      { ...bar, id: 'V0VICTIMBAR' },
      barStateValues(barAnswers({ action: 'The other workspace’s review', lookBackOn: '2026-12-18' })),
      victim,
    );
    await expect
      .poll(async () => (await h.app.database.db.select().from(beforeActionReviews))[0]?.summaryTs)
      .toBeTruthy();
    const [review] = await h.app.database.db.select().from(beforeActionReviews);

    const aarModal = await openAar(h, victim, review?.id ?? '');
    await submitAar(h, victim, aarModal, { verdict: 'partly' });
    await expect
      .poll(async () => (await h.app.database.db.select().from(afterActionReviews))[0]?.summaryTs)
      .toBeTruthy();
    const [aar] = await h.app.database.db.select().from(afterActionReviews);
    await addPerspective(h, { ...victim, userId: TEAMMATE }, `after:${aar?.id}`, { sustain: 'Rounds' }, true);
    await expect.poll(async () => (await h.app.database.db.select().from(perspectives)).length).toBe(1);

    now = new Date('2026-11-23T09:30:00Z');
    await h.app.scheduler.tick();
    const [occurrence] = await h.app.database.db
      .select()
      .from(occurrences)
      .where(eq(occurrences.kind, 'week_ahead'));
    expect(occurrence?.status).toBe('posted');
    const [perspective] = await h.app.database.db.select().from(perspectives);
    const [question] = await h.app.database.db.select().from(learningQuestions);
    // The victim's own requests were answered with the victim's own token.
    await h.idle();
    expect(h.slack.calls.filter((call) => !botTokenOf(VICTIM).test(call.token ?? ''))).toEqual([]);
    foreign = {
      teamId: VICTIM,
      reviewId: review?.id as string,
      aarId: aar?.id as string,
      perspectiveId: perspective?.id as string,
      occurrenceId: occurrence?.id as string,
      questionId: question?.id as string,
      messageTs: [occurrence?.messageTs, review?.summaryTs, aar?.summaryTs].filter(
        (ts): ts is string => typeof ts === 'string',
      ),
    };
    expect(foreign.messageTs).toHaveLength(3);
  });

  it('survives ten thousand signed malformed requests and two thousand badly signed ones, writing nothing', async () => {
    const requests = fuzzRequests(new Rng(SEED), foreign, PLAN);
    // A request Slack signed and Bolt authorises as the victim would be the victim's own: the fuzz names
    // the victim's team only where Bolt does not look for it, and its ids everywhere.
    expect(
      requests.filter((request) => teamsBoltMayAuthoriseAs(request).includes(VICTIM)).map(excerpt),
    ).toEqual([]);
    expect(
      requests.filter((request) => request.body.includes(VICTIM)).length,
      'requests naming the victim’s team where Bolt does not authorise from',
    ).toBeGreaterThan(500);
    const authorisedAsSender = requests.filter(
      (request) => request.signing === 'valid' && authorisingTeam(request) === SENDER,
    ).length;
    expect(authorisedAsSender, 'well-signed requests the sender’s installation answers').toBeGreaterThan(
      6_000,
    );
    const before = await snapshotTables(h.app.database.db);
    expect(rowsOf(before, VICTIM).length).toBeGreaterThan(10);
    expect(rowsOf(before, SENDER).map((row) => row.split(' ')[0])).toEqual(['installations']);
    const statuses = new Map<string, Map<number, number>>();
    const failures: string[] = [];
    let waitedOut = 0;
    const started = performance.now();
    await inPool(
      requests,
      AT_ONCE,
      async (request) => {
        const { status, ms } = await sendFuzz(h.baseUrl, request).catch((error: Error) => {
          failures.push(
            `${request.category}: no answer (${(error as { code?: string }).code ?? error.message}) to ${excerpt(request)}`,
          );
          return { status: 0, ms: 0 };
        });
        if (ms > 2_500) waitedOut += 1;
        const byStatus = statuses.get(request.category) ?? new Map<number, number>();
        byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
        statuses.set(request.category, byStatus);
        if (status !== 0 && !ACCEPTABLE.has(status))
          failures.push(`${request.category}: ${status} to ${excerpt(request)}`);
        const signedWell = request.signing === 'valid' || request.signing === 'valid_over_decoded_text';
        // Only Slack's SSL check may go unsigned; every other badly signed request is refused.
        if (!signedWell && status !== 401 && !(request.category === 'handshake' && status === 200))
          failures.push(`${request.category} (${request.signing}): ${status}, not refused`);
      },
      PATIENCE,
    );
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    // Listeners that acknowledged first may still be at work; wait for them to finish before looking.
    await h.idle();
    // Slack refuses a form opened without a trigger id, and a private note or a Home tab without its
    // reader; requests that left those out cause that, not the app.
    const violations = h.slack.violations.filter(
      (violation) => !/missing required field: (trigger_id|user|user_id)$/.test(violation),
    );
    h.slack.reset();

    const report = [...statuses].map(
      ([category, byStatus]) =>
        `${category}: ${[...byStatus.values()].reduce((a, b) => a + b, 0)} (${[...byStatus]
          .sort(([a], [b]) => a - b)
          .map(([status, count]) => `${status}×${count}`)
          .join(', ')})`,
    );
    console.info(
      `[fuzz ${driver}] ${requests.length} requests in ${seconds} s, ${waitedOut} waited out Bolt's 3 s\n  ${report.join('\n  ')}`,
    );
    expect(failures.slice(0, 20)).toEqual([]);
    expect(requests.filter((request) => request.category !== 'bad signature').length).toBeGreaterThanOrEqual(
      10_000,
    );
    expect(violations.slice(0, 10)).toEqual([]);

    expect((await fetch(`${h.baseUrl}/healthz`)).status).toBe(200);
    expect((await fetch(`${h.baseUrl}/readyz`)).status).toBe(200);
    const after = await snapshotTables(h.app.database.db);
    // Nothing of the victim's changed, and nothing is stored under a workspace the requests named
    // without being authorised as it.
    expect(rowsOf(after, VICTIM)).toEqual(rowsOf(before, VICTIM));
    expect(rowsOfNeither(after)).toEqual(rowsOfNeither(before));
    // The sender's own requests are each refused by validation, name what the sender does not own, or
    // ask for nothing to be stored (a form opened, a Home tab shown): its workspace gains no row either.
    expect(rowsOf(after, SENDER)).toEqual(rowsOf(before, SENDER));
    expect(rowCounts(after)).toEqual(rowCounts(before));
    expect(after).toEqual(before);
  }, 120_000);

  it('treats a replayed request, byte for byte, as the one request it is', async () => {
    const rhythmBefore = h.slack.callsTo('views.open').length;
    await h.command('/learning', 'rhythm');
    const rhythm = await openedView(CALLBACKS.rhythmSettings, rhythmBefore);
    await h.submitView({ ...rhythm, id: 'V0TEAMRHYTHM' }, rhythmStateValues(WEEK_AHEAD));
    now = new Date('2026-11-30T09:30:00Z');
    await h.app.scheduler.tick();
    const [prompt] = await h.app.database.db
      .select()
      .from(occurrences)
      .where(and(eq(occurrences.teamId, TEAM), eq(occurrences.kind, 'week_ahead')));
    expect(prompt?.status).toBe('posted');

    const replay = async (body: string, contentType: string, times: number) => {
      const timestamp = Math.floor(Date.now() / 1000);
      const headers = {
        'content-type': contentType,
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature': signature(body, timestamp),
      };
      const answers = await Promise.all(
        Array.from({ length: times }, () =>
          fetch(`${h.baseUrl}/slack/events`, { method: 'POST', headers, body }).then((r) => r.status),
        ),
      );
      expect(answers.every((status) => status === 200)).toBe(true);
    };

    // A thread reply, delivered five times at once with the same event id and signature.
    const reply = {
      type: 'message',
      channel: CHANNEL,
      user: TEAMMATE,
      text: 'Replayed words, stored once',
      ts: '1796000000.000100',
      thread_ts: prompt?.messageTs,
    };
    await replay(eventBody(TEAM, reply, 'Ev0REPLAYED'), CONTENT_TYPES.json, 5);
    await expect
      .poll(async () =>
        (await h.app.database.db.select().from(responses)).filter((row) => row.text === reply.text),
      )
      .toHaveLength(1);
    expect(
      await h.app.database.db
        .select()
        .from(processedEvents)
        .where(eq(processedEvents.eventId, 'Ev0REPLAYED')),
    ).toHaveLength(1);

    // A before-action review form, submitted five times at once.
    const barBefore = h.slack.callsTo('views.open').length;
    await h.command('/bar', 'Replayed review');
    const bar = await openedView(CALLBACKS.barModal, barBefore);
    await replay(
      interactionBody(
        viewSubmissionPayload(
          h.actor,
          { ...bar, id: 'V0REPLAYEDBAR' },
          barStateValues(barAnswers({ action: 'Replayed review', lookBackOn: '2026-12-18' })),
        ),
      ),
      CONTENT_TYPES.form,
      5,
    );
    await expect
      .poll(async () =>
        (await h.app.database.db.select().from(beforeActionReviews)).filter(
          (row) => row.action === 'Replayed review' && row.summaryTs,
        ),
      )
      .toHaveLength(1);

    // A private answer, submitted five times at once.
    const answerBefore = h.slack.callsTo('views.open').length;
    await h.interact(
      buttonPayload(
        h.actor,
        { action_id: 'nudge_answer_privately', value: prompt?.id ?? '' },
        { channelId: CHANNEL, messageTs: prompt?.messageTs ?? '' },
      ),
    );
    const answer = await openedView(CALLBACKS.promptAnswer, answerBefore);
    await replay(
      interactionBody(
        viewSubmissionPayload(
          h.actor,
          { ...answer, id: 'V0REPLAYEDANSWER' },
          {
            [PROMPT_ANSWER_INPUTS.answer.block]: {
              [PROMPT_ANSWER_INPUTS.answer.action]: {
                type: 'plain_text_input',
                value: 'Replayed private answer',
              },
            },
          },
        ),
      ),
      CONTENT_TYPES.form,
      5,
    );
    await expect
      .poll(async () =>
        (await h.app.database.db.select().from(responses)).filter((row) => row.kind === 'private'),
      )
      .toHaveLength(1);

    // Answered once: one confirmation of the reply, one summary of the review.
    await h.idle();
    expect(
      h.slack
        .callsTo('chat.postEphemeral')
        .filter((call) => call.params.user === TEAMMATE && call.params.thread_ts === prompt?.messageTs),
    ).toHaveLength(1);
    expect(
      h.slack
        .callsTo('chat.postMessage')
        .filter((call) => JSON.stringify(call.params.blocks ?? '').includes('Replayed review')),
    ).toHaveLength(1);
  });

  it('still opens the before-action review form for a normal /bar', async () => {
    const before = h.slack.callsTo('views.open').length;
    const response = await h.command('/bar', 'After the storm');
    expect(response.status).toBe(200);
    const view = await openedView(CALLBACKS.barModal, before);
    expect(JSON.stringify(view.blocks)).toContain('After the storm');
  });

  it('never wrote a secret or a token to its logs, whatever it was sent', () => {
    expect(h.logs.lines.length).toBeGreaterThan(1_000);
    const leaks = h.logs.lines.filter((line) => SECRET_PATTERNS.some((pattern) => pattern.test(line)));
    expect(leaks.slice(0, 5)).toEqual([]);
  });
});

/**
 * A signed body that parses to JSON `null` (as a JSON body, or as `payload=null` in a form) once made
 * Bolt's receiver read `body.ssl_check` outside its try/catch, and Node exited. It is sent to a process of
 * its own, so that a return of that crash shows as a failed test instead of taking the run down; the
 * child starts with the file, so it boots while the requests above are being sent.
 */
let nullBodyApp: Promise<{ baseUrl: string; started: Started }> | undefined;
let nullBodySlack: FakeSlack | undefined;
let nullBodyDir: string | undefined;

beforeAll(() => {
  nullBodyDir = mkdtempSync(join(tmpdir(), 'learning-thread-fuzz-'));
  const dataDir = nullBodyDir;
  nullBodyApp = (async () => {
    nullBodySlack = await startFakeSlack();
    const port = await freePort();
    const started = startProcess(
      {
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_API_URL: nullBodySlack.url,
        PORT: String(port),
        DATA_DIR: dataDir,
      },
      // Spawned while the tests above run; it serves the tests below, so it lives as long as the file.
      'file',
    );
    const baseUrl = `http://127.0.0.1:${port}`;
    await waitUntilReady(baseUrl, started);
    return { baseUrl, started };
  })();
  // Awaited by the test below; a failure to start is reported there rather than as an unhandled rejection.
  nullBodyApp.catch(() => {});
});

afterAll(async () => {
  const app = await nullBodyApp?.catch(() => undefined);
  if (app) {
    app.started.child.kill('SIGKILL');
    await app.started.exited;
  }
  await nullBodySlack?.close();
  if (nullBodyDir) rmSync(nullBodyDir, { recursive: true, force: true });
});

describe('a signed body that is JSON null', () => {
  it('goes to a process of its own, started and ready', async () => {
    const { baseUrl } = await (nullBodyApp as NonNullable<typeof nullBodyApp>);
    expect((await fetch(`${baseUrl}/readyz`)).status).toBe(200);
  }, 60_000);

  it('is refused with 400 while the process stays up, as JSON and as a form payload', async () => {
    const { baseUrl } = await (nullBodyApp as NonNullable<typeof nullBodyApp>);
    const statusOf = (body: string, contentType: string) =>
      Promise.race([
        sendSigned(baseUrl, body, contentType).then(
          (response) => response.status,
          () => 0,
        ),
        new Promise<number>((resolve) => setTimeout(() => resolve(-1), 5_000)),
      ]);
    expect(await statusOf('null', CONTENT_TYPES.json)).toBe(400);
    expect(await statusOf('payload=null', CONTENT_TYPES.form)).toBe(400);
    expect(await statusOf('payload=7', CONTENT_TYPES.form)).toBe(400);
    expect((await fetch(`${baseUrl}/healthz`)).status).toBe(200);
  }, 60_000);

  it('answers the same body without a valid signature with 401', async () => {
    const { baseUrl } = await (nullBodyApp as NonNullable<typeof nullBodyApp>);
    const response = await fetch(`${baseUrl}/slack/events`, {
      method: 'POST',
      headers: {
        'content-type': CONTENT_TYPES.json,
        'x-slack-request-timestamp': String(Math.floor(Date.now() / 1000)),
        'x-slack-signature': 'v0=0000',
      },
      body: 'null',
    });
    expect(response.status).toBe(401);
    expect((await fetch(`${baseUrl}/healthz`)).status).toBe(200);
  }, 60_000);
});

function excerpt(request: FuzzRequest): string {
  const text = request.body.toString('utf8');
  return `${request.contentType ?? '(no content type)'} ${text.length > 300 ? `${text.slice(0, 300)}…` : text}`;
}
