import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import {
  afterActionReviews,
  beforeActionReviews,
  occurrences,
  perspectives,
  responses,
} from '../../src/db/schema.js';
import {
  ACTIONS,
  CALLBACKS,
  PERSPECTIVE_INPUTS,
  PROMPT_ANSWER_INPUTS,
  QUOTABLE_VALUE,
} from '../../src/slack/ids.js';
import { DRIVERS } from '../support/databases.js';
import { snapshotTables } from '../support/db-snapshot.js';
import { barAnswers, barStateValues, type RhythmAnswers, rhythmStateValues } from '../support/factories.js';
import type { RecordedCall } from '../support/fake-slack.js';
import { AUTHOR, CHANNEL, TEAM, TEAMMATE, useHarness } from '../support/harness.js';
import { addPerspective, openAar, type SentView, submitAar, viewOpenedBy } from '../support/loop.js';
import { scenarioWeek } from '../support/scenario-week.js';
import { seedSyntheticTeam } from '../support/seed-digest.js';
import {
  type Actor,
  CONTENT_TYPES,
  eventBody,
  type SentRequest,
  sendSigned,
  viewSubmissionPayload,
} from '../support/slack-requests.js';
import { NO_PLANTS, QUIET_SEED, syntheticTeam } from '../support/synthetic-team.js';

/** The person whose anonymity is under test: nothing they did anonymously may lead back to them. */
const SECRET = { id: 'U0SECRET', name: 'quinn.hidden', realName: 'Quinn Hidden' };
/** Their id, the id of their direct messages with the app, their handle and their name, however cased. */
const TRACES = [/0SECRET/i, /quinn/i, /Hidden/];
const THIRD = 'U0THIRD';

const secret: Actor = { teamId: TEAM, userId: SECRET.id, channelId: CHANNEL };
const author: Actor = { teamId: TEAM, userId: AUTHOR, channelId: CHANNEL };
const teammate: Actor = { ...author, userId: TEAMMATE };
const third: Actor = { ...author, userId: THIRD };

const ANONYMOUS_ANSWER = 'Nobody says it, but the intake form scares families away';
const ANONYMOUS_PERSPECTIVE = 'Keep the intake form short, and stop asking for passports';

const RHYTHMS: RhythmAnswers = {
  timeZone: 'UTC',
  workDays: [1, 2, 3, 4, 5],
  pauseUntil: null,
  skipDates: '',
  rhythms: {
    week_ahead: { enabled: true, days: [1], time: '09:30' },
    digest: { enabled: true, days: [5], time: '16:00' },
  },
};

describe.each(DRIVERS)('an anonymous author stays anonymous (%s)', (driver) => {
  const week = scenarioWeek();
  let now = week.saturday;
  const h = useHarness({ driver, now: () => now });

  // Everything the app sent, kept before the harness clears it after each test (this hook runs first).
  const calls: RecordedCall[] = [];
  const answers: Array<{ request: string; body: string }> = [];
  afterEach(() => {
    calls.push(...h.slack.calls);
  });

  async function send(request: string, go: () => Promise<SentRequest>): Promise<SentRequest> {
    const response = await go();
    expect(response.status).toBe(200);
    answers.push({ request, body: response.body });
    return response;
  }

  const opened = (callbackId: string, run: () => Promise<unknown>) => viewOpenedBy(h, callbackId, run);

  const reply = (actor: Actor, text: string, ts: string, threadTs: string) =>
    send(`thread reply by ${actor.userId}`, () =>
      sendSigned(
        h.baseUrl,
        eventBody(
          TEAM,
          { type: 'message', channel: CHANNEL, user: actor.userId, text, ts, thread_ts: threadTs },
          `Ev${ts}`,
        ),
        CONTENT_TYPES.json,
      ),
    );

  const answerInForm = (actor: Actor, modal: SentView & { id: string }, text: string, quotable = false) =>
    send(`answer form by ${actor.userId}`, () =>
      h.interact(
        viewSubmissionPayload(actor, modal, {
          [PROMPT_ANSWER_INPUTS.answer.block]: {
            [PROMPT_ANSWER_INPUTS.answer.action]: { type: 'plain_text_input', value: text },
          },
          [PROMPT_ANSWER_INPUTS.quotable.block]: {
            [PROMPT_ANSWER_INPUTS.quotable.action]: {
              type: 'checkboxes',
              selected_options: quotable ? [{ value: QUOTABLE_VALUE }] : [],
            },
          },
        }),
      ),
    );

  let prompt = { id: '', ts: '' };
  const answersTo = (occurrenceId: string) =>
    h.app.database.db.select().from(responses).where(eq(responses.occurrenceId, occurrenceId));
  let aarId = '';

  it('answers a prompt: two in its thread, one privately, and Quinn anonymously after a refused empty try', async () => {
    h.slack.addUser({ id: SECRET.id, name: SECRET.name, realName: SECRET.realName, tz: 'Europe/London' });
    h.slack.addUser({ id: THIRD, name: 'thea', realName: 'Thea Third', tz: 'Europe/London' });
    // Eight quiet weeks before this one, so this week's talk of the intake form stands out as a theme
    // and the digest quotes what was said about it.
    const history = syntheticTeam({
      seed: QUIET_SEED,
      weeks: 8,
      start: new Date(week.fridaySlot.getTime() - 30_000 - 9 * 7 * 86_400_000),
      plants: NO_PLANTS,
    });
    for (const message of await seedSyntheticTeam(
      h.app.database.db,
      { teamId: TEAM, enterpriseId: null },
      CHANNEL,
      history,
    ))
      h.slack.addMessage(message);
    const rhythm = await opened(CALLBACKS.rhythmSettings, () => h.command('/learning', 'rhythm'));
    await send('rhythm saved', () => h.submitView(rhythm, rhythmStateValues(RHYTHMS)));
    now = week.mondayPrompt;
    await h.app.scheduler.tick();
    const [occurrence] = await h.app.database.db
      .select()
      .from(occurrences)
      .where(eq(occurrences.kind, 'week_ahead'));
    expect(occurrence?.status).toBe('posted');
    prompt = { id: occurrence?.id as string, ts: occurrence?.messageTs as string };
    now = week.monday;

    await reply(
      author,
      'The new intake form confused three families at the front desk',
      '1796000001.000100',
      prompt.ts,
    );
    await reply(
      teammate,
      'Volunteers asked twice where the intake form lives',
      '1796000002.000100',
      prompt.ts,
    );
    const privately = await opened(CALLBACKS.promptAnswer, () =>
      h.clickButton(
        { action_id: ACTIONS.answerPrivately, value: prompt.id },
        { channelId: CHANNEL, messageTs: prompt.ts },
        third,
      ),
    );
    await answerInForm(third, privately, 'The intake form needs a plain-language version', true);

    const anonymously = await opened(CALLBACKS.promptAnswer, () =>
      h.clickButton(
        { action_id: ACTIONS.answerAnonymously, value: prompt.id },
        { channelId: CHANNEL, messageTs: prompt.ts },
        secret,
      ),
    );
    const refused = await answerInForm(secret, anonymously, '   ');
    expect((refused.json() as { response_action: string }).response_action).toBe('errors');
    await answerInForm(secret, { ...anonymously, id: `${anonymously.id}B` }, ANONYMOUS_ANSWER);
    await expect.poll(async () => (await answersTo(prompt.id)).length).toBe(4);
  });

  it('closes a review’s loop, where Quinn adds an anonymous perspective after a refused empty one', async () => {
    await send('/bar', async () => {
      const bar = await opened(CALLBACKS.barModal, () => h.command('/bar', 'Redesign the intake form'));
      return h.submitView(
        bar,
        barStateValues(
          barAnswers({
            action: 'Redesign the intake form',
            lookBackOn: week.lookBackOn,
            people: [AUTHOR, TEAMMATE],
          }),
        ),
      );
    });
    const ours = async () =>
      (
        await h.app.database.db
          .select()
          .from(beforeActionReviews)
          .where(eq(beforeActionReviews.action, 'Redesign the intake form'))
      )[0];
    await expect.poll(async () => (await ours())?.summaryTs).toBeTruthy();
    const review = await ours();
    const aarModal = await openAar(h, author, review?.id ?? '');
    answers.push({
      request: 'after-action review',
      body: (await submitAar(h, author, aarModal, { verdict: 'partly' })).body,
    });
    const itsAar = async () =>
      (
        await h.app.database.db
          .select()
          .from(afterActionReviews)
          .where(eq(afterActionReviews.reviewId, review?.id ?? ''))
      )[0];
    await expect.poll(async () => (await itsAar())?.summaryTs).toBeTruthy();
    aarId = (await itsAar())?.id as string;
    const named = await addPerspective(h, teammate, `after:${aarId}`, { sustain: 'Keep the Saturday desk' });
    answers.push({ request: 'named perspective', body: named.response.body });

    const form = await opened(CALLBACKS.perspectiveModal, () =>
      h.clickButton(
        { action_id: ACTIONS.addPerspective, value: `after:${aarId}` },
        { channelId: CHANNEL },
        secret,
      ),
    );
    const anonymous = { value: { type: 'checkboxes', selected_options: [{ value: 'anonymous' }] } };
    const empty = await send('empty anonymous perspective', () =>
      h.interact(viewSubmissionPayload(secret, form, { [PERSPECTIVE_INPUTS.anonymous.block]: anonymous })),
    );
    expect((empty.json() as { response_action: string }).response_action).toBe('errors');
    await send('anonymous perspective', () =>
      h.interact(
        viewSubmissionPayload(
          secret,
          { ...form, id: `${form.id}B` },
          {
            [PERSPECTIVE_INPUTS.answer('sustain').block]: {
              value: { type: 'plain_text_input', value: ANONYMOUS_PERSPECTIVE },
            },
            [PERSPECTIVE_INPUTS.anonymous.block]: anonymous,
          },
        ),
      ),
    );
    await h.slack.waitForCall('chat.postMessage', (call) =>
      String(call.params.text).includes('anonymous perspective'),
    );
    await expect.poll(() => h.slack.callsTo('chat.update').length).toBeGreaterThanOrEqual(2);
  });

  it('draws the Home tab for four people, previews the digest and posts it at its slot', async () => {
    for (const user of [AUTHOR, TEAMMATE, THIRD, SECRET.id]) {
      await send(`Home tab of ${user}`, () =>
        sendSigned(
          h.baseUrl,
          eventBody(
            TEAM,
            { type: 'app_home_opened', user, channel: 'D0HOME', tab: 'home' },
            `Ev0HOME${user}`,
          ),
          CONTENT_TYPES.json,
        ),
      );
      await h.slack.waitForCall('views.publish', (call) => call.params.user_id === user);
    }
    const homeOf = (user: string) =>
      JSON.stringify(
        h.slack.callsTo('views.publish').find((call) => call.params.user_id === user)?.params.view,
      );
    // Thea's private answer is hers to edit or withdraw there; Quinn's anonymous one is nobody's.
    expect(homeOf(THIRD)).toContain('Your private answers');
    expect(homeOf(THIRD)).toContain('The intake form needs a plain-language version');
    expect(homeOf(SECRET.id)).not.toContain('Your private answers');
    now = week.fridayBefore;
    await opened(CALLBACKS.digestPreview, () =>
      send('/learning digest', () => h.command('/learning', 'digest')),
    );
    await h.slack.waitForCall('views.update', (call) =>
      JSON.stringify(call.params.view).includes('Only you can see this'),
    );
    now = week.fridaySlot;
    await h.app.scheduler.tick();
    const digest = h.slack
      .messagesIn(CHANNEL)
      .find((message) => message.text.startsWith('Weekly learning digest'));
    expect(digest?.text).toMatch(/: 4 answers\./);
    // With three named people answering, the anonymous answer may be quoted: it is, under the new theme.
    const thread = h.slack.messagesIn(CHANNEL).filter((message) => message.thread_ts === digest?.ts);
    expect(JSON.stringify(thread.map((message) => message.blocks))).toContain(ANONYMOUS_ANSWER);
    await expect.poll(() => h.slack.uploadedFiles().filter((file) => file.completed).length).toBe(1);
    await send('/learning digest post', () => h.command('/learning', 'digest post'));
    await h.slack.waitForCall('chat.postEphemeral', (call) => String(call.params.text).includes('already'));
  });

  it('exports the channel to an admin with the anonymous answer and perspective marked, and no author', async () => {
    h.slack.addUser({ id: AUTHOR, name: 'ada', realName: 'Ada Author', tz: 'Europe/London', isAdmin: true });
    await send('/learning export', () => h.command('/learning', 'export'));
    // The digest's chart, then the export's Markdown, CSV and learning history.
    await expect.poll(() => h.slack.uploadedFiles().filter((file) => file.completed).length).toBe(4);
    const [markdown, csv] = h.slack
      .uploadedFiles()
      .slice(1)
      .map((file) => file.bytes.toString('utf8')) as [string, string];
    const lines = markdown.split('\n');
    const answerLine = lines.find((line) => line.includes(ANONYMOUS_ANSWER));
    expect(answerLine).toContain('*anonymous*');
    // A perspective is a heading naming who wrote it, then its answers.
    const perspectiveAt = lines.findIndex((line) => line.includes(ANONYMOUS_PERSPECTIVE));
    const heading = lines
      .slice(0, perspectiveAt)
      .reverse()
      .find((line) => line.startsWith('### '));
    expect(heading).toContain('*anonymous*');
    for (const words of [ANONYMOUS_ANSWER, ANONYMOUS_PERSPECTIVE]) expect(csv).toContain(words);
  });

  it('keeps no user, no source and only the hour of the anonymous answer and perspective', async () => {
    const isOnTheHour = (date: Date) =>
      date.getUTCMinutes() === 0 && date.getUTCSeconds() === 0 && date.getUTCMilliseconds() === 0;
    const anonymousAnswers = (await answersTo(prompt.id)).filter((row) => row.kind === 'anonymous');
    expect(anonymousAnswers).toMatchObject([{ text: ANONYMOUS_ANSWER, userId: null, sourceKey: null }]);
    expect(anonymousAnswers.every((row) => isOnTheHour(row.createdAt) && isOnTheHour(row.updatedAt))).toBe(
      true,
    );
    const anonymousPerspectives = (
      await h.app.database.db.select().from(perspectives).where(eq(perspectives.afterActionReviewId, aarId))
    ).filter((row) => row.userId === null);
    expect(anonymousPerspectives).toMatchObject([
      { sourceViewId: null, answers: { sustain: ANONYMOUS_PERSPECTIVE } },
    ]);
    expect(
      anonymousPerspectives.every((row) => isOnTheHour(row.createdAt) && isOnTheHour(row.updatedAt)),
    ).toBe(true);
  });

  it('never names Quinn or gives their id anywhere: Slack calls, uploads, messages, answers, logs or rows', async () => {
    // A note or a Home tab meant for Quinn alone has to be addressed to them; that address is the only
    // place their id may appear, and nothing else in those calls may.
    const addressedToQuinn = (call: RecordedCall) =>
      (call.method === 'chat.postEphemeral' && call.params.user === SECRET.id) ||
      (call.method === 'views.publish' && call.params.user_id === SECRET.id);
    const withoutAddress = (call: RecordedCall) =>
      addressedToQuinn(call)
        ? Object.fromEntries(
            Object.entries(call.params).filter(([key]) => key !== 'user' && key !== 'user_id'),
          )
        : call.params;
    const toQuinn = calls.filter(addressedToQuinn);
    // The anonymous answer's quiet confirmation, and their own Home tab: nothing else went to them.
    expect(toQuinn.map((call) => call.method).sort()).toEqual(['chat.postEphemeral', 'views.publish']);
    // The confirmation says the answer cannot be changed, and offers nothing that could point at it:
    // the stored answer's id is in no call to Slack at all.
    const confirmation = toQuinn.find((call) => call.method === 'chat.postEphemeral');
    expect(confirmation?.params.text).toContain(
      'No name is kept with it, so it cannot be edited or withdrawn',
    );
    const anonymousIds = (await answersTo(prompt.id))
      .filter((row) => row.kind === 'anonymous')
      .map((row) => row.id);
    expect(anonymousIds).toHaveLength(1);
    expect(calls.filter((call) => JSON.stringify(call.params).includes(anonymousIds[0] as string))).toEqual(
      [],
    );

    const rows = await snapshotTables(h.app.database.db);
    const sources: Array<{ name: string; texts: string[] }> = [
      {
        name: 'fake Slack calls (posts, ephemerals, updates, deletes, views opened, updated and published, uploads, lookups)',
        texts: calls.map((call) => `${call.method} ${JSON.stringify(withoutAddress(call))}`),
      },
      {
        name: 'uploaded files (bytes as UTF-8 and Latin-1, name, title, alt text)',
        texts: h.slack
          .uploadedFiles()
          .flatMap((file) => [
            file.bytes.toString('utf8'),
            file.bytes.toString('latin1'),
            `${file.filename} ${file.title} ${file.altText ?? ''}`,
          ]),
      },
      {
        name: 'messages in every channel and direct message (text, blocks, metadata, shared files)',
        texts: h.slack.allMessages().map((message) => JSON.stringify(message)),
      },
      {
        name: 'answers the app gave over HTTP, validation errors included',
        texts: answers.map((a) => a.body),
      },
      { name: 'log lines', texts: h.logs.lines },
      { name: 'database rows of every table', texts: Object.values(rows).flat() },
    ];
    expect(calls.length).toBeGreaterThan(30);
    expect(h.logs.lines.length).toBeGreaterThan(10);
    // The digest's chart, and the export's Markdown, CSV and learning history: all searched below.
    expect(h.slack.uploadedFiles()).toHaveLength(4);

    const found = sources.flatMap(({ name, texts }) =>
      texts.flatMap((text) =>
        TRACES.filter((trace) => trace.test(text)).map(
          (trace) => `${name}: ${trace} in ${text.slice(0, 300)}`,
        ),
      ),
    );
    expect(found).toEqual([]);
    // The anonymous words themselves did reach the channel, so the search covered where they went.
    expect(sources[2]?.texts.some((text) => text.includes(ANONYMOUS_PERSPECTIVE))).toBe(true);
    console.info(
      `[anonymity ${driver}] searched: ${sources.map((source) => `${source.name} (${source.texts.length})`).join('; ')}`,
    );
  });
});
