import { performance } from 'node:perf_hooks';
import { and, eq } from 'drizzle-orm';
import { occurrences, responses } from '../src/db/schema.js';
import { rhythmStateValues, WEEK_AHEAD_EVERY_DAY } from '../tests/support/factories.js';
import { CHANNEL, startHarness, TEAMMATE } from '../tests/support/harness.js';
import { summarise } from './stats.js';

/** The longest message Slack lets anyone send. */
const SLACK_MESSAGE_LIMIT = 40_000;

const fill = (unit: string) => unit.repeat(Math.ceil(SLACK_MESSAGE_LIMIT / unit.length)).slice(0, SLACK_MESSAGE_LIMIT);

/** Replies that once cost the analysis seconds: one endless token, and punctuation packed without spaces. */
const SHAPES: Record<string, string> = {
  'repeated-token': fill('a1'),
  'mixed-punctuation': fill('.@-_:/a1!?,;'),
};

/**
 * How long /healthz keeps the process waiting while a reply of Slack's greatest length is stored: the
 * probe asks again as soon as it is answered, from the moment the reply is sent until it is saved.
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
    for (const [shape, text] of Object.entries(SHAPES)) {
      sequence += 1;
      const ts = `1795000000.${String(sequence).padStart(6, '0')}`;
      const samples: number[] = [];
      const started = performance.now();
      const sent = h.event(
        { type: 'message', channel: CHANNEL, user: TEAMMATE, text, ts, thread_ts: threadTs },
        `Ev0LONG${sequence}`,
      );
      let stored = false;
      while (!stored) {
        const asked = performance.now();
        const health = await fetch(`${h.baseUrl}/healthz`);
        await health.text();
        samples.push(performance.now() - asked);
        const rows = await db
          .select({ length: responses.text })
          .from(responses)
          .where(and(eq(responses.sourceKey, `message:${ts}`), eq(responses.kind, 'thread')));
        stored = rows.length > 0;
        if (stored && rows[0]?.length.length !== text.length) throw new Error('the reply was not stored in full');
      }
      const status = (await sent).status;
      const line = {
        bench: 'long-reply',
        shape,
        chars: text.length,
        status,
        stored_after_ms: Math.round(performance.now() - started),
        healthz: summarise(samples),
      };
      process.stdout.write(`${JSON.stringify(line)}\n`);
    }
  } finally {
    await h.stop();
  }
}
