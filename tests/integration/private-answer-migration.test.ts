import { readFileSync } from 'node:fs';
import { asc, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { occurrences, responses } from '../../src/db/schema.js';
import { DRIVERS } from '../support/databases.js';
import { useMigratedDatabase } from '../support/lifecycle.js';

const MIGRATION = new URL('../../migrations/0010_one_private_answer_per_person.sql', import.meta.url);
const WORKSPACE = { teamId: 'T0MIGRATE', enterpriseId: '' };
const CHANNEL = 'C0MIGRATE';
const QUESTION = '1b2c3d4e-5f60-4718-9a0b-c1d2e3f4a5b6';
const at = (minutes: number) => new Date(Date.UTC(2026, 10, 23, 10, minutes));

describe.each(DRIVERS)('migration 0010: one private answer per person per prompt (%s)', (driver) => {
  const handle = useMigratedDatabase(driver);

  it('joins the private answers a person gave twice to one prompt, and keys every private answer by prompt and person', async () => {
    const { db } = handle;
    const [prompt] = await db
      .insert(occurrences)
      .values({ ...WORKSPACE, channelId: CHANNEL, kind: 'mid_week', dueAt: at(0), status: 'posted' })
      .returning({ id: occurrences.id });
    const occurrenceId = prompt?.id as string;
    const row = (values: Partial<typeof responses.$inferInsert>) => ({
      ...WORKSPACE,
      channelId: CHANNEL,
      occurrenceId,
      kind: 'private' as const,
      text: '',
      terms: ['venue'],
      sentiment: 0.5,
      ...values,
    });
    // As answering privately twice used to store them: one row per form, keyed by the form's view.
    await db.insert(responses).values([
      row({
        userId: 'U0ADA',
        text: 'Later words',
        sourceKey: 'view:V2',
        createdAt: at(30),
        updatedAt: at(31),
        questionId: QUESTION,
      }),
      row({
        userId: 'U0ADA',
        text: 'First words',
        sourceKey: 'view:V1',
        createdAt: at(10),
        updatedAt: at(10),
        quotable: true,
      }),
      row({
        userId: 'U0BEN',
        text: 'Only once',
        sourceKey: 'view:V3',
        createdAt: at(20),
        updatedAt: at(20),
        quotable: true,
      }),
      row({
        userId: 'U0ADA',
        confidence: 4,
        sourceKey: `confidence:${occurrenceId}:U0ADA`,
        createdAt: at(5),
        updatedAt: at(5),
      }),
      row({
        userId: null,
        kind: 'anonymous',
        text: 'Nobody asked',
        sourceKey: null,
        createdAt: at(0),
        updatedAt: at(0),
      }),
      row({
        userId: 'U0ADA',
        kind: 'thread',
        text: 'In the thread',
        sourceKey: 'message:1.1',
        createdAt: at(40),
        updatedAt: at(40),
      }),
    ]);

    for (const statement of readFileSync(MIGRATION, 'utf8').split('--> statement-breakpoint'))
      await db.execute(sql.raw(statement));

    const stored = await db
      .select()
      .from(responses)
      .where(eq(responses.occurrenceId, occurrenceId))
      .orderBy(asc(responses.kind), asc(responses.createdAt));
    expect(
      stored.map((answer) => ({
        kind: answer.kind,
        userId: answer.userId,
        text: answer.text,
        sourceKey: answer.sourceKey,
        quotable: answer.quotable,
        questionId: answer.questionId,
        confidence: answer.confidence,
        terms: answer.terms,
        createdAt: answer.createdAt.toISOString(),
        updatedAt: answer.updatedAt.toISOString(),
      })),
    ).toEqual([
      expect.objectContaining({ kind: 'anonymous', userId: null, text: 'Nobody asked', sourceKey: null }),
      // The confidence choice is no written answer: untouched.
      expect.objectContaining({
        kind: 'private',
        confidence: 4,
        sourceKey: `confidence:${occurrenceId}:U0ADA`,
      }),
      {
        kind: 'private',
        userId: 'U0ADA',
        text: 'First words\n\nLater words',
        sourceKey: `private:${occurrenceId}:U0ADA`,
        // Quoted only if every one of them allowed it; tagged with the newest question named.
        quotable: false,
        questionId: QUESTION,
        confidence: null,
        // Worked out again from the joined words before the next digest reads them.
        terms: null,
        createdAt: at(10).toISOString(),
        updatedAt: at(31).toISOString(),
      },
      expect.objectContaining({
        kind: 'private',
        userId: 'U0BEN',
        text: 'Only once',
        sourceKey: `private:${occurrenceId}:U0BEN`,
        quotable: true,
        terms: ['venue'],
      }),
      expect.objectContaining({ kind: 'thread', userId: 'U0ADA', sourceKey: 'message:1.1' }),
    ]);
  });
});
