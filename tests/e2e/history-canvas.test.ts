import { WebClient } from '@slack/web-api';
import { eq, like } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import {
  beforeActionReviews,
  digests,
  historyCanvases,
  learningQuestions,
  occurrences,
} from '../../src/db/schema.js';
import { ACTIONS } from '../../src/slack/ids.js';
import { DRIVERS } from '../support/databases.js';
import { AUTHOR, BOT_TOKEN, CHANNEL, TEAM, TEAMMATE, useHarness } from '../support/harness.js';
import { seedSyntheticTeam } from '../support/seed-digest.js';
import { ALL_PLANTS, PEOPLE, syntheticTeam } from '../support/synthetic-team.js';

// Nine weeks of a team's work from early October, all inside October – December 2026.
const team = syntheticTeam({ seed: 4, plants: ALL_PLANTS, start: new Date('2026-10-02T16:00:00Z') });
const SCOPE = { teamId: TEAM, enterpriseId: null };
const QUESTION = 'What will it take for families to stay for the whole session?';
const QUARTER = '## October – December 2026';
const QUESTIONS = '## The learning questions we are working on';
const OWN_SECTION = '## Our own notes\n\nWe meet on Thursdays, and Ada brings the biscuits.';

/** The part of a canvas under `header`, up to the next header of its level or higher. */
function sectionOf(markdown: string, header: string): string {
  const start = markdown.indexOf(`${header}\n`);
  expect(start, header).toBeGreaterThan(-1);
  const rest = markdown.slice(start + header.length);
  const next = rest.search(/\n#{1,2} /);
  return markdown.slice(start, next < 0 ? undefined : start + header.length + next).trimEnd();
}

async function seedQuarter(h: ReturnType<typeof useHarness>, channel: { id: string; name: string }) {
  h.slack.addChannel({ ...channel, isMember: true, members: [...PEOPLE, AUTHOR, TEAMMATE] });
  const db = h.app.database.db;
  for (const message of await seedSyntheticTeam(db, SCOPE, channel.id, team)) h.slack.addMessage(message);
  await db.insert(learningQuestions).values({
    teamId: TEAM,
    channelId: channel.id,
    text: QUESTION,
    createdBy: AUTHOR,
    createdAt: team.start,
    updatedAt: team.start,
  });
}

describe.each(DRIVERS)('the channel’s learning history canvas (%s)', (driver) => {
  // Monday 7 December 2026, late in the quarter the team has been working in.
  let now = new Date('2026-12-07T10:00:00Z');
  const h = useHarness({ driver, now: () => now });

  it('is made when a steward turns it on: the learning questions, then the quarter', async () => {
    await seedQuarter(h, { id: CHANNEL, name: 'team' });
    const response = await h.command('/learning', 'canvas');
    expect(response.status).toBe(200);
    const told = await h.slack.waitForCall('chat.postEphemeral', (call) => call.params.user === AUTHOR);
    expect(told.params.text).toBe(
      `Making <#${CHANNEL}>’s learning history canvas now. It opens with the channel’s learning questions, then has a section for each quarter: hypotheses and verdicts, what changed as a result, challenges, themes and learning notes. After each digest I rewrite only the current quarter’s section, so whatever people add elsewhere in the canvas stays. \`/learning canvas off\` stops it.`,
    );
    await h.idle();

    const canvasId = h.slack.channelCanvasId(CHANNEL);
    expect(canvasId).toBeDefined();
    const [summary] = h.slack.canvases().filter((canvas) => canvas.id === canvasId);
    expect(summary?.title).toBe('Learning history');
    const markdown = h.slack.canvasMarkdown(canvasId as string);
    console.log(`The channel's learning history canvas:\n\n${markdown}`);
    expect(markdown.split('\n').filter((line) => /^#{1,2} /.test(line))).toEqual([
      '# Learning history of #team',
      QUESTIONS,
      QUARTER,
    ]);
    expect(sectionOf(markdown, QUESTIONS)).toContain(QUESTION);
    const [row] = await h.app.database.db.select().from(historyCanvases);
    expect(row).toMatchObject({ channelId: CHANNEL, canvasId, turnedOnBy: AUTHOR, refusedError: null });
  });

  it('after a digest, rewrites only the questions and the quarter, one change per call, keeps what people added and drops a duplicate', async () => {
    const canvasId = h.slack.channelCanvasId(CHANNEL) as string;
    // Someone adds their own section, and the quarter's section has gone stale.
    const before = h.slack.canvasMarkdown(canvasId);
    const stale = before.replace(
      sectionOf(before, QUARTER),
      `${QUARTER}\n\nStale words the digest replaces.`,
    );
    // And a second copy of it, as two writers that both found it missing would leave.
    const copy = `${QUARTER}\n\nA second copy a racing writer added.`;
    h.slack.setCanvasMarkdown(canvasId, `${stale.trimEnd()}\n\n${OWN_SECTION}\n\n${copy}\n`);
    const editsBefore = h.slack.callsTo('canvases.edit').length;

    await h.command('/learning', 'digest post');
    await h.idle();

    const edits = h.slack.callsTo('canvases.edit').slice(editsBefore);
    expect(
      edits.map((call) => (call.params.changes as { operation: string }[]).map((c) => c.operation)),
    ).toEqual([['replace'], ['replace'], ['delete']]);
    const after = h.slack.canvasMarkdown(canvasId);
    console.log(`The canvas after the digest:\n\n${after}`);
    expect(after).not.toContain('Stale words');
    expect(after).not.toContain('racing writer');
    expect(after).toContain(OWN_SECTION);
    expect(sectionOf(after, QUARTER)).toBe(sectionOf(before, QUARTER));
    expect(after.match(/^## October – December 2026$/gm)).toHaveLength(1);
    // Exactly once: the digest's one effect, settled.
    const written = await h.app.database.db
      .select()
      .from(occurrences)
      .where(eq(occurrences.kind, 'history_canvas'));
    expect(written.map((row) => row.status)).toEqual(['posted', 'posted']);
  });

  it('stops when people delete the canvas, and tells the steward once', async () => {
    const canvasId = h.slack.channelCanvasId(CHANNEL) as string;
    // Someone in the channel deletes it.
    const person = new WebClient(BOT_TOKEN, { slackApiUrl: h.slack.url, retryConfig: { retries: 0 } });
    await person.canvases.delete({ canvas_id: canvasId });
    // A week on, the next digest.
    now = new Date('2026-12-14T10:00:00Z');
    await h.command('/learning', 'digest post');
    await h.idle();
    const dms = h.slack.messagesIn(AUTHOR).filter((message) => message.text.includes('was deleted'));
    expect(dms.map((message) => message.text)).toEqual([
      `The learning history canvas of <#${CHANNEL}> was deleted, so I’ve stopped updating it. \`/learning canvas\` in the channel makes a new one.`,
    ]);
    const [row] = await h.app.database.db.select().from(historyCanvases);
    expect(row?.turnedOffAt).not.toBeNull();
    expect(row?.canvasId).toBeNull();
  });
});

describe.each(DRIVERS)('a forgotten person in the learning history canvas (%s)', (driver) => {
  const h = useHarness({ driver, now: () => new Date('2026-12-07T10:00:00Z') });

  it('takes a forgotten person’s words out of every quarter, not only the digest’s', async () => {
    await seedQuarter(h, { id: CHANNEL, name: 'team' });
    await h.command('/learning', 'canvas');
    await h.idle();
    const canvasId = h.slack.channelCanvasId(CHANNEL) as string;
    // Someone adds their own section, which the rewrite leaves alone.
    h.slack.setCanvasMarkdown(canvasId, `${h.slack.canvasMarkdown(canvasId).trimEnd()}\n\n${OWN_SECTION}\n`);
    const words = 'If we open on Thursdays';
    expect(h.slack.canvasMarkdown(canvasId)).toContain(words);
    const [theirs] = await h.app.database.db
      .select()
      .from(beforeActionReviews)
      .where(like(beforeActionReviews.hypothesisIf, '%open on Thursdays%'));
    const author = { userId: theirs?.authorId as string, channelId: `D${theirs?.authorId}` };
    const asked = await h.command('/learning', 'forget-me', author);
    const button = (
      asked.json() as { blocks: Array<{ elements?: Array<{ action_id?: string; value?: string }> }> }
    ).blocks
      .flatMap((block) => block.elements ?? [])
      .find((element) => element.action_id === ACTIONS.forgetMe);
    await h.clickButton(
      { action_id: ACTIONS.forgetMe, value: button?.value as string },
      { channelId: author.channelId },
      author,
    );
    await h.idle();
    expect(h.slack.canvasMarkdown(canvasId)).not.toContain(words);
    expect(h.slack.canvasMarkdown(canvasId)).toContain(OWN_SECTION);
  });
});

describe.each(DRIVERS)('the learning history where Slack refuses canvases (%s)', (driver) => {
  const h = useHarness({ driver, now: () => new Date('2026-12-07T10:00:00Z') });

  it('says so once to the steward and shares the same document as a Markdown file, then one in each digest’s thread', async () => {
    await seedQuarter(h, { id: CHANNEL, name: 'team' });
    h.slack.setCanvasPlan('free');
    await h.command('/learning', 'canvas');
    await h.idle();

    expect(h.slack.channelCanvasId(CHANNEL)).toBeUndefined();
    const told = h.slack
      .messagesIn(AUTHOR)
      .filter((message) => message.text.includes('learning history canvas'));
    expect(told.map((message) => message.text)).toEqual([
      `I couldn’t make a learning history canvas in <#${CHANNEL}>. This workspace’s Slack plan doesn’t let apps make canvases. Instead, I’m sharing the learning history in the channel as a Markdown file, and I’ll share an updated one in the thread of each digest. Once that changes, \`/learning canvas\` in the channel tries the canvas again.`,
    ]);
    const files = h.slack.uploadedFiles().filter((file) => file.channelId === CHANNEL && file.completed);
    expect(files).toHaveLength(1);
    const file = files[0] as (typeof files)[number];
    expect(file.filename).toBe('learning-history-2026-12-07.md');
    expect(file.threadTs).toBeUndefined();
    const document = file.bytes.toString('utf8');
    console.log(`The learning history as a Markdown file:\n\n${document}`);
    expect(document.split('\n').filter((line) => /^#{1,2} /.test(line))).toEqual([
      '# Learning history of #team',
      QUESTIONS,
      QUARTER,
    ]);
    const shared = h.slack.messagesIn(CHANNEL).find((message) => message.ts === file.messageTs);
    expect(shared?.text).toBe(
      `Canvases aren’t available here, so this is <#${CHANNEL}>’s learning history as a Markdown file. An updated one follows each digest, in its thread.`,
    );
    const [row] = await h.app.database.db.select().from(historyCanvases);
    expect(row?.refusedError).toBe('team_tier_cannot_create_channel_canvases');

    await h.command('/learning', 'digest post');
    await h.idle();
    const [digest] = await h.app.database.db.select().from(digests);
    const inThread = h.slack
      .uploadedFiles()
      .filter((candidate) => candidate.completed && candidate.filename.startsWith('learning-history'));
    expect(inThread).toHaveLength(2);
    expect(inThread[1]?.threadTs).toBeDefined();
    expect(inThread[1]?.threadTs).toBe(digest?.messageTs);
    expect(inThread[1]?.bytes.toString('utf8')).toBe(document);
    // Told once: the digest brought no second note.
    expect(h.slack.messagesIn(AUTHOR).filter((message) => message.text.includes('canvas'))).toHaveLength(1);
  });
});
