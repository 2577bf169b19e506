import { performance } from 'node:perf_hooks';
import { and, eq } from 'drizzle-orm';
import { occurrences, responses } from '../src/db/schema.js';
import { rhythmStateValues, WEEK_AHEAD_EVERY_DAY } from '../tests/support/factories.js';
import { CHANNEL, startHarness, TEAMMATE } from '../tests/support/harness.js';
import { summarise } from './stats.js';

const RUNS = 5;
const PROBE_EVERY_MS = 5;

/** The longest message Slack lets anyone send. */
const SLACK_MESSAGE_LIMIT = 40_000;

const fill = (unit: string) =>
  unit.repeat(Math.ceil(SLACK_MESSAGE_LIMIT / unit.length)).slice(0, SLACK_MESSAGE_LIMIT);

/** Replies that once cost the analysis seconds: one endless token, and punctuation packed without spaces. */
const SHAPES: Record<string, string> = {
  'repeated-token': fill('a1'),
  'mixed-punctuation': fill('.@-_:/a1!?,;'),
};

/**
 * How long /healthz keeps the process waiting while a reply of Slack's greatest length is stored: the
 * probes run from the moment each reply is sent until it is saved. Latencies are over all probes of
 * five replies of each shape.
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
      const sent = h.event(
        { type: 'message', channel: CHANNEL, user: TEAMMATE, text, ts, thread_ts: threadTs },
        `Ev0LONG${sequence}`,
      );
      // Probes go out every few milliseconds without waiting for each other: a stalled loop answers
      // them all late, and each records how late.
      const probes: Promise<void>[] = [];
      const probe = setInterval(() => {
        const asked = performance.now();
        probes.push(
          fetch(`${h.baseUrl}/healthz`)
            .then((health) => health.text())
            .then(() => {
              samples.push(performance.now() - asked);
            }),
        );
      }, PROBE_EVERY_MS);
      try {
        if ((await sent).status !== 200) throw new Error('the reply was not acknowledged');
        for (;;) {
          const rows = await db
            .select({ text: responses.text })
            .from(responses)
            .where(and(eq(responses.sourceKey, `message:${ts}`), eq(responses.kind, 'thread')));
          if (rows[0]) {
            if (rows[0].text.length !== text.length) throw new Error('the reply was not stored in full');
            break;
          }
          await new Promise((resolve) => setTimeout(resolve, PROBE_EVERY_MS));
        }
      } finally {
        clearInterval(probe);
        await Promise.all(probes);
      }
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
