import { and, eq, gte, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import {
  afterActionReviews,
  beforeActionReviews,
  channelSettings,
  learningQuestions,
  rhythms,
} from '../../src/db/schema.js';
import { DRIVERS } from '../support/databases.js';
import { AUTHOR, CHANNEL, TEAM, TEAMMATE, useHarness } from '../support/harness.js';
import { seedSyntheticTeam } from '../support/seed-digest.js';
import { ALL_PLANTS, PEOPLE, syntheticTeam } from '../support/synthetic-team.js';

// Nine weeks of a team's work from early October, all inside October – December 2026.
const team = syntheticTeam({ seed: 4, plants: ALL_PLANTS, start: new Date('2026-10-02T16:00:00Z') });
const SCOPE = { teamId: TEAM, enterpriseId: null };
const QUIET = 'C0QUIET';
const SECRET = 'G0SECRET';
const NO_RHYTHM = 'C0NORHYTHM';
const ADMIN = 'U0ADMIN';
const NEWCOMER = 'U0NEWCOMER';
// The quarter under way on the pinned day, in London, where the channels keep their calendars.
const QUARTER_START = new Date('2026-10-01T00:00:00+01:00');

type Message = { text: string; blocks: { type: string; text?: { text: string } }[] };

describe.each(DRIVERS)('the stewards’ overview of channels (%s)', (driver) => {
  const now = new Date('2026-12-07T10:00:00Z');
  const h = useHarness({ driver, now: () => now });

  async function withRhythm(channelId: string, stewardId: string) {
    const db = h.app.database.db;
    await db.insert(channelSettings).values({
      teamId: TEAM,
      channelId,
      timeZone: 'Europe/London',
      workDays: [1, 2, 3, 4, 5],
      stewardId,
      createdAt: QUARTER_START,
      updatedAt: QUARTER_START,
    });
    await db.insert(rhythms).values({
      teamId: TEAM,
      channelId,
      kind: 'digest',
      enabled: true,
      days: [1],
      localTime: '10:00',
      updatedBy: stewardId,
      createdAt: QUARTER_START,
      updatedAt: QUARTER_START,
    });
  }

  async function counted(table: typeof beforeActionReviews | typeof afterActionReviews) {
    const [row] = await h.app.database.db
      .select({ n: sql<number>`count(*)::int` })
      .from(table)
      .where(and(eq(table.channelId, CHANNEL), gte(table.createdAt, QUARTER_START)));
    return Number(row?.n);
  }

  it('shows a steward each channel with a rhythm, in numbers and links', async () => {
    const db = h.app.database.db;
    h.slack.addChannel({ id: CHANNEL, name: 'team', members: [...PEOPLE, AUTHOR, TEAMMATE] });
    h.slack.addChannel({ id: QUIET, name: 'weekly' });
    h.slack.addChannel({ id: SECRET, name: 'secret', isPrivate: true, members: [TEAMMATE] });
    h.slack.addChannel({ id: NO_RHYTHM, name: 'no-rhythm' });
    for (const message of await seedSyntheticTeam(db, SCOPE, CHANNEL, team)) h.slack.addMessage(message);
    await db.insert(learningQuestions).values({
      teamId: TEAM,
      channelId: CHANNEL,
      text: 'What will it take for families to stay for the whole session?',
      createdBy: AUTHOR,
      createdAt: team.start,
      updatedAt: team.start,
    });
    await withRhythm(CHANNEL, AUTHOR);
    await withRhythm(QUIET, AUTHOR);
    await withRhythm(SECRET, TEAMMATE);
    await h.command('/learning', 'digest post');
    await h.idle();
    const [digest] = h.slack
      .messagesIn(CHANNEL)
      .filter((message) => message.text.startsWith('Weekly learning digest'));
    expect(digest).toBeDefined();
    const opened = await counted(beforeActionReviews);
    const closed = await counted(afterActionReviews);
    const [open] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(beforeActionReviews)
      .where(and(eq(beforeActionReviews.channelId, CHANNEL), eq(beforeActionReviews.status, 'open')));
    expect(opened).toBeGreaterThan(0);
    h.slack.reset();

    await h.command('/learning', 'overview');
    const told = await h.slack.waitForCall('chat.postEphemeral', (call) => call.params.user === AUTHOR);
    const message = told.params as unknown as Message;
    const sections = message.blocks
      .filter((block) => block.type === 'section')
      .map((block) => block.text?.text);
    console.log(
      `/learning overview, as the steward sees it:\n\n${message.blocks.map((block) => block.text?.text ?? JSON.stringify(block)).join('\n\n')}`,
    );
    expect(message.text).toBe('Learning across the workspace: 2 channels with a rhythm.');
    // In the order of their names, #team before #weekly, whatever their ids.
    expect(sections).toHaveLength(2);
    expect(sections[0]).toMatch(
      new RegExp(
        `^\\*<#${CHANNEL}>\\*\\nLoops this quarter: ${opened} opened, ${closed} closed, ${Number(open?.n)} still open · 1 learning question · \\d+(\\.\\d)? voices a week, up from 0 last quarter · last digest <https://[^|]+\\|Weekly learning digest · 30 Nov – 7 Dec, up to 10:00>$`,
      ),
    );
    expect(sections[1]).toBe(
      `*<#${QUIET}>*\nLoops this quarter: 0 opened, 0 closed, 0 still open · 0 learning questions · 0 voices a week, as last quarter · no digest yet`,
    );
    // The private channel the steward is not in is counted, never named; the one without a rhythm is not there.
    const shown = JSON.stringify(message.blocks);
    expect(shown).toContain('1 channel with a rhythm is not shown: private channels you are not in');
    expect(shown).not.toContain(SECRET);
    expect(shown).not.toContain(NO_RHYTHM);
    // Numbers and links only: nothing anyone wrote.
    for (const answer of team.answers.slice(0, 50)) expect(shown).not.toContain(answer.text);
  });

  it('shows a workspace admin the same, private channels they are in included', async () => {
    h.slack.addUser({ id: ADMIN, name: 'admin', realName: 'Ada Admin', isAdmin: true });
    h.slack.addChannel({ id: SECRET, name: 'secret', isPrivate: true, members: [TEAMMATE, ADMIN] });
    await h.command('/learning', 'overview', { userId: ADMIN });
    const told = await h.slack.waitForCall('chat.postEphemeral', (call) => call.params.user === ADMIN);
    const message = told.params as unknown as Message;
    expect(message.text).toBe('Learning across the workspace: 3 channels with a rhythm.');
    expect(JSON.stringify(message.blocks)).toContain(`*<#${SECRET}>*`);
  });

  it('refuses someone who looks after no channel, in plain words', async () => {
    h.slack.addUser({ id: NEWCOMER, name: 'newcomer', realName: 'Nia Newcomer' });
    await h.command('/learning', 'overview', { userId: NEWCOMER, channelId: QUIET });
    const told = await h.slack.waitForCall('chat.postEphemeral', (call) => call.params.user === NEWCOMER);
    expect(told.params.text).toBe(
      'Only channel stewards and workspace admins can see the overview of the workspace’s channels. `/learning stewards` in a channel shows who looks after it.',
    );
    expect(JSON.stringify(told.params)).not.toContain(CHANNEL);
  });
});
