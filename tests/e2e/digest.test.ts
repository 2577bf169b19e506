import { WebClient } from '@slack/web-api';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { channelSettings, digests, learningNotes, occurrences } from '../../src/db/schema.js';
import { InFlightWork } from '../../src/inflight.js';
import { createLogger } from '../../src/logger.js';
import { createScheduler } from '../../src/scheduler/scheduler.js';
import { DEFAULT_DELIVERY_POLICY } from '../../src/services/delivery.js';
import { ACTIONS, CALLBACKS } from '../../src/slack/ids.js';
import { LESSONS_BLOCK_ID } from '../../src/slack/views/bar-modal.js';
import { DRIVERS } from '../support/databases.js';
import { DIGEST_ONLY, rhythmStateValues } from '../support/factories.js';
import type { StoredMessage } from '../support/fake-slack.js';
import { AUTHOR, BOT_TOKEN, CHANNEL, LogCapture, TEAM, TEAMMATE, useHarness } from '../support/harness.js';
import { seedSyntheticTeam } from '../support/seed-digest.js';
import { ALL_PLANTS, PEOPLE, syntheticTeam } from '../support/synthetic-team.js';

// Nine weeks of a team's answers ending at the digest slot on Friday 27 November, 16:00 London.
const team = syntheticTeam({ seed: 1, plants: ALL_PLANTS, start: new Date('2026-09-25T16:00:00Z') });
const SLOT = team.digestAt(9);

const blockText = (message: { blocks?: unknown[]; text?: string }) =>
  JSON.stringify(message.blocks ?? message.text);

describe.each(DRIVERS)('the weekly digest end to end (%s)', (driver) => {
  let now = new Date('2026-11-21T10:00:00Z');
  const h = useHarness({ driver, now: () => now });

  const digestsIn = (channel: string) =>
    h.slack.messagesIn(channel).filter((message) => message.text.startsWith('Weekly learning digest'));
  const repliesTo = (channel: string, ts: string) =>
    h.slack.messagesIn(channel).filter((message: StoredMessage) => message.thread_ts === ts);

  it('sets the slot, and seeds nine weeks of the team’s words', async () => {
    h.slack.addChannel({ id: CHANNEL, name: 'team', isMember: true, members: [...PEOPLE, AUTHOR, TEAMMATE] });
    await h.command('/learning', 'rhythm');
    const modal = await h.slack.waitForCall('views.open');
    const view = modal.params.view as { callback_id: string; private_metadata: string };
    const saved = await h.submitView({ ...view, id: 'V0RHYTHMS' }, rhythmStateValues(DIGEST_ONLY));
    expect((saved.json() as { response_action: string }).response_action).toBe('update');
    for (const message of await seedSyntheticTeam(
      h.app.database.db,
      { teamId: TEAM, enterpriseId: null },
      CHANNEL,
      team,
    ))
      h.slack.addMessage(message);
    // The seeded weeks stand for weeks the channel has been running: it was set up when they began.
    await h.app.database.db
      .update(channelSettings)
      .set({ createdAt: team.start })
      .where(eq(channelSettings.channelId, CHANNEL));
  });

  it('shows a private preview that opens at once and fills in', async () => {
    now = new Date(SLOT.getTime() - 3_600_000);
    const response = await h.command('/learning', 'digest');
    expect(response.status).toBe(200);
    const opened = await h.slack.waitForCall('views.open');
    expect(blockText(opened.params.view as { blocks: unknown[] })).toContain('Reading this week');
    const updated = await h.slack.waitForCall('views.update');
    const preview = blockText(updated.params.view as { blocks: unknown[] });
    expect(preview).toContain('Only you can see this');
    expect(preview).toContain('handover');
    expect(digestsIn(CHANNEL)).toEqual([]);
  });

  it('posts the digest at its slot once, with its evidence and chart in the thread', async () => {
    now = new Date(SLOT.getTime() + 30_000);
    await h.app.scheduler.tick();
    await h.app.scheduler.tick();
    const [top, ...more] = digestsIn(CHANNEL);
    expect(more).toEqual([]);
    const text = blockText(top as StoredMessage);
    expect(text).toContain('handover');
    expect(text).toContain('persistent, 5 weeks');
    expect(text).toContain('What do you notice? What surprised you?');
    expect(text).toMatch(/from 3 of 10 people in the channel/);
    expect(text).toContain('Fewer voices than usual');
    expect(text).toContain('not safe to say');

    const thread = repliesTo(CHANNEL, top?.ts as string);
    const details = thread.find((message) => message.text.startsWith('Digest details'));
    const evidence = blockText(details as StoredMessage);
    expect(evidence).toContain('parking');
    expect(evidence).toContain('Not borne out');
    // The surprise is named by the cause's own words, in the order written.
    expect(evidence).toMatch(/_[^_]*holiday[^_]*timetable[^_]*_/);
    expect(evidence).toContain('*Voices over 9 weeks*');
    expect(evidence).toMatch(/https:\/\/fake-workspace\.slack\.com\/archives\/C0TEAM\/p\d+/);
    // Quotes never name anyone, and nothing points at a person who did not answer.
    expect(`${text}${evidence}`).not.toMatch(/<@U|U0[A-Z]{3}\b/);

    const [chart] = h.slack.uploadedFiles();
    expect(chart).toMatchObject({ completed: true, channelId: CHANNEL, threadTs: top?.ts });
    expect(chart?.bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(chart?.title).toBe('Voices over 9 weeks');
    expect(chart?.altText).toMatch(/^Voices over 9 weeks: a bar chart of how many people answered each week/);

    const [row] = await h.app.database.db.select().from(digests);
    expect(row).toMatchObject({ status: 'posted', messageTs: top?.ts, edition: 0 });
    expect(row?.chartFileId).toBe(chart?.id);
  });

  it('keeps a second replica from posting the week again, and asks before a person posts another', async () => {
    const replica = createScheduler(
      { db: h.app.database.db, log: createLogger('silent', new LogCapture()), clock: () => now },
      new WebClient(BOT_TOKEN, { slackApiUrl: h.slack.url, retryConfig: { retries: 0 } }),
      {
        tickSeconds: 60,
        graceMs: 3_600_000,
        leaseMs: 60_000,
        channelIntervalMs: 0,
        concurrency: 4,
        batchSize: 50,
        policy: { ...DEFAULT_DELIVERY_POLICY, leaseMs: 60_000 },
      },
      new InFlightWork(),
    );
    await Promise.all([replica.tick(), h.app.scheduler.tick()]);
    expect(digestsIn(CHANNEL)).toHaveLength(1);

    await h.command('/learning', 'digest post');
    const question = await h.slack.waitForCall('chat.postEphemeral', (call) =>
      String(call.params.text).includes('already in the channel'),
    );
    expect(digestsIn(CHANNEL)).toHaveLength(1);
    const button = JSON.stringify(question.params.blocks);
    expect(button).toContain(`${CHANNEL}|1`);

    await h.clickButton(
      { action_id: ACTIONS.postDigestAgain, value: `${CHANNEL}|1` },
      { channelId: CHANNEL },
    );
    await h.slack.waitForCall('chat.postEphemeral', (call) => String(call.params.text).startsWith('Posted'));
    // The same button again: that edition is taken, so nothing more is posted.
    await h.clickButton(
      { action_id: ACTIONS.postDigestAgain, value: `${CHANNEL}|1` },
      { channelId: CHANNEL },
    );
    await h.slack.waitForCall('chat.postEphemeral', (call) =>
      String(call.params.text).includes('already in the channel'),
    );
    expect(digestsIn(CHANNEL)).toHaveLength(2);
    expect((await h.app.database.db.select().from(digests)).map((row) => row.edition).sort()).toEqual([0, 1]);
  });

  it('saves replies in the digest thread as learning notes, and brings them back next week', async () => {
    const [top] = digestsIn(CHANNEL);
    const event = {
      type: 'message',
      channel: CHANNEL,
      user: TEAMMATE,
      text: 'The handover keeps coming up. Shall we try a checklist?',
      ts: '1795000000.000100',
      thread_ts: top?.ts,
    };
    await h.event(event, 'Ev0NOTE1');
    await h.event(event, 'Ev0NOTE1');
    await h.slack.waitForCall('chat.postEphemeral', (call) =>
      String(call.params.text).includes('learning note'),
    );
    const notes = await h.app.database.db.select().from(learningNotes);
    expect(notes).toMatchObject([{ userId: TEAMMATE, text: event.text }]);
    // A later note is marked as saved, with no word: only a person's first note in the channel gets one.
    const wordsTo = (user: string) =>
      h.slack.callsTo('chat.postEphemeral').filter((call) => call.params.user === user).length;
    const before = wordsTo(TEAMMATE);
    const text = 'And a named owner for it.';
    const secondTs = h.slack.addMessage({ channel: CHANNEL, user: TEAMMATE, threadTs: top?.ts, text });
    const second = { ...event, text, ts: secondTs };
    await h.event(second, 'Ev0NOTE1B');
    await h.idle();
    expect(h.slack.reactionsOn(CHANNEL, second.ts)).toEqual([
      { name: 'memo', users: [h.slack.botUserId], count: 1 },
    ]);
    expect(wordsTo(TEAMMATE)).toBe(before);
    await h.app.database.db.delete(learningNotes).where(eq(learningNotes.messageTs, second.ts));

    // A week later the chart's first upload fails: the digest and its details post regardless, and the
    // chart follows on the next try, once.
    h.slack.failNext('upload', { kind: 'server_error' });
    await h.app.database.db.update(learningNotes).set({ createdAt: new Date(SLOT.getTime() + 86_400_000) });
    now = new Date(SLOT.getTime() + 7 * 86_400_000 + 30_000);
    await h.app.scheduler.tick();
    const next = digestsIn(CHANNEL).at(-1) as StoredMessage;
    expect(next.ts).not.toBe(top?.ts);
    const details = repliesTo(CHANNEL, next.ts).find((message) => message.text.startsWith('Digest details'));
    expect(blockText(details as StoredMessage)).toContain('Shall we try a checklist?');
    const [row] = await h.app.database.db
      .select()
      .from(digests)
      .where(and(eq(digests.messageTs, next.ts), eq(digests.channelId, CHANNEL)));
    expect(row?.detailsTs).toBe(details?.ts);
    const charts = h.slack.uploadedFiles().filter((file) => file.filename === `voices-${row?.weekKey}.png`);
    expect(charts.map((file) => file.id)).toEqual([row?.chartFileId]);
    const [occurrence] = await h.app.database.db
      .select()
      .from(occurrences)
      .where(eq(occurrences.messageTs, next.ts));
    expect(occurrence?.status).toBe('posted');
  });

  it('follows a note’s edits and deletion, and keeps no note for a reply with no words', async () => {
    const [top] = digestsIn(CHANNEL);
    const ts = '1795000000.000200';
    await h.event(
      { type: 'message', channel: CHANNEL, user: AUTHOR, text: 'First thought', ts, thread_ts: top?.ts },
      'Ev0NOTE2',
    );
    await h.slack.waitForCall('chat.postEphemeral', (call) =>
      String(call.params.text).includes('learning note'),
    );
    await h.event(
      {
        type: 'message',
        subtype: 'message_changed',
        channel: CHANNEL,
        message: { ts, text: 'Second thought, thanks <@U0TEAMMATE>', thread_ts: top?.ts },
      },
      'Ev0NOTE3',
    );
    const notes = async () =>
      (await h.app.database.db.select().from(learningNotes)).filter((note) => note.messageTs === ts);
    await expect.poll(async () => (await notes())[0]?.text).toBe('Second thought, thanks <@U0TEAMMATE>');
    await h.event(
      { type: 'message', subtype: 'message_deleted', channel: CHANNEL, deleted_ts: ts },
      'Ev0NOTE4',
    );
    await expect.poll(async () => (await notes()).length).toBe(0);

    await h.event(
      {
        type: 'message',
        subtype: 'file_share',
        channel: CHANNEL,
        user: AUTHOR,
        text: '',
        ts: '1795000000.000300',
        thread_ts: top?.ts,
      },
      'Ev0NOTE5',
    );
    await h.event(
      {
        type: 'message',
        channel: CHANNEL,
        user: AUTHOR,
        text: 'Marker',
        ts: '1795000000.000400',
        thread_ts: top?.ts,
      },
      'Ev0NOTE6',
    );
    const kept = async () =>
      (await h.app.database.db.select().from(learningNotes)).map((note) => note.messageTs);
    // The reply after it is saved, so by then the empty one has been seen and passed over.
    await expect.poll(kept).toContain('1795000000.000400');
    expect(await kept()).not.toContain('1795000000.000300');
  });

  it('offers related lessons in the before-action review form once it is open', async () => {
    await h.command('/bar', 'Fix the Saturday reminder for families');
    const opened = await h.slack.waitForCall(
      'views.open',
      (call) => (call.params.view as { callback_id: string }).callback_id === CALLBACKS.barModal,
    );
    expect(blockText(opened.params.view as { blocks: unknown[] })).toContain('Looking for lessons');
    const updated = await h.slack.waitForCall('views.update', (call) =>
      blockText(call.params.view as { blocks: unknown[] }).includes(LESSONS_BLOCK_ID),
    );
    const lessons = blockText(updated.params.view as { blocks: unknown[] });
    expect(lessons).toContain('Related lessons');
    expect(lessons).toContain('Send the reminder sooner');
    // Each reader sees the lesson's date in their own format.
    expect(lessons).toMatch(/\(<!date\^\d+\^\{date_short\}\|\d{1,2} [A-Z][a-z]{2} \d{4}>\)/);
    expect(String(updated.params.view_id)).toMatch(/^V/);
  });
});
