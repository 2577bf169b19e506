import { describe, expect, it } from 'vitest';
import { beforeActionReviews, perspectives } from '../../src/db/schema.js';
import { SUMMARY_EVENT_TYPE } from '../../src/services/delivery.js';
import { ACTIONS, CALLBACKS, PERSPECTIVE_INPUTS } from '../../src/slack/ids.js';
import {
  buttonValues,
  exactlyOnce,
  formatTally,
  type OpenedModal,
  openModalByClick,
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

const REVIEWS = 20;
const CHANNELS = ['C0CRPER00', 'C0CRPER01', 'C0CRPER02', 'C0CRPER03'];
const AUTHOR = 'U0CRPERAUTHOR';
/** Everyone involved besides the author adds a perspective to every review: two each, at once. */
const PEERS = ['U0CRPERPEERA', 'U0CRPERPEERB'];
const PERSPECTIVES = REVIEWS * PEERS.length;
/** Perspective posts Slack never receives: the request hangs, unanswered and not acted on. */
const NEVER_POSTED = 12;
/** Perspective posts Slack stores at once but whose answer it holds: posted, their ts never heard of. */
const ANSWER_LOST = 14;
const HELD_MS = 120_000;
/** The author's review counts as theirs, and each peer's perspective as theirs. */
const EVERYONE_ADDED = `${PEERS.length + 1} of ${PEERS.length + 1} people involved have added theirs`;

/** Words only one perspective says, so its message is found by them alone. */
const perspectiveText = (index: number) => `Crash perspective ${String(index).padStart(2, '0')} as seen here`;
const says = (text: string) => (holder: { text?: unknown; blocks?: unknown }) =>
  `${String(holder.text ?? '')}${JSON.stringify(holder.blocks ?? [])}`.includes(text);

/**
 * Perspectives on posted before-action reviews, saved by a process killed with SIGKILL while their
 * messages are on their way into the reviews' threads, and a new process on the same database: each
 * perspective is posted exactly once in its review's thread with its ts recorded, and each review's
 * summary ends up counting every voice.
 */
describe.each(DRIVERS)('perspectives through a crash between saving and posting (%s)', (driver: Driver) => {
  const rig = useCrashRig(driver);

  const texts = Array.from({ length: PERSPECTIVES }, (_, index) => perspectiveText(index));
  const perspectiveMessages = () =>
    rig.slack.allMessages().filter((message) => texts.some((text) => says(text)(message)));
  const perspectivePostCalls = () =>
    rig.slack.callsTo('chat.postMessage').filter((call) => texts.some((text) => says(text)(call.params)));

  it('posts every acknowledged perspective exactly once in its thread and counts it on the summary', async () => {
    const { slack } = rig;
    for (const id of [AUTHOR, ...PEERS]) slack.addUser({ id, tz: 'Europe/London' });
    for (const [index, id] of CHANNELS.entries())
      slack.addChannel({ id, name: `crash-perspectives-${index}` });

    /** Each perspective's words and the summary it was added under. */
    const planned: Array<{ text: string; channelId: string; summaryTs: string }> = [];
    let acknowledged = 0;
    const postedBeforeCrash = await runThroughCrash(rig, {
      async beforeCrash(baseUrl) {
        const forms = Array.from({ length: REVIEWS }, (_, index) => ({
          action: `Crash review ${index}`,
          channelId: CHANNELS[index % CHANNELS.length] as string,
          authorId: AUTHOR,
          people: [AUTHOR, ...PEERS],
        }));
        const seeded = await submitBarForms(baseUrl, slack.teamId, forms, 'V0CRPERBAR');
        expect(seeded.map((answer) => answer.status)).toEqual(forms.map(() => 200));
        await waitUntilIdle(baseUrl);
        const summaries = slack
          .allMessages()
          .filter(
            (message) =>
              message.metadata?.event_type === SUMMARY_EVENT_TYPE && message.thread_ts === undefined,
          );
        expect(summaries).toHaveLength(REVIEWS);

        // Each peer presses "Add my perspective" on each posted summary.
        const clicks = summaries.flatMap((summary) =>
          PEERS.map((peer) => ({
            summary,
            peer,
            value: buttonValues(summary.blocks, ACTIONS.addPerspective)[0],
          })),
        );
        const modals = await Promise.all(
          clicks.map(({ summary, peer, value }, index) =>
            openModalByClick(
              baseUrl,
              slack,
              { teamId: slack.teamId, userId: peer, channelId: summary.channel },
              {
                action_id: ACTIONS.addPerspective,
                value: value ?? '',
                channelId: summary.channel,
                messageTs: summary.ts,
                triggerId: `trigger-crash-perspective-${index}`,
              },
            ),
          ),
        );
        expect(modals.map((modal) => modal.callback_id)).toEqual(
          clicks.map(() => CALLBACKS.perspectiveModal),
        );
        for (const [index, { summary }] of clicks.entries())
          planned.push({ text: perspectiveText(index), channelId: summary.channel, summaryTs: summary.ts });

        const answers = await sendInWaves(
          [
            {
              size: PERSPECTIVES - ANSWER_LOST - NEVER_POSTED,
              arrived: () => perspectivePostCalls().length >= PERSPECTIVES - ANSWER_LOST - NEVER_POSTED,
            },
            {
              size: ANSWER_LOST,
              queueFaults: () =>
                slack.failNext('chat.postMessage', { kind: 'lost_response', delayMs: HELD_MS }, ANSWER_LOST),
              arrived: () => perspectivePostCalls().length >= PERSPECTIVES - NEVER_POSTED,
            },
            {
              size: NEVER_POSTED,
              queueFaults: () => slack.failNext('chat.postMessage', { kind: 'hang' }, NEVER_POSTED),
              // Every perspective has been sent once: the hung ones and the lost answers are still out
              // when the process dies.
              arrived: () => perspectivePostCalls().length >= PERSPECTIVES,
            },
          ],
          (index) => {
            const { summary, peer } = clicks[index] as (typeof clicks)[number];
            return submitModal(
              baseUrl,
              { teamId: slack.teamId, userId: peer, channelId: summary.channel },
              modals[index] as OpenedModal,
              `V0CRPERVIEW${index}`,
              {
                [PERSPECTIVE_INPUTS.answer('intendedResults').block]: {
                  value: { type: 'plain_text_input', value: perspectiveText(index) },
                },
              },
            );
          },
        );
        // Saved and the modal closed: an empty answer.
        acknowledged = answers.filter((answer) => answer.status === 200 && answer.body === '').length;
        expect(acknowledged).toBe(PERSPECTIVES);
      },
      atCrash: () => perspectiveMessages().length,
    });

    await withDatabase(rig, async (db) => {
      const stored = await db.select().from(perspectives);
      const reviews = await db.select().from(beforeActionReviews);
      const messages = perspectiveMessages();
      const postsOf = (text: string) => messages.filter(says(text));
      const counts = tally(
        planned.map(({ text }) => ({
          posts: postsOf(text).map((message) => message.ts),
          recorded: stored.find((row) => row.answers.intendedResults === text)?.messageTs,
        })),
      );
      const inThread = planned.filter(
        ({ text, channelId, summaryTs }) =>
          postsOf(text).length > 0 &&
          postsOf(text).every((message) => message.channel === channelId && message.thread_ts === summaryTs),
      ).length;
      // What people see on each summary, and what the app last asked Slack to show there.
      const summaryShows = (channelId: string, ts: string) => {
        const summary = slack.messagesIn(channelId).find((message: StoredMessage) => message.ts === ts);
        const lastUpdate = slack
          .callsTo('chat.update')
          .filter((call) => call.params.channel === channelId && call.params.ts === ts)
          .at(-1);
        return (
          JSON.stringify(summary?.blocks ?? []).includes(EVERYONE_ADDED) &&
          JSON.stringify(lastUpdate?.params.blocks ?? []).includes(EVERYONE_ADDED)
        );
      };
      const countsRight = reviews.filter(
        (review) => review.summaryTs && summaryShows(review.channelId, review.summaryTs),
      ).length;
      console.log(
        `perspectives through a crash (${driver}): ${formatTally(counts)} inThread=${inThread} countsRight=${countsRight}/${reviews.length} postedBeforeCrash=${postedBeforeCrash}`,
      );
      expect(stored).toHaveLength(acknowledged);
      expect({ ...counts, inThread, countsRight }).toEqual({
        ...exactlyOnce(acknowledged),
        inThread: acknowledged,
        countsRight: REVIEWS,
      });
      // The crash really landed between saving and posting: some were not in Slack when it struck.
      expect(postedBeforeCrash).toBeLessThan(acknowledged);
    });
  }, 240_000);
});
