import { describe, expect, it } from 'vitest';
import { afterActionReviews, beforeActionReviews } from '../../src/db/schema.js';
import { SUMMARY_EVENT_TYPE } from '../../src/services/delivery.js';
import { ACTIONS, CALLBACKS } from '../../src/slack/ids.js';
import {
  buttonValues,
  exactlyOnce,
  formatTally,
  type OpenedModal,
  openModalByClick,
  postsBy,
  runThroughCrash,
  sendInWaves,
  submitBarForms,
  submitModal,
  tally,
  useCrashRig,
  waitUntilIdle,
  withDatabase,
} from '../support/crash.js';
import { DRIVERS, type Driver } from '../support/databases.js';
import type { StoredMessage } from '../support/fake-slack.js';
import { aarValues } from '../support/loop.js';
import { CONTENT_TYPES, sendSigned, slashCommandBody } from '../support/slack-requests.js';

const REVIEWS = 40;
const CHANNELS = ['C0CRAAR00', 'C0CRAAR01', 'C0CRAAR02', 'C0CRAAR03'];
/** After-action summaries Slack never receives: the request hangs, unanswered and not acted on. */
const NEVER_POSTED = 12;
/** After-action summaries Slack stores at once but whose answer it holds: posted, their ts never heard of. */
const ANSWER_LOST = 14;
const AUTHOR = 'U0CRAARAUTHOR';
const HELD_MS = 120_000;

const isSummary = (metadata: unknown) =>
  (metadata as { event_type?: unknown } | undefined)?.event_type === SUMMARY_EVENT_TYPE;

/**
 * Before-action reviews posted first; then their after-action reviews, saved by a process killed with
 * SIGKILL while their summaries are on their way into the reviews' threads, and a new process on the same
 * database: each after-action review's summary is posted exactly once, broadcast from its thread, and its
 * ts recorded.
 */
describe.each(DRIVERS)(
  'after-action reviews through a crash between saving and posting (%s)',
  (driver: Driver) => {
    const rig = useCrashRig(driver);

    /** An after-action review's summary is threaded under its before-action review's, which starts the thread. */
    const isAfterSummary = (message: { metadata?: unknown; thread_ts?: unknown; text?: unknown }) =>
      isSummary(message.metadata) &&
      message.thread_ts !== undefined &&
      String(message.text).startsWith('After-action review');
    const afterSummaries = () => rig.slack.allMessages().filter(isAfterSummary);
    const afterSummaryCalls = () =>
      rig.slack.callsTo('chat.postMessage').filter((call) => isAfterSummary(call.params));

    it('posts every acknowledged after-action summary exactly once in its thread and records its ts', async () => {
      const { slack } = rig;
      slack.addUser({ id: AUTHOR, tz: 'Europe/London' });
      for (const [index, id] of CHANNELS.entries()) slack.addChannel({ id, name: `crash-aar-${index}` });

      let acknowledged = 0;
      const postedBeforeCrash = await runThroughCrash(rig, {
        async beforeCrash(baseUrl) {
          const forms = Array.from({ length: REVIEWS }, (_, index) => ({
            action: `Crash review ${index}`,
            channelId: CHANNELS[index % CHANNELS.length] as string,
            authorId: AUTHOR,
            people: [AUTHOR],
          }));
          const seeded = await submitBarForms(baseUrl, slack.teamId, forms, 'V0CRAARBAR');
          expect(seeded.map((answer) => answer.status)).toEqual(forms.map(() => 200));
          await waitUntilIdle(baseUrl);
          const beforeSummaries = slack
            .allMessages()
            .filter((message) => isSummary(message.metadata) && message.thread_ts === undefined);
          expect(beforeSummaries).toHaveLength(REVIEWS);

          // /aar in each channel lists its open reviews; each is started from its button, as people do.
          const reviews: Array<{ reviewId: string; channelId: string }> = [];
          for (const channelId of CHANNELS) {
            const actor = { teamId: slack.teamId, userId: AUTHOR, channelId };
            const listed = await sendSigned(baseUrl, slashCommandBody(actor, '/aar', ''), CONTENT_TYPES.form);
            expect(listed.status).toBe(200);
            const { blocks } = listed.json() as { blocks: unknown[] };
            for (const reviewId of buttonValues(blocks, ACTIONS.startAar))
              reviews.push({ reviewId, channelId });
          }
          expect(new Set(reviews.map((review) => review.reviewId)).size).toBe(REVIEWS);
          const modals: OpenedModal[] = await Promise.all(
            reviews.map(({ reviewId, channelId }, index) =>
              openModalByClick(
                baseUrl,
                slack,
                { teamId: slack.teamId, userId: AUTHOR, channelId },
                {
                  action_id: ACTIONS.startAar,
                  value: reviewId,
                  channelId,
                  triggerId: `trigger-crash-aar-${index}`,
                },
              ),
            ),
          );
          expect(modals.map((modal) => modal.callback_id)).toEqual(reviews.map(() => CALLBACKS.aarModal));

          const answers = await sendInWaves(
            [
              {
                size: REVIEWS - ANSWER_LOST - NEVER_POSTED,
                arrived: () => afterSummaryCalls().length >= REVIEWS - ANSWER_LOST - NEVER_POSTED,
              },
              {
                size: ANSWER_LOST,
                queueFaults: () =>
                  slack.failNext(
                    'chat.postMessage',
                    { kind: 'lost_response', delayMs: HELD_MS },
                    ANSWER_LOST,
                  ),
                arrived: () => afterSummaryCalls().length >= REVIEWS - NEVER_POSTED,
              },
              {
                size: NEVER_POSTED,
                queueFaults: () => slack.failNext('chat.postMessage', { kind: 'hang' }, NEVER_POSTED),
                // Every summary has been sent once: the hung ones and the lost answers are still out when
                // the process dies.
                arrived: () => afterSummaryCalls().length >= REVIEWS,
              },
            ],
            (index) =>
              submitModal(
                baseUrl,
                { teamId: slack.teamId, userId: AUTHOR, channelId: reviews[index]?.channelId as string },
                modals[index] as OpenedModal,
                `V0CRAARAFTER${index}`,
                aarValues({
                  whatHappened: `What happened in review ${index}`,
                  verdict: 'partly',
                  people: [AUTHOR],
                }),
              ),
          );
          // Saved and the modal closed: an empty answer.
          acknowledged = answers.filter((answer) => answer.status === 200 && answer.body === '').length;
          expect(acknowledged).toBe(REVIEWS);
        },
        atCrash: () => afterSummaries().length,
      });

      await withDatabase(rig, async (db) => {
        const befores = new Map(
          (await db.select().from(beforeActionReviews)).map((review) => [review.id, review]),
        );
        const afters = await db.select().from(afterActionReviews);
        const postsPerThread = postsBy(afterSummaries(), (message: StoredMessage) =>
          message.thread_ts ? `${message.channel}/${message.thread_ts}` : undefined,
        );
        const threadOf = (reviewId: string | null) => {
          const before = reviewId ? befores.get(reviewId) : undefined;
          return before?.summaryTs ? `${before.channelId}/${before.summaryTs}` : undefined;
        };
        const counts = tally(
          afters.map((after) => {
            const thread = threadOf(after.reviewId);
            return {
              posts: (thread ? postsPerThread.get(thread) : undefined) ?? [],
              recorded: after.summaryTs,
            };
          }),
        );
        console.log(
          `after-action reviews through a crash (${driver}): ${formatTally(counts)} postedBeforeCrash=${postedBeforeCrash}`,
        );
        expect(counts.expected).toBe(acknowledged);
        expect(counts).toEqual(exactlyOnce(acknowledged));
        // Each closed the loop it looked back on, and no summary sits in any other thread.
        expect([...befores.values()].map((before) => before.status)).toEqual(
          [...befores.values()].map(() => 'closed'),
        );
        expect([...postsPerThread.keys()].sort()).toEqual(
          afters.map((after) => threadOf(after.reviewId)).sort(),
        );
        // In the thread and also sent to the channel, every time it was sent.
        const broadcast = afterSummaryCalls().map((call) => String(call.params.reply_broadcast));
        expect(broadcast).toEqual(broadcast.map(() => 'true'));
        // The crash really landed between saving and posting: some were not in Slack when it struck.
        expect(postedBeforeCrash).toBeLessThan(counts.expected);
        // Nobody was told of a problem: there was none they could fix.
        expect(slack.callsTo('chat.postMessage').filter((call) => call.params.channel === AUTHOR)).toEqual(
          [],
        );
      });
    }, 240_000);
  },
);
