import { describe, expect, it } from 'vitest';
import { digestItemVotes, digests } from '../../src/db/schema.js';
import { ACTIONS } from '../../src/slack/ids.js';
import { parseFeedbackValue } from '../../src/slack/views/digest-feedback.js';
import { csvObjects } from '../support/csv.js';
import { DRIVERS } from '../support/databases.js';
import { DIGEST_ONLY, rhythmStateValues } from '../support/factories.js';
import type { RecordedCall, StoredMessage } from '../support/fake-slack.js';
import { AUTHOR, CHANNEL, TEAM, TEAMMATE, useHarness } from '../support/harness.js';
import { seedSyntheticTeam } from '../support/seed-digest.js';
import { type Actor, buttonPayload } from '../support/slack-requests.js';
import { ALL_PLANTS, PEOPLE, syntheticTeam } from '../support/synthetic-team.js';

// Nine weeks of a team's answers ending at the digest slot on Friday 27 November, 16:00 London.
const team = syntheticTeam({ seed: 1, plants: ALL_PLANTS, start: new Date('2026-09-25T16:00:00Z') });
const SLOT = team.digestAt(9);

const OTHER_TEAM = 'T0OTHERTEAM';
const ADMIN = 'U0ADMIN';

interface Button {
  action_id: string;
  value: string;
}

/** The two buttons under each item of a details message, in the order the items appear. */
function itemButtons(details: StoredMessage): Array<{ useful: Button; notUseful: Button }> {
  return ((details.blocks ?? []) as Array<{ type: string; elements?: Button[] }>)
    .filter((block) => block.type === 'actions')
    .map((block) => {
      const [useful, notUseful] = block.elements as [Button, Button];
      return { useful, notUseful };
    });
}

describe.each(DRIVERS)('whether a digest helped, end to end (%s)', (driver) => {
  let now = new Date('2026-11-21T10:00:00Z');
  const h = useHarness({ driver, now: () => now });
  const db = () => h.app.database.db;
  const teammate: Partial<Actor> = { userId: TEAMMATE };

  let details: StoredMessage;
  let buttons: Array<{ useful: Button; notUseful: Button }>;

  const votes = async () =>
    (await db().select().from(digestItemVotes)).map((row) => ({
      teamId: row.teamId,
      digestId: row.digestId,
      itemKey: row.itemKey,
      userId: row.userId,
      vote: row.vote,
    }));
  const thanksTo = (userId: string, matches: (text: string) => boolean) =>
    h.slack.waitForCall(
      'chat.postEphemeral',
      (call) => call.params.user === userId && matches(String(call.params.text)),
    );
  /** A click on the details message in the digest's thread, with the message as Slack sends it along. */
  const click = (button: Button, actor: Partial<Actor>) =>
    h.interact({
      ...buttonPayload({ ...h.actor, ...actor }, button, { channelId: CHANNEL, messageTs: details.ts }),
      message: { type: 'message', ts: details.ts, thread_ts: details.thread_ts, blocks: details.blocks },
    });

  it('posts a digest whose every item in the thread carries Useful and Not useful', async () => {
    h.slack.addChannel({ id: CHANNEL, name: 'team', isMember: true, members: [...PEOPLE, AUTHOR, TEAMMATE] });
    await h.command('/learning', 'rhythm');
    const modal = await h.slack.waitForCall('views.open');
    const view = modal.params.view as { callback_id: string; private_metadata: string };
    await h.submitView({ ...view, id: 'V0RHYTHMS' }, rhythmStateValues(DIGEST_ONLY));
    for (const message of await seedSyntheticTeam(db(), { teamId: TEAM, enterpriseId: null }, CHANNEL, team))
      h.slack.addMessage(message);

    now = new Date(SLOT.getTime() + 30_000);
    await h.app.scheduler.tick();
    await h.app.scheduler.tick();
    const [digest] = await db().select().from(digests);
    expect(digest?.status).toBe('posted');
    details = h.slack
      .messagesIn(CHANNEL)
      .find(
        (message) => message.thread_ts === digest?.messageTs && message.text.startsWith('Digest details'),
      ) as StoredMessage;
    expect(details).toBeDefined();

    buttons = itemButtons(details);
    const keys = buttons.map(({ useful, notUseful }) => {
      expect(useful).toMatchObject({ action_id: ACTIONS.digestItemUseful, text: { text: 'Useful' } });
      expect(notUseful).toMatchObject({
        action_id: ACTIONS.digestItemNotUseful,
        text: { text: 'Not useful' },
      });
      expect(notUseful.value).toBe(useful.value);
      const named = parseFeedbackValue(useful.value);
      expect(named?.digestId).toBe(digest?.id);
      return named?.itemKey;
    });
    expect(keys).toContain('voices');
    expect(keys.some((key) => key?.startsWith('theme:'))).toBe(true);
    expect(keys.some((key) => key?.startsWith('hypothesis:'))).toBe(true);
    expect(keys.some((key) => key?.startsWith('surprise:'))).toBe(true);
    expect(new Set(keys).size).toBe(keys.length);
    expect(details.blocks?.length).toBeLessThanOrEqual(50);
  });

  it('counts one vote per person per item: the other button changes it, the same one keeps it', async () => {
    const [first, second] = buttons as [(typeof buttons)[number], (typeof buttons)[number]];
    const firstKey = parseFeedbackValue(first.useful.value)?.itemKey as string;

    await click(first.useful, teammate);
    await thanksTo(TEAMMATE, (text) => text.startsWith('Thanks') && text.includes('counted as useful'));
    expect(await votes()).toMatchObject([
      { teamId: TEAM, itemKey: firstKey, userId: TEAMMATE, vote: 'useful' },
    ]);

    await click(first.useful, teammate);
    await thanksTo(TEAMMATE, (text) => text.includes('already said') && text.includes('nothing changed'));
    expect(await votes()).toHaveLength(1);

    await click(first.notUseful, teammate);
    const changed = await thanksTo(TEAMMATE, (text) => text.includes('now counted as not useful'));
    // The note shows in the thread the person clicked in, and only to them.
    expect(changed.params).toMatchObject({ channel: CHANNEL, user: TEAMMATE, thread_ts: details.thread_ts });
    expect(await votes()).toMatchObject([{ itemKey: firstKey, userId: TEAMMATE, vote: 'not_useful' }]);

    await click(first.useful, { userId: AUTHOR });
    await click(second.useful, { userId: AUTHOR });
    await expect
      .poll(() => h.slack.callsTo('chat.postEphemeral').filter((call) => call.params.user === AUTHOR).length)
      .toBe(2);
    const stored = await votes();
    expect(stored).toHaveLength(3);
    const people = stored.map((row) => `${row.userId} ${row.itemKey}`);
    expect(new Set(people).size).toBe(people.length);
    expect(
      stored
        .filter((row) => row.itemKey === firstKey)
        .map((row) => row.vote)
        .sort(),
    ).toEqual(['not_useful', 'useful']);
    // Nothing in the channel says who voted, or how many did.
    const shared = h.slack.callsTo('chat.postMessage').concat(h.slack.callsTo('chat.update'));
    expect(JSON.stringify(shared.map((call: RecordedCall) => call.params))).not.toContain(TEAMMATE);
  });

  it('refuses quietly a click naming another workspace’s digest, or an item the details never carried', async () => {
    const [theirs] = await db()
      .insert(digests)
      .values({
        teamId: OTHER_TEAM,
        channelId: 'C0ELSEWHERE',
        weekKey: '2026-W48',
        windowStart: new Date(SLOT.getTime() - 7 * 86_400_000),
        windowEnd: SLOT,
        status: 'posted',
        messageTs: '1795000000.000900',
      })
      .returning({ id: digests.id });
    const before = await votes();
    const refusals = () => h.logs.lines.filter((line) => line.includes('digest vote refused')).length;
    const forged = [
      { actor: teammate, value: `${theirs?.id}|voices` },
      // Claiming to be in the other workspace changes nothing: the scope is the one that authorised the request.
      { actor: { ...teammate, teamId: OTHER_TEAM }, value: `${theirs?.id}|voices` },
      { actor: teammate, value: `${(buttons[0] as { useful: Button }).useful.value.split('|')[0]}|nonsense` },
      { actor: teammate, value: 'not-a-digest|voices' },
    ];
    for (const [index, { actor, value }] of forged.entries()) {
      await click({ action_id: ACTIONS.digestItemUseful, value }, actor);
      await expect.poll(refusals).toBe(index + 1);
    }
    await h.idle();
    expect(await votes()).toEqual(before);
    expect(h.slack.callsTo('chat.postEphemeral')).toEqual([]);
  });

  it('shows in the private preview how the last digest was received', async () => {
    await h.command('/learning', 'digest');
    const updated = await h.slack.waitForCall('views.update');
    const preview = JSON.stringify((updated.params.view as { blocks: unknown[] }).blocks);
    expect(preview).toContain('*Last digest:* 2 votes “useful”, 1 “not useful”.');
    expect(preview).not.toContain(TEAMMATE);
    expect(
      itemButtons({ blocks: (updated.params.view as { blocks: unknown[] }).blocks } as StoredMessage),
    ).toEqual([]);
  });

  it('exports the counts per item, with nobody’s id', async () => {
    h.slack.addUser({ id: ADMIN, name: 'ana', isAdmin: true });
    await h.command('/learning', 'export', { userId: ADMIN });
    await h.slack.waitForCall('chat.postEphemeral', (call) =>
      String(call.params.text).includes('in your direct messages'),
    );
    const csv = h.slack
      .uploadedFiles()
      .find((file) => file.filename.endsWith('.csv'))
      ?.bytes.toString('utf8') as string;
    const rows = csvObjects(csv).filter((row) => row.kind === 'digest_item');
    const [digest] = (await db().select().from(digests)).filter((row) => row.teamId === TEAM);
    const firstKey = parseFeedbackValue((buttons[0] as { useful: Button }).useful.value)?.itemKey;
    expect(rows.find((row) => row.id === firstKey)).toMatchObject({
      related_id: digest?.id,
      useful: '1',
      not_useful: '1',
      author: '',
    });
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(Object.values(row).join(' ')).not.toContain(TEAMMATE);
      expect(Object.values(row).join(' ')).not.toContain(AUTHOR);
    }
  });

  it('forgets a person’s votes with the rest of what they wrote, and counts them', async () => {
    const response = await h.command('/learning', 'forget-me', { ...teammate, channelId: 'D0TEAMMATE' });
    const reply = response.json() as { blocks: Array<{ elements?: Button[] }> };
    expect(JSON.stringify(reply.blocks)).toContain('1 vote on whether a digest’s items were useful');
    const confirmation = reply.blocks
      .flatMap((block) => block.elements ?? [])
      .find((element) => element.action_id === ACTIONS.forgetMe)?.value as string;

    await h.clickButton(
      { action_id: ACTIONS.forgetMe, value: confirmation },
      { channelId: 'D0TEAMMATE' },
      teammate,
    );
    // Told in the direct message the command came from, or by the app's own DM.
    const toTeammate = (call: RecordedCall) =>
      (call.method === 'chat.postEphemeral' && call.params.user === TEAMMATE) ||
      (call.method === 'chat.postMessage' && call.params.channel === TEAMMATE);
    await expect
      .poll(() =>
        h.slack.calls.find((call) => toTeammate(call) && String(call.params.text).startsWith('Done.')),
      )
      .toBeTruthy();
    const done = h.slack.calls.find(
      (call) => toTeammate(call) && String(call.params.text).startsWith('Done.'),
    ) as RecordedCall;
    expect(JSON.stringify(done.params.blocks)).toContain('1 vote on whether a digest’s items were useful');
    const left = await votes();
    expect(left.map((row) => row.userId)).toEqual([AUTHOR, AUTHOR]);
  });
});
