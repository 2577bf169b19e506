import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { beforeActionReviews, occurrences } from '../../src/db/schema.js';
import { SUMMARY_EVENT_TYPE } from '../../src/services/delivery.js';
import { CALLBACKS } from '../../src/slack/ids.js';
import { DRIVERS, type Driver } from '../support/databases.js';
import { barAnswers, barStateValues, PINNED_NOW } from '../support/factories.js';
import { AUTHOR, CHANNEL, useHarness } from '../support/harness.js';

const SECRET_CHANNEL = 'G0RATESECRET';

/**
 * A review's summary, and the direct message telling its author it could not be shared, each first
 * answered 429 by Slack: the 429 is waited out, and each lands exactly once.
 */
describe.each(DRIVERS)('review summaries through rate limits (%s)', (driver: Driver) => {
  const h = useHarness({ driver, now: () => PINNED_NOW });
  let forms = 0;

  /** Submits a signed /bar form and waits until the app, and then a tick of its scheduler, are idle. */
  async function saveReview(action: string, channelId: string) {
    forms += 1;
    const view = {
      id: `V0RATE${driver}${forms}`,
      callback_id: CALLBACKS.barModal,
      private_metadata: JSON.stringify({ timeZone: 'Europe/London' }),
    };
    const answer = await h.submitView(view, barStateValues(barAnswers({ action, channelId })));
    expect(answer.status).toBe(200);
    await h.idle();
    // The next tick anywhere would find whatever is still due: it must post nothing more.
    await h.app.scheduler.tick();
    await h.idle();
    const [review] = await h.app.database.db
      .select()
      .from(beforeActionReviews)
      .where(eq(beforeActionReviews.action, action));
    expect(review).toBeDefined();
    const effects = await h.app.database.db
      .select()
      .from(occurrences)
      .where(eq(occurrences.reviewId, review?.id ?? ''));
    return { review, summary: effects.find((effect) => effect.kind === 'summary') };
  }

  const summariesIn = (channelId: string) =>
    h.slack.messagesIn(channelId).filter((message) => message.metadata?.event_type === SUMMARY_EVENT_TYPE);
  const postsTo = (channel: string) =>
    h.slack.callsTo('chat.postMessage').filter((call) => call.params.channel === channel);

  it('posts a summary first answered 429 exactly once and records its ts', async () => {
    h.slack.failNextIn('chat.postMessage', CHANNEL, { kind: 'rate_limited', retryAfterSeconds: 1 });
    const { review, summary } = await saveReview('Summary meets a rate limit', CHANNEL);

    const posted = summariesIn(CHANNEL);
    const refused = postsTo(CHANNEL).filter((call) => call.fault === 'rate_limited').length;
    const authorMessages = h.slack.messagesIn(AUTHOR).length;
    console.log(
      `summary after a 429 (${driver}): expected=1 delivered=${posted.length} duplicated=${Math.max(0, posted.length - 1)} missing=${posted.length === 0 ? 1 : 0} refused429=${refused} authorMessages=${authorMessages}`,
    );
    // Not vacuous: Slack did refuse the first try.
    expect(refused).toBe(1);
    expect(posted).toHaveLength(1);
    expect(posted[0]?.metadata?.event_payload.occurrence_id).toBe(summary?.id);
    expect(review?.summaryTs).toBe(posted[0]?.ts);
    expect(review?.summaryPostError).toBeNull();
    expect(summary).toMatchObject({ status: 'posted', messageTs: posted[0]?.ts });
    // A 429 is not a problem the author could fix: they hear nothing.
    expect(authorMessages).toBe(0);
  });

  it('tells the author once, through a 429, that a summary Slack refused was not shared', async () => {
    h.slack.addChannel({ id: SECRET_CHANNEL, name: 'rate-secret', isPrivate: true, isMember: false });
    // However the direct message is addressed, to the person or to the conversation with them.
    h.slack.failNextIn('chat.postMessage', AUTHOR, { kind: 'rate_limited', retryAfterSeconds: 1 });
    h.slack.failNextIn('chat.postMessage', h.slack.dmChannelFor(AUTHOR), {
      kind: 'rate_limited',
      retryAfterSeconds: 1,
    });
    const { review, summary } = await saveReview('Summary refused, notice rate limited', SECRET_CHANNEL);

    const dm = h.slack.dmChannelFor(AUTHOR);
    const noticeCalls = h.slack
      .callsTo('chat.postMessage')
      .filter((call) => call.params.channel === AUTHOR || call.params.channel === dm);
    const refused = noticeCalls.filter((call) => call.fault === 'rate_limited').length;
    const notices = h.slack.messagesIn(AUTHOR);
    const inChannel = summariesIn(SECRET_CHANNEL).length;
    console.log(
      `summary refused, notice after a 429 (${driver}): expected=1 delivered=${notices.length} duplicated=${Math.max(0, notices.length - 1)} missing=${notices.length === 0 ? 1 : 0} refused429=${refused} inChannel=${inChannel} recordedError=${review?.summaryPostError ?? 'none'}`,
    );
    // Not vacuous: Slack refused the summary, and answered the first try at telling the author 429.
    expect(postsTo(SECRET_CHANNEL).map((call) => call.fault)).toEqual([undefined]);
    expect(refused).toBe(1);
    expect(notices).toHaveLength(1);
    expect(JSON.stringify(notices[0]?.blocks)).toContain('/invite @Learning Thread');
    expect(inChannel).toBe(0);
    expect(review).toMatchObject({ summaryTs: null, summaryPostError: 'not_in_channel' });
    expect(summary).toMatchObject({ status: 'failed', error: 'not_in_channel' });
  });
});
