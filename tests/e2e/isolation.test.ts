import { afterEach, describe, expect, it } from 'vitest';
import {
  afterActionReviews,
  beforeActionReviews,
  customPrompts,
  learningQuestions,
  occurrences,
  perspectives,
  responses,
  rhythms,
} from '../../src/db/schema.js';
import {
  ACTIONS,
  CALLBACKS,
  PERSPECTIVE_INPUTS,
  PROMPT_ANSWER_INPUTS,
  PROMPT_INPUTS,
  QUESTION_INPUTS,
} from '../../src/slack/ids.js';
import { csvObjects } from '../support/csv.js';
import { DRIVERS } from '../support/databases.js';
import { snapshotTables, type TableSnapshot } from '../support/db-snapshot.js';
import { barAnswers, barStateValues, type RhythmAnswers, rhythmStateValues } from '../support/factories.js';
import { AUTHOR, CHANNEL, TEAMMATE } from '../support/harness.js';
import {
  aarValues,
  addPerspective,
  openAar,
  overflowPayload,
  type SentView,
  submitAar,
  viewOpenedBy,
} from '../support/loop.js';
import { botTokenOf, useInstalledHarness } from '../support/oauth.js';
import { scenarioWeek } from '../support/scenario-week.js';
import {
  type Actor,
  buttonPayload,
  CONTENT_TYPES,
  eventBody,
  type SentRequest,
  sendSigned,
  viewSubmissionPayload,
} from '../support/slack-requests.js';

// Two workspaces, each installed with its own bot token, whose channel and people happen to share ids:
// only the team tells them apart.
const TEAM_A = 'T0AAA';
const TEAM_B = 'T0BBB';
// A was installed by the person whose id B's people share, so A's installation is one more row of that
// id's that B must neither count nor change; B by someone else, so B's own counts stay B's people's.
const B_INSTALLER = 'U0BINSTALLER';
const a: Actor = { teamId: TEAM_A, userId: AUTHOR, channelId: CHANNEL };
const aTeammate: Actor = { ...a, userId: TEAMMATE };
const b: Actor = { teamId: TEAM_B, userId: AUTHOR, channelId: CHANNEL };
const bTeammate: Actor = { ...b, userId: TEAMMATE };

/** Words only workspace A ever wrote: finding any of them in what B is sent is a leak. */
const A_WORDS = {
  action: 'Alpha pelican workshop',
  intended: 'Alpha intended: forty ocelots attend',
  challenges: 'Alpha challenge: the quokka bridge is closed',
  success: 'Alpha success: narwhal co-hosts',
  hypothesisIf: 'we alpha-invite the ibex circle',
  thread: 'Alpha thread answer about the zebra timetable',
  private: 'Alpha private answer about the tapir budget',
  anonymous: 'Alpha anonymous answer about the okapi rota',
  whatHappened: 'Alpha happened: the axolotl room flooded',
  whyDifferent: 'Alpha why: the caracal map was wrong',
  sustain: 'Alpha sustain: gecko rounds',
  change: 'Alpha change: book the wombat hall',
  revised: 'If we alpha-book the wombat hall, then we expect drier meetings',
  perspective: 'Alpha perspective on the kinkajou welcome',
  question: 'What will it take to alpha-reach the dugong families?',
  prompt: 'Alpha prompt: what did the cassowary teach us?',
  zone: 'Europe/Dublin',
};
const B_ANSWER = 'Bravo answer about the marmot schedule';

const A_RHYTHMS: RhythmAnswers = {
  timeZone: A_WORDS.zone,
  workDays: [1, 2, 3, 4, 5],
  pauseUntil: null,
  skipDates: '',
  rhythms: { week_ahead: { enabled: true, days: [1], time: '09:30' } },
};
const B_RHYTHMS: RhythmAnswers = {
  timeZone: 'UTC',
  workDays: [1, 2, 3, 4, 5],
  pauseUntil: null,
  skipDates: '',
  rhythms: {
    week_ahead: { enabled: true, days: [3], time: '09:30' },
    digest: { enabled: true, days: [5], time: '16:00' },
  },
};

const plainText = (value: string) => ({ type: 'plain_text_input', value });

describe.each(DRIVERS)('two workspaces with the same channel and user ids (%s)', (driver) => {
  const week = scenarioWeek();
  let now = week.saturday;
  const h = useInstalledHarness({ driver, now: () => now }, [
    { teamId: TEAM_A, teamName: 'Alpha', userId: AUTHOR },
    { teamId: TEAM_B, teamName: 'Bravo', userId: B_INSTALLER },
  ]);

  /** A's ids, and the forms A was shown, to replay from B. */
  const fromA = {
    ids: [] as string[],
    occurrence: { id: '', messageTs: '' },
    reviewId: '',
    aarId: '',
    answerModal: { callback_id: '', private_metadata: '' },
    aarModal: undefined as unknown as SentView & { id: string },
    perspectiveModal: { callback_id: '', private_metadata: '' },
    startingFromModal: { callback_id: '', private_metadata: '' },
    editModal: { callback_id: '', private_metadata: '' },
    deleteModal: { callback_id: '', private_metadata: '' },
  };
  let aRowsBefore: string[] = [];
  /** Everything the app sent Slack or answered while B was acting, with the token of each call to Slack. */
  const seenByB: Array<{ source: string; text: string; token?: string }> = [];

  const opened = (callbackId: string, run: () => Promise<unknown>) => viewOpenedBy(h, callbackId, run);

  const event = (actor: Actor, body: Record<string, unknown>, id: string) =>
    sendSigned(h.baseUrl, eventBody(actor.teamId, body, id), CONTENT_TYPES.json);

  /** The calls to Slack not made with `teamId`'s own bot token. */
  const callsNotWithTokenOf = (teamId: string) =>
    h.slack.calls
      .filter((call) => !botTokenOf(teamId).test(call.token ?? ''))
      .map((call) => `${call.method} with ${call.token}`);

  const rowsOf = (snapshot: TableSnapshot, teamId: string) =>
    Object.entries(snapshot).flatMap(([table, rows]) =>
      rows.filter((row) => row.includes(`"teamId":"${teamId}"`)).map((row) => `${table} ${row}`),
    );

  /** B's requests are answered over HTTP as well as through the Web API: both count as sent to B. */
  async function asB(name: string, send: () => Promise<SentRequest>): Promise<SentRequest> {
    const response = await send();
    expect(response.status).toBeLessThan(500);
    seenByB.push({ source: `answer to ${name}`, text: response.body });
    return response;
  }

  // Registered after the harness's own, so it runs first and sees the calls before they are cleared.
  let bIsActing = false;
  afterEach(() => {
    if (!bIsActing) return;
    for (const call of h.slack.calls)
      seenByB.push({
        source: `${call.method} call`,
        text: JSON.stringify(call.params),
        token: call.token ?? '',
      });
  });

  it('lets workspace A set a rhythm, answer its prompt, review, look back, add perspectives and ask questions', async () => {
    const rhythm = await opened(CALLBACKS.rhythmSettings, () => h.command('/learning', 'rhythm', a));
    await h.submitView(rhythm, rhythmStateValues(A_RHYTHMS), a);
    const prompts = await opened(CALLBACKS.channelPrompts, () => h.command('/learning', 'prompts', a));
    await h.submitView(prompts, { [PROMPT_INPUTS.add.block]: { value: plainText(A_WORDS.prompt) } }, a);
    const questions = await opened(CALLBACKS.learningQuestions, () => h.command('/learning', 'questions', a));
    await h.submitView(questions, { [QUESTION_INPUTS.add.block]: { value: plainText(A_WORDS.question) } }, a);

    now = week.mondayPrompt;
    await h.app.scheduler.tick();
    const [occurrence] = await h.app.database.db.select().from(occurrences);
    expect(occurrence).toMatchObject({ teamId: TEAM_A, status: 'posted' });
    fromA.occurrence = { id: occurrence?.id as string, messageTs: occurrence?.messageTs as string };

    await event(
      aTeammate,
      {
        type: 'message',
        channel: CHANNEL,
        user: TEAMMATE,
        text: A_WORDS.thread,
        ts: '1795400000.000100',
        thread_ts: fromA.occurrence.messageTs,
      },
      'Ev0ATHREAD',
    );
    for (const [action, text, id] of [
      [ACTIONS.answerPrivately, A_WORDS.private, 'V0APRIVATE'],
      [ACTIONS.answerAnonymously, A_WORDS.anonymous, 'V0AANON'],
    ] as const) {
      const modal = await opened(CALLBACKS.promptAnswer, () =>
        h.clickButton(
          { action_id: action, value: fromA.occurrence.id },
          { channelId: CHANNEL, messageTs: fromA.occurrence.messageTs },
          a,
        ),
      );
      if (action === ACTIONS.answerPrivately) fromA.answerModal = modal;
      await h.submitView(
        { ...modal, id },
        { [PROMPT_ANSWER_INPUTS.answer.block]: { [PROMPT_ANSWER_INPUTS.answer.action]: plainText(text) } },
        a,
      );
    }

    const bar = await opened(CALLBACKS.barModal, () => h.command('/bar', A_WORDS.action, a));
    await h.submitView(
      bar,
      barStateValues(
        barAnswers({
          action: A_WORDS.action,
          intendedResults: A_WORDS.intended,
          anticipatedChallenges: A_WORDS.challenges,
          successFactors: A_WORDS.success,
          hypothesisIf: A_WORDS.hypothesisIf,
          lookBackOn: week.lookBackOn,
        }),
      ),
      a,
    );
    await expect
      .poll(async () => (await h.app.database.db.select().from(beforeActionReviews))[0]?.summaryTs)
      .toBeTruthy();
    const [review] = await h.app.database.db.select().from(beforeActionReviews);
    fromA.reviewId = review?.id as string;
    await addPerspective(h, aTeammate, `before:${fromA.reviewId}`, { intendedResults: A_WORDS.perspective });

    fromA.aarModal = await openAar(h, a, fromA.reviewId);
    await submitAar(
      h,
      a,
      { ...fromA.aarModal, id: 'V0AAAR' },
      {
        whatHappened: A_WORDS.whatHappened,
        whyDifferent: A_WORDS.whyDifferent,
        sustain: A_WORDS.sustain,
        change: A_WORDS.change,
        verdict: 'partly',
        revisedHypothesis: A_WORDS.revised,
      },
    );
    await expect
      .poll(async () => (await h.app.database.db.select().from(afterActionReviews))[0]?.summaryTs)
      .toBeTruthy();
    const [aar] = await h.app.database.db.select().from(afterActionReviews);
    fromA.aarId = aar?.id as string;
    const { modal: perspectiveModal } = await addPerspective(
      h,
      aTeammate,
      `after:${fromA.aarId}`,
      { sustain: A_WORDS.perspective },
      true,
    );
    fromA.perspectiveModal = perspectiveModal;
    await expect.poll(async () => (await h.app.database.db.select().from(perspectives)).length).toBe(2);

    // The next /bar in A's channel starts from A's revised hypothesis; its form names that review.
    fromA.startingFromModal = await opened(CALLBACKS.barModal, () => h.command('/bar', 'Next', a));
    expect(JSON.parse(fromA.startingFromModal.private_metadata).fromAfterActionReviewId).toBe(fromA.aarId);
    fromA.editModal = await opened(CALLBACKS.barModal, () =>
      h.interact(overflowPayload(a, `edit:before:${fromA.reviewId}`, CHANNEL)),
    );
    fromA.deleteModal = await opened(CALLBACKS.confirmDelete, () =>
      h.interact(overflowPayload(a, `delete:after:${fromA.aarId}`, CHANNEL)),
    );

    // What the perspectives changed in Slack is delivered once the app is idle.
    await h.idle();
    const snapshot = await snapshotTables(h.app.database.db);
    aRowsBefore = rowsOf(snapshot, TEAM_A);
    // B holds its installation and nothing else yet.
    expect(rowsOf(snapshot, TEAM_B).map((row) => row.split(' ')[0])).toEqual(['installations']);
    const db = h.app.database.db;
    fromA.ids = [
      ...(await db.select({ id: beforeActionReviews.id }).from(beforeActionReviews)),
      ...(await db.select({ id: afterActionReviews.id }).from(afterActionReviews)),
      ...(await db.select({ id: perspectives.id }).from(perspectives)),
      ...(await db.select({ id: occurrences.id }).from(occurrences)),
      ...(await db.select({ id: responses.id }).from(responses)),
      ...(await db.select({ id: rhythms.id }).from(rhythms)),
      ...(await db.select({ id: learningQuestions.id }).from(learningQuestions)),
      ...(await db.select({ id: customPrompts.id }).from(customPrompts)),
    ].map((row) => row.id);
    expect(fromA.ids.length).toBeGreaterThanOrEqual(12);
    expect((await db.select().from(responses)).map((row) => row.text).sort()).toEqual(
      [A_WORDS.anonymous, A_WORDS.private, A_WORDS.thread].sort(),
    );
    // A's week, prompts and summaries included, was done with A's own installation's token.
    expect(h.slack.calls.length).toBeGreaterThan(20);
    expect(callsNotWithTokenOf(TEAM_A)).toEqual([]);
  });

  it('shows B every command, form and Home tab without anything of A', async () => {
    bIsActing = true;
    now = week.monday;
    await asB('/aar', () => h.command('/aar', '', b));
    await asB('/learning help', () => h.command('/learning', 'help', b));
    await opened(CALLBACKS.digestPreview, () =>
      asB('/learning digest', () => h.command('/learning', 'digest', b)),
    );
    for (const [text, callbackId] of [
      ['rhythm', CALLBACKS.rhythmSettings],
      ['prompts', CALLBACKS.channelPrompts],
      ['questions', CALLBACKS.learningQuestions],
    ] as const)
      await opened(callbackId, () => asB(`/learning ${text}`, () => h.command('/learning', text, b)));
    const bar = await opened(CALLBACKS.barModal, () => asB('/bar', () => h.command('/bar', 'Bravo plan', b)));
    // B's form offers no revised hypothesis to start from: that one is A's.
    expect(JSON.parse(bar.private_metadata).fromAfterActionReviewId).toBeUndefined();
    // The digest preview and B's lessons are filled in once their forms are open.
    await expect.poll(() => h.slack.callsTo('views.update').length).toBeGreaterThanOrEqual(2);
    for (const user of [AUTHOR, TEAMMATE]) {
      await asB('app_home_opened', () =>
        event(b, { type: 'app_home_opened', user, channel: 'D0HOME', tab: 'home' }, `Ev0BHOME${user}`),
      );
      await h.slack.waitForCall('views.publish', (call) => call.params.user_id === user);
    }
  });

  it('gives B nothing of A for A’s buttons, forms and thread, and changes none of A’s rows', async () => {
    const buttons: Array<[string, string]> = [
      [ACTIONS.readReviewInFull, fromA.reviewId],
      [ACTIONS.retryShare, fromA.reviewId],
      [ACTIONS.startAar, fromA.reviewId],
      [ACTIONS.addPerspective, `before:${fromA.reviewId}`],
      [ACTIONS.addPerspective, `after:${fromA.aarId}`],
      [ACTIONS.answerPrivately, fromA.occurrence.id],
      [ACTIONS.answerAnonymously, fromA.occurrence.id],
      [ACTIONS.postDigestAgain, `${CHANNEL}|1`],
    ];
    for (const [action_id, value] of buttons)
      await asB(action_id, () =>
        h.interact(
          buttonPayload(
            b,
            { action_id, value },
            { channelId: CHANNEL, messageTs: fromA.occurrence.messageTs },
          ),
        ),
      );
    for (const value of [
      `edit:before:${fromA.reviewId}`,
      `delete:before:${fromA.reviewId}`,
      `edit:after:${fromA.aarId}`,
      `delete:after:${fromA.aarId}`,
    ])
      await asB(`… ${value}`, () => h.interact(overflowPayload(b, value, CHANNEL)));
    for (const [action_id, value] of [
      [ACTIONS.skipPrompt, `${fromA.occurrence.id}|not_safe`],
      [ACTIONS.checkInConfidence, `${fromA.occurrence.id}|5`],
    ] as const)
      await asB(action_id, () =>
        h.interact({
          ...buttonPayload(b, { action_id, value: '' }, { channelId: CHANNEL }),
          actions: [
            {
              type: 'static_select',
              action_id,
              block_id: 'b',
              selected_option: { text: { type: 'plain_text', text: 'x' }, value },
              action_ts: '1.1',
            },
          ],
        }),
      );

    // A's forms, submitted from B with B's own words.
    const submit = (name: string, view: { callback_id: string; private_metadata: string }, values: object) =>
      asB(name, () =>
        h.interact(
          viewSubmissionPayload(
            bTeammate,
            { ...view, id: `V0B${name}` },
            values as Record<string, Record<string, unknown>>,
          ),
        ),
      );
    const refused = (response: SentRequest) =>
      expect((response.json() as { response_action?: string }).response_action).toBe('errors');
    refused(
      await submit('answer', fromA.answerModal, {
        [PROMPT_ANSWER_INPUTS.answer.block]: {
          [PROMPT_ANSWER_INPUTS.answer.action]: plainText('Bravo forged answer'),
        },
      }),
    );
    refused(
      await submit('perspective', fromA.perspectiveModal, {
        [PERSPECTIVE_INPUTS.answer('sustain').block]: { value: plainText('Bravo forged perspective') },
        [PERSPECTIVE_INPUTS.anonymous.block]: { value: { type: 'checkboxes', selected_options: [] } },
      }),
    );
    refused(
      await submit('edit', fromA.editModal, barStateValues(barAnswers({ lookBackOn: week.lookBackOn }))),
    );
    await submit('delete', fromA.deleteModal, {});
    await submit(
      'startingfrom',
      fromA.startingFromModal,
      barStateValues(barAnswers({ action: 'Bravo review', lookBackOn: week.lookBackOn })),
    );
    // A form opened for a review B cannot see reads as one whose review was since deleted: B's words
    // are kept as a review of B's own, with nothing of A's.
    await submit('aar', fromA.aarModal, aarValues({ whatHappened: 'Bravo happened', verdict: 'borne_out' }));

    // A's prompt thread, and A's reply in it, as seen from B.
    const reply = { channel: CHANNEL, ts: '1795400000.000100' };
    await asB('reply in A’s thread', () =>
      event(
        bTeammate,
        {
          type: 'message',
          ...reply,
          ts: '1795400000.000200',
          user: TEAMMATE,
          text: 'Bravo reply',
          thread_ts: fromA.occurrence.messageTs,
        },
        'Ev0BREPLY',
      ),
    );
    await asB('edit of A’s reply', () =>
      event(
        bTeammate,
        {
          type: 'message',
          subtype: 'message_changed',
          channel: CHANNEL,
          message: { ts: reply.ts, text: 'Bravo rewrote it', thread_ts: fromA.occurrence.messageTs },
        },
        'Ev0BEDIT',
      ),
    );
    await asB('deletion of A’s reply', () =>
      event(
        bTeammate,
        { type: 'message', subtype: 'message_deleted', channel: CHANNEL, deleted_ts: reply.ts },
        'Ev0BDEL',
      ),
    );
    await asB('app left B’s channel', () => event(b, { type: 'channel_left', channel: CHANNEL }, 'Ev0BLEFT'));
    await asB('app joined B’s channel', () =>
      event(b, { type: 'member_joined_channel', user: h.slack.botUserId, channel: CHANNEL }, 'Ev0BJOIN'),
    );
    await expect.poll(() => h.slack.callsTo('chat.postMessage').length).toBeGreaterThan(0);
    await h.idle();

    const snapshot = await snapshotTables(h.app.database.db);
    expect(rowsOf(snapshot, TEAM_A)).toEqual(aRowsBefore);
    const bRows = rowsOf(snapshot, TEAM_B);
    expect(bRows.filter((row) => fromA.ids.some((id) => row.includes(id)))).toEqual([]);
    const [bravoReview] = (await h.app.database.db.select().from(beforeActionReviews)).filter(
      (row) => row.teamId === TEAM_B,
    );
    expect(bravoReview).toMatchObject({ action: 'Bravo review', fromAfterActionReviewId: null });
    const [bravoAar] = (await h.app.database.db.select().from(afterActionReviews)).filter(
      (row) => row.teamId === TEAM_B,
    );
    expect(bravoAar).toMatchObject({ reviewId: null, whatHappened: 'Bravo happened' });
    expect((await h.app.database.db.select().from(responses)).filter((row) => row.teamId === TEAM_B)).toEqual(
      [],
    );
  });

  it('posts B’s digest with B’s answers only, though A answered in a channel with the same id', async () => {
    const rhythm = await opened(CALLBACKS.rhythmSettings, () => h.command('/learning', 'rhythm', b));
    await asB('rhythm saved', () => h.submitView(rhythm, rhythmStateValues(B_RHYTHMS), b));
    now = week.wednesdayPrompt;
    await h.app.scheduler.tick();
    const bPrompt = (await h.app.database.db.select().from(occurrences)).find(
      (row) => row.teamId === TEAM_B && row.kind === 'week_ahead',
    );
    expect(bPrompt?.status).toBe('posted');
    await asB('B’s reply', () =>
      event(
        bTeammate,
        {
          type: 'message',
          channel: CHANNEL,
          user: TEAMMATE,
          text: B_ANSWER,
          ts: '1795500000.000100',
          thread_ts: bPrompt?.messageTs,
        },
        'Ev0BANSWER',
      ),
    );
    await expect
      .poll(async () =>
        (await h.app.database.db.select().from(responses)).filter((row) => row.teamId === TEAM_B),
      )
      .toHaveLength(1);

    now = week.fridayBefore;
    await opened(CALLBACKS.digestPreview, () =>
      asB('/learning digest', () => h.command('/learning', 'digest', b)),
    );
    await h.slack.waitForCall('views.update');
    now = week.fridaySlot;
    await h.app.scheduler.tick();
    const [digest, ...more] = h.slack
      .messagesIn(CHANNEL)
      .filter((message) => message.text.startsWith('Weekly learning digest'));
    expect(more).toEqual([]);
    // One answer that week in B's channel; A's three in the channel with the same id are not B's.
    expect(digest?.text).toMatch(/: 1 answer\./);
    await h.idle();
  });

  /** What A's people were shown before B acted: ownership confirmations, and the app's messages in A's channel. */
  const aGave = { forgetMe: '', deleteChannel: '', messages: [] as string[] };
  let aRowsNow: string[] = [];

  const buttonValue = (blocks: unknown, actionId: string): string => {
    const found = (blocks as Array<{ elements?: Array<{ action_id?: string; value?: string }> }>)
      .flatMap((block) => block.elements ?? [])
      .find((element) => element.action_id === actionId);
    if (!found?.value) throw new Error(`no ${actionId} button`);
    return found.value;
  };
  /** The counted lines of an ownership message, as the person reads them. */
  const bulletsOf = (blocks: unknown): string[] =>
    (blocks as Array<{ text?: { text?: string } }>)
      .flatMap((block) => (block.text?.text ?? '').split('\n'))
      .filter((line) => line.startsWith('• '));
  const toldInChannel = (userId: string, startsWith: string) =>
    h.slack.waitForCall(
      'chat.postEphemeral',
      (call) => call.params.user === userId && String(call.params.text).startsWith(startsWith),
    );

  it('gives A’s admin the confirmations to forget them and to delete A’s channel data', async () => {
    bIsActing = false;
    // Slack answers users.info alike for both workspaces here, so the person with this id is an admin
    // in B as well: only the workspace a request comes from can keep B's admin away from A's data.
    h.slack.addUser({ id: AUTHOR, name: 'ada', realName: 'Ada Author', tz: 'Europe/London', isAdmin: true });
    const db = h.app.database.db;
    aRowsNow = rowsOf(await snapshotTables(db), TEAM_A);
    const ofA = <T extends { teamId: string }>(rows: T[]) => rows.filter((row) => row.teamId === TEAM_A);
    aGave.messages = [
      ...ofA(await db.select().from(beforeActionReviews)).map((row) => row.summaryTs),
      ...ofA(await db.select().from(afterActionReviews)).map((row) => row.summaryTs),
      ...ofA(await db.select().from(perspectives)).map((row) => row.messageTs),
      ...ofA(await db.select().from(occurrences)).map((row) => row.messageTs),
    ].filter((ts): ts is string => Boolean(ts));
    expect(aGave.messages.length).toBeGreaterThanOrEqual(5);

    const forget = await h.command('/learning', 'forget-me', a);
    const forgetBlocks = (forget.json() as { blocks: unknown }).blocks;
    // A's counts only: B's rows of the same ids, in the channel with the same id, would add to them.
    expect(bulletsOf(forgetBlocks)).toEqual([
      '• 1 before-action review you started',
      '• 1 after-action review you wrote',
      '• 1 answer to prompts and check-ins (in threads and private)',
      '• named in 1 before-action review',
      '• named in 1 after-action review',
      '• steward of 1 channel',
      '• 1 learning question and 1 prompt you wrote for a channel: they stay the channel’s, with no name on them',
      // A's installation is one of them.
      '• 5 settings (rhythms you saved, digests you asked for, stewards you added) keep working, with no name on them',
    ]);
    aGave.forgetMe = buttonValue(forgetBlocks, ACTIONS.forgetMe);
    await h.command('/learning', 'delete-channel-data', a);
    const asked = await toldInChannel(AUTHOR, 'Delete everything stored');
    expect(bulletsOf(asked.params.blocks)).toEqual([
      '• 1 before-action review',
      '• 1 after-action review',
      '• 2 perspectives',
      '• 3 answers',
      '• 3 prompts and check-ins',
      '• 1 learning question',
      '• 1 channel prompt',
      '• 4 rhythms',
      '• 1 channel calendar',
      '• 1 welcome record',
      '• 3 records of who was involved in a review',
    ]);
    aGave.deleteChannel = buttonValue(asked.params.blocks, ACTIONS.deleteChannelData);
    expect(rowsOf(await snapshotTables(db), TEAM_A)).toEqual(aRowsNow);
    expect(callsNotWithTokenOf(TEAM_A)).toEqual([]);
  });

  it('deletes nothing when B’s person presses the confirmations A’s same-id person was given', async () => {
    bIsActing = true;
    const before = await snapshotTables(h.app.database.db);
    const refusals = (text: string) => h.logs.lines.filter((line) => line.includes(text)).length;
    const forgetRefusals = refusals('forget-me confirmation refused');
    const deleteRefusals = refusals('channel deletion confirmation refused');
    await asB('A’s forget-me button', () =>
      h.clickButton({ action_id: ACTIONS.forgetMe, value: aGave.forgetMe }, { channelId: CHANNEL }, b),
    );
    await asB('A’s delete-channel-data button', () =>
      h.clickButton(
        { action_id: ACTIONS.deleteChannelData, value: aGave.deleteChannel },
        { channelId: CHANNEL },
        b,
      ),
    );
    await expect.poll(() => refusals('forget-me confirmation refused')).toBe(forgetRefusals + 1);
    await expect.poll(() => refusals('channel deletion confirmation refused')).toBe(deleteRefusals + 1);
    await h.idle();
    expect(await snapshotTables(h.app.database.db)).toEqual(before);
    expect(h.slack.callsTo('chat.delete')).toEqual([]);
    expect(h.slack.callsTo('chat.postEphemeral')).toEqual([]);
  });

  it('exports to B’s admin the history of B’s channel only, though A’s channel has the same id', async () => {
    const earlier = h.slack.uploadedFiles().length;
    await asB('/learning export', () => h.command('/learning', 'export', b));
    await toldInChannel(AUTHOR, `The learning history of <#${CHANNEL}> is in your direct messages`);
    const files = h.slack.uploadedFiles().slice(earlier);
    expect(files.map((file) => [file.filename.split('.').at(-1), file.channelId, file.completed])).toEqual([
      ['md', h.slack.dmChannelFor(AUTHOR), true],
      ['csv', h.slack.dmChannelFor(AUTHOR), true],
      // The channel's learning history for the same days, searched for A's words with the rest below.
      ['md', h.slack.dmChannelFor(AUTHOR), true],
    ]);
    const [markdown, csv] = files.map((file) => file.bytes.toString('utf8')) as [string, string];
    for (const file of files)
      seenByB.push({ source: `exported ${file.filename}`, text: file.bytes.toString('utf8') });

    // B's review, look-back, answer and digest; A's review, look-back, perspectives, three answers and
    // learning question in the channel with the same id are not B's.
    expect(
      csvObjects(csv)
        .map((row) => row.kind)
        .sort(),
    ).toEqual(['after_action_review', 'answer', 'before_action_review', 'digest']);
    for (const text of [markdown, csv]) {
      expect(text).toContain('Bravo review');
      expect(text).toContain('Bravo happened');
      expect(text).toContain(B_ANSWER);
    }
    expect(markdown).toContain('## Answers by week (1)');
  });

  it('forgets a person in B only: A’s rows and messages for the same id stay, and B is told B’s counts', async () => {
    const db = h.app.database.db;
    const [bravoReview] = (await db.select().from(beforeActionReviews)).filter(
      (row) => row.teamId === TEAM_B,
    );
    const [bravoAar] = (await db.select().from(afterActionReviews)).filter((row) => row.teamId === TEAM_B);
    const people: Array<[Actor, string[], string[]]> = [
      [
        b,
        // In A this id started a review, looked back, answered privately and wrote a question and a prompt.
        [
          '• named in 1 before-action review',
          '• named in 1 after-action review',
          '• steward of 1 channel',
          '• 4 settings (rhythms you saved, digests you asked for, stewards you added) keep working, with no name on them',
        ],
        [],
      ],
      [
        bTeammate,
        // In A this id answered in the thread and added a perspective with their name.
        [
          '• 1 before-action review you started',
          '• 1 after-action review you wrote',
          '• 1 answer to prompts and check-ins (in threads and private)',
          '• named in 1 before-action review',
        ],
        [bravoReview?.summaryTs as string, bravoAar?.summaryTs as string],
      ],
    ];
    for (const [actor, counted, removed] of people) {
      const asked = await asB(`/learning forget-me by ${actor.userId}`, () =>
        h.command('/learning', 'forget-me', actor),
      );
      const blocks = (asked.json() as { blocks: unknown }).blocks;
      expect(bulletsOf(blocks)).toEqual(counted);
      const deletedBefore = h.slack.callsTo('chat.delete').length;
      await asB(`forget-me button by ${actor.userId}`, () =>
        h.clickButton(
          { action_id: ACTIONS.forgetMe, value: buttonValue(blocks, ACTIONS.forgetMe) },
          { channelId: CHANNEL },
          actor,
        ),
      );
      const done = await toldInChannel(actor.userId, 'Done.');
      expect(bulletsOf(done.params.blocks)).toEqual(counted);
      expect(
        h.slack
          .callsTo('chat.delete')
          .slice(deletedBefore)
          .map((call) => call.params.ts)
          .sort(),
      ).toEqual([...removed].sort());
    }

    const snapshot = await snapshotTables(db);
    expect(rowsOf(snapshot, TEAM_A)).toEqual(aRowsNow);
    expect(rowsOf(snapshot, TEAM_B).filter((row) => row.includes(AUTHOR) || row.includes(TEAMMATE))).toEqual(
      [],
    );
    const inChannel = h.slack.messagesIn(CHANNEL).map((message) => message.ts);
    for (const ts of aGave.messages) expect(inChannel).toContain(ts);
    expect(
      h.slack.callsTo('chat.update').filter((call) => aGave.messages.includes(String(call.params.ts))),
    ).toEqual([]);
  });

  it('deletes B’s channel data only, counting none of A’s rows in the channel with the same id', async () => {
    // What B's channel still holds: its calendar, rhythms, prompt, digest and welcome. A's reviews,
    // perspectives, answers, question and prompt there would add lines of their own.
    const counted = [
      '• 1 digest',
      '• 2 prompts and check-ins',
      '• 4 rhythms',
      '• 1 channel calendar',
      '• 1 welcome record',
    ];
    await asB('/learning delete-channel-data', () => h.command('/learning', 'delete-channel-data', b));
    const asked = await toldInChannel(AUTHOR, 'Delete everything stored');
    expect(bulletsOf(asked.params.blocks)).toEqual(counted);
    await asB('delete-channel-data button', () =>
      h.clickButton(
        {
          action_id: ACTIONS.deleteChannelData,
          value: buttonValue(asked.params.blocks, ACTIONS.deleteChannelData),
        },
        { channelId: CHANNEL },
        b,
      ),
    );
    const done = await toldInChannel(AUTHOR, 'Deleted everything stored');
    expect(bulletsOf(done.params.blocks)).toEqual(counted);

    const snapshot = await snapshotTables(h.app.database.db);
    expect(rowsOf(snapshot, TEAM_A)).toEqual(aRowsNow);
    expect(rowsOf(snapshot, TEAM_B).filter((row) => row.includes(`"channelId":"${CHANNEL}"`))).toEqual([]);
  });

  it('never sent B any of A’s words or ids', () => {
    bIsActing = false;
    const forbidden = [...Object.values(A_WORDS), ...fromA.ids, TEAM_A];
    expect(seenByB.length).toBeGreaterThan(50);
    // What B wrote did reach B's channel, so the search covers what the app posted for B.
    expect(seenByB.some(({ text }) => text.includes('Bravo review'))).toBe(true);
    const leaks = seenByB.flatMap(({ source, text }) =>
      forbidden.filter((needle) => text.includes(needle)).map((needle) => `${source}: ${needle}`),
    );
    expect(leaks).toEqual([]);
    // Every call the app made to Slack while B acted, admin lookups included, was made with B's own token.
    const calls = seenByB.filter((seen) => seen.token !== undefined);
    expect(calls.length).toBeGreaterThan(50);
    expect(
      calls.filter(({ token }) => !botTokenOf(TEAM_B).test(token ?? '')).map(({ source }) => source),
    ).toEqual([]);
  });
});
