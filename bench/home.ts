import { performance } from 'node:perf_hooks';
import { WebClient } from '@slack/web-api';
import { createDatabase } from '../src/db/client.js';
import { afterActionReviews, beforeActionReviews } from '../src/db/schema.js';
import { wordVectors } from '../src/domain/digest/word-vectors.js';
import { previousQuarter, quarterContaining } from '../src/domain/quarters.js';
import { calendarDateIn } from '../src/domain/time.js';
import { createLogger } from '../src/logger.js';
import { loadPermalinks, loadPortraits } from '../src/services/portrait.js';
import { buildHome } from '../src/slack/views/home.js';
import { portraitLinks } from '../src/slack/views/portrait.js';
import { createTestDatabase } from '../tests/support/databases.js';
import { startFakeSlack } from '../tests/support/fake-slack.js';
import { LogCapture } from '../tests/support/harness.js';
import { seedSyntheticTeam } from '../tests/support/seed-digest.js';
import { ALL_PLANTS, syntheticTeam, WEEK_MS } from '../tests/support/synthetic-team.js';
import { summarise } from './stats.js';

const SCOPE = { teamId: 'T0BENCHHOME', enterpriseId: null };
const CHANNEL = 'C0BENCHHOME';
const WEEKS = 52;
/** Reviews on top of the synthetic team's one a week: a busy team runs several. */
const EXTRA_REVIEWS = 200;
const RUNS = 30;

function line(fields: Record<string, unknown>) {
  process.stdout.write(`${JSON.stringify({ bench: 'home', ...fields })}\n`);
}

/**
 * Drawing the Home tab's portrait for a channel with a year of data: both quarters read with
 * loadPortraits, the permalinks of what it shows, and the view built. Slack gives an app 3 s to
 * answer an event and `app_home_opened` is answered first, but a Home tab slower than a second or so
 * reads as broken. PGlite unless BENCH_DATABASE_URL (or TEST_DATABASE_URL) names Postgres.
 */
export async function homeBench(): Promise<void> {
  wordVectors();
  const driver = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite';
  const scratch = await createTestDatabase(driver);
  const handle = createDatabase(scratch.settings);
  const slack = await startFakeSlack({ teamId: SCOPE.teamId });
  slack.addChannel({ id: CHANNEL, name: 'bench' });
  try {
    await handle.migrate();
    const now = new Date();
    const start = new Date(now.getTime() - WEEKS * WEEK_MS);
    const team = syntheticTeam({ seed: 7, weeks: WEEKS, start, plants: ALL_PLANTS });
    const seeded = await seedSyntheticTeam(handle.db, SCOPE, CHANNEL, team);
    for (const message of seeded)
      slack.addMessage({ channel: message.channel, ts: message.ts, text: message.text });
    const templates = team.reviews;
    for (let index = 0; index < EXTRA_REVIEWS; index += 1) {
      const template = templates[index % templates.length] as (typeof templates)[number];
      const createdAt = new Date(start.getTime() + ((index + 0.5) / EXTRA_REVIEWS) * WEEKS * WEEK_MS);
      const ts = `${Math.floor(createdAt.getTime() / 1000)}.${String(900_000 + index)}`;
      slack.addMessage({ channel: CHANNEL, ts, text: template.action });
      const [row] = await handle.db
        .insert(beforeActionReviews)
        .values({
          ...SCOPE,
          enterpriseId: '',
          channelId: CHANNEL,
          authorId: 'U0ADA',
          action: template.action,
          intendedResults: template.intendedResults,
          anticipatedChallenges: template.anticipatedChallenges,
          successFactors: template.successFactors,
          hypothesisIf: template.hypothesisIf,
          hypothesisThen: template.hypothesisThen,
          lookBackOn: calendarDateIn(new Date(createdAt.getTime() + 7 * 86_400_000), 'UTC'),
          timeZone: 'UTC',
          status: 'closed',
          sourceViewId: `V-bench-extra-${index}`,
          summaryTs: ts,
          createdAt,
          updatedAt: createdAt,
        })
        .returning({ id: beforeActionReviews.id });
      const closedAt = new Date(createdAt.getTime() + 8 * 86_400_000);
      if (closedAt < now)
        await handle.db.insert(afterActionReviews).values({
          ...SCOPE,
          enterpriseId: '',
          channelId: CHANNEL,
          reviewId: row?.id as string,
          authorId: 'U0BEN',
          whatHappened: 'It went mostly to plan.',
          whyDifferent: 'The room was cold and the projector cable went missing again.',
          sustain: 'Keep the early start.',
          change: index % 3 === 0 ? 'Bring a spare cable.' : '',
          verdict: index % 4 === 0 ? 'not_borne_out' : 'borne_out',
          sourceViewId: `V-bench-extra-after-${index}`,
          summaryTs: `${Math.floor(closedAt.getTime() / 1000)}.${String(950_000 + index)}`,
          createdAt: closedAt,
          updatedAt: closedAt,
        });
    }
    line({
      step: 'seeded',
      driver,
      weeks: WEEKS,
      answers: team.answers.length,
      reviews: team.reviews.length + EXTRA_REVIEWS,
    });

    const deps = { db: handle.db, log: createLogger('silent', new LogCapture()), clock: () => now };
    const client = new WebClient('xoxb-bench', { slackApiUrl: slack.url, retryConfig: { retries: 0 } });
    const current = quarterContaining(now, 'UTC');
    const previous = previousQuarter(current, 'UTC');
    const read: number[] = [];
    const total: number[] = [];
    let blocks = 0;
    for (let run = 0; run < RUNS; run += 1) {
      const started = performance.now();
      const [now1, before] = await loadPortraits(deps, SCOPE, {
        channelId: CHANNEL,
        quarters: [current, previous],
        timeZone: 'UTC',
      });
      read.push(performance.now() - started);
      if (!now1 || !before) throw new Error('no portrait');
      const permalinks = await loadPermalinks(client, portraitLinks(now1));
      const view = buildHome([], [], {
        channels: [{ id: CHANNEL, name: 'bench' }],
        channelId: CHANNEL,
        current: now1,
        previous: before,
        permalinks,
        today: calendarDateIn(now, 'UTC'),
      });
      total.push(performance.now() - started);
      blocks = view.blocks.length;
    }
    line({ step: 'load_portraits', quarters: 2, ...summarise(read) });
    line({ step: 'home_view_with_permalinks', blocks, ...summarise(total) });
  } finally {
    await handle.close();
    await slack.close();
    await scratch.drop();
  }
}
