import { and, eq, getTableName, is } from 'drizzle-orm';
import { PgTable } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import * as schema from '../../src/db/schema.js';
import {
  afterActionReviews,
  beforeActionReviews,
  channelSettings,
  channelStewards,
  customPrompts,
  digests,
  historyCanvases,
  learningNotes,
  learningQuestions,
  occurrences,
  perspectives,
  responses,
  reviewPeople,
  rhythms,
  skips,
} from '../../src/db/schema.js';
import {
  ACTIONS,
  BAR_EXTRA_INPUTS,
  CALLBACKS,
  PROMPT_ANSWER_INPUTS,
  PROMPT_INPUTS,
  QUESTION_INPUTS,
} from '../../src/slack/ids.js';
import { csvObjects } from '../support/csv.js';
import { DRIVERS } from '../support/databases.js';
import {
  barAnswers,
  barStateValues,
  PINNED_NOW,
  type RhythmAnswers,
  rhythmStateValues,
} from '../support/factories.js';
import { checkMessageBlocks, type RecordedCall } from '../support/fake-slack.js';
import { AUTHOR, CHANNEL, type Harness, TEAM, TEAMMATE, useHarness } from '../support/harness.js';
import { addPerspective, nextViewId, openAar, submitAar, viewOf } from '../support/loop.js';
import { callsNotWithTokenOf, useInstalledHarness, workspacesInstalledBy } from '../support/oauth.js';
import { type Actor, buttonPayload, viewSubmissionPayload } from '../support/slack-requests.js';

const OTHER_TEAM = 'T0OTHERTEAM';
const ADMIN = 'U0ADMIN';
const OTHER_CHANNEL = 'C0ELSEWHERE';
const DM = 'D0AUTHOR';
/** Answered in a thread, then left the workspace: Slack no longer knows them. */
const GONE = 'U0GONE';

const author: Actor = { teamId: TEAM, userId: AUTHOR, channelId: CHANNEL };
const teammate: Actor = { ...author, userId: TEAMMATE };

const WEEKLY: RhythmAnswers = {
  timeZone: 'Europe/London',
  workDays: [1, 2, 3, 4, 5],
  pauseUntil: null,
  skipDates: '',
  rhythms: {
    week_ahead: { enabled: true, days: [1], time: '09:30' },
    mid_week: { enabled: true, days: [3], time: '14:00' },
    look_back: { enabled: true, days: [5], time: '15:00' },
    digest: { enabled: true, days: [5], time: '16:00' },
  },
};

/** Every table the schema declares, found by type so that a table added later is covered too. */
const TABLES = Object.values(schema as Record<string, unknown>).filter((value): value is PgTable =>
  is(value, PgTable),
);

type Snapshot = Record<string, string[]>;

/** Every row of every table in one workspace, as sorted JSON: equal snapshots mean nothing changed. */
async function snapshot(db: Database, teamId: string): Promise<Snapshot> {
  const out: Snapshot = {};
  for (const table of TABLES) {
    const rows = (await db.select().from(table as never)) as Array<{ teamId?: string }>;
    out[getTableName(table)] = rows
      .filter((row) => row.teamId === teamId)
      .map((row) => JSON.stringify(row))
      .sort();
  }
  return out;
}

/** Rows of one workspace, in any table, that mention `text` in any column. */
async function rowsMentioning(db: Database, teamId: string, text: string): Promise<string[]> {
  const all = await snapshot(db, teamId);
  return Object.entries(all).flatMap(([table, rows]) =>
    rows.filter((row) => row.includes(text)).map((row) => `${table}: ${row}`),
  );
}

/** Every text a person reads in a message's blocks, in order: sections, context lines, button labels. */
function textsOf(blocks: unknown): string[] {
  type Element = { type?: string; text?: string | { text?: string } };
  return (blocks as Array<{ text?: { text?: string }; elements?: Element[] }>).flatMap((block) => [
    ...(block.text?.text ? [block.text.text] : []),
    ...(block.elements ?? []).map((element) =>
      typeof element.text === 'string' ? element.text : (element.text?.text ?? ''),
    ),
  ]);
}

/** The "are you sure?" dialog Slack shows when a button is clicked, as its four texts. */
function confirmDialogOf(blocks: unknown, actionId: string) {
  type Text = { text: string };
  const button = (
    blocks as Array<{
      elements?: Array<{
        action_id?: string;
        confirm?: { title: Text; text: Text; confirm: Text; deny: Text };
      }>;
    }>
  )
    .flatMap((block) => block.elements ?? [])
    .find((element) => element.action_id === actionId);
  const dialog = button?.confirm;
  return (
    dialog && {
      title: dialog.title.text,
      text: dialog.text.text,
      confirm: dialog.confirm.text,
      deny: dialog.deny.text,
    }
  );
}

function valueOfButton(blocks: unknown, actionId: string): string {
  const found = (blocks as Array<{ elements?: Array<{ action_id?: string; value?: string }> }>)
    .flatMap((block) => block.elements ?? [])
    .find((element) => element.action_id === actionId);
  if (!found?.value) throw new Error(`no ${actionId} button`);
  return found.value;
}

async function openAndSubmit(
  h: Harness,
  actor: Actor,
  subcommand: string,
  values: Record<string, Record<string, unknown>>,
) {
  const before = h.slack.callsTo('views.open').length;
  await h.command('/learning', subcommand, actor);
  await h.slack.waitForCall('views.open', () => h.slack.callsTo('views.open').length > before);
  const view = viewOf(h.slack.callsTo('views.open').at(-1) as RecordedCall);
  return h.interact(viewSubmissionPayload(actor, { ...view, id: nextViewId() }, values));
}

/** `/bar` then the form, as `actor`; returns the stored review once its summary is posted. */
async function startReview(
  h: Harness,
  actor: Actor,
  action: string,
  people: string[],
  extra: Record<string, Record<string, unknown>> = {},
) {
  const before = h.slack.callsTo('views.open').length;
  await h.command('/bar', action, actor);
  await h.slack.waitForCall('views.open', () => h.slack.callsTo('views.open').length > before);
  const view = viewOf(h.slack.callsTo('views.open').at(-1) as RecordedCall);
  await h.interact(
    viewSubmissionPayload(
      actor,
      { ...view, id: nextViewId() },
      {
        ...barStateValues(
          barAnswers({ action, people, lookBackOn: '2026-11-27', channelId: actor.channelId }),
        ),
        ...extra,
      },
    ),
  );
  let review: typeof beforeActionReviews.$inferSelect | undefined;
  await expect
    .poll(async () => {
      [review] = await h.app.database.db
        .select()
        .from(beforeActionReviews)
        .where(eq(beforeActionReviews.action, action));
      return review?.summaryTs;
    })
    .toBeTruthy();
  return review as typeof beforeActionReviews.$inferSelect;
}

async function answerInModal(
  h: Harness,
  actor: Actor,
  action: string,
  occurrence: { id: string; messageTs: string | null },
  text: string,
) {
  const before = h.slack.callsTo('views.open').length;
  await h.interact(
    buttonPayload(
      actor,
      { action_id: action, value: occurrence.id },
      { channelId: CHANNEL, messageTs: occurrence.messageTs ?? '' },
    ),
  );
  await h.slack.waitForCall('views.open', () => h.slack.callsTo('views.open').length > before);
  const view = viewOf(h.slack.callsTo('views.open').at(-1) as RecordedCall);
  expect(view.callback_id).toBe(CALLBACKS.promptAnswer);
  await h.interact(
    viewSubmissionPayload(
      actor,
      { ...view, id: nextViewId() },
      {
        [PROMPT_ANSWER_INPUTS.answer.block]: {
          [PROMPT_ANSWER_INPUTS.answer.action]: { type: 'plain_text_input', value: text },
        },
      },
    ),
  );
}

function selectPayload(actor: Actor, actionId: string, value: string) {
  return {
    ...buttonPayload(actor, { action_id: actionId, value: '' }, { channelId: CHANNEL }),
    actions: [
      {
        type: 'static_select',
        action_id: actionId,
        block_id: 'b',
        selected_option: { text: { type: 'plain_text', text: value }, value },
        action_ts: '1.1',
      },
    ],
  };
}

async function promptOf(h: Harness) {
  const [row] = await h.app.database.db
    .select()
    .from(occurrences)
    .where(
      and(
        eq(occurrences.teamId, TEAM),
        eq(occurrences.channelId, CHANNEL),
        eq(occurrences.kind, 'week_ahead'),
        eq(occurrences.status, 'posted'),
      ),
    );
  if (!row) throw new Error('no week-ahead prompt posted');
  return row;
}

/**
 * The private note someone was sent: an ephemeral one where the app can post, or else a direct message.
 * Either way only `userId` sees it.
 */
async function toldPrivately(h: Harness, userId: string, matches: (text: string) => boolean) {
  await expect
    .poll(() =>
      h.slack.calls.find(
        (call) =>
          ((call.method === 'chat.postEphemeral' && call.params.user === userId) ||
            (call.method === 'chat.postMessage' && call.params.channel === userId)) &&
          matches(String(call.params.text)),
      ),
    )
    .toBeTruthy();
  return h.slack.calls.find(
    (call) =>
      ((call.method === 'chat.postEphemeral' && call.params.user === userId) ||
        (call.method === 'chat.postMessage' && call.params.channel === userId)) &&
      matches(String(call.params.text)),
  ) as RecordedCall;
}

/** A reply in a thread, as Slack delivers it. */
function reply(h: Harness, user: string, text: string, ts: string, threadTs: string, channel = CHANNEL) {
  return h.event(
    { type: 'message', channel, user, text, ts, thread_ts: threadTs, channel_type: 'channel' },
    `Ev${ts}`,
  );
}

/** The same person's rows in another workspace, stored as that workspace's own use of the app would. */
async function seedOtherWorkspace(db: Database, channelId = CHANNEL) {
  const [bar] = await db
    .insert(beforeActionReviews)
    .values({
      teamId: OTHER_TEAM,
      channelId,
      authorId: AUTHOR,
      action: 'Their other workspace’s review',
      intendedResults: 'x',
      anticipatedChallenges: 'x',
      successFactors: 'x',
      hypothesisIf: 'x',
      hypothesisThen: 'y',
      lookBackOn: '2026-12-01',
      timeZone: 'UTC',
      sourceViewId: 'V0OTHERTEAM',
    })
    .returning();
  await db.insert(reviewPeople).values({ reviewId: bar?.id as string, teamId: OTHER_TEAM, userId: AUTHOR });
  const [promptMessage] = await db
    .insert(occurrences)
    .values({
      teamId: OTHER_TEAM,
      channelId,
      kind: 'mid_week',
      dueAt: new Date('2026-11-18T14:00:00Z'),
      status: 'posted',
    })
    .returning();
  await db.insert(responses).values({
    teamId: OTHER_TEAM,
    channelId,
    occurrenceId: promptMessage?.id as string,
    userId: AUTHOR,
    kind: 'thread',
    text: 'An answer in the other workspace',
    sourceKey: 'message:1.1',
  });
  await db.insert(skips).values({
    teamId: OTHER_TEAM,
    channelId,
    occurrenceId: promptMessage?.id as string,
    userId: AUTHOR,
    reason: 'other',
  });
  await db.insert(channelSettings).values({
    teamId: OTHER_TEAM,
    channelId,
    timeZone: 'UTC',
    workDays: [1, 2, 3, 4, 5],
    stewardId: AUTHOR,
  });
  await db
    .insert(learningQuestions)
    .values({ teamId: OTHER_TEAM, channelId, text: 'What will it take?', createdBy: AUTHOR });
  await db.insert(channelStewards).values({ teamId: OTHER_TEAM, channelId, userId: AUTHOR, addedBy: AUTHOR });
}

describe.each(DRIVERS)('forget me (%s)', (driver) => {
  let now = new Date('2026-11-21T10:00:00Z'); // Saturday
  const h = useHarness({ driver, now: () => now });
  const db = () => h.app.database.db;

  let authorsReview: typeof beforeActionReviews.$inferSelect;
  let teammatesReview: typeof beforeActionReviews.$inferSelect;
  let authorsAar: typeof afterActionReviews.$inferSelect;

  it('sets up a channel where both people wrote, answered, skipped and were named', async () => {
    await openAndSubmit(h, author, 'rhythm', rhythmStateValues(WEEKLY));
    await expect.poll(async () => (await db().select().from(rhythms)).length).toBe(4);
    await openAndSubmit(h, author, 'questions', {
      [QUESTION_INPUTS.add.block]: {
        value: { type: 'plain_text_input', value: 'What will it take to reach families outside the city?' },
      },
    });
    await openAndSubmit(h, author, 'prompts', {
      [PROMPT_INPUTS.add.block]: {
        [PROMPT_INPUTS.add.action]: {
          type: 'plain_text_input',
          value: 'Who was missing from this week’s decisions?',
        },
      },
    });
    await expect.poll(async () => (await db().select().from(customPrompts)).length).toBe(1);
    await expect.poll(async () => (await db().select().from(learningQuestions)).length).toBe(1);
    await db()
      .insert(channelStewards)
      .values([{ teamId: TEAM, channelId: CHANNEL, userId: TEAMMATE, addedBy: AUTHOR }]);

    authorsReview = await startReview(h, author, 'Run the listening session in Leeds', [AUTHOR, TEAMMATE], {
      [BAR_EXTRA_INPUTS.checkInOn.block]: { value: { type: 'datepicker', selected_date: '2026-11-23' } },
    });
    teammatesReview = await startReview(h, teammate, 'Meet the funder about the pilot', [AUTHOR, TEAMMATE]);
    await addPerspective(h, teammate, `before:${authorsReview.id}`, {
      intendedResults: 'Ten families, not twenty',
    });
    await addPerspective(h, author, `before:${teammatesReview.id}`, {
      anticipatedChallenges: 'The funder’s timeline',
    });

    const modal = await openAar(h, author, teammatesReview.id);
    await submitAar(h, author, modal, { verdict: 'partly', people: [AUTHOR, TEAMMATE] });
    await expect
      .poll(async () => {
        [authorsAar] = (await db().select().from(afterActionReviews)) as [
          typeof afterActionReviews.$inferSelect,
        ];
        return authorsAar?.summaryTs;
      })
      .toBeTruthy();
    await addPerspective(
      h,
      teammate,
      `after:${authorsAar.id}`,
      { whatHappened: 'The usual voices again' },
      true,
    );
    await expect
      .poll(async () => (await db().select().from(perspectives)).filter((row) => row.messageTs).length)
      .toBe(3);

    // Monday: the week-ahead prompt at 09:30, the pre-action check-in at 10:00.
    now = new Date('2026-11-23T09:30:00Z');
    await h.app.scheduler.tick();
    now = new Date('2026-11-23T10:00:00Z');
    await h.app.scheduler.tick();
    const prompt = await promptOf(h);
    const [preCheckIn] = await db()
      .select()
      .from(occurrences)
      .where(and(eq(occurrences.reviewId, authorsReview.id), eq(occurrences.kind, 'pre_check_in')));
    expect(preCheckIn?.status).toBe('posted');

    await reply(h, AUTHOR, 'The venue is booked.', '1795100000.000100', prompt.messageTs as string);
    await reply(h, TEAMMATE, 'Funding news on Thursday.', '1795100000.000200', prompt.messageTs as string);
    await answerInModal(h, author, ACTIONS.answerPrivately, prompt, 'I am not sure we are ready.');
    await answerInModal(h, author, ACTIONS.answerAnonymously, prompt, 'Nobody asked the volunteers.');
    await answerInModal(h, teammate, ACTIONS.answerAnonymously, prompt, 'The deadline is unrealistic.');
    await h.interact(selectPayload(author, ACTIONS.skipPrompt, `${prompt.id}|not_safe`));
    await h.interact(selectPayload(teammate, ACTIONS.skipPrompt, `${prompt.id}|no_capacity`));
    await reply(h, TEAMMATE, 'The room changed.', '1795100000.000300', authorsReview.summaryTs as string);
    await h.interact(selectPayload(author, ACTIONS.checkInConfidence, `${preCheckIn?.id}|3`));
    await h.interact(selectPayload(teammate, ACTIONS.checkInConfidence, `${preCheckIn?.id}|4`));
    await expect.poll(async () => (await db().select().from(responses)).length).toBe(8);
    await expect.poll(async () => (await db().select().from(skips)).length).toBe(2);

    now = new Date('2026-11-23T11:00:00Z');
    await h.command('/learning', 'digest post', author);
    await h.slack.waitForCall('chat.postEphemeral', (call) => String(call.params.text).startsWith('Posted'));
    const [digest] = await db().select().from(digests);
    expect(digest?.requestedBy).toBe(AUTHOR);
    await reply(h, AUTHOR, 'Volunteers keep coming up.', '1795100001.000100', digest?.messageTs as string);
    await reply(h, TEAMMATE, 'So does the venue.', '1795100001.000200', digest?.messageTs as string);
    await expect.poll(async () => (await db().select().from(learningNotes)).length).toBe(2);

    await seedOtherWorkspace(db());
  });

  let confirmation = '';
  let before: Snapshot;
  let otherWorkspace: Snapshot;

  it('says privately, even in a direct message, how much is stored and what stays', async () => {
    const response = await h.command('/learning', 'forget-me', { channelId: DM });
    expect(response.status).toBe(200);
    const reply = response.json() as { response_type: string; text: string; blocks: unknown[] };
    expect(reply.response_type).toBe('ephemeral');
    expect(checkMessageBlocks(reply.blocks)).toEqual([]);
    const shown = JSON.stringify(reply.blocks);
    for (const line of [
      '1 before-action review you started',
      '1 after-action review you wrote',
      '1 perspective with your name',
      // A thread reply and a private answer; the anonymous one cannot be found.
      '2 answers to prompts',
      '1 confidence answer',
      '1 skip',
      '1 learning note',
      'named in 2 before-action reviews',
      'named in 1 after-action review',
      'steward of 1 channel',
      '1 learning question and 1 prompt you wrote',
      // Four rhythms saved, one digest asked for, one steward added.
      '6 settings',
      // A named and an anonymous perspective, a reply and a confidence under the review's check-in.
      '4 perspectives and answers',
      'Anonymous answers and perspectives stay: nothing links them to you',
    ]) {
      expect(shown).toContain(line);
    }
    // Before the click every line says what will happen; nothing says it has.
    expect(textsOf(reply.blocks)).toEqual([
      '*Delete everything you wrote in this workspace?*',
      [
        '*This will delete:*',
        '• 1 before-action review you started',
        '• 1 after-action review you wrote',
        '• 1 perspective with your name',
        '• 2 answers to prompts and check-ins (in threads and private)',
        '• 1 confidence answer',
        '• 1 skip',
        '• 1 learning note',
      ].join('\n'),
      [
        '*Your name will come off:*',
        '• named in 2 before-action reviews',
        '• named in 1 after-action review',
        '• steward of 1 channel',
        '• 1 learning question and 1 prompt you wrote for a channel: they stay the channel’s, with no name on them',
        '• 6 settings (rhythms you saved, digests you asked for, stewards you added) keep working, with no name on them',
      ].join('\n'),
      'The app’s own messages that carried your words (your reviews’ summaries and check-ins, your perspectives) will be removed from the channels. What others wrote under your reviews (4 perspectives and answers) will stay theirs. Anonymous answers and perspectives stay: nothing links them to you or to anyone, so they cannot be found. Messages you posted yourself in Slack threads stay in Slack, where only you can delete them.',
      'Delete everything I wrote',
      'Nothing has been deleted yet. To keep everything, just dismiss this message. The button works for 15 minutes.',
    ]);
    expect(confirmDialogOf(reply.blocks, ACTIONS.forgetMe)).toEqual({
      title: 'Delete everything you wrote?',
      text: 'Everything listed in the message will be deleted from this workspace. This cannot be undone.',
      confirm: 'Delete it all',
      deny: 'Keep it',
    });
    confirmation = valueOfButton(reply.blocks, ACTIONS.forgetMe);
    expect(h.slack.callsTo('chat.postMessage').filter((call) => call.params.channel === CHANNEL)).toEqual([]);
    before = await snapshot(db(), TEAM);
    otherWorkspace = await snapshot(db(), OTHER_TEAM);
  });

  const refusals = () =>
    h.logs.lines.filter((line) => line.includes('forget-me confirmation refused')).length;

  it('does nothing when someone else clicks the button, or the value names someone else', async () => {
    await h.clickButton(
      { action_id: ACTIONS.forgetMe, value: confirmation },
      { channelId: DM },
      { userId: TEAMMATE },
    );
    await expect.poll(refusals).toBe(1);
    await h.clickButton(
      { action_id: ACTIONS.forgetMe, value: confirmation.replace(AUTHOR, TEAMMATE) },
      { channelId: DM },
      { userId: AUTHOR },
    );
    await expect.poll(refusals).toBe(2);
    expect(await snapshot(db(), TEAM)).toEqual(before);
    expect(h.slack.callsTo('chat.delete')).toEqual([]);
  });

  it('does nothing once the confirmation is stale, and says so', async () => {
    now = new Date(now.getTime() + 16 * 60_000);
    await h.clickButton({ action_id: ACTIONS.forgetMe, value: confirmation }, { channelId: DM });
    await toldPrivately(h, AUTHOR, (text) => text.includes('expired'));
    expect(await snapshot(db(), TEAM)).toEqual(before);
  });

  it('deletes exactly their words in this workspace, takes their id off the rest, and removes the app’s messages', async () => {
    const response = await h.command('/learning', 'forget-me', { channelId: DM });
    confirmation = valueOfButton((response.json() as { blocks: unknown[] }).blocks, ACTIONS.forgetMe);
    const ownPerspective = (await db().select().from(perspectives)).find((row) => row.userId === AUTHOR);
    const [preCheckIn] = await db()
      .select()
      .from(occurrences)
      .where(and(eq(occurrences.reviewId, authorsReview.id), eq(occurrences.kind, 'pre_check_in')));

    await h.clickButton({ action_id: ACTIONS.forgetMe, value: confirmation }, { channelId: DM });
    const done = await toldPrivately(h, AUTHOR, (text) => text.startsWith('Done.'));
    // After the click, what happened, with the counts of what actually went.
    expect(textsOf(done.params.blocks)).toEqual([
      '*Done. What you wrote in this workspace is deleted.*',
      [
        '*Deleted:*',
        '• 1 before-action review you started',
        '• 1 after-action review you wrote',
        '• 1 perspective with your name',
        '• 2 answers to prompts and check-ins (in threads and private)',
        '• 1 confidence answer',
        '• 1 skip',
        '• 1 learning note',
      ].join('\n'),
      [
        '*Your name came off:*',
        '• named in 2 before-action reviews',
        '• named in 1 after-action review',
        '• steward of 1 channel',
        '• 1 learning question and 1 prompt you wrote for a channel: they stay the channel’s, with no name on them',
        '• 6 settings (rhythms you saved, digests you asked for, stewards you added) keep working, with no name on them',
      ].join('\n'),
      '4 messages of the app’s that carried your words were removed. Anonymous answers and perspectives stay: nothing links them to you or to anyone, so they cannot be found. Messages you posted yourself in Slack threads stay in Slack, where only you can delete them.',
    ]);

    // The app's messages that carried their words: both summaries, their perspective, the check-in.
    const deleted = h.slack.callsTo('chat.delete').map((call) => call.params.ts);
    expect(deleted.sort()).toEqual(
      [
        authorsReview.summaryTs,
        authorsAar.summaryTs,
        ownPerspective?.messageTs,
        preCheckIn?.messageTs,
      ].sort(),
    );
    const left = h.slack.messagesIn(CHANNEL).map((message) => message.ts);
    for (const ts of deleted) expect(left).not.toContain(ts);

    // No row in this workspace names them any more, apart from the documented empty placeholders.
    expect(await rowsMentioning(db(), TEAM, AUTHOR)).toEqual([]);
    const [settings] = await db().select().from(channelSettings).where(eq(channelSettings.teamId, TEAM));
    expect(settings?.stewardId).toBe('');
    expect((await db().select().from(rhythms)).map((row) => row.updatedBy)).toEqual(['', '', '', '']);
    expect(
      (await db().select().from(learningQuestions).where(eq(learningQuestions.teamId, TEAM)))[0],
    ).toMatchObject({
      createdBy: '',
      text: 'What will it take to reach families outside the city?',
    });
    expect((await db().select().from(customPrompts))[0]?.createdBy).toBe('');
    expect((await db().select().from(digests))[0]?.requestedBy).toBe('');
    expect(await db().select().from(channelStewards).where(eq(channelStewards.teamId, TEAM))).toMatchObject([
      { userId: TEAMMATE, addedBy: '' },
    ]);

    // Exactly their rows went; the teammate's words, and every anonymous one, stayed.
    const after = await snapshot(db(), TEAM);
    // Rows whose id is no longer there (a row that only changed, such as a reopened review, is not gone).
    const idsOf = (rows: string[] = []) => new Set(rows.map((row) => (JSON.parse(row) as { id: string }).id));
    const gone = (table: string) =>
      before[table]?.filter((row) => !idsOf(after[table]).has((JSON.parse(row) as { id: string }).id)) ?? [];
    expect(gone('responses').map((row) => JSON.parse(row).userId)).toEqual([AUTHOR, AUTHOR, AUTHOR]);
    expect(gone('skips').map((row) => JSON.parse(row).userId)).toEqual([AUTHOR]);
    expect(gone('learning_notes').map((row) => JSON.parse(row).userId)).toEqual([AUTHOR]);
    expect(gone('before_action_reviews').map((row) => JSON.parse(row).id)).toEqual([authorsReview.id]);
    expect(gone('after_action_reviews').map((row) => JSON.parse(row).id)).toEqual([authorsAar.id]);
    const kept = await db().select().from(responses).where(eq(responses.teamId, TEAM));
    expect(
      kept
        .filter((row) => row.kind === 'anonymous')
        .map((row) => row.text)
        .sort(),
    ).toEqual(['Nobody asked the volunteers.', 'The deadline is unrealistic.']);
    expect(
      kept
        .filter((row) => row.userId === TEAMMATE)
        .map((row) => row.text ?? '')
        .sort(),
    ).toEqual(['', 'Funding news on Thursday.', 'The room changed.']);
    expect((await db().select().from(skips)).filter((row) => row.teamId === TEAM)).toMatchObject([
      { userId: TEAMMATE, reason: 'no_capacity' },
    ]);
    expect((await db().select().from(learningNotes)).map((row) => row.text)).toEqual(['So does the venue.']);
    const stillThere = await db().select().from(perspectives);
    expect(stillThere).toHaveLength(2);
    expect(stillThere.find((row) => row.userId === TEAMMATE)).toMatchObject({ beforeActionReviewId: null });
    expect(stillThere.find((row) => row.userId === null)).toMatchObject({ afterActionReviewId: null });

    // The teammate's review, which their after-action review had closed, is open again and waits for one.
    const [reopened] = await db()
      .select()
      .from(beforeActionReviews)
      .where(eq(beforeActionReviews.id, teammatesReview.id));
    expect(reopened?.status).toBe('open');
    const reminders = await db()
      .select()
      .from(occurrences)
      .where(eq(occurrences.reviewId, teammatesReview.id));
    expect(reminders.find((row) => row.kind === 'aar_reminder')?.status).toBe('pending');
    expect(
      (await db().select().from(reviewPeople).where(eq(reviewPeople.reviewId, teammatesReview.id))).map(
        (row) => row.userId,
      ),
    ).toEqual([TEAMMATE]);
    const redrawn = h.slack
      .callsTo('chat.update')
      .filter((call) => call.params.ts === teammatesReview.summaryTs)
      .at(-1);
    expect(JSON.stringify(redrawn?.params.blocks)).not.toContain(AUTHOR);

    // The same person in another workspace is someone else's business.
    expect(await snapshot(db(), OTHER_TEAM)).toEqual(otherWorkspace);

    const forgetLines = h.logs.lines.filter((line) => /forget|forgotten/.test(line));
    expect(forgetLines.some((line) => line.includes('"person forgotten"'))).toBe(true);
    for (const line of forgetLines) expect(line).not.toContain(AUTHOR);
  });

  it('finds nothing the second time', async () => {
    const response = await h.command('/learning', 'forget-me', { channelId: DM });
    const reply = response.json() as { text: string; blocks: unknown[] };
    expect(reply.text).toBe('Nothing you wrote is stored in this workspace.');
    expect(JSON.stringify(reply.blocks)).not.toContain(ACTIONS.forgetMe);
  });
});

describe.each(DRIVERS)('forget me in two installed workspaces sharing ids (%s)', (driver) => {
  const h = useInstalledHarness(
    { driver, now: () => PINNED_NOW },
    workspacesInstalledBy(AUTHOR, [TEAM, OTHER_TEAM]),
  );
  const db = () => h.app.database.db;
  // The same person in the same channel of the other workspace.
  const theirAuthor: Actor = { ...author, teamId: OTHER_TEAM };

  let ourReview: typeof beforeActionReviews.$inferSelect;
  let confirmation = '';
  let ours: Snapshot;
  let theirs: Snapshot;
  const refusals = () =>
    h.logs.lines.filter(
      (line) => line.includes('forget-me confirmation refused') && line.includes(OTHER_TEAM),
    );

  it('sets up the same person’s review in each workspace, and asks to forget them in one', async () => {
    ourReview = await startReview(h, author, 'Our listening session', [AUTHOR, TEAMMATE]);
    const theirReview = await startReview(h, theirAuthor, 'Their listening session', [AUTHOR, TEAMMATE]);
    expect([ourReview.teamId, theirReview.teamId]).toEqual([TEAM, OTHER_TEAM]);
    const response = await h.command('/learning', 'forget-me', { ...author, channelId: DM });
    const shown = JSON.stringify((response.json() as { blocks: unknown[] }).blocks);
    expect(shown).toContain('1 before-action review you started');
    confirmation = valueOfButton((response.json() as { blocks: unknown[] }).blocks, ACTIONS.forgetMe);
    ours = await snapshot(db(), TEAM);
    theirs = await snapshot(db(), OTHER_TEAM);
    expect(theirs.before_action_reviews).toHaveLength(1);
  });

  it('does nothing when the confirmation is clicked by the same person in the other workspace', async () => {
    await h.clickButton({ action_id: ACTIONS.forgetMe, value: confirmation }, { channelId: DM }, theirAuthor);
    await expect.poll(refusals).toHaveLength(1);
    await h.idle();
    expect(callsNotWithTokenOf(h.slack, OTHER_TEAM)).toEqual([]);
    expect(h.slack.callsTo('chat.delete')).toEqual([]);
    expect(await snapshot(db(), TEAM)).toEqual(ours);
    expect(await snapshot(db(), OTHER_TEAM)).toEqual(theirs);
  });

  it('forgets them in their own workspace only, with its own token', async () => {
    await h.clickButton({ action_id: ACTIONS.forgetMe, value: confirmation }, { channelId: DM }, author);
    await toldPrivately(h, AUTHOR, (text) => text.startsWith('Done.'));
    await h.idle();
    expect(callsNotWithTokenOf(h.slack, TEAM)).toEqual([]);
    expect(h.slack.callsTo('chat.delete').map((call) => call.params.ts)).toEqual([ourReview.summaryTs]);
    expect((await snapshot(db(), TEAM)).before_action_reviews).toEqual([]);
    expect(await snapshot(db(), OTHER_TEAM)).toEqual(theirs);
  });
});

describe.each(DRIVERS)('exporting and deleting a channel’s data (%s)', (driver) => {
  let now = new Date('2026-11-21T10:00:00Z');
  const h = useHarness({ driver, now: () => now });
  const db = () => h.app.database.db;
  const admin: Actor = { ...author, userId: ADMIN };

  it('sets up two channels with reviews, answers and skips', async () => {
    h.slack.addUser({ id: ADMIN, name: 'ana', isAdmin: true });
    // One chose a display name; the other never did, so Slack's profile has only their full name.
    h.slack.addUser({
      id: TEAMMATE,
      name: 'tomas',
      realName: 'Tomás Teammate',
      displayName: 'Tomás T.',
      tz: 'America/New_York',
    });
    h.slack.addUser({
      id: AUTHOR,
      name: 'ada',
      realName: 'Ada Author',
      displayName: '',
      tz: 'Europe/London',
    });
    h.slack.addChannel({ id: OTHER_CHANNEL, name: 'elsewhere' });
    await openAndSubmit(h, author, 'rhythm', rhythmStateValues(WEEKLY));
    await openAndSubmit(h, { ...author, channelId: OTHER_CHANNEL }, 'rhythm', rhythmStateValues(WEEKLY));
    const review = await startReview(h, author, 'Run the listening session', [AUTHOR, TEAMMATE]);
    await startReview(h, { ...author, channelId: OTHER_CHANNEL }, 'Elsewhere’s review', [AUTHOR]);
    const modal = await openAar(h, author, review.id);
    await submitAar(h, author, modal, {
      verdict: 'not_borne_out',
      revisedHypothesis: 'If we meet in the library, then we expect more families to come',
      people: [AUTHOR, TEAMMATE],
    });
    let aar: typeof afterActionReviews.$inferSelect | undefined;
    await expect
      .poll(async () => {
        [aar] = await db().select().from(afterActionReviews);
        return aar?.summaryTs;
      })
      .toBeTruthy();
    await addPerspective(
      h,
      teammate,
      `after:${aar?.id}`,
      { whatHappened: 'Quiet people stayed quiet' },
      true,
    );

    now = new Date('2026-11-23T09:30:00Z');
    await h.app.scheduler.tick();
    const prompt = await promptOf(h);
    await reply(
      h,
      TEAMMATE,
      '=HYPERLINK("http://evil.example","click")',
      '1795200000.000100',
      prompt.messageTs as string,
    );
    await reply(h, GONE, 'Handing over to the new team.', '1795200000.000200', prompt.messageTs as string);
    await answerInModal(h, author, ACTIONS.answerPrivately, prompt, 'I worry about the funder, privately.');
    await answerInModal(h, teammate, ACTIONS.answerAnonymously, prompt, 'Nobody asked the volunteers.');
    await h.interact(selectPayload(teammate, ACTIONS.skipPrompt, `${prompt.id}|not_safe`));
    await expect.poll(async () => (await db().select().from(responses)).length).toBe(4);
    await expect.poll(async () => (await db().select().from(skips)).length).toBe(1);
    await seedOtherWorkspace(db());
  });

  const uploads = () =>
    h.slack.uploadedFiles().filter((file) => file.filename.startsWith('learning-thread-'));
  const learningHistories = () =>
    h.slack.uploadedFiles().filter((file) => file.filename.startsWith('learning-history-'));
  const namesAskedFor = () =>
    h.slack
      .callsTo('users.info')
      .map((call) => String(call.params.user))
      .filter((user) => user !== ADMIN);

  it('refuses a non-admin politely, and an admin Slack will not vouch for', async () => {
    await h.command('/learning', 'export', teammate);
    const refusal = await h.slack.waitForCall('chat.postEphemeral', (call) =>
      String(call.params.text).startsWith('Only workspace admins'),
    );
    expect(refusal.params.user).toBe(TEAMMATE);

    h.slack.failNext('users.info', { kind: 'error', error: 'internal_error' });
    await h.command('/learning', 'export', admin);
    await h.slack.waitForCall(
      'chat.postEphemeral',
      (call) => call.params.user === ADMIN && String(call.params.text).startsWith('Only workspace admins'),
    );
    expect(h.slack.callsTo('conversations.open')).toEqual([]);
    expect(uploads()).toEqual([]);

    const dm = await h.command('/learning', 'export', { ...admin, channelId: 'D0ADMIN' });
    expect((dm.json() as { text: string }).text).toMatch(/in the channel/);
  });

  it('sends an admin three files in their direct messages, and nothing to the channel', async () => {
    const posted = h.slack.callsTo('chat.postMessage').length;
    await h.command('/learning', 'export', admin);
    const sent = await h.slack.waitForCall('chat.postEphemeral', (call) =>
      String(call.params.text).includes('in your direct messages'),
    );
    expect(sent.params.user).toBe(ADMIN);
    expect(sent.params.text).toBe(
      'The learning history of <#C0TEAM> is in your direct messages with me: a Markdown file to read, a CSV file with one row per record, and a third file that tells it by learning question. Nothing was posted in the channel.',
    );
    expect(h.slack.callsTo('conversations.open')[0]?.params.users).toBe(ADMIN);
    expect(h.slack.callsTo('chat.postMessage').slice(posted)).toEqual([]);

    const files = uploads();
    // Named after the channel and the days it covers: from the first record to the day of the export.
    expect(files.map((file) => file.filename)).toEqual([
      'learning-thread-team-2026-11-21-to-2026-11-23.md',
      'learning-thread-team-2026-11-21-to-2026-11-23.csv',
    ]);
    for (const file of files) {
      expect(file).toMatchObject({ completed: true, channelId: h.slack.dmChannelFor(ADMIN) });
      expect(file.title).toMatch(/^Learning history of #team, 2026-11-21 to 2026-11-23/);
    }
    const [markdown, csv] = files.map((file) => file.bytes.toString('utf8')) as [string, string];

    // Each person named is asked of Slack once, however many rows carry them; the anonymous, never.
    expect(namesAskedFor().sort()).toEqual([AUTHOR, GONE, TEAMMATE]);

    // Opened as a spreadsheet would: a byte order mark, then strict RFC 4180 (tests/support/csv.ts).
    expect(csv.startsWith('\uFEFFkind,id,created_at,week,author,author_name,visibility,')).toBe(true);
    const rows = csvObjects(csv);
    // One review, one after-action review, one perspective, four answers, one skip.
    expect(rows.map((row) => row.kind).sort()).toEqual([
      'after_action_review',
      'answer',
      'answer',
      'answer',
      'answer',
      'before_action_review',
      'perspective',
      'skip',
    ]);
    const anonymous = rows.filter((row) => row.visibility === 'anonymous');
    expect(anonymous).toHaveLength(2);
    for (const row of anonymous) {
      expect(row).toMatchObject({ author: '', author_name: '' });
      expect(Object.values(row).join(' ')).not.toContain(TEAMMATE);
      expect(Object.values(row).join(' ')).not.toContain('Tomás');
    }
    expect(rows.find((row) => row.visibility === 'private' && row.kind === 'answer')).toMatchObject({
      author: '',
      author_name: '',
      text: 'I worry about the funder, privately.',
    });
    expect(rows.find((row) => row.kind === 'skip')).toMatchObject({
      author: '',
      author_name: '',
      reason: 'Not safe to say',
    });
    const threadAnswers = rows.filter((row) => row.visibility === 'public' && row.kind === 'answer');
    // Both replies arrived at the same pinned minute: compared in the order of their authors' ids.
    expect(threadAnswers.map((row) => [row.author, row.author_name, row.text]).sort()).toEqual([
      // Slack no longer knows them: their id stands in for the name.
      [GONE, GONE, 'Handing over to the new team.'],
      [TEAMMATE, 'Tomás T.', `'=HYPERLINK("http://evil.example","click")`],
    ]);
    expect(rows.find((row) => row.kind === 'after_action_review')).toMatchObject({
      verdict: 'Not borne out',
      author: AUTHOR,
      author_name: 'Ada Author',
      people: `${AUTHOR} ${TEAMMATE}`,
      people_names: 'Ada Author; Tomás T.',
    });
    expect(csv).not.toContain('Elsewhere');

    expect(markdown.split('\n').slice(0, 3)).toEqual([
      '# Learning history of #team',
      '',
      'Covers everything stored, from 2026-11-21 (the first record) to 2026-11-23. Channel C0TEAM.',
    ]);
    expect(markdown).toContain('Started by Ada Author (U0AUTHOR) on 2026-11-21');
    expect(markdown).toContain('people involved: Ada Author (U0AUTHOR), Tomás T. (U0TEAMMATE)');
    expect(markdown).toContain(`- 2026-11-23, ${GONE} (to `);
    expect(markdown).not.toContain('@U0');
    expect(markdown).toContain('## Answers by week (4)');
    expect(markdown).toContain('**Verdict:** Not borne out');
    const anonymousLine = markdown.split('\n').find((line) => line.includes('Nobody asked the volunteers'));
    expect(anonymousLine).toContain('*anonymous*');
    expect(anonymousLine).not.toContain(TEAMMATE);
    expect(markdown).toContain('| Not safe to say | 1 |');

    // The third: the learning history for the same days, the document /learning history shares.
    const history = learningHistories().at(-1);
    expect(history).toMatchObject({
      filename: 'learning-history-team-2026-11-21-to-2026-11-23.md',
      title: 'Learning history · #team · 21 November 2026 to 23 November 2026',
      channelId: h.slack.dmChannelFor(ADMIN),
      completed: true,
    });
    const told = history?.bytes.toString('utf8') ?? '';
    expect(told.split('\n')[0]).toBe('# Learning history of #team');
    expect(told).toContain('**21 November 2026 to 23 November 2026.**');
    expect(told).not.toContain('Tomás');
    expect(told).not.toContain(AUTHOR);
    // The export names the file beside it, and says the channel keeps no learning history canvas.
    expect(markdown).toContain(
      'What the team asked, what people said and what it made of it, organised by learning question, is in the file learning-history-team-2026-11-21-to-2026-11-23.md beside this one.',
    );
    expect(markdown).toContain(
      'The channel’s learning history canvas is off: a steward can turn it on with `/learning canvas`.',
    );
  });

  it('exports only what was written between two dates, and says so in the files', async () => {
    const earlier = uploads().length;
    await h.command('/learning', 'export 2026-11-23 2026-11-23', admin);
    const sent = await h.slack.waitForCall('chat.postEphemeral', (call) =>
      String(call.params.text).includes('from 2026-11-23 to 2026-11-23'),
    );
    expect(sent.params.text).toBe(
      'The learning history of <#C0TEAM> from 2026-11-23 to 2026-11-23 is in your direct messages with me: a Markdown file to read, a CSV file with one row per record, and a third file that tells it by learning question. Nothing was posted in the channel.',
    );
    const files = uploads().slice(earlier);
    expect(files.map((file) => [file.filename, file.title])).toEqual([
      [
        'learning-thread-team-2026-11-23-to-2026-11-23.md',
        'Learning history of #team, 2026-11-23 to 2026-11-23',
      ],
      [
        'learning-thread-team-2026-11-23-to-2026-11-23.csv',
        'Learning history of #team, 2026-11-23 to 2026-11-23, one row per record',
      ],
    ]);
    const [markdown, csv] = files.map((file) => file.bytes.toString('utf8')) as [string, string];
    // The review, its after-action review and the perspective were written on the 21st.
    expect(
      csvObjects(csv)
        .map((row) => `${row.kind} ${row.created_at?.slice(0, 10)}`)
        .sort(),
    ).toEqual([
      'answer 2026-11-23',
      'answer 2026-11-23',
      'answer 2026-11-23',
      'answer 2026-11-23',
      'skip 2026-11-23',
    ]);
    expect(markdown.split('\n')[2]).toBe(
      'Covers 2026-11-23 to 2026-11-23, both days included. Channel C0TEAM.',
    );
    expect(markdown).toContain('## Before-action reviews (0)');
  });

  it('says when nothing was written between the dates, and sends no file', async () => {
    const earlier = uploads().length;
    await h.command('/learning', 'export last 30 days', { ...admin, channelId: OTHER_CHANNEL });
    await h.slack.waitForCall('chat.postEphemeral', (call) =>
      String(call.params.text).includes(`<#${OTHER_CHANNEL}> from 2026-10-25 to 2026-11-23`),
    );
    await h.command('/learning', 'export 2026-10-01 2026-10-31', admin);
    const told = await h.slack.waitForCall('chat.postEphemeral', (call) =>
      String(call.params.text).startsWith('Nothing was written'),
    );
    expect(told.params.text).toBe(
      'Nothing was written in <#C0TEAM> from 2026-10-01 to 2026-10-31, so there is nothing to export.',
    );
    expect(
      uploads()
        .slice(earlier)
        .map((file) => file.filename),
    ).toEqual([
      'learning-thread-elsewhere-2026-10-25-to-2026-11-23.md',
      'learning-thread-elsewhere-2026-10-25-to-2026-11-23.csv',
    ]);
  });

  it('says back dates it cannot read, as typed, and exports nothing', async () => {
    const earlier = uploads().length;
    const response = await h.command('/learning', 'export 2026-11-31 2026-12-01', admin);
    expect(response.json()).toEqual({
      response_type: 'ephemeral',
      text: 'I couldn’t read the dates in `/learning export 2026-11-31 2026-12-01`: 2026-11-31 is not a date (write it as YYYY-MM-DD). Give two dates, from and to (both days included), like `/learning export 2026-11-01 2026-11-23`, or `/learning export last 30 days`; `/learning export` alone exports everything. Nothing was exported.',
    });
    const backwards = await h.command('/learning', 'export 2026-11-30 to 2026-11-01', admin);
    expect((backwards.json() as { text: string }).text).toMatch(
      /^I couldn’t read the dates in `\/learning export 2026-11-30 to 2026-11-01`: 2026-11-30 comes after 2026-11-01: put the earlier date first\./,
    );
    await h.idle();
    expect(h.slack.callsTo('users.info')).toEqual([]);
    expect(uploads().slice(earlier)).toEqual([]);
  });

  it('names the files by the channel’s id when Slack will not name the channel', async () => {
    const earlier = uploads().length;
    h.slack.failNext('conversations.info', { kind: 'error', error: 'channel_not_found' });
    await h.command('/learning', 'export 2026-11-21 2026-11-23', admin);
    await h.slack.waitForCall('chat.postEphemeral', (call) =>
      String(call.params.text).includes('in your direct messages'),
    );
    const files = uploads().slice(earlier);
    expect(files.map((file) => file.filename)).toEqual([
      'learning-thread-C0TEAM-2026-11-21-to-2026-11-23.md',
      'learning-thread-C0TEAM-2026-11-21-to-2026-11-23.csv',
    ]);
    expect((files[0] as { bytes: Buffer }).bytes.toString('utf8').split('\n')[0]).toBe(
      '# Learning history of channel C0TEAM',
    );
  });

  it('still reaches the admin when the app may not open conversations itself', async () => {
    const earlier = uploads().length;
    h.slack.failNext('conversations.open', { kind: 'error', error: 'missing_scope' });
    await h.command('/learning', 'export', admin);
    await h.slack.waitForCall('chat.postEphemeral', (call) =>
      String(call.params.text).includes('in your direct messages'),
    );
    expect(
      uploads()
        .slice(earlier)
        .map((file) => file.channelId),
    ).toEqual([h.slack.dmChannelFor(ADMIN), h.slack.dmChannelFor(ADMIN)]);
  });

  let confirmation = '';
  let elsewhere: Snapshot;
  let otherWorkspace: Snapshot;

  const channelRows = async (channelId: string) => {
    const all = await snapshot(db(), TEAM);
    return Object.fromEntries(
      Object.entries(all).map(([table, rows]) => [
        table,
        rows.filter((row) => (JSON.parse(row) as { channelId?: string }).channelId === channelId),
      ]),
    );
  };

  it('asks an admin, with counts, before deleting a channel’s data; others are refused', async () => {
    await h.command('/learning', 'delete-channel-data', teammate);
    await h.slack.waitForCall(
      'chat.postEphemeral',
      (call) => call.params.user === TEAMMATE && String(call.params.text).startsWith('Only workspace admins'),
    );
    await h.command('/learning', 'delete-channel-data', admin);
    const asked = await h.slack.waitForCall('chat.postEphemeral', (call) =>
      String(call.params.text).startsWith('Delete everything stored'),
    );
    const shown = JSON.stringify(asked.params.blocks);
    for (const line of [
      '1 before-action review',
      '1 after-action review',
      '1 perspective',
      '4 answers',
      '1 skip',
      '4 rhythms',
    ]) {
      expect(shown).toContain(line);
    }
    // Before the click: what will go, and that nothing has gone yet.
    expect(textsOf(asked.params.blocks)).toEqual([
      [
        '*Delete everything the app stores for <#C0TEAM>?*',
        '*This will delete:*',
        '• 1 before-action review',
        '• 1 after-action review',
        '• 1 perspective',
        '• 4 answers',
        '• 1 skip',
        '• 3 prompts and check-ins',
        '• 4 rhythms',
        '• 1 channel calendar',
        '• 1 welcome record',
        '• 4 records of who was involved in a review',
      ].join('\n'),
      'Its rhythms will stop and its digests end. Messages already in the channel stay in Slack. Nothing has been deleted yet. This cannot be undone; to keep everything, just dismiss this message. The button works for 15 minutes.',
      'Delete this channel’s data',
    ]);
    expect(confirmDialogOf(asked.params.blocks, ACTIONS.deleteChannelData)).toEqual({
      title: 'Delete this channel’s data?',
      text: 'Every review, answer, setting and note stored for it will be deleted. This cannot be undone.',
      confirm: 'Delete it all',
      deny: 'Keep it',
    });
    confirmation = valueOfButton(asked.params.blocks, ACTIONS.deleteChannelData);
    elsewhere = await channelRows(OTHER_CHANNEL);
    otherWorkspace = await snapshot(db(), OTHER_TEAM);
  });

  it('deletes nothing for a click by someone else, or by an admin Slack will not vouch for any more', async () => {
    const ours = await channelRows(CHANNEL);
    const refused = () =>
      h.logs.lines.filter((line) => line.includes('channel deletion confirmation refused')).length;
    await h.clickButton(
      { action_id: ACTIONS.deleteChannelData, value: confirmation },
      { channelId: CHANNEL },
      teammate,
    );
    await expect.poll(refused).toBe(1);
    h.slack.failNext('users.info', { kind: 'error', error: 'user_not_found' });
    await h.clickButton(
      { action_id: ACTIONS.deleteChannelData, value: confirmation },
      { channelId: CHANNEL },
      admin,
    );
    await h.slack.waitForCall(
      'chat.postEphemeral',
      (call) => call.params.user === ADMIN && String(call.params.text).startsWith('Only workspace admins'),
    );
    expect(await channelRows(CHANNEL)).toEqual(ours);
  });

  it('deletes every row of that channel, and only that channel', async () => {
    await h.clickButton(
      { action_id: ACTIONS.deleteChannelData, value: confirmation },
      { channelId: CHANNEL },
      admin,
    );
    const done = await h.slack.waitForCall('chat.postEphemeral', (call) =>
      String(call.params.text).startsWith('Deleted everything stored'),
    );
    // After the click: what went, counted as it was deleted.
    expect(textsOf(done.params.blocks)).toEqual([
      [
        'Deleted everything stored for <#C0TEAM>:',
        '• 1 before-action review',
        '• 1 after-action review',
        '• 1 perspective',
        '• 4 answers',
        '• 1 skip',
        '• 3 prompts and check-ins',
        '• 4 rhythms',
        '• 1 channel calendar',
        '• 1 welcome record',
        '• 4 records of who was involved in a review',
      ].join('\n'),
    ]);
    const left = await channelRows(CHANNEL);
    for (const [table, rows] of Object.entries(left)) expect(rows, table).toEqual([]);
    // Tables without a channel column: who was involved in the channel's reviews went with them.
    expect(await db().select().from(reviewPeople).where(eq(reviewPeople.teamId, TEAM))).toMatchObject([
      { userId: AUTHOR },
    ]);
    expect(await channelRows(OTHER_CHANNEL)).toEqual(elsewhere);
    expect(await snapshot(db(), OTHER_TEAM)).toEqual(otherWorkspace);
  });
});

describe.each(DRIVERS)('exporting what one person wrote (%s)', (driver) => {
  let now = new Date('2026-11-21T10:00:00Z');
  const h = useHarness({ driver, now: () => now });
  const db = () => h.app.database.db;
  const admin: Actor = { ...author, userId: ADMIN };

  /** What the teammate wrote, under their name or none: never in the author's files. */
  const TEAMMATES_WORDS = [
    'Ten families, not twenty',
    'Funding news on Thursday.',
    'The deadline is unrealistic.',
    'So does the venue.',
    'The usual voices again',
  ];
  const AUTHORS_ANONYMOUS = 'Nobody asked the volunteers.';

  it('sets up two channels where both people wrote, some of it anonymously', async () => {
    h.slack.addUser({ id: ADMIN, name: 'ana', isAdmin: true });
    h.slack.addUser({ id: TEAMMATE, name: 'tomas', realName: 'Tomás Teammate', displayName: 'Tomás T.' });
    h.slack.addUser({
      id: AUTHOR,
      name: 'ada',
      realName: 'Ada Author',
      displayName: '',
      tz: 'Europe/London',
    });
    h.slack.addChannel({ id: OTHER_CHANNEL, name: 'elsewhere' });
    await openAndSubmit(h, author, 'rhythm', rhythmStateValues(WEEKLY));
    await openAndSubmit(h, author, 'questions', {
      [QUESTION_INPUTS.add.block]: {
        value: { type: 'plain_text_input', value: 'What will it take to reach families outside the city?' },
      },
    });
    await expect.poll(async () => (await db().select().from(learningQuestions)).length).toBe(1);
    const authorsReview = await startReview(h, author, 'Run the listening session in Leeds', [TEAMMATE]);
    const teammatesReview = await startReview(h, teammate, 'Meet the funder about the pilot', [TEAMMATE]);
    await startReview(h, { ...author, channelId: OTHER_CHANNEL }, 'Walk the estate with the tenants', [
      AUTHOR,
    ]);
    await addPerspective(h, teammate, `before:${authorsReview.id}`, {
      intendedResults: 'Ten families, not twenty',
    });
    await addPerspective(h, author, `before:${teammatesReview.id}`, {
      anticipatedChallenges: 'The funder’s timeline',
    });
    const modal = await openAar(h, author, authorsReview.id);
    await submitAar(h, author, modal, { verdict: 'partly', people: [AUTHOR, TEAMMATE] });
    let aar: typeof afterActionReviews.$inferSelect | undefined;
    await expect
      .poll(async () => {
        [aar] = await db().select().from(afterActionReviews);
        return aar?.summaryTs;
      })
      .toBeTruthy();
    await addPerspective(h, teammate, `after:${aar?.id}`, { whatHappened: 'The usual voices again' }, true);
    await expect.poll(async () => (await db().select().from(perspectives)).length).toBe(3);

    now = new Date('2026-11-23T09:30:00Z');
    await h.app.scheduler.tick();
    const prompt = await promptOf(h);
    await reply(h, AUTHOR, 'The venue is booked.', '1795300000.000100', prompt.messageTs as string);
    await reply(h, TEAMMATE, 'Funding news on Thursday.', '1795300000.000200', prompt.messageTs as string);
    await answerInModal(h, author, ACTIONS.answerPrivately, prompt, 'I am not sure we are ready.');
    await answerInModal(h, author, ACTIONS.answerAnonymously, prompt, AUTHORS_ANONYMOUS);
    await answerInModal(h, teammate, ACTIONS.answerAnonymously, prompt, 'The deadline is unrealistic.');
    await h.interact(selectPayload(author, ACTIONS.skipPrompt, `${prompt.id}|not_safe`));
    await h.interact(selectPayload(teammate, ACTIONS.skipPrompt, `${prompt.id}|no_capacity`));
    await expect.poll(async () => (await db().select().from(responses)).length).toBe(5);
    await expect.poll(async () => (await db().select().from(skips)).length).toBe(2);

    now = new Date('2026-11-23T11:00:00Z');
    await h.command('/learning', 'digest post', author);
    await h.slack.waitForCall('chat.postEphemeral', (call) => String(call.params.text).startsWith('Posted'));
    const [digest] = await db().select().from(digests);
    await reply(h, AUTHOR, 'Volunteers keep coming up.', '1795300001.000100', digest?.messageTs as string);
    await reply(h, TEAMMATE, 'So does the venue.', '1795300001.000200', digest?.messageTs as string);
    await expect.poll(async () => (await db().select().from(learningNotes)).length).toBe(2);
    await seedOtherWorkspace(db());
  });

  const mine = () =>
    h.slack.uploadedFiles().filter((file) => file.filename.startsWith('learning-thread-my-words-'));

  it('sends what they wrote to the person who clicked “Export what I wrote”, in their direct messages', async () => {
    now = new Date('2026-11-24T08:00:00Z');
    await h.interact(buttonPayload(author, { action_id: ACTIONS.exportMine, value: '' }));
    await expect.poll(() => mine().length).toBe(2);
    const files = mine();
    expect(files.map((file) => [file.filename, file.title, file.channelId, file.completed])).toEqual([
      [
        'learning-thread-my-words-2026-11-24.md',
        'What you wrote, exported 2026-11-24',
        h.slack.dmChannelFor(AUTHOR),
        true,
      ],
      [
        'learning-thread-my-words-2026-11-24.csv',
        'What you wrote, exported 2026-11-24, one row per record',
        h.slack.dmChannelFor(AUTHOR),
        true,
      ],
    ]);
    // The note above the files is all they are told: the click came from the Home tab, nowhere else.
    const upload = h.slack.callsTo('files.completeUploadExternal').at(-1);
    expect(upload?.params.initial_comment).toBe(
      'What you wrote in this workspace, in 2 channels, exported 2026-11-24: a Markdown file to read and a CSV file with one row per record. Your anonymous answers are not in them: nothing links them to you.',
    );
    await h.idle();
    const toldAuthor = h.slack.calls.filter(
      (call) =>
        ((call.method === 'chat.postEphemeral' && call.params.user === AUTHOR) ||
          (call.method === 'chat.postMessage' && call.params.channel === AUTHOR)) &&
        String(call.params.text).startsWith('What you wrote'),
    );
    expect(toldAuthor).toEqual([]);

    const [markdown, csv] = files.map((file) => file.bytes.toString('utf8')) as [string, string];
    const rows = csvObjects(csv);
    expect(csv.startsWith('\uFEFFchannel,channel_name,kind,id,created_at,week,author,author_name,')).toBe(
      true,
    );
    expect(rows.map((row) => `${row.channel_name} ${row.kind} ${row.visibility}`).sort()).toEqual([
      'elsewhere before_action_review public',
      'team after_action_review public',
      'team answer private',
      'team answer public',
      'team before_action_review public',
      'team learning_note public',
      'team perspective public',
      'team skip private',
    ]);
    for (const row of rows.filter((row) => row.kind !== 'skip')) {
      expect(row).toMatchObject({ author: AUTHOR, author_name: 'Ada Author' });
    }
    expect(rows.find((row) => row.kind === 'skip')?.reason).toBe('Not safe to say');
    expect(rows.find((row) => row.kind === 'perspective')).toMatchObject({
      text: 'Anticipated challenges: The funder’s timeline',
      context: 'on a before-action review: Meet the funder about the pilot',
    });
    expect(rows.find((row) => row.kind === 'learning_note')?.text).toBe('Volunteers keep coming up.');
    expect(rows.find((row) => row.visibility === 'private' && row.kind === 'answer')?.text).toBe(
      'I am not sure we are ready.',
    );

    for (const file of [markdown, csv]) {
      for (const words of [...TEAMMATES_WORDS, AUTHORS_ANONYMOUS]) expect(file).not.toContain(words);
      // Their other workspace, and the channel's own questions, are not in this workspace's export of them.
      expect(file).not.toContain('other workspace');
      expect(file).not.toContain('families outside the city');
      expect(file).not.toContain('anonymous*');
    }

    expect(markdown.split('\n').slice(0, 7)).toEqual([
      '# What you wrote in Learning Thread',
      '',
      'Everything this workspace stores with your name on it, Ada Author (U0AUTHOR), in 2 channels: your before- and after-action reviews, your perspectives, your answers in threads and private ones, your skips with their reasons, and your learning notes.',
      'Exported 2026-11-24 08:00 (Europe/London); dates and weeks below are in that time zone.',
      'Your anonymous answers and perspectives are not here: nothing links them to you or to anyone, so they cannot be found, even for you.',
      'People named in your reviews appear by their name in Slack, with their user id.',
      '',
    ]);
    expect(markdown).toContain('## #team (C0TEAM)');
    expect(markdown).toContain('## #elsewhere (C0ELSEWHERE)');
    expect(markdown).toContain('#### Run the listening session in Leeds');
    expect(markdown).toContain('people involved: Tomás T. (U0TEAMMATE)');
    expect(markdown).toContain(
      '#### 2026-11-21, Ada Author (U0AUTHOR), on the before-action review “Meet the funder about the pilot”',
    );
    expect(markdown).toContain(`- 2026-11-23, *in the thread* (to “`);
    expect(markdown).toContain(': The venue is booked.');
    expect(markdown).toContain('*private* (to “');
    expect(markdown).toContain('- 2026-11-23: Not safe to say');
    expect(markdown).toContain('- 2026-11-23, Ada Author (U0AUTHOR): Volunteers keep coming up.');
  });

  it('does the same for `/learning export mine`, saying where the files are where it was typed', async () => {
    const earlier = mine().length;
    await h.command('/learning', 'export mine', teammate);
    const told = await h.slack.waitForCall(
      'chat.postEphemeral',
      (call) => call.params.user === TEAMMATE && String(call.params.text).startsWith('What you wrote'),
    );
    expect(told.params.text).toBe(
      'What you wrote in this workspace is in your direct messages with me: a Markdown file to read and a CSV file with one row per record.',
    );
    const files = mine().slice(earlier);
    expect(files.map((file) => file.channelId)).toEqual([
      h.slack.dmChannelFor(TEAMMATE),
      h.slack.dmChannelFor(TEAMMATE),
    ]);
    const [markdown, csv] = files.map((file) => file.bytes.toString('utf8')) as [string, string];
    expect(
      csvObjects(csv)
        .map((row) => row.kind)
        .sort(),
    ).toEqual(['answer', 'before_action_review', 'learning_note', 'perspective', 'skip']);
    // Their anonymous perspective and answer are not theirs to export: nothing links them.
    expect(markdown).not.toContain('The usual voices again');
    expect(markdown).not.toContain('The deadline is unrealistic.');
    expect(markdown).not.toContain('The venue is booked.');
    expect(markdown).toContain('Ten families, not twenty');
    expect(markdown).toContain('- 2026-11-23: No capacity this week');
  });

  it('tells someone with nothing stored in one private line, and sends no file', async () => {
    const earlier = mine().length;
    await h.interact(buttonPayload(admin, { action_id: ACTIONS.exportMine, value: '' }));
    const told = await toldPrivately(h, ADMIN, (text) => text.startsWith('Nothing you wrote'));
    expect(told.params.text).toBe(
      'Nothing you wrote is stored in this workspace, so there is nothing to send you.',
    );
    await h.idle();
    expect(mine().slice(earlier)).toEqual([]);
  });

  it('sends the channel’s learning history with its export, and says the canvas is on', async () => {
    await db().insert(historyCanvases).values({
      teamId: TEAM,
      channelId: CHANNEL,
      canvasId: 'F0CANVAS',
      turnedOnBy: AUTHOR,
      turnedOnAt: now,
    });
    await h.command('/learning', 'export 2026-11-01 2026-11-24', admin);
    await h.slack.waitForCall('chat.postEphemeral', (call) =>
      String(call.params.text).includes('a third file that tells it by learning question'),
    );
    const exported = h.slack.uploadedFiles().slice(-3);
    expect(exported.map((file) => file.filename)).toEqual([
      'learning-thread-team-2026-11-01-to-2026-11-24.md',
      'learning-thread-team-2026-11-01-to-2026-11-24.csv',
      'learning-history-team-2026-11-01-to-2026-11-24.md',
    ]);
    const [markdown, , history] = exported.map((file) => file.bytes.toString('utf8')) as [
      string,
      string,
      string,
    ];
    expect(markdown).toContain(
      'The channel’s learning history canvas is on: it is brought up to date after each digest.',
    );
    expect(history).toContain('## What will it take to reach families outside the city?');
    expect(history).not.toContain(AUTHORS_ANONYMOUS);
    expect(history).not.toContain('Ada');
  });
});
