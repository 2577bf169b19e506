import { and, asc, eq, inArray } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import {
  afterActionReviews,
  beforeActionReviews,
  learningQuestions,
  responses,
} from '../../src/db/schema.js';
import { DRIVERS } from '../support/databases.js';
import { AUTHOR, CHANNEL, TEAM, TEAMMATE, useHarness } from '../support/harness.js';
import { seedSyntheticTeam } from '../support/seed-digest.js';
import { ALL_PLANTS, PEOPLE, syntheticTeam } from '../support/synthetic-team.js';

// Nine weeks of a team's work from early October, all inside October – December 2026.
const team = syntheticTeam({ seed: 4, plants: ALL_PLANTS, start: new Date('2026-10-02T16:00:00Z') });
const SCOPE = { teamId: TEAM, enterpriseId: null };

const FAMILIES = 'What will it take for families to stay for the whole session?';
const TUTORS = 'What will it take to keep enough maths tutors for the homework club?';
const VOLUNTEERS = 'What will it take to welcome new volunteers?';
/** Said privately, and not to be quoted: it must never reach a history. */
const UNQUOTABLE = 'Privately: the sessions feel chaotic and nobody says so';

const TITLE = 'Learning history · #team · October – December 2026';

/** The chapter of a history under `heading`, up to the next chapter. */
function chapter(markdown: string, heading: string): string {
  const start = markdown.indexOf(`## ${heading}`);
  expect(start, heading).toBeGreaterThan(-1);
  const next = markdown.indexOf('\n## ', start + 3);
  return markdown.slice(start, next < 0 ? undefined : next);
}

describe.each(DRIVERS)('/learning history shares a quarter’s learning (%s)', (driver) => {
  // Mid-January: the quarter asked for is over.
  const now = new Date('2027-01-12T10:00:00Z');
  const h = useHarness({ driver, now: () => now });

  it('seeds a quarter of the team’s words, with learning questions its reviews and answers served', async () => {
    h.slack.addChannel({ id: CHANNEL, name: 'team', isMember: true, members: [...PEOPLE, AUTHOR, TEAMMATE] });
    const db = h.app.database.db;
    for (const message of await seedSyntheticTeam(db, SCOPE, CHANNEL, team)) h.slack.addMessage(message);
    const questions = await db
      .insert(learningQuestions)
      .values(
        // Set one after another: the history keeps the team's order.
        [FAMILIES, TUTORS, VOLUNTEERS].map((text, index) => {
          const createdAt = new Date(team.start.getTime() + index * 60_000);
          return {
            teamId: TEAM,
            channelId: CHANNEL,
            text,
            createdBy: AUTHOR,
            createdAt,
            updatedAt: createdAt,
          };
        }),
      )
      .returning({ id: learningQuestions.id, text: learningQuestions.text });
    const idOf = (text: string) => questions.find((question) => question.text === text)?.id as string;

    // The weekly sessions served the first question; the homework club the second.
    const reviews = await db.select().from(beforeActionReviews).orderBy(asc(beforeActionReviews.createdAt));
    const sessions = reviews.filter((review) => review.action.includes('community session')).slice(0, 3);
    const club = reviews.filter((review) => review.action.includes('homework club'));
    expect(sessions.length).toBe(3);
    expect(club.length).toBe(1);
    await db
      .update(beforeActionReviews)
      .set({ questionId: idOf(FAMILIES) })
      .where(
        inArray(
          beforeActionReviews.id,
          sessions.map((review) => review.id),
        ),
      );
    await db
      .update(afterActionReviews)
      .set({ questionId: idOf(TUTORS) })
      .where(eq(afterActionReviews.reviewId, club[0]?.id as string));

    // Some thread answers were tagged with the first question, and one private answer not to be quoted.
    const answers = await db.select().from(responses).orderBy(asc(responses.createdAt));
    const inThread = answers.filter((answer) => answer.kind === 'thread').slice(0, 4);
    await db
      .update(responses)
      .set({ questionId: idOf(FAMILIES) })
      .where(
        inArray(
          responses.id,
          inThread.map((answer) => answer.id),
        ),
      );
    const unquotable = answers.find((answer) => answer.kind === 'private' && !answer.quotable);
    expect(unquotable).toBeDefined();
    await db
      .update(responses)
      .set({ questionId: idOf(FAMILIES), text: UNQUOTABLE })
      .where(and(eq(responses.id, unquotable?.id as string)));
  });

  let shared = '';

  it('shares the quarter as a canvas the channel can read, organised by learning question', async () => {
    const response = await h.command('/learning', 'history 2026-Q4');
    expect(response.status).toBe(200);
    expect((response.json() as { text: string }).text).toBe(
      `Putting together the learning history of <#${CHANNEL}> for October – December 2026…`,
    );
    const told = await h.slack.waitForCall(
      'chat.postEphemeral',
      (call) => call.params.user === AUTHOR && String(call.params.text).includes('is a canvas'),
    );
    await h.idle();

    const made = h.slack.canvases().filter((canvas) => !canvas.deleted);
    expect(made).toHaveLength(1);
    const canvas = made[0] as (typeof made)[number];
    expect(canvas.title).toBe(TITLE);
    expect(canvas.access.channels).toEqual({ [CHANNEL]: 'read' });
    // A canvas is read at the workspace's address, /docs/<team>/<canvas>: the link opens it.
    const link = /<(https:\/\/[a-z0-9-]+\.slack\.com\/docs\/[A-Z0-9]+\/[A-Z0-9]+)\|/.exec(
      String(told.params.text),
    );
    expect(link?.[1]).toMatch(new RegExp(`/docs/${TEAM}/${canvas.id}$`));
    expect(told.params.text).toBe(
      `The learning history of <#${CHANNEL}> for October – December 2026 is a canvas shared with the channel: <${link?.[1]}|${TITLE}>.`,
    );

    shared = h.slack.canvasMarkdown(canvas.id);
    console.log(`The learning history as the channel reads it:\n\n${shared}`);

    const headings = shared.split('\n').filter((line) => /^#{1,2} /.test(line));
    expect(headings).toEqual([
      '# Learning history of #team',
      `## ${FAMILIES}`,
      `## ${TUTORS}`,
      `## ${VOLUNTEERS}`,
      '## Beyond the questions',
    ]);

    // People's words beside what the team made of them, under the question they served.
    const families = chapter(shared, FAMILIES);
    expect(families).toContain('### What people said');
    expect(families).toMatch(/^> “.+” \(\[where it was said\]\(https:\/\/.+\)\)$/m);
    expect(families).toContain('### What the team made of it');
    expect(families).toMatch(/^- \*\*Partly borne out:\*\* \[If we send a reminder the day before/m);
    expect(families).toContain('  - Changing: Send the reminder sooner.');

    const tutors = chapter(shared, TUTORS);
    expect(tutors).toMatch(
      /^- \*\*Not borne out:\*\* \[If we open on Thursdays, then we expect ten children will come each week/m,
    );

    expect(chapter(shared, VOLUNTEERS)).toContain('Nothing was tagged with this question in this period');

    // The sessions no question served, and the challenge that kept coming back, are kept apart.
    const beyond = chapter(shared, 'Beyond the questions');
    expect(beyond).toContain('### Other hypotheses looked back on');
    expect(beyond).toMatch(/\*\*(Still circling|Advancing):\*\* .*parking/i);

    // Never a name, never an id, never words that were not to be quoted.
    expect(shared).not.toContain(UNQUOTABLE);
    for (const person of [...PEOPLE, AUTHOR, TEAMMATE, 'Ada Author', 'Tomás'])
      expect(shared).not.toContain(person);
  });

  it('puts the same history in the channel as a Markdown file where Slack refuses canvases', async () => {
    h.slack.setCanvasPlan('free');
    const before = h.slack.canvases().length;
    const response = await h.command('/learning', 'history 2026-Q4');
    expect(response.status).toBe(200);
    const told = await h.slack.waitForCall(
      'chat.postEphemeral',
      (call) => call.params.user === AUTHOR && String(call.params.text).includes('Markdown file'),
    );
    await h.idle();
    expect(told.params.text).toBe(
      `This workspace’s Slack plan doesn’t let apps make canvases, so the learning history of <#${CHANNEL}> for October – December 2026 is in the channel as a Markdown file instead.`,
    );
    expect(h.slack.canvases().length).toBe(before);
    const files = h.slack.uploadedFiles().filter((file) => file.filename.startsWith('learning-history-'));
    expect(files).toHaveLength(1);
    const file = files[0] as (typeof files)[number];
    expect(file).toMatchObject({
      filename: 'learning-history-team-2026-10-01-to-2026-12-31.md',
      title: TITLE,
      completed: true,
      channelId: CHANNEL,
    });
    expect(file.bytes.toString('utf8').trim()).toBe(shared.trim());
    expect(h.slack.callsTo('chat.postEphemeral').filter((call) => call.params.user === AUTHOR)).toHaveLength(
      1,
    );
  });

  it('posts nothing in the channel when Slack fails for a moment, and asks the person to try again', async () => {
    h.slack.setCanvasPlan('paid');
    const filesBefore = h.slack.uploadedFiles().length;
    const canvasesBefore = h.slack.canvases().length;
    h.slack.failNext('canvases.create', { kind: 'server_error', status: 503 });
    await h.command('/learning', 'history 2026-Q4');
    const told = await h.slack.waitForCall(
      'chat.postEphemeral',
      (call) => call.params.user === AUTHOR && String(call.params.text).includes('try'),
    );
    await h.idle();
    expect(told.params.text).toBe(
      'The learning history could not be shared just now. Please try `/learning history` again in a minute.',
    );
    expect(h.slack.uploadedFiles()).toHaveLength(filesBefore);
    expect(h.slack.canvases()).toHaveLength(canvasesBefore);
  });

  it('covers only the days asked for, across the quarters they touch', async () => {
    h.slack.setCanvasPlan('paid');
    const response = await h.command('/learning', 'history 2026-11-15 2027-01-10');
    expect(response.status).toBe(200);
    await h.slack.waitForCall('chat.postEphemeral', (call) =>
      String(call.params.text).includes('is a canvas'),
    );
    await h.idle();
    const latest = h.slack.canvases().at(-1);
    expect(latest?.title).toBe('Learning history · #team · 15 November 2026 to 10 January 2027');
    const markdown = h.slack.canvasMarkdown(latest?.id as string);
    // The homework club was looked back on in late November; the sessions' verdicts came in October.
    expect(chapter(markdown, TUTORS)).toContain('**Not borne out:**');
    expect(chapter(markdown, FAMILIES)).not.toContain('Partly borne out');
  });

  it('says back a period it cannot read, with what works, and shares nothing', async () => {
    const response = await h.command('/learning', 'history next spring');
    expect(response.status).toBe(200);
    const answer = (response.json() as { text: string }).text;
    expect(answer).toMatch(
      /^I couldn’t read “\/learning history next spring”: that is not two dates written as YYYY-MM-DD\. Try /,
    );
    expect(answer).toContain('`/learning history last quarter`');
    await h.idle();
    expect(h.slack.callsTo('canvases.create')).toEqual([]);
    expect(h.slack.callsTo('files.getUploadURLExternal')).toEqual([]);
  });
});
