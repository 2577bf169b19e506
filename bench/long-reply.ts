import { Worker } from 'node:worker_threads';
import { and, eq } from 'drizzle-orm';
import { occurrences, responses } from '../src/db/schema.js';
import { rhythmStateValues, WEEK_AHEAD_EVERY_DAY } from '../tests/support/factories.js';
import { CHANNEL, startHarness, TEAMMATE } from '../tests/support/harness.js';
import { summarise } from './stats.js';

const RUNS = 5;

/**
 * Asks /healthz over and over from a worker thread, each time as soon as the last answer came: the
 * worker's own event loop keeps asking while the app's is held, so a stall shows as one slow answer.
 */
const PROBE = `
const { parentPort, workerData } = require('node:worker_threads');
let stopping = false;
const latencies = [];
parentPort.on('message', () => { stopping = true; });
(async () => {
  while (!stopping) {
    const asked = performance.now();
    const answer = await fetch(workerData.url);
    await answer.text();
    latencies.push(performance.now() - asked);
    if (latencies.length === 1) parentPort.postMessage('probing');
  }
  parentPort.postMessage(latencies);
})();
`;

/** Resolves once the first probe has been answered, so the probing covers all that follows. */
async function startProbing(url: string): Promise<{ stop(): Promise<number[]> }> {
  const worker = new Worker(PROBE, { eval: true, workerData: { url } });
  const messages: unknown[] = [];
  const waiting: Array<(message: unknown) => void> = [];
  worker.on('message', (message) => {
    const next = waiting.shift();
    if (next) next(message);
    else messages.push(message);
  });
  const failed = new Promise<never>((_resolve, reject) => worker.once('error', reject));
  const nextMessage = () =>
    Promise.race([
      failed,
      new Promise<unknown>((resolve) => {
        if (messages.length > 0) resolve(messages.shift());
        else waiting.push(resolve);
      }),
    ]);
  await nextMessage();
  const done = nextMessage() as Promise<number[]>;
  return {
    async stop() {
      worker.postMessage('stop');
      const latencies = await done;
      await worker.terminate();
      return latencies;
    },
  };
}

/** The longest message Slack lets anyone send. */
const SLACK_MESSAGE_LIMIT = 40_000;

const fill = (unit: string) =>
  unit.repeat(Math.ceil(SLACK_MESSAGE_LIMIT / unit.length)).slice(0, SLACK_MESSAGE_LIMIT);

/** Replies that once cost the analysis seconds (one endless token, punctuation packed without spaces), and an ordinary one. */
const SHAPES: Record<string, string> = {
  // For comparison: what any stored reply costs the process.
  'ordinary-sentence':
    'We moved the volunteer rota to Mondays, and the handover notes finally reached everyone.',
  'repeated-token': fill('a1'),
  'mixed-punctuation': fill('.@-_:/a1!?,;'),
};

/**
 * How long /healthz keeps the process waiting while a reply of Slack's greatest length is stored: the
 * probes run from just before each reply is sent until the app is idle again. Latencies are over all
 * probes of five replies of each shape.
 */
export async function longReplyBench(): Promise<void> {
  let now = new Date('2026-11-23T09:00:00Z');
  const h = await startHarness({ driver: 'pglite', now: () => now });
  const db = h.app.database.db;
  try {
    await h.command('/learning', 'rhythm');
    const opened = await h.slack.waitForCall('views.open');
    const view = opened.params.view as { callback_id: string; private_metadata: string };
    await h.submitView({ ...view, id: 'V0BENCH' }, rhythmStateValues(WEEK_AHEAD_EVERY_DAY));
    now = new Date('2026-11-23T09:30:00Z');
    await h.app.scheduler.tick();
    await h.app.scheduler.tick();
    const [prompt] = await db.select().from(occurrences).where(eq(occurrences.status, 'posted'));
    const threadTs = prompt?.messageTs;
    if (!threadTs) throw new Error('no prompt was posted to reply to');

    let sequence = 0;
    const replyOnce = async (text: string, samples: number[]) => {
      sequence += 1;
      const ts = `1795000000.${String(sequence).padStart(6, '0')}`;
      const prober = await startProbing(`${h.baseUrl}/healthz`);
      const sent = h.event(
        { type: 'message', channel: CHANNEL, user: TEAMMATE, text, ts, thread_ts: threadTs },
        `Ev0LONG${sequence}`,
      );
      try {
        if ((await sent).status !== 200) throw new Error('the reply was not acknowledged');
        await h.app.idle();
      } finally {
        samples.push(...(await prober.stop()));
      }
      const [row] = await db
        .select({ text: responses.text })
        .from(responses)
        .where(and(eq(responses.sourceKey, `message:${ts}`), eq(responses.kind, 'thread')));
      if (row?.text.length !== text.length) throw new Error('the reply was not stored in full');
    };
    // The language model loads on the first reply of a process; that one-off cost is not the reply's.
    await replyOnce('The funder meeting on Thursday tests our question about trust.', []);
    for (const [shape, text] of Object.entries(SHAPES)) {
      const samples: number[] = [];
      for (let run = 0; run < RUNS; run += 1) await replyOnce(text, samples);
      const line = {
        bench: 'long-reply',
        shape,
        chars: text.length,
        replies: RUNS,
        healthz: summarise(samples),
      };
      process.stdout.write(`${JSON.stringify(line)}\n`);
    }
  } finally {
    await h.stop();
  }
}
