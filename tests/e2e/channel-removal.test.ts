import { and, eq, inArray } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { beforeActionReviews, CHECK_IN_KINDS, occurrences } from '../../src/db/schema.js';
import { BAR_EXTRA_INPUTS } from '../../src/slack/ids.js';
import { DRIVERS } from '../support/databases.js';
import { AUTHOR, CHANNEL, TEAM, TEAMMATE, useHarness } from '../support/harness.js';
import { addPerspective, createReview } from '../support/loop.js';

/*
 * Removing the app from a channel is how a team silences it. Slack would still take the app's posts in a
 * public channel (chat:write.public), so the app itself must hold back: a check-in that falls due while
 * it is out of the channel is withdrawn and its review's author hears why, privately and once. Invited
 * back, the check-ins still to come arrive as planned.
 */
describe.each(DRIVERS)('a channel the app was removed from (%s)', (driver) => {
  let now = new Date('2026-11-23T09:00:00Z'); // Monday
  const h = useHarness({ driver, now: () => now });

  const postsIn = (channel: string) =>
    h.slack.callsTo('chat.postMessage').filter((call) => call.params.channel === channel);
  const directMessagesTo = (userId: string) => postsIn(userId);

  it('posts no check-in there, tells the author once, and checks in again once invited back', async () => {
    const action = 'Try the new intake form with three families';
    await createReview(
      h,
      { action, people: [AUTHOR, TEAMMATE], lookBackOn: '2026-11-27' },
      { [BAR_EXTRA_INPUTS.checkInOn.block]: { value: { type: 'datepicker', selected_date: '2026-11-25' } } },
    );
    await h.idle();
    const [review] = await h.app.database.db
      .select()
      .from(beforeActionReviews)
      .where(eq(beforeActionReviews.action, action));

    // Someone removes the app from the channel; Slack tells the app with channel_left.
    h.slack.addChannel({ id: CHANNEL, name: 'team', isMember: false });
    await h.event(
      { type: 'channel_left', channel: CHANNEL, actor_id: TEAMMATE, event_ts: '1795856400.000100' },
      'Ev0REMOVED',
    );
    await h.idle();
    h.slack.reset();

    // Wednesday's pre-action check-in and Friday's look-back fall due while the app is out.
    for (const due of ['2026-11-25T10:00:00Z', '2026-11-27T10:00:00Z']) {
      now = new Date(due);
      await h.app.scheduler.tick();
      await h.idle();
    }
    expect(postsIn(CHANNEL)).toEqual([]);
    const told = directMessagesTo(AUTHOR);
    expect(told).toHaveLength(1);
    expect(String(told[0]?.params.text)).toBe(
      `I couldn’t post the check-in for “${action}” in <#${CHANNEL}> because I am no longer a member of the channel. The review is kept: once the channel is usable again, close the loop with \`/aar\` there, or use “A review without a before-action review” from \`/aar\` in another channel.`,
    );
    const rows = await h.app.database.db
      .select()
      .from(occurrences)
      .where(and(eq(occurrences.reviewId, review?.id ?? ''), inArray(occurrences.kind, [...CHECK_IN_KINDS])));
    const outcomes = Object.fromEntries(
      rows.map((row) => [row.kind, [row.status, row.withdrawnReason ?? row.error]]),
    );
    expect(outcomes).toEqual({
      pre_check_in: ['cancelled', 'app_removed_from_channel'],
      post_check_in: ['cancelled', 'app_removed_from_channel'],
      aar_reminder: ['pending', null],
    });

    // Invited back: the reminder still to come arrives in the review's thread.
    h.slack.addChannel({ id: CHANNEL, name: 'team', isMember: true });
    await h.event(
      {
        type: 'member_joined_channel',
        user: h.slack.botUserId,
        channel: CHANNEL,
        channel_type: 'C',
        team: TEAM,
        inviter: TEAMMATE,
        event_ts: '1796205600.000100',
      },
      'Ev0INVITED',
    );
    await h.idle();
    now = new Date('2026-12-02T10:00:00Z');
    await h.app.scheduler.tick();
    const reminder = postsIn(CHANNEL);
    expect(reminder.map((call) => String(call.params.text))).toEqual([
      `Still waiting for its look-back: ${action}`,
    ]);
    expect(reminder[0]?.params.thread_ts).toBe(review?.summaryTs);
    expect(directMessagesTo(AUTHOR)).toHaveLength(1);
  });

  it('joins again where a person shares something there, and the check-ins go ahead from then on', async () => {
    now = new Date('2026-12-07T09:00:00Z'); // Monday
    const action = 'Ask the parents’ forum about the new opening hours';
    await createReview(h, { action, people: [AUTHOR, TEAMMATE], lookBackOn: '2026-12-09' });
    await h.idle();
    const [review] = await h.app.database.db
      .select()
      .from(beforeActionReviews)
      .where(eq(beforeActionReviews.action, action));
    h.slack.addChannel({ id: CHANNEL, name: 'team', isMember: false });
    await h.event(
      { type: 'channel_left', channel: CHANNEL, actor_id: TEAMMATE, event_ts: '1796634000.000100' },
      'Ev0REMOVEDAGAIN',
    );
    await h.idle();
    h.slack.reset();

    // A teammate adds their perspective in the review's thread: they ask for it to be posted there.
    now = new Date('2026-12-08T11:00:00Z');
    await addPerspective(h, { teamId: TEAM, userId: TEAMMATE, channelId: CHANNEL }, `before:${review?.id}`, {
      anticipatedChallenges: 'Half the forum is away in December',
    });
    const perspective = await h.slack.waitForCall(
      'chat.postMessage',
      (call) => call.params.channel === CHANNEL && call.params.thread_ts === review?.summaryTs,
    );
    const joins = h.slack.callsTo('conversations.join');
    expect(joins.map((call) => call.params.channel)).toEqual([CHANNEL]);
    expect(joins[0]?.at).toBeLessThanOrEqual(perspective.at);
    await h.idle();

    now = new Date('2026-12-09T10:00:00Z');
    await h.app.scheduler.tick();
    const lookBack = postsIn(CHANNEL).filter((call) =>
      String(call.params.text).startsWith('Time to look back'),
    );
    expect(lookBack.map((call) => call.params.thread_ts)).toEqual([review?.summaryTs]);
    expect(directMessagesTo(AUTHOR)).toEqual([]);
  });

  it('believes Slack, not a removal that arrives late: the app still in the channel keeps checking in', async () => {
    now = new Date('2026-12-14T09:00:00Z'); // Monday
    const action = 'Run the winter coat swap from the library';
    await createReview(h, { action, people: [AUTHOR, TEAMMATE], lookBackOn: '2026-12-16' });
    await h.idle();
    // The removal Slack sent before the app was invited back arrives only now; the app is a member.
    h.slack.addChannel({ id: CHANNEL, name: 'team', isMember: true });
    await h.event(
      { type: 'channel_left', channel: CHANNEL, actor_id: TEAMMATE, event_ts: '1797238800.000100' },
      'Ev0REMOVEDLATE',
    );
    await h.idle();
    h.slack.reset();
    now = new Date('2026-12-16T10:00:00Z');
    await h.app.scheduler.tick();
    await h.idle();
    expect(postsIn(CHANNEL).map((call) => String(call.params.text))).toEqual([
      `Time to look back: ${action}`,
    ]);
    expect(directMessagesTo(AUTHOR)).toEqual([]);
  });
});
