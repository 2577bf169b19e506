import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { afterActionReviews, lessonSharing, perspectives } from '../../src/db/schema.js';
import { CALLBACKS } from '../../src/slack/ids.js';
import { LESSONS_BLOCK_ID } from '../../src/slack/views/bar-modal.js';
import { DRIVERS } from '../support/databases.js';
import { AUTHOR, CHANNEL, TEAM, TEAMMATE, useHarness } from '../support/harness.js';

const DAY_MS = 86_400_000;
const SHARED = 'C0OUTREACH';
const PRIVATE = 'G0BOARD';
const ELSEWHERE = { teamId: 'T0ELSEWHERE', channelId: 'C0ELSEWHERE' };

interface Lesson {
  teamId?: string;
  channelId: string;
  intended: string;
  change: string;
  sustain?: string;
  daysAgo: number;
}

/** The text of the form's lessons block, as the person reads it. */
function lessonsBlockOf(view: unknown): string {
  const blocks = (
    view as { blocks: { block_id?: string; text?: { text: string }; elements?: { text: string }[] }[] }
  ).blocks;
  const block = blocks.find((candidate) => candidate.block_id === LESSONS_BLOCK_ID);
  expect(block, 'the lessons block').toBeDefined();
  return block?.text?.text ?? block?.elements?.map((element) => element.text).join('\n') ?? '';
}

describe.each(DRIVERS)('lessons across channels, by consent (%s)', (driver) => {
  const now = new Date('2026-12-07T10:00:00Z');
  const h = useHarness({ driver, now: () => now });
  const ago = (days: number) => new Date(now.getTime() - days * DAY_MS);

  async function seedLesson(lesson: Lesson): Promise<string> {
    const [row] = await h.app.database.db
      .insert(afterActionReviews)
      .values({
        teamId: lesson.teamId ?? TEAM,
        channelId: lesson.channelId,
        authorId: lesson.teamId ? 'U0ELSEWHERE' : AUTHOR,
        intended: lesson.intended,
        whatHappened: 'It went as it went.',
        whyDifferent: '',
        sustain: lesson.sustain ?? '',
        change: lesson.change,
        sourceViewId: `V0SEED${lesson.channelId}${lesson.daysAgo}`,
        createdAt: ago(lesson.daysAgo),
        updatedAt: ago(lesson.daysAgo),
      })
      .returning({ id: afterActionReviews.id });
    return row?.id as string;
  }

  /** Opens the before-action review form as `user` in `channelId` and returns its lessons, once found. */
  async function lessonsOffered(
    action: string,
    actor: { userId: string; channelId: string },
  ): Promise<string> {
    const before = h.slack.callsTo('views.update').length;
    await h.command('/bar', action, actor);
    await h.slack.waitForCall(
      'views.open',
      (call) => (call.params.view as { callback_id: string }).callback_id === CALLBACKS.barModal,
    );
    await h.idle();
    const updates = h.slack.callsTo('views.update').slice(before);
    expect(updates).toHaveLength(1);
    return lessonsBlockOf(updates[0]?.params.view);
  }

  it('offers a lesson from a channel that shares its lessons, labelled with its channel and date', async () => {
    h.slack.addChannel({ id: SHARED, name: 'outreach', members: [AUTHOR, TEAMMATE] });
    h.slack.addChannel({ id: PRIVATE, name: 'board', isPrivate: true, members: [TEAMMATE] });
    const outreachAar = await seedLesson({
      channelId: SHARED,
      intended: 'Volunteer hiring drive',
      change: 'Start hiring earlier',
      sustain: 'Word of mouth works',
      daysAgo: 20,
    });
    await seedLesson({
      channelId: SHARED,
      intended: 'Repair the minibus',
      change: 'Book the garage in advance',
      daysAgo: 2,
    });
    await seedLesson({
      channelId: CHANNEL,
      intended: 'Send the Saturday reminder',
      change: 'Send the reminder sooner',
      daysAgo: 5,
    });
    await seedLesson({
      channelId: PRIVATE,
      intended: 'Driver recruitment evening',
      change: 'Ask drivers to bring a friend',
      daysAgo: 9,
    });
    await seedLesson({
      ...ELSEWHERE,
      intended: 'Recruitment drive for drivers',
      change: 'Pay mileage up front',
      daysAgo: 3,
    });
    // What someone said anonymously about the shared review never leaves it.
    await h.app.database.db.insert(perspectives).values({
      teamId: TEAM,
      channelId: SHARED,
      target: 'after',
      afterActionReviewId: outreachAar,
      userId: null,
      answers: { change: 'Recruit drivers through the anonymous hiring grapevine' },
    });
    await h.app.database.db.insert(lessonSharing).values([
      { teamId: TEAM, channelId: PRIVATE, sharedBy: TEAMMATE, sharedAt: ago(30) },
      { ...ELSEWHERE, sharedBy: 'U0ELSEWHERE', sharedAt: ago(30) },
    ]);

    // Before outreach shares its lessons, a form in #team offers none of them.
    const unshared = await lessonsOffered('Run a recruitment drive for new drivers', {
      userId: AUTHOR,
      channelId: CHANNEL,
    });
    expect(unshared).not.toContain('hiring');

    await h.command('/learning', 'lessons share', { channelId: SHARED });
    const told = await h.slack.waitForCall('chat.postEphemeral', (call) => call.params.channel === SHARED);
    expect(told.params.text).toBe(
      `<#${SHARED}> now shares its lessons with the workspace. Its after-action reviews’ lessons are offered in the before-action review forms of other channels in this workspace, labelled with this channel and the date. Only what after-action reviews say is shared; anonymous answers never are. \`/learning lessons private\` stops it.`,
    );

    const lessons = await lessonsOffered('Run a recruitment drive for new drivers', {
      userId: AUTHOR,
      channelId: CHANNEL,
    });
    console.log(`The before-action review form's lessons, in #team:\n\n${lessons}`);
    expect(lessons.split('\n')[0]).toBe(
      '*Related lessons from after-action reviews here and in channels that share theirs*',
    );
    expect(lessons).toMatch(
      /^• _Volunteer hiring drive_ \(#outreach · <!date\^\d+\^\{date_short\}\|17 Nov 2026>\): change Start hiring earlier; keep Word of mouth works$/m,
    );
    // Ranked by meaning: the minibus, though more recent, is not about recruiting.
    expect(lessons).not.toContain('minibus');
    // Never a private channel the person is not in, another workspace, or anything anonymous.
    expect(lessons).not.toContain('friend');
    expect(lessons).not.toContain('#board');
    expect(lessons).not.toContain('mileage');
    expect(lessons).not.toContain('grapevine');
  });

  it('offers a private channel’s shared lessons to its members only', async () => {
    const lessons = await lessonsOffered('Run a recruitment drive for new drivers', {
      userId: TEAMMATE,
      channelId: CHANNEL,
    });
    expect(lessons).toContain('_Driver recruitment evening_ (#board · ');
    expect(lessons).toContain('_Volunteer hiring drive_ (#outreach · ');
    expect(lessons).not.toContain('mileage');
  });

  it('says whether a channel shares its lessons, and tells others whom to ask', async () => {
    await h.command('/learning', 'lessons', { userId: TEAMMATE, channelId: SHARED });
    const state = await h.slack.waitForCall('chat.postEphemeral', (call) => call.params.user === TEAMMATE);
    expect(state.params.text).toMatch(
      new RegExp(
        `^<#${SHARED}> shares its lessons with the workspace \\(since <!date\\^\\d+\\^\\{date_short\\}\\|7 Dec 2026> by <@${AUTHOR}>\\)\\. `,
      ),
    );
    h.slack.reset();

    await h.command('/learning', 'lessons private', { userId: TEAMMATE, channelId: SHARED });
    const refused = await h.slack.waitForCall('chat.postEphemeral', (call) => call.params.user === TEAMMATE);
    expect(refused.params.text).toBe(
      `Only <#${SHARED}>’s stewards can change whether its lessons are shared with the workspace. Its steward is <@${AUTHOR}>; workspace admins and owners can too. If something here should change, ask one of them. They can also add you as a steward with \`/learning stewards\`.`,
    );
    // Still shared: the refusal changed nothing.
    const [row] = await h.app.database.db
      .select()
      .from(lessonSharing)
      .where(eq(lessonSharing.channelId, SHARED));
    expect(row?.sharedBy).toBe(AUTHOR);
  });

  it('stops offering a channel’s lessons elsewhere once its steward keeps them private', async () => {
    await h.command('/learning', 'lessons private', { channelId: SHARED });
    const told = await h.slack.waitForCall('chat.postEphemeral', (call) => call.params.user === AUTHOR);
    expect(told.params.text).toBe(
      `<#${SHARED}>’s lessons are no longer offered in other channels. Its own before-action reviews still offer them, and \`/learning lessons share\` shares them again.`,
    );
    const lessons = await lessonsOffered('Run a recruitment drive for new drivers', {
      userId: AUTHOR,
      channelId: CHANNEL,
    });
    expect(lessons).not.toContain('outreach');
    expect(lessons).not.toContain('hiring');
    // The channel's own form still offers them, as they always were.
    const own = await lessonsOffered('Run a recruitment drive for new drivers', {
      userId: AUTHOR,
      channelId: SHARED,
    });
    expect(own).toContain('_Volunteer hiring drive_ (<!date^');
  });
});
