import { describe, expect, it } from 'vitest';
import { privateAnswerKey } from '../../src/db/queries/responses.js';
import {
  beforeActionReviews,
  learningQuestions,
  occurrences,
  responses,
  reviewPeople,
} from '../../src/db/schema.js';
import { previousQuarter, quarterContaining } from '../../src/domain/quarters.js';
import { calendarDateIn } from '../../src/domain/time.js';
import { ACTIONS, CALLBACKS, HOME_ACTIONS, PROMPT_ANSWER_INPUTS } from '../../src/slack/ids.js';
import { DRIVERS } from '../support/databases.js';
import type { RecordedCall } from '../support/fake-slack.js';
import { AUTHOR, CHANNEL, TEAM, TEAMMATE, useHarness } from '../support/harness.js';
import { viewOpenedBy } from '../support/loop.js';
import { seedSyntheticTeam } from '../support/seed-digest.js';
import { ALL_PLANTS, NO_PLANTS, PEOPLE, syntheticTeam, WEEK_MS } from '../support/synthetic-team.js';

const DAY_MS = 86_400_000;
const SECOND = 'C0SECOND';
const OUTSIDER = 'U0OUTSIDER';
const scope = { teamId: TEAM, enterpriseId: null };

/** Every text Slack would render from some blocks. */
function textsIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(textsIn);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, inner]) =>
    key === 'text' && typeof inner === 'string' ? [inner] : textsIn(inner),
  );
}

const viewOf = (call: RecordedCall) => call.params.view as { blocks: unknown[]; private_metadata?: string };

interface ShownBlock {
  type: string;
  text?: { text: string };
  accessory?: { type: string; text?: { text: string }; options?: { text: { text: string } }[] };
  elements?: { type: string; text?: string | { text: string } }[];
}

/** The Home tab as a person reads it: every block's words in order, with its buttons and picker. */
function asRead(blocks: readonly unknown[]): string {
  return (blocks as ShownBlock[])
    .map((block) => {
      if (block.type === 'divider') return '———';
      if (block.type === 'actions')
        return (block.elements ?? [])
          .map((element) => `[${typeof element.text === 'object' ? element.text.text : ''}]`)
          .join(' ');
      if (block.type === 'context')
        return (block.elements ?? [])
          .map((element) => (typeof element.text === 'string' ? element.text : ''))
          .join(' ');
      const accessory = block.accessory;
      const aside =
        accessory?.type === 'button'
          ? `   [${accessory.text?.text}]`
          : accessory?.type === 'static_select'
            ? `   [${(accessory.options ?? []).map((option) => option.text.text).join(' / ')} ▾]`
            : '';
      return `${block.text?.text ?? ''}${aside}`;
    })
    .join('\n');
}

describe.each(DRIVERS)('the team’s portrait on the Home tab (%s)', (driver) => {
  // The last quarter began before the machine's own quarter, which the app's clock sits seven weeks into.
  const previous = previousQuarter(quarterContaining(new Date(), 'UTC'), 'UTC');
  const start = new Date(previous.start.getTime() + 2 * DAY_MS + 9 * 3_600_000);
  const team = syntheticTeam({ seed: 1, weeks: 20, start, plants: ALL_PLANTS });
  const now = new Date(start.getTime() + 20 * WEEK_MS + DAY_MS);
  const current = quarterContaining(now, 'UTC');
  const h = useHarness({ driver, now: () => now });

  const publishedFor = async (user: string, from: number) =>
    viewOf(
      await h.slack.waitForCall(
        'views.publish',
        (call) => call.params.user_id === user && h.slack.calls.indexOf(call) >= from,
      ),
    );

  /** A click on the person's Home tab: Slack sends the tab's view with it, private_metadata and all. */
  const clickOnHome = (action: Record<string, unknown>, privateMetadata: string | undefined) =>
    h.interact({
      type: 'block_actions',
      team: { id: TEAM, domain: 'example' },
      user: { id: AUTHOR, username: 'ada', name: 'ada', team_id: TEAM },
      api_app_id: 'A0FAKEAPP',
      token: 'deprecated-verification-token',
      trigger_id: 'trigger-home',
      container: { type: 'view', view_id: 'VHOME' },
      view: { id: 'VHOME', type: 'home', private_metadata: privateMetadata ?? '' },
      actions: [{ block_id: 'b', action_ts: '1.2', ...action }],
      is_enterprise_install: false,
    });

  const pick = async (channelId: string, privateMetadata: string | undefined) => {
    const from = h.slack.calls.length;
    await clickOnHome(
      {
        type: 'static_select',
        action_id: HOME_ACTIONS.portraitChannel,
        selected_option: { text: { type: 'plain_text', text: channelId }, value: channelId },
      },
      privateMetadata,
    );
    return publishedFor(AUTHOR, from);
  };

  const openHome = async (eventId: string, privateMetadata?: string) => {
    const from = h.slack.calls.length;
    await h.event(
      {
        type: 'app_home_opened',
        user: AUTHOR,
        channel: 'D0HOME',
        tab: 'home',
        ...(privateMetadata === undefined
          ? {}
          : { view: { id: 'VHOME', type: 'home', private_metadata: privateMetadata } }),
      },
      eventId,
    );
    return publishedFor(AUTHOR, from);
  };

  const ago = (days: number) => new Date(now.getTime() - days * DAY_MS);
  const OWN = {
    upcoming: 'Try a Saturday drop-in for parents',
    overdue: 'Ask the library to host the homework club',
    closed: 'Print the term’s timetable for every family',
    answer: 'The Thursday slot clashes with the school run for most of us.',
    edited: 'The Thursday slot clashes with the school run; Wednesday would suit.',
  };

  /** Ada's own: a loop she opened, one she is named in, one she closed, and a private answer. */
  async function seedOwnWork(db: typeof h.app.database.db) {
    const review = (
      channelId: string,
      authorId: string,
      action: string,
      days: number,
      lookBackIn: number,
    ) => ({
      teamId: TEAM,
      channelId,
      authorId,
      action,
      intendedResults: 'More families come',
      anticipatedChallenges: 'Weekend staffing',
      successFactors: 'Clear invitations',
      hypothesisIf: 'we open on Saturdays',
      hypothesisThen: 'working parents will come',
      lookBackOn: calendarDateIn(new Date(now.getTime() + lookBackIn * DAY_MS), 'UTC'),
      timeZone: 'UTC',
      sourceViewId: `V-own-${action}`,
      createdAt: ago(days),
      updatedAt: ago(days),
    });
    await db.insert(beforeActionReviews).values(review(SECOND, AUTHOR, OWN.upcoming, 2, 5));
    const [named] = await db
      .insert(beforeActionReviews)
      .values(review(CHANNEL, 'U0ADA', OWN.overdue, 10, -3))
      .returning({ id: beforeActionReviews.id });
    await db.insert(reviewPeople).values({ teamId: TEAM, reviewId: named?.id as string, userId: AUTHOR });
    await db
      .insert(beforeActionReviews)
      .values({ ...review(CHANNEL, AUTHOR, OWN.closed, 20, -12), status: 'closed' });
    // A prompt of the app's, written out as the app writes it, that Ada answered privately.
    const dueAt = new Date(ago(7).getTime() + 7 * 3_600_000);
    const [prompt] = await db
      .insert(occurrences)
      .values({
        teamId: TEAM,
        channelId: CHANNEL,
        kind: 'mid_week',
        dueAt,
        status: 'posted',
        messageTs: `${Math.floor(dueAt.getTime() / 1000)}.000900`,
        postedAt: dueAt,
        promptText: 'What surprised you this week?',
      })
      .returning({ id: occurrences.id });
    await db.insert(responses).values({
      teamId: TEAM,
      channelId: CHANNEL,
      occurrenceId: prompt?.id as string,
      userId: AUTHOR,
      kind: 'private',
      text: OWN.answer,
      sourceKey: privateAnswerKey(prompt?.id as string, AUTHOR),
      createdAt: ago(6),
      updatedAt: ago(6),
    });
    return prompt?.id as string;
  }

  it('shows this quarter beside the last, linked to the evidence, and another channel when picked', async () => {
    expect(current.key).not.toBe(previous.key);
    const db = h.app.database.db;
    h.slack.addUser({ id: OUTSIDER, name: 'olu', realName: 'Olu Outsider', tz: 'UTC' });
    h.slack.addChannel({ id: SECOND, name: 'second', members: [AUTHOR] });
    // The team who wrote the synthetic quarter are its members, with Ada, her teammate and the app.
    h.slack.addChannel({
      id: CHANNEL,
      name: 'team',
      members: [...PEOPLE, AUTHOR, TEAMMATE, h.slack.botUserId],
    });
    for (const message of await seedSyntheticTeam(db, scope, CHANNEL, team))
      h.slack.addMessage({
        channel: message.channel,
        ts: message.ts,
        text: message.text,
        threadTs: message.threadTs,
      });
    const quiet = syntheticTeam({
      seed: 3,
      weeks: 4,
      start: new Date(now.getTime() - 4 * WEEK_MS),
      plants: NO_PLANTS,
    });
    for (const message of await seedSyntheticTeam(db, scope, SECOND, quiet))
      h.slack.addMessage({
        channel: message.channel,
        ts: message.ts,
        text: message.text,
        threadTs: message.threadTs,
      });
    await db.insert(learningQuestions).values({
      teamId: TEAM,
      channelId: CHANNEL,
      text: 'What will it take to hear from every family?',
      createdBy: AUTHOR,
      createdAt: previous.start,
      updatedAt: previous.start,
    });

    const inQuarter = (at: Date, quarter: typeof current) =>
      at >= quarter.start && at < quarter.end && at < now;
    const opened = (quarter: typeof current) =>
      team.reviews.filter((review) => inQuarter(review.createdAt, quarter)).length;
    const closed = (quarter: typeof current) =>
      team.afterActions.filter((after) => inQuarter(after.createdAt, quarter)).length;

    await seedOwnWork(db);

    // First shown: the channel Ada was last active in, though C0SECOND sorts after C0TEAM by id.
    const opening = await openHome('Ev0PORTRAIT1');
    expect(textsIn(opening.blocks).join('\n')).toContain(`*How <#${SECOND}> is learning*`);
    expect(opening.private_metadata).toBeUndefined();
    const home = await pick(CHANNEL, opening.private_metadata);
    expect(home.private_metadata).toBe(CHANNEL);
    const text = textsIn(home.blocks).join('\n');
    if (driver === DRIVERS[0]) console.log(`The Home tab as Ada reads it:\n${asRead(home.blocks)}`);

    expect(text).toContain(`*How <#${CHANNEL}> is learning*`);
    expect(text).toContain(`This quarter, ${current.label}`);
    expect(text).toContain(`beside last quarter, ${previous.label}.`);
    expect(text).toContain(
      // Ada's own two in the channel this quarter are counted with the team's.
      `Before-action reviews opened: *${opened(current) + 2}*, last quarter ${opened(previous)}`,
    );
    expect(text).toContain(
      `After-action reviews, loops closed: *${closed(current)}*, last quarter ${closed(previous)}`,
    );
    // Each line links to the summaries it counts, as Slack's own permalinks.
    expect(text).toMatch(/Before-action reviews opened: .*<https:\/\/[^|]+\/archives\/C0TEAM\/p\d+\|/);
    expect(text).toMatch(
      /\*Voices\*\n• \*\d+\.\d\* people a week, (up|down) from \d+\.\d last quarter, of 10 in the channel/,
    );
    expect(text).toContain(
      '_What will it take to hear from every family?_ *0*, last quarter 0 pieces of evidence. None yet this quarter.',
    );
    expect(text).toMatch(/Reviews started without a prompt from the app: \*\d+ of \d+\*/);
    expect(text).toMatch(
      /After-action reviews came, at the median: \*(on the look-back day|[\d.]+ days? (before|after) the look-back date|half a day (before|after) the look-back date)\*/,
    );
    expect(text).not.toContain('-1 day');
    // Breadth, never names.
    for (const person of ['U0ADA', 'U0BEN', 'Ada', 'Tomás']) expect(text).not.toContain(person);
    // Below it, the person's own: open loops in every channel, soonest look-back first, never a closed one.
    const loops = text.slice(text.indexOf('*Your open loops*'));
    expect(loops.indexOf(OWN.overdue)).toBeGreaterThan(0);
    expect(loops.indexOf(OWN.overdue)).toBeLessThan(loops.indexOf(OWN.upcoming));
    expect(loops).toMatch(
      new RegExp(
        `\\*${OWN.overdue}\\*\\n<#${CHANNEL}> · the look-back date was <!date\\^\\d+\\^\\{date_long_pretty\\}\\|[^>]+>: time for the after-action review`,
      ),
    );
    expect(loops).toMatch(
      new RegExp(
        `\\*${OWN.upcoming}\\*\\n<#${SECOND}> · look back on <!date\\^\\d+\\^\\{date_long_pretty\\}\\|[^>]+>`,
      ),
    );
    expect(text).not.toContain(OWN.closed);
    expect(text).toContain(OWN.answer);
    expect(text).toContain('*Your data*');
    expect(text).toContain('/learning forget-me');
    expect(JSON.stringify(home.blocks)).toContain(`"action_id":"${ACTIONS.exportMine}"`);

    // Two team channels: a picker, showing the one shown.
    const picker = JSON.stringify(home.blocks);
    expect(picker).toContain(`"action_id":"${HOME_ACTIONS.portraitChannel}"`);
    expect(picker).toContain('"text":"#second"');

    const picked = await pick(SECOND, home.private_metadata);
    const pickedText = textsIn(picked.blocks).join('\n');
    expect(pickedText).toContain(`*How <#${SECOND}> is learning*`);
    expect(pickedText).toContain(
      `Before-action reviews opened: *${quiet.reviews.filter((review) => inQuarter(review.createdAt, current)).length + 1}*`,
    );
    expect(pickedText).not.toContain('hear from every family');
  });

  it('keeps the channel a person picked when the tab is opened again, and after they edit or withdraw a private answer there', async () => {
    const showing = (view: { blocks: unknown[] }) =>
      textsIn(view.blocks)
        .join('\n')
        .match(/\*How <#(C0\w+)> is learning\*/)?.[1];
    const picked = await pick(CHANNEL, undefined);
    expect(showing(picked)).toBe(CHANNEL);

    // Opened again: Slack sends the tab as it was, and the pick holds over where Ada was last active.
    const reopened = await openHome('Ev0PORTRAIT3', picked.private_metadata);
    expect(showing(reopened)).toBe(CHANNEL);
    expect(showing(await openHome('Ev0PORTRAIT4'))).toBe(SECOND);

    // Edit, from the tab: the answer's form remembers the pick until it is saved.
    const edit = (reopened.blocks as ShownBlock[])
      .flatMap((block) => (block.type === 'actions' ? (block.elements ?? []) : []))
      .find((element) => typeof element.text === 'object' && element.text.text === 'Edit') as
      | { value: string }
      | undefined;
    const form = await viewOpenedBy(h, CALLBACKS.promptAnswer, () =>
      clickOnHome(
        { type: 'button', action_id: ACTIONS.answerPrivately, value: edit?.value ?? '' },
        reopened.private_metadata,
      ),
    );
    let from = h.slack.calls.length;
    await h.submitView(form, {
      [PROMPT_ANSWER_INPUTS.answer.block]: {
        [PROMPT_ANSWER_INPUTS.answer.action]: { type: 'plain_text_input', value: OWN.edited },
      },
      [PROMPT_ANSWER_INPUTS.quotable.block]: {
        [PROMPT_ANSWER_INPUTS.quotable.action]: { type: 'checkboxes', selected_options: [] },
      },
    });
    const afterEdit = await publishedFor(AUTHOR, from);
    expect(showing(afterEdit)).toBe(CHANNEL);
    expect(textsIn(afterEdit.blocks).join('\n')).toContain(OWN.edited);

    // Withdraw, from the tab: the redraw keeps the pick too.
    const withdraw = (afterEdit.blocks as ShownBlock[])
      .flatMap((block) => (block.type === 'actions' ? (block.elements ?? []) : []))
      .find((element) => typeof element.text === 'object' && element.text.text === 'Withdraw') as
      | { value: string }
      | undefined;
    from = h.slack.calls.length;
    await clickOnHome(
      { type: 'button', action_id: ACTIONS.withdrawPrivateAnswer, value: withdraw?.value ?? '' },
      afterEdit.private_metadata,
    );
    const afterWithdraw = await publishedFor(AUTHOR, from);
    expect(showing(afterWithdraw)).toBe(CHANNEL);
    expect(textsIn(afterWithdraw.blocks).join('\n')).not.toContain('Your private answers');
  });

  it('gives someone in no team channel the first step instead of an empty portrait', async () => {
    const from = h.slack.calls.length;
    await h.event(
      { type: 'app_home_opened', user: OUTSIDER, channel: 'D0HOME2', tab: 'home' },
      'Ev0PORTRAIT2',
    );
    const text = textsIn((await publishedFor(OUTSIDER, from)).blocks).join('\n');
    expect(text).toContain('*Your team’s portrait*');
    expect(text).toContain('`/learning rhythm`');
    expect(text).not.toContain('is learning*');
  });
});
