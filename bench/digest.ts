import { performance } from 'node:perf_hooks';
import { WebClient } from '@slack/web-api';
import { and, eq, gte, lt } from 'drizzle-orm';
import { createDatabase } from '../src/db/client.js';
import { occurrences, responses } from '../src/db/schema.js';
import { textFeatures } from '../src/domain/digest/text.js';
import { wordVectors } from '../src/domain/digest/word-vectors.js';
import { createLogger } from '../src/logger.js';
import { gatherDigest } from '../src/services/digest.js';
import { createTestDatabase } from '../tests/support/databases.js';
import { startFakeSlack } from '../tests/support/fake-slack.js';
import { LogCapture } from '../tests/support/harness.js';
import { FRAMES, TOPICS, WEEK_MS } from '../tests/support/synthetic-team.js';

const SCOPE = { teamId: 'T0BENCH', enterpriseId: null };
const CHANNEL = 'C0BENCHDIGEST';
const WEEK_ANSWERS = 10_000;
const HISTORY_ANSWERS = 100_000;
const HISTORY_WEEKS = 8;
const PEOPLE = 200;
const RUNS = 5;

function line(fields: Record<string, unknown>) {
  process.stdout.write(`${JSON.stringify({ bench: 'digest', ...fields })}\n`);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round((sorted[Math.floor(sorted.length / 2)] ?? 0) * 10) / 10;
}

/**
 * Runs `work` while sampling the process's resident memory; returns the time and the peak growth above
 * where it started. The process also holds the seeding's leftovers, so growth is the honest figure.
 */
async function measured<T>(work: () => Promise<T>): Promise<{ ms: number; peakMb: number; result: T }> {
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 5);
  const started = performance.now();
  const result = await work();
  const ms = performance.now() - started;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  return { ms, peakMb: Math.round(((peak - baseline) / 1_048_576) * 10) / 10, result };
}

/**
 * The time and memory to compute one channel's digest with 10,000 answers in its week and 100,000 in
 * the eight weeks before, on Postgres; beside it, a bare SELECT of the same rows, so the cost of the
 * analysis shows as a ratio. Needs BENCH_DATABASE_URL or TEST_DATABASE_URL (a scratch database is made).
 */
export async function digestBench(): Promise<void> {
  // The word vectors load once per process, on first use; measured here so the digest runs below do not.
  const vectorsLoad = await measured(async () => wordVectors());
  line({
    step: 'word_vectors_loaded',
    words: vectorsLoad.result.rank.size,
    ms: Math.round(vectorsLoad.ms),
    rss_growth_mb: vectorsLoad.peakMb,
  });
  process.env.TEST_DATABASE_URL ??=
    process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const scratch = await createTestDatabase('postgres');
  const handle = createDatabase(scratch.settings);
  const slack = await startFakeSlack({ teamId: SCOPE.teamId });
  slack.addChannel({
    id: CHANNEL,
    isMember: true,
    members: Array.from({ length: PEOPLE }, (_, i) => `U0P${i}`),
  });
  try {
    await handle.migrate();
    const asOf = new Date('2026-11-27T16:00:00Z');
    const weekStart = (ago: number) => new Date(asOf.getTime() - (ago + 1) * WEEK_MS);
    const promptMessages = await handle.db
      .insert(occurrences)
      .values(
        Array.from({ length: HISTORY_WEEKS + 1 }, (_, ago) => ({
          teamId: SCOPE.teamId,
          channelId: CHANNEL,
          kind: 'mid_week' as const,
          dueAt: weekStart(ago),
          status: 'posted' as const,
          messageTs: `${Math.floor(weekStart(ago).getTime() / 1000)}.000001`,
        })),
      )
      .returning({ id: occurrences.id });
    // Features are worked out once per distinct text, as saving would have done for each answer.
    const featureCache = new Map<string, ReturnType<typeof textFeatures>>();
    const seedStarted = performance.now();
    const total = WEEK_ANSWERS + HISTORY_ANSWERS;
    let rows: (typeof responses.$inferInsert)[] = [];
    for (let index = 0; index < total; index += 1) {
      const ago = index < WEEK_ANSWERS ? 0 : 1 + ((index - WEEK_ANSWERS) % HISTORY_WEEKS);
      // One answer in ten this week speaks of the handover, so the week has a theme to find and quote.
      const text =
        ago === 0 && index % 10 === 1
          ? `The handover before the ${TOPICS[(index * 13) % TOPICS.length]} was messy again.`
          : (FRAMES[(index * 7) % FRAMES.length] as (topic: string) => string)(
              TOPICS[(index * 13) % TOPICS.length] as string,
            );
      let features = featureCache.get(text);
      if (!features) {
        features = textFeatures(text);
        featureCache.set(text, features);
      }
      const createdAt = new Date(weekStart(ago).getTime() + ((index * 7919) % (WEEK_MS - 60_000)) + 1000);
      const anonymous = index % 10 === 0;
      rows.push({
        teamId: SCOPE.teamId,
        channelId: CHANNEL,
        occurrenceId: promptMessages[ago]?.id as string,
        userId: anonymous ? null : `U0P${index % PEOPLE}`,
        kind: anonymous ? 'anonymous' : index % 3 === 0 ? 'private' : 'thread',
        text,
        terms: features.terms,
        sentiment: features.sentiment,
        sourceKey: anonymous
          ? null
          : `message:${Math.floor(createdAt.getTime() / 1000)}.${String(index).padStart(6, '0')}`,
        createdAt,
      });
      if (rows.length === 2_000) {
        await handle.db.insert(responses).values(rows);
        rows = [];
      }
    }
    if (rows.length > 0) await handle.db.insert(responses).values(rows);
    line({
      step: 'seeded',
      answers: total,
      seconds: Math.round((performance.now() - seedStarted) / 100) / 10,
    });

    const client = new WebClient('xoxb-bench', { slackApiUrl: slack.url, retryConfig: { retries: 0 } });
    const deps = { db: handle.db, log: createLogger('silent', new LogCapture()), clock: () => asOf };
    const bareSelect = () =>
      handle.db
        .select()
        .from(responses)
        .where(
          and(
            eq(responses.teamId, SCOPE.teamId),
            eq(responses.channelId, CHANNEL),
            gte(responses.createdAt, weekStart(HISTORY_WEEKS)),
            lt(responses.createdAt, asOf),
          ),
        );
    const digest = () => gatherDigest(deps, client, SCOPE, { channelId: CHANNEL, asOf });

    await bareSelect();
    await digest();
    const selects: { ms: number; peakMb: number }[] = [];
    const digests: { ms: number; peakMb: number }[] = [];
    let themes = 0;
    let rowsRead = 0;
    for (let run = 0; run < RUNS; run += 1) {
      const select = await measured(bareSelect);
      rowsRead = select.result.length;
      selects.push(select);
      const computed = await measured(digest);
      themes = computed.result.analysis.themes.length;
      digests.push(computed);
    }
    const selectMs = median(selects.map((run) => run.ms));
    const digestMs = median(digests.map((run) => run.ms));
    line({
      step: 'bare_select',
      rows: rowsRead,
      median_ms: selectMs,
      peak_rss_mb: Math.max(...selects.map((run) => run.peakMb)),
    });
    line({
      step: 'digest',
      week_answers: WEEK_ANSWERS,
      history_answers: HISTORY_ANSWERS,
      themes,
      median_ms: digestMs,
      worst_ms: Math.round(Math.max(...digests.map((run) => run.ms))),
      peak_rss_mb: Math.max(...digests.map((run) => run.peakMb)),
      ratio_to_bare_select: Math.round((digestMs / selectMs) * 100) / 100,
    });
  } finally {
    await handle.close();
    await slack.close();
    await scratch.drop();
  }
}
