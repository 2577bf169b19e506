import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type SQL, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createDatabase, MIGRATIONS_FOLDER } from '../../src/db/client.js';

const MIGRATION_COUNT = (
  JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, 'meta/_journal.json'), 'utf8')) as { entries: unknown[] }
).entries.length;

import {
  countOpenReviews,
  createBeforeActionReview,
  findReview,
  listOpenReviews,
  listReviewsForPerson,
  recordSummaryFailed,
  recordSummaryPosted,
  type WorkspaceScope,
} from '../../src/db/queries/reviews.js';
import { beforeActionReviews, reviewPeople } from '../../src/db/schema.js';
import type { ValidBar } from '../../src/domain/review.js';
import { createTestDatabase, DRIVERS } from '../support/databases.js';
import { useMigratedDatabase } from '../support/lifecycle.js';

const HERE: WorkspaceScope = { teamId: 'T0HERE', enterpriseId: null };
const THERE: WorkspaceScope = { teamId: 'T0THERE', enterpriseId: 'E0GRID' };

/** The app's clock for these reviews: a second on for each call, a week before they look back. */
let seconds = 0;
const now = () => new Date(Date.UTC(2026, 10, 24, 9, 0, seconds++));

function bar(overrides: Partial<ValidBar> = {}): ValidBar {
  return {
    action: 'Test the new intake form with three partners',
    intendedResults: 'Partners finish it in under ten minutes',
    anticipatedChallenges: 'Jargon in section two',
    lessonsFromBefore: '',
    successFactors: 'Sitting beside them while they try it',
    hypothesisIf: 'we watch people use it',
    hypothesisThen: 'we will find the confusing questions',
    hypothesisBecause: null,
    lookBackOn: '2026-12-01',
    people: ['U0ONE', 'U0TWO'],
    channelId: 'C0SHARED',
    ...overrides,
  };
}

describe.each(DRIVERS)('storing before-action reviews (%s)', (driver) => {
  const handle = useMigratedDatabase(driver);

  /** Both drivers answer a raw query with `rows`. */
  const rowsOf = async <Row>(query: SQL): Promise<Row[]> =>
    ((await handle.db.execute(query)) as unknown as { rows: Row[] }).rows;

  it('applies migrations again as a no-op', async () => {
    await handle.migrate();
    await handle.ping();
  });

  it('stores a review and its people together, once per modal submission', async () => {
    const first = await createBeforeActionReview(handle.db, HERE, {
      authorId: 'U0ONE',
      sourceViewId: 'V0ONCE',
      timeZone: 'Europe/London',
      bar: bar(),
      now: now(),
    });
    const replay = await createBeforeActionReview(handle.db, HERE, {
      authorId: 'U0ONE',
      sourceViewId: 'V0ONCE',
      timeZone: 'Europe/London',
      bar: bar({ action: 'changed in transit' }),
      now: now(),
    });
    expect(first.created).toBe(true);
    expect(replay.created).toBe(false);
    expect(replay.review.id).toBe(first.review.id);
    expect(replay.review.action).toBe('Test the new intake form with three partners');
    expect(replay.review.people.sort()).toEqual(['U0ONE', 'U0TWO']);
    const rows = await handle.db.select().from(reviewPeople);
    expect(rows.filter((row) => row.reviewId === first.review.id)).toHaveLength(2);
  });

  it('rolls back the review when its people cannot be stored', async () => {
    const before = (await handle.db.select().from(beforeActionReviews)).length;
    const tooLong = 'U'.repeat(10);
    await expect(
      createBeforeActionReview(handle.db, HERE, {
        authorId: 'U0ONE',
        sourceViewId: 'V0ROLLBACK',
        timeZone: 'UTC',
        // A person listed twice breaks the (review, person) key half way through the transaction.
        bar: { ...bar(), people: [tooLong, tooLong] },
        now: now(),
      }),
    ).rejects.toThrow();
    expect(await handle.db.select().from(beforeActionReviews)).toHaveLength(before);
  });

  it('keeps the same modal id in two workspaces apart, and never shows one workspace the other’s review', async () => {
    const here = await createBeforeActionReview(handle.db, HERE, {
      authorId: 'U0ONE',
      sourceViewId: 'V0SAMEID',
      timeZone: 'UTC',
      bar: bar({ action: 'here' }),
      now: now(),
    });
    const there = await createBeforeActionReview(handle.db, THERE, {
      authorId: 'U0ONE',
      sourceViewId: 'V0SAMEID',
      timeZone: 'UTC',
      bar: bar({ action: 'there' }),
      now: now(),
    });
    expect(there.created).toBe(true);
    expect(there.review.enterpriseId).toBe('E0GRID');
    expect(await findReview(handle.db, THERE, here.review.id)).toBeUndefined();
    expect((await findReview(handle.db, HERE, here.review.id))?.action).toBe('here');
    expect((await listOpenReviews(handle.db, THERE, 'C0SHARED', 50)).map((review) => review.action)).toEqual([
      'there',
    ]);
    expect(await countOpenReviews(handle.db, THERE, 'C0SHARED')).toBe(1);
    expect(
      (await listReviewsForPerson(handle.db, THERE, 'U0TWO', 50)).map((review) => review.action),
    ).toEqual(['there']);

    await recordSummaryPosted(handle.db, THERE, here.review.id, '123.456', now());
    expect((await findReview(handle.db, HERE, here.review.id))?.summaryTs).toBeNull();
    await recordSummaryFailed(handle.db, HERE, here.review.id, 'not_in_channel', now());
    expect((await findReview(handle.db, HERE, here.review.id))?.summaryPostError).toBe('not_in_channel');
  });

  it('holds the workspace, team and organisation, in every table, never null', async () => {
    const rows = await rowsOf<{ table_name: string; column_name: string; is_nullable: string }>(
      sql`select table_name, column_name, is_nullable from information_schema.columns
        where table_schema = 'public' and column_name in ('team_id', 'enterprise_id')`,
    );
    const tables = new Map<string, string[]>();
    for (const row of rows) {
      expect(row.is_nullable).toBe('NO');
      tables.set(row.table_name, [...(tables.get(row.table_name) ?? []), row.column_name].sort());
    }
    const all = await rowsOf<{ table_name: string }>(
      sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`,
    );
    expect(all.length).toBeGreaterThanOrEqual(18);
    for (const { table_name } of all)
      expect([table_name, tables.get(table_name)]).toEqual([table_name, ['enterprise_id', 'team_id']]);
  });

  it('confines a query to the organisation too: the same team id under another organisation sees nothing', async () => {
    const graded = await createBeforeActionReview(handle.db, THERE, {
      authorId: 'U0ONE',
      sourceViewId: 'V0ORGONLY',
      timeZone: 'UTC',
      bar: bar({ action: 'inside the organisation', channelId: 'C0ORG' }),
      now: now(),
    });
    const people = await handle.db.select().from(reviewPeople);
    expect(people.filter((row) => row.reviewId === graded.review.id).map((row) => row.enterpriseId)).toEqual([
      'E0GRID',
      'E0GRID',
    ]);
    for (const stranger of [
      { teamId: THERE.teamId, enterpriseId: null },
      { teamId: THERE.teamId, enterpriseId: 'E0OTHERORG' },
    ]) {
      expect(await findReview(handle.db, stranger, graded.review.id)).toBeUndefined();
      expect(await listOpenReviews(handle.db, stranger, 'C0ORG', 50)).toEqual([]);
    }
    expect((await findReview(handle.db, THERE, graded.review.id))?.people.sort()).toEqual(['U0ONE', 'U0TWO']);
  });

  it('finds nothing for ids that are not review ids', async () => {
    for (const id of ['', 'not-a-uuid', "' or 1=1 --", '00000000-0000-0000-0000-000000000000']) {
      expect(await findReview(handle.db, HERE, id)).toBeUndefined();
    }
  });

  it('lists the reviews a person wrote even when they left themselves off the people involved', async () => {
    await createBeforeActionReview(handle.db, HERE, {
      authorId: 'U0FACILITATOR',
      sourceViewId: 'V0FACILITATED',
      timeZone: 'UTC',
      bar: bar({ action: 'facilitated for others', people: ['U0THREE'] }),
      now: now(),
    });
    const mine = await listReviewsForPerson(handle.db, HERE, 'U0FACILITATOR', 50);
    expect(mine.map((review) => review.action)).toEqual(['facilitated for others']);
  });
});

describe.runIf(DRIVERS.includes('postgres'))('migrating from several replicas at once (postgres)', () => {
  it('lets every replica start, with the schema applied exactly once', async () => {
    const testDatabase = await createTestDatabase('postgres');
    const replicas = Array.from({ length: 4 }, () => createDatabase(testDatabase.settings));
    try {
      await Promise.all(replicas.map((replica) => replica.migrate()));
      const applied = await replicas[0]?.db.execute(
        'select count(*)::int as count from drizzle.__drizzle_migrations',
      );
      const count = (applied as unknown as { rows: Array<{ count: number }> }).rows[0]?.count;
      // Each migration is recorded once, however many replicas raced to apply it.
      expect(count).toBe(MIGRATION_COUNT);
    } finally {
      await Promise.all(replicas.map((replica) => replica.close()));
      await testDatabase.drop();
    }
  });
});
