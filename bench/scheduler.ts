import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import { createDatabase } from '../src/db/client.js';
import { channelSettings, occurrences, rhythms } from '../src/db/schema.js';
import { startLearningThread } from '../src/server.js';
import { PROMPT_EVENT_TYPE } from '../src/slack/views/prompt.js';
import { testConfig } from '../tests/support/config.js';
import { createTestDatabase } from '../tests/support/databases.js';
import { startFakeSlack } from '../tests/support/fake-slack.js';
import { summarise } from './stats.js';

const TEAM = 'T0BENCH';
const CHANNELS = 2_000;
const DUE_PER_CHANNEL = 5;
const IDLE_RHYTHMS = 100_000;
const IDLE_TICKS = 20;
const ALL_DAYS = [1, 2, 3, 4, 5, 6, 7];
const KINDS = ['week_ahead', 'mid_week', 'look_back'] as const;

function line(fields: Record<string, unknown>) {
  process.stdout.write(`${JSON.stringify({ bench: 'scheduler', ...fields })}\n`);
}

async function insertInChunks<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>, size = 2_000) {
  for (let start = 0; start < rows.length; start += size) await insert(rows.slice(start, start + size));
}

/**
 * Prompts per second for 10,000 due occurrences across 2,000 channels (three rhythms falling due now and
 * two earlier occurrences still pending per channel), at one post per second per channel; then the
 * cost of a tick when 100,000 rhythms exist and none is due. Needs Postgres: BENCH_DATABASE_URL or
 * TEST_DATABASE_URL names a server where a scratch database may be created.
 */
export async function schedulerBench(): Promise<void> {
  process.env.TEST_DATABASE_URL ??=
    process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const scratch = await createTestDatabase('postgres');
  const slack = await startFakeSlack({ teamId: TEAM, now: () => new Date() });
  const seedHandle = createDatabase(scratch.settings);
  await seedHandle.migrate();
  const now = new Date();
  const channelIds = Array.from({ length: CHANNELS }, (_, index) => `C0B${String(index).padStart(6, '0')}`);
  for (const id of channelIds) slack.addChannel({ id, name: id.toLowerCase() });

  await insertInChunks(
    channelIds.map((channelId) => ({
      teamId: TEAM,
      channelId,
      timeZone: 'Europe/London',
      workDays: ALL_DAYS,
      stewardId: 'U0BENCH',
    })),
    (chunk) => seedHandle.db.insert(channelSettings).values(chunk),
  );
  const dueRhythms = await seedHandle.db
    .insert(rhythms)
    .values(
      channelIds.flatMap((channelId) =>
        KINDS.map((kind) => ({
          teamId: TEAM,
          channelId,
          kind,
          enabled: true,
          days: ALL_DAYS,
          localTime: '09:00',
          nextDueAt: new Date(now.getTime() - 10_000),
          updatedBy: 'U0BENCH',
        })),
      ),
    )
    .returning({ id: rhythms.id, channelId: rhythms.channelId, kind: rhythms.kind });
  const earlier = dueRhythms
    .filter((rhythm) => rhythm.kind === 'mid_week')
    .flatMap((rhythm) =>
      [60_000, 120_000].map((ago) => ({
        teamId: TEAM,
        channelId: rhythm.channelId,
        rhythmId: rhythm.id,
        kind: rhythm.kind,
        dueAt: new Date(now.getTime() - ago),
        status: 'pending' as const,
      })),
    );
  await insertInChunks(earlier, (chunk) => seedHandle.db.insert(occurrences).values(chunk));

  const app = await startLearningThread(
    testConfig({ apiUrl: slack.url, database: scratch.settings, logLevel: 'silent' }),
    { startScheduler: false },
  );
  try {
    const started = performance.now();
    let posted = 0;
    const expected = CHANNELS * DUE_PER_CHANNEL;
    while (posted < expected) {
      const summary = await app.scheduler.tick();
      posted += summary.posted ?? 0;
      if (!summary.posted && performance.now() - started > 600_000) break;
    }
    const seconds = (performance.now() - started) / 1000;

    // The pacing check: no channel may see two prompts less than a second apart.
    const perChannel = new Map<string, number[]>();
    for (const message of slack.allMessages()) {
      if (message.metadata?.event_type !== PROMPT_EVENT_TYPE) continue;
      const at = Number(message.ts) * 1000;
      perChannel.set(message.channel, [...(perChannel.get(message.channel) ?? []), at]);
    }
    const postCalls = slack.callsTo('chat.postMessage');
    const callTimes = new Map<string, number[]>();
    for (const call of postCalls) {
      const channel = String(call.params.channel);
      callTimes.set(channel, [...(callTimes.get(channel) ?? []), call.at]);
    }
    let tooClose = 0;
    let smallestGapMs = Number.POSITIVE_INFINITY;
    for (const times of callTimes.values()) {
      const sorted = [...times].sort((a, b) => a - b);
      for (let index = 1; index < sorted.length; index += 1) {
        const gap = (sorted[index] as number) - (sorted[index - 1] as number);
        smallestGapMs = Math.min(smallestGapMs, gap);
        if (gap < 1_000) tooClose += 1;
      }
    }
    line({
      case: 'due',
      channels: CHANNELS,
      due: expected,
      posted,
      seconds: Math.round(seconds * 100) / 100,
      prompts_per_second: Math.round((posted / seconds) * 10) / 10,
      floor_seconds_at_one_per_channel_per_second: DUE_PER_CHANNEL - 1,
      smallest_gap_ms_same_channel: Math.round(smallestGapMs),
      posts_closer_than_1s_same_channel: tooClose,
    });

    // A quiet hour: 100,000 rhythms, none due.
    await seedHandle.db.execute(sql`truncate occurrences, rhythms, channel_settings cascade`);
    const future = new Date(now.getTime() + 7 * 86_400_000);
    const idleChannels = IDLE_RHYTHMS / KINDS.length;
    await insertInChunks(
      Array.from({ length: Math.ceil(idleChannels) }, (_, index) => ({
        teamId: TEAM,
        channelId: `C0I${String(index).padStart(6, '0')}`,
        timeZone: 'Europe/London',
        workDays: ALL_DAYS,
        stewardId: 'U0BENCH',
      })),
      (chunk) => seedHandle.db.insert(channelSettings).values(chunk),
      5_000,
    );
    await insertInChunks(
      Array.from({ length: IDLE_RHYTHMS }, (_, index) => ({
        teamId: TEAM,
        channelId: `C0I${String(Math.floor(index / KINDS.length)).padStart(6, '0')}`,
        kind: KINDS[index % KINDS.length] as (typeof KINDS)[number],
        enabled: true,
        days: ALL_DAYS,
        localTime: '09:00',
        nextDueAt: new Date(future.getTime() + (index % 86_400) * 1000),
        updatedBy: 'U0BENCH',
      })),
      (chunk) => seedHandle.db.insert(rhythms).values(chunk),
      5_000,
    );
    await seedHandle.db.execute(sql`analyze`);
    const samples: number[] = [];
    for (let index = 0; index < IDLE_TICKS; index += 1) {
      const started = performance.now();
      await app.scheduler.tick();
      samples.push(performance.now() - started);
    }
    line({ case: 'idle', rhythms: IDLE_RHYTHMS, ticks: IDLE_TICKS, ...summarise(samples) });
  } finally {
    await app.stop();
    await seedHandle.close();
    await slack.close();
    await scratch.drop();
  }
}
