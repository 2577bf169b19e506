import { describe, expect, it } from 'vitest';
import { digestAnswers, skipCounts } from '../../src/db/queries/digests.js';
import { claimOccurrence } from '../../src/db/queries/occurrences.js';
import {
  claimEvent,
  forgetProcessedEvents,
  recordModalResponse,
  recordSkip,
  recordThreadReply,
} from '../../src/db/queries/responses.js';
import { createBeforeActionReview } from '../../src/db/queries/reviews.js';
import { occurrences, processedEvents } from '../../src/db/schema.js';
import { textFeatures } from '../../src/domain/digest/text.js';
import { DRIVERS } from '../support/databases.js';
import { barAnswers, daysAfter } from '../support/factories.js';
import { useMigratedDatabase } from '../support/lifecycle.js';

const SCOPE = { teamId: 'T0CLOCK', enterpriseId: null };
const CHANNEL = 'C0CLOCK';
/**
 * The app's clock, pinned years away from the machine's (and the database server's), so any instant the
 * database took from its own clock would fall outside every window and lease below.
 */
const PINNED = new Date('2020-06-03T10:17:00Z');
const minutes = (count: number) => new Date(PINNED.getTime() + count * 60_000);

describe.each(DRIVERS)('one clock: what the app stores and compares follows its own clock (%s)', (driver) => {
  const handle = useMigratedDatabase(driver);

  it('stamps answers and skips with the app’s clock, so a window on that clock counts them', async () => {
    const [promptMessage] = await handle.db
      .insert(occurrences)
      .values({
        ...SCOPE,
        enterpriseId: '',
        channelId: CHANNEL,
        kind: 'mid_week',
        dueAt: PINNED,
        status: 'posted',
      })
      .returning({ id: occurrences.id });
    const occurrenceId = promptMessage?.id as string;
    const common = { occurrenceId, channelId: CHANNEL, questionId: null, now: PINNED };
    await recordModalResponse(handle.db, SCOPE, {
      kind: 'private',
      ...common,
      userId: 'U0ONE',
      text: 'Privately, the venue worried me.',
      viewId: 'V0CLOCK',
      features: textFeatures('Privately, the venue worried me.'),
      quotable: false,
    });
    await recordModalResponse(handle.db, SCOPE, {
      kind: 'anonymous',
      ...common,
      text: 'Nobody asked the volunteers.',
      features: textFeatures('Nobody asked the volunteers.'),
    });
    await recordThreadReply(handle.db, SCOPE, {
      occurrenceId,
      channelId: CHANNEL,
      userId: 'U0TWO',
      text: 'The room changed.',
      messageTs: '1591179420.000100',
      features: textFeatures('The room changed.'),
      now: PINNED,
    });
    await recordSkip(handle.db, SCOPE, {
      occurrenceId,
      channelId: CHANNEL,
      userId: 'U0THREE',
      reason: 'no_capacity',
      now: PINNED,
    });

    const week = { start: new Date(PINNED.getTime() - 7 * 86_400_000), end: minutes(60) };
    const answers = await digestAnswers(handle.db, SCOPE, CHANNEL, week);
    expect(answers.map((answer) => [answer.kind, answer.createdAt.toISOString()]).sort()).toEqual([
      // An anonymous answer keeps only the hour of the app's clock.
      ['anonymous', '2020-06-03T10:00:00.000Z'],
      ['private', PINNED.toISOString()],
      ['thread', PINNED.toISOString()],
    ]);
    expect(await skipCounts(handle.db, SCOPE, CHANNEL, week)).toEqual({ no_capacity: 1 });
    // A window that ends before the pinned instant counts none of them.
    expect(await digestAnswers(handle.db, SCOPE, CHANNEL, { start: week.start, end: minutes(-60) })).toEqual(
      [],
    );
  });

  it('lets an abandoned summary post be taken over once its lease ends, by the app’s clock', async () => {
    const { summary } = await createBeforeActionReview(handle.db, SCOPE, {
      authorId: 'U0ONE',
      sourceViewId: 'V0SHARE',
      timeZone: 'UTC',
      bar: { ...barAnswers(), channelId: CHANNEL, lookBackOn: daysAfter(PINNED, 7) },
      now: PINNED,
    });
    const summaryId = summary?.id ?? '';
    expect(await claimOccurrence(handle.db, summaryId, PINNED, 60_000)).toBeDefined();
    expect(await claimOccurrence(handle.db, summaryId, minutes(0.5), 60_000)).toBeUndefined();
    expect(await claimOccurrence(handle.db, summaryId, minutes(1.5), 60_000)).toBeDefined();
  });

  it('forgets processed event ids by the app’s clock', async () => {
    expect(await claimEvent(handle.db, SCOPE, { eventId: 'Ev0CLOCK1', now: PINNED })).toBe(true);
    expect(await claimEvent(handle.db, SCOPE, { eventId: 'Ev0CLOCK1', now: minutes(1) })).toBe(false);
    expect(await claimEvent(handle.db, SCOPE, { eventId: 'Ev0CLOCK2', now: minutes(90) })).toBe(true);

    // Ids received before the cutoff go; one received after it stays.
    expect(await forgetProcessedEvents(handle.db, minutes(30))).toBe(1);
    const left = await handle.db.select({ eventId: processedEvents.eventId }).from(processedEvents);
    expect(left.map((row) => row.eventId)).toEqual(['Ev0CLOCK2']);
  });
});
