import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { beforeActionReviews, occurrences } from '../../src/db/schema.js';
import { SUMMARY_EVENT_TYPE } from '../../src/services/delivery.js';
import {
  type BarForm,
  exactlyOnce,
  formatTally,
  postsBy,
  runThroughCrash,
  sendInWaves,
  submitBarForm,
  tally,
  useCrashRig,
  withDatabase,
} from '../support/crash.js';
import { DRIVERS, type Driver } from '../support/databases.js';

const FORMS = 40;
const CHANNELS = ['C0CRASH00', 'C0CRASH01', 'C0CRASH02', 'C0CRASH03'];
/** Summaries whose channel join Slack holds: the process dies before it ever posts them. */
const NEVER_POSTED = 12;
/** Summaries Slack stores at once but whose answer it holds: posted, their ts never heard of. */
const ANSWER_LOST = 14;
const AUTHOR = 'U0CRASHAUTHOR';
const HELD_MS = 120_000;

/**
 * Forms saved by a process killed with SIGKILL while their summaries are on their way (some not yet
 * sent, some sent with the answer still out), then a new process on the same database: every
 * acknowledged review's summary is posted exactly once, and its ts recorded.
 */
describe.each(DRIVERS)('summaries through a crash between saving and posting (%s)', (driver: Driver) => {
  const rig = useCrashRig(driver);

  const summaries = () =>
    rig.slack.allMessages().filter((message) => message.metadata?.event_type === SUMMARY_EVENT_TYPE);
  const postsToChannels = () =>
    rig.slack.callsTo('chat.postMessage').filter((call) => CHANNELS.includes(String(call.params.channel)));

  it('posts every acknowledged summary exactly once and records its ts', async () => {
    const { slack } = rig;
    slack.addUser({ id: AUTHOR, tz: 'Europe/London' });
    for (const [index, id] of CHANNELS.entries()) slack.addChannel({ id, name: `crash-${index}` });

    let acknowledged = 0;
    const postedBeforeCrash = await runThroughCrash(rig, {
      async beforeCrash(baseUrl) {
        const forms = Array.from({ length: FORMS }, (_, index) => ({
          action: `Crash form ${index}`,
          channelId: CHANNELS[index % CHANNELS.length] as string,
          authorId: AUTHOR,
          people: [AUTHOR],
        }));
        const heldJoins = () =>
          slack.callsTo('conversations.join').filter((call) => call.fault === 'slow').length;
        const answers = await sendInWaves(
          [
            {
              size: FORMS - ANSWER_LOST - NEVER_POSTED,
              arrived: () => postsToChannels().length >= FORMS - ANSWER_LOST - NEVER_POSTED,
            },
            {
              size: ANSWER_LOST,
              queueFaults: () =>
                slack.failNext('chat.postMessage', { kind: 'lost_response', delayMs: HELD_MS }, ANSWER_LOST),
              arrived: () => postsToChannels().length >= FORMS - NEVER_POSTED,
            },
            {
              size: NEVER_POSTED,
              queueFaults: () =>
                slack.failNext('conversations.join', { kind: 'slow', delayMs: HELD_MS }, NEVER_POSTED),
              // The held ones and the lost answers are still in flight when the process dies.
              arrived: () => heldJoins() >= NEVER_POSTED,
            },
          ],
          (index) => submitBarForm(baseUrl, slack.teamId, forms[index] as BarForm, `V0CRASH${index}`),
        );
        acknowledged = answers.filter((answer) => answer.status === 200).length;
        expect(acknowledged).toBe(FORMS);
      },
      atCrash: () => summaries().length,
    });

    await withDatabase(rig, async (db) => {
      const reviews = await db.select().from(beforeActionReviews);
      const effects = await db.select().from(occurrences).where(eq(occurrences.kind, 'summary'));
      const postsPerEffect = postsBy(summaries(), (message) =>
        String(message.metadata?.event_payload.occurrence_id),
      );
      const effectOf = new Map(effects.map((effect) => [effect.reviewId, effect]));
      const counts = tally(
        reviews.map((review) => {
          const effect = effectOf.get(review.id);
          return {
            posts: (effect && postsPerEffect.get(effect.id)) ?? [],
            // Recorded on the review and on its effect alike.
            recorded: effect?.messageTs === review.summaryTs ? review.summaryTs : null,
          };
        }),
      );
      console.log(
        `summaries through a crash (${driver}): ${formatTally(counts)} postedBeforeCrash=${postedBeforeCrash}`,
      );
      expect(counts.expected).toBe(acknowledged);
      expect(effects).toHaveLength(counts.expected);
      expect(counts).toEqual(exactlyOnce(acknowledged));
      // No summary in Slack belongs to anything but a saved review's effect.
      expect([...postsPerEffect.keys()].sort()).toEqual(effects.map((effect) => effect.id).sort());
      expect(effects.map((effect) => effect.status)).toEqual(effects.map(() => 'posted'));
      // The crash really landed between saving and posting: some were not in Slack when it struck.
      expect(postedBeforeCrash).toBeLessThan(counts.expected);
      // Nobody was told of a problem: there was none they could fix.
      expect(slack.callsTo('chat.postMessage').filter((call) => call.params.channel === AUTHOR)).toEqual([]);
      // Every saved review was saved with its look-back check-in and reminder: none is an open loop
      // that nothing would ever remind anyone of.
      const checkIns = await db.select().from(occurrences);
      const remindersOf = (reviewId: string) =>
        checkIns
          .filter((row) => row.reviewId === reviewId && row.kind !== 'summary')
          .map((row) => row.kind)
          .sort();
      expect(reviews.map((review) => remindersOf(review.id))).toEqual(
        reviews.map(() => ['aar_reminder', 'post_check_in']),
      );
    });
  }, 240_000);
});
