import { describe, expect, it } from 'vitest';
import { channelSettings, digests, rhythms } from '../../src/db/schema.js';
import {
  exactlyOnce,
  formatTally,
  runThroughCrash,
  tally,
  untilSlackHas,
  useCrashRig,
  withDatabase,
} from '../support/crash.js';
import { DRIVERS, type Driver } from '../support/databases.js';
import type { StoredMessage } from '../support/fake-slack.js';
import { seedSyntheticTeam } from '../support/seed-digest.js';
import { ALL_PLANTS, PEOPLE, syntheticTeam, WEEK_MS } from '../support/synthetic-team.js';

/** Channels whose digest's top message Slack stores while holding the answer: posted, its ts unheard of. */
const TOP_ANSWER_LOST = ['C0CRDIG00', 'C0CRDIG01'];
/** Channels whose top message never reaches Slack: the request hangs, unanswered and not acted on. */
const TOP_NEVER_SENT = ['C0CRDIG02', 'C0CRDIG03'];
/** Channels whose top message goes through, and whose details Slack stores while holding the answer. */
const DETAILS_ANSWER_LOST = ['C0CRDIG04', 'C0CRDIG05'];
/** Channels whose top message goes through, and whose details never reach Slack. */
const DETAILS_NEVER_SENT = ['C0CRDIG06', 'C0CRDIG07'];
/**
 * Channels whose top message and details go through. Two of the first chart uploads to be completed (in
 * whichever channels get there first) fail in flight: one never reaches Slack, one is shared with its
 * answer held.
 */
const POSTS_GO_THROUGH = ['C0CRDIG08', 'C0CRDIG09', 'C0CRDIG10'];
const CHANNELS = [
  ...TOP_ANSWER_LOST,
  ...TOP_NEVER_SENT,
  ...DETAILS_ANSWER_LOST,
  ...DETAILS_NEVER_SENT,
  ...POSTS_GO_THROUGH,
];
const STEWARD = 'U0CRDIGSTEWARD';
const HELD_MS = 120_000;
/** Every fault queued below, each recorded by Slack when its call arrives. */
const FAULTED_CALLS =
  TOP_ANSWER_LOST.length +
  TOP_NEVER_SENT.length +
  2 * DETAILS_ANSWER_LOST.length +
  2 * DETAILS_NEVER_SENT.length +
  2;

const isTop = (message: StoredMessage) =>
  message.thread_ts === undefined && message.text.startsWith('Weekly learning digest');
const isDetails = (message: StoredMessage) => message.text.startsWith('Digest details');

/**
 * Weekly digests falling due on a process killed with SIGKILL while their posts are in flight (top
 * messages, their details and their charts), then a new process on the same database: each channel's
 * digest is posted exactly once, its details exactly once in its thread, its chart uploaded there exactly
 * once, and the digest records where each went.
 */
describe.each(DRIVERS)('digests through a crash while they are being posted (%s)', (driver: Driver) => {
  const rig = useCrashRig(driver);

  const topsIn = (channelId: string) => rig.slack.messagesIn(channelId).filter(isTop);
  const detailsIn = (channelId: string) => rig.slack.messagesIn(channelId).filter(isDetails);
  const chartsIn = (channelId: string) =>
    rig.slack.uploadedFiles().filter((file) => file.completed && file.channelId === channelId);
  const inSlack = () => ({
    tops: CHANNELS.flatMap(topsIn).length,
    details: CHANNELS.flatMap(detailsIn).length,
    charts: CHANNELS.flatMap(chartsIn).length,
  });

  it('posts every due digest, its details and its chart exactly once and records them', async () => {
    const { slack } = rig;
    // A minute ago, on the machine's clock the processes run on: well inside the grace window.
    const dueAt = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
    // Nine weeks of a team's words in each channel, the last ending at the digest's slot.
    const team = syntheticTeam({
      seed: 1,
      plants: ALL_PLANTS,
      start: new Date(dueAt.getTime() - 9 * WEEK_MS),
    });
    slack.addUser({ id: STEWARD, tz: 'Europe/London' });
    for (const [index, channelId] of CHANNELS.entries())
      slack.addChannel({
        id: channelId,
        name: `crash-digest-${index}`,
        isMember: true,
        members: [...PEOPLE],
      });
    await withDatabase(rig, async (db) => {
      const scope = { teamId: slack.teamId, enterpriseId: null };
      for (const channelId of CHANNELS) {
        await db.insert(channelSettings).values({
          teamId: slack.teamId,
          channelId,
          timeZone: 'Europe/London',
          workDays: [1, 2, 3, 4, 5, 6, 7],
          stewardId: STEWARD,
        });
        await db.insert(rhythms).values({
          teamId: slack.teamId,
          channelId,
          kind: 'digest',
          enabled: true,
          days: [1, 2, 3, 4, 5, 6, 7],
          localTime: '16:00',
          nextDueAt: dueAt,
          updatedBy: STEWARD,
        });
        for (const message of await seedSyntheticTeam(db, scope, channelId, team)) slack.addMessage(message);
      }
    });

    // Queued before the first process starts: its first tick posts every digest.
    for (const channelId of TOP_ANSWER_LOST)
      slack.failNextIn('chat.postMessage', channelId, { kind: 'lost_response', delayMs: HELD_MS });
    for (const channelId of TOP_NEVER_SENT) slack.failNextIn('chat.postMessage', channelId, { kind: 'hang' });
    // A channel's first post, its top message, goes through as it would without a fault.
    for (const channelId of [...DETAILS_ANSWER_LOST, ...DETAILS_NEVER_SENT])
      slack.failNextIn('chat.postMessage', channelId, { kind: 'slow', delayMs: 0 });
    for (const channelId of DETAILS_ANSWER_LOST)
      slack.failNextIn('chat.postMessage', channelId, { kind: 'lost_response', delayMs: HELD_MS });
    for (const channelId of DETAILS_NEVER_SENT)
      slack.failNextIn('chat.postMessage', channelId, { kind: 'hang' });
    slack.failNext('files.completeUploadExternal', { kind: 'hang' });
    slack.failNext('files.completeUploadExternal', { kind: 'lost_response', delayMs: HELD_MS });

    const atCrash = await runThroughCrash(rig, {
      // Charts are drawn one after another, seconds after the first post: the first calls held must
      // still be waiting for their answer when the last fault is met.
      postTimeoutSeconds: 10,
      async beforeCrash() {
        // Every fault has met its call, and the channels with nothing held have completed a chart upload.
        await untilSlackHas(
          () =>
            slack.calls.filter((call) => call.fault !== undefined).length >= FAULTED_CALLS &&
            slack.callsTo('files.completeUploadExternal').length >= POSTS_GO_THROUGH.length,
        );
      },
      atCrash: inSlack,
    });

    await withDatabase(rig, async (db) => {
      const rows = await db.select().from(digests);
      const rowOf = (channelId: string) =>
        rows.find((row) => row.channelId === channelId && row.edition === 0);
      const tops = tally(
        CHANNELS.map((channelId) => ({
          posts: topsIn(channelId).map((message) => message.ts),
          recorded: rowOf(channelId)?.messageTs,
        })),
      );
      const details = tally(
        CHANNELS.map((channelId) => ({
          posts: detailsIn(channelId).map((message) => message.ts),
          recorded: rowOf(channelId)?.detailsTs,
        })),
      );
      const charts = tally(
        CHANNELS.map((channelId) => ({
          posts: chartsIn(channelId).map((file) => file.id),
          recorded: rowOf(channelId)?.chartFileId,
        })),
      );
      // Channels whose details and chart are there, and only in the thread of their one top message.
      const inThread = CHANNELS.filter((channelId) => {
        const [top, ...more] = topsIn(channelId);
        const detailsThreads = detailsIn(channelId).map((message) => message.thread_ts);
        const chartThreads = chartsIn(channelId).map((file) => file.threadTs);
        return (
          top !== undefined &&
          more.length === 0 &&
          detailsThreads.length > 0 &&
          chartThreads.length > 0 &&
          [...detailsThreads, ...chartThreads].every((ts) => ts === top.ts)
        );
      }).length;
      console.log(
        `digests through a crash (${driver}): ${formatTally(tops)} details: ${formatTally(details)} charts: ${formatTally(charts, 'idRecorded')} inThread=${inThread} postedBeforeCrash=${atCrash.tops}/${atCrash.details}/${atCrash.charts}`,
      );
      expect(rows.map((row) => [row.channelId, row.edition, row.status]).sort()).toEqual(
        CHANNELS.map((channelId) => [channelId, 0, 'posted']).sort(),
      );
      expect({ tops, details, charts, inThread }).toEqual({
        tops: exactlyOnce(CHANNELS.length),
        details: exactlyOnce(CHANNELS.length),
        charts: exactlyOnce(CHANNELS.length),
        inThread: CHANNELS.length,
      });
      // The crash really landed mid-flight: some of each were not in Slack when it struck.
      expect(atCrash.tops).toBeLessThan(CHANNELS.length);
      expect(atCrash.details).toBeLessThan(CHANNELS.length);
      expect(atCrash.charts).toBeLessThan(CHANNELS.length);
    });
  }, 300_000);
});
