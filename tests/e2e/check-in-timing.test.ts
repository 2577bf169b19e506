import { and, eq, inArray } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { beforeActionReviews, CHECK_IN_KINDS, occurrences } from '../../src/db/schema.js';
import { BAR_EXTRA_INPUTS, CALLBACKS } from '../../src/slack/ids.js';
import { PROMPT_EVENT_TYPE } from '../../src/slack/views/prompt.js';
import { DRIVERS } from '../support/databases.js';
import { barAnswers, barStateValues } from '../support/factories.js';
import type { RecordedCall } from '../support/fake-slack.js';
import { AUTHOR, CHANNEL, TEAMMATE, useHarness } from '../support/harness.js';
import { createReview, nextViewId, overflowPayload, viewOf } from '../support/loop.js';

/*
 * Saving a review is itself a ping at the people involved: its summary lands in the channel. A check-in
 * whose 10:00 has passed, or is less than an hour away, comes at the next work day's 10:00 instead of
 * straight after the summary, and a pre-action check-in that would then come with the look-back one is
 * dropped. The author's zone is Europe/London, on GMT in these weeks, so 10:00 there is 10:00 UTC.
 */
describe.each(DRIVERS)('check-in timing (%s)', (driver) => {
  let now = new Date('2026-11-23T16:30:00Z'); // Monday, 16:30 in London
  const h = useHarness({ driver, now: () => now });

  async function reviewRow(action: string) {
    const [row] = await h.app.database.db
      .select()
      .from(beforeActionReviews)
      .where(eq(beforeActionReviews.action, action));
    return row;
  }
  async function checkIns(reviewId: string) {
    const rows = await h.app.database.db
      .select()
      .from(occurrences)
      .where(and(eq(occurrences.reviewId, reviewId), inArray(occurrences.kind, [...CHECK_IN_KINDS])));
    return Object.fromEntries(
      rows.map((row) => [row.kind, { status: row.status, dueAt: row.dueAt.toISOString() }]),
    );
  }
  const checkInPosts = (threadTs: string | null | undefined) =>
    h.slack
      .callsTo('chat.postMessage')
      .filter(
        (call) =>
          call.params.thread_ts === threadTs &&
          (call.params.metadata as { event_type?: string } | undefined)?.event_type === PROMPT_EVENT_TYPE,
      );
  const withCheckInOn = (date: string) => ({
    [BAR_EXTRA_INPUTS.checkInOn.block]: { value: { type: 'datepicker', selected_date: date } },
  });
  /** The scheduler's next ticks, a second and a minute after saving: where a check-in used to follow at once. */
  async function tickJustAfterSaving(savedAt: Date) {
    for (const seconds of [1, 60]) {
      now = new Date(savedAt.getTime() + seconds * 1000);
      await h.app.scheduler.tick();
    }
  }

  it('sends nothing after a late save with the check-in today and the look-back tomorrow, then looks back at 10:00 tomorrow', async () => {
    now = new Date('2026-11-23T16:30:00Z');
    const action = 'Brief the new volunteers before Tuesday’s session';
    const { summary } = await createReview(
      h,
      { action, people: [AUTHOR, TEAMMATE], lookBackOn: '2026-11-24' },
      withCheckInOn('2026-11-23'),
    );
    await h.idle();
    const review = await reviewRow(action);
    await tickJustAfterSaving(new Date('2026-11-23T16:30:00Z'));
    expect(checkInPosts(review?.summaryTs)).toEqual([]);

    // The next 10:00 is the look-back's: a pre-action check-in then would only repeat it.
    expect(await checkIns(review?.id ?? '')).toEqual({
      pre_check_in: { status: 'cancelled', dueAt: '2026-11-24T10:00:00.000Z' },
      post_check_in: { status: 'pending', dueAt: '2026-11-24T10:00:00.000Z' },
      aar_reminder: { status: 'pending', dueAt: '2026-11-27T10:00:00.000Z' },
    });
    // The summary says so, since the person asked for a check-in today.
    const summaryText = JSON.stringify(summary.params.blocks);
    expect(summaryText).toContain('never within an hour of saving');
    expect(summaryText).toContain('no separate pre-action check-in');

    now = new Date('2026-11-24T09:59:00Z');
    await h.app.scheduler.tick();
    expect(checkInPosts(review?.summaryTs)).toEqual([]);
    now = new Date('2026-11-24T10:00:00Z');
    await h.app.scheduler.tick();
    const posts = checkInPosts(review?.summaryTs);
    expect(posts.map((call) => String(call.params.text))).toEqual([`Time to look back: ${action}`]);
  });

  it('moves a pre-action check-in asked for late on a Friday to Monday at 10:00', async () => {
    now = new Date('2026-11-27T16:30:00Z'); // Friday
    const action = 'Open the winter drop-in at the library';
    const { summary } = await createReview(
      h,
      { action, people: [AUTHOR, TEAMMATE], lookBackOn: '2026-12-02' },
      withCheckInOn('2026-11-27'),
    );
    await h.idle();
    const review = await reviewRow(action);
    await tickJustAfterSaving(new Date('2026-11-27T16:30:00Z'));
    expect(checkInPosts(review?.summaryTs)).toEqual([]);
    expect((await checkIns(review?.id ?? '')).pre_check_in).toEqual({
      status: 'pending',
      dueAt: '2026-11-30T10:00:00.000Z',
    });
    const summaryText = JSON.stringify(summary.params.blocks);
    expect(summaryText).toContain('the pre-action check-in comes');
    expect(summaryText).toContain(`<!date^${Date.parse('2026-11-30T10:00:00Z') / 1000}^`);

    // Saturday is no work day.
    now = new Date('2026-11-28T10:00:00Z');
    await h.app.scheduler.tick();
    expect(checkInPosts(review?.summaryTs)).toEqual([]);

    now = new Date('2026-11-30T10:00:00Z');
    await h.app.scheduler.tick();
    const [pre, ...more] = checkInPosts(review?.summaryTs);
    expect(more).toEqual([]);
    expect(String(pre?.params.text)).toContain('Pre-action check-in');
    expect(JSON.stringify(pre?.params.blocks)).toContain('How confident');
  });

  it('moves a look-back due within the hour of an edit to the next work day, and leaves the pre-action check-in ahead of it', async () => {
    now = new Date('2026-12-01T09:00:00Z'); // Tuesday
    const action = 'Agree the spring programme with the tenants';
    await createReview(
      h,
      { action, people: [AUTHOR], lookBackOn: '2026-12-03' },
      withCheckInOn('2026-12-02'),
    );
    await h.idle();
    const review = await reviewRow(action);
    expect(await checkIns(review?.id ?? '')).toMatchObject({
      pre_check_in: { status: 'pending', dueAt: '2026-12-02T10:00:00.000Z' },
      post_check_in: { status: 'pending', dueAt: '2026-12-03T10:00:00.000Z' },
    });
    // The pre-action check-in arrives on Wednesday as planned.
    now = new Date('2026-12-02T10:00:00Z');
    await h.app.scheduler.tick();
    expect(checkInPosts(review?.summaryTs)).toHaveLength(1);

    // Thursday 09:30: an edit is a save too, and the look-back's 10:00 is less than an hour away.
    now = new Date('2026-12-03T09:30:00Z');
    await editReview(review?.id ?? '', { lookBackOn: '2026-12-03' });
    expect((await checkIns(review?.id ?? '')).post_check_in).toEqual({
      status: 'pending',
      dueAt: '2026-12-04T10:00:00.000Z',
    });
    now = new Date('2026-12-03T10:00:00Z');
    await h.app.scheduler.tick();
    expect(checkInPosts(review?.summaryTs)).toHaveLength(1);
    now = new Date('2026-12-04T10:00:00Z');
    await h.app.scheduler.tick();
    expect(checkInPosts(review?.summaryTs).map((call) => String(call.params.text))).toEqual([
      expect.stringContaining('Pre-action check-in'),
      `Time to look back: ${action}`,
    ]);
  });

  /** Opens the author's Edit on a review and saves it with its look-back date changed. */
  async function editReview(reviewId: string, changes: { lookBackOn: string }) {
    const [stored] = await h.app.database.db
      .select()
      .from(beforeActionReviews)
      .where(eq(beforeActionReviews.id, reviewId));
    const author = { teamId: h.actor.teamId, userId: AUTHOR, channelId: CHANNEL };
    const opened = h.slack.callsTo('views.open').length;
    await h.interact(overflowPayload(author, `edit:before:${reviewId}`, CHANNEL));
    await h.slack.waitForCall('views.open', () => h.slack.callsTo('views.open').length > opened);
    const edit = viewOf(h.slack.callsTo('views.open').at(-1) as RecordedCall);
    expect(edit.callback_id).toBe(CALLBACKS.barModal);
    await h.submitView(
      { ...edit, id: nextViewId() },
      {
        ...barStateValues(
          barAnswers({ action: stored?.action, people: [AUTHOR], lookBackOn: changes.lookBackOn }),
        ),
        ...(stored?.checkInOn ? withCheckInOn(stored.checkInOn) : {}),
      },
    );
    await h.slack.waitForCall('chat.update', (call) => call.params.ts === stored?.summaryTs);
    await h.idle();
  }
});
