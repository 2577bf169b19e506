import { describe, expect, it } from 'vitest';
import { reserveDigestEdition, weeklyHistory } from '../../src/db/queries/digests.js';
import { digests, occurrences, responses } from '../../src/db/schema.js';
import { DRIVERS } from '../support/databases.js';
import { useMigratedDatabase } from '../support/lifecycle.js';

const SCOPE = { teamId: 'T0STORE', enterpriseId: null };
const OTHER = { teamId: 'T0OTHER', enterpriseId: null };
const CHANNEL = 'C0STORE';
const END = new Date('2026-11-27T16:00:00Z');
const WEEK_MS = 7 * 86_400_000;
const window = { start: new Date(END.getTime() - WEEK_MS), end: END };

describe.each(DRIVERS)('digest storage (%s)', (driver) => {
  const handle = useMigratedDatabase(driver);

  it('reserves a week’s edition for one caller, for good: its post is an effect that is owed, not a lease that lapses', async () => {
    const claim = { channelId: CHANNEL, weekKey: '2026-W48', edition: 0, window, requestedBy: 'U0ONE' };
    const at = (minutes: number) => new Date(END.getTime() + minutes * 60_000);
    const first = await reserveDigestEdition(handle.db, SCOPE, { ...claim, now: at(0) });
    expect(first).toBeDefined();
    expect(
      await reserveDigestEdition(handle.db, SCOPE, { ...claim, requestedBy: 'U0TWO', now: at(14) }),
    ).toBeUndefined();
    // Another workspace's channel of the same id has its own week.
    expect(await reserveDigestEdition(handle.db, OTHER, { ...claim, now: at(0) })).toBeDefined();

    expect(
      await reserveDigestEdition(handle.db, SCOPE, { ...claim, requestedBy: 'U0TWO', now: at(24 * 60) }),
    ).toBeUndefined();

    await handle.db.update(digests).set({ status: 'posted', messageTs: '1.000001' });
    expect(
      await reserveDigestEdition(handle.db, SCOPE, { ...claim, requestedBy: 'U0THREE', now: at(24 * 60) }),
    ).toBeUndefined();
  });

  it('counts an answer made exactly on a week boundary in the later week, as the window does', async () => {
    const [promptMessage] = await handle.db
      .insert(occurrences)
      .values({ teamId: SCOPE.teamId, channelId: CHANNEL, kind: 'mid_week', dueAt: END, status: 'posted' })
      .returning({ id: occurrences.id });
    const boundary = new Date(END.getTime() - 3 * WEEK_MS);
    const oldestEdge = new Date(END.getTime() - 9 * WEEK_MS);
    await handle.db.insert(responses).values(
      [boundary, oldestEdge].map((createdAt) => ({
        teamId: SCOPE.teamId,
        channelId: CHANNEL,
        occurrenceId: promptMessage?.id as string,
        userId: null,
        kind: 'anonymous' as const,
        text: 'The handover was late.',
        terms: ['handover', 'late'],
        createdAt,
      })),
    );
    const history = await weeklyHistory(handle.db, SCOPE, CHANNEL, END, 8);
    expect(history.map((week) => week.anonymous)).toEqual([1, 0, 0, 0, 0, 0, 1, 0]);
    // The later week is the one starting at the boundary.
    expect(history[6]?.start).toEqual(boundary);
    expect(history[6]?.termAnswers.get('handover')).toBe(1);
    expect(await weeklyHistory(handle.db, OTHER, CHANNEL, END, 8)).toSatisfy((weeks: { answers: number }[]) =>
      weeks.every((week) => week.answers === 0),
    );
  });
});
