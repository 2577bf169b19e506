import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { beforeActionReviews, reviewPeople } from '../../src/db/schema.js';
import { ACTIONS, BAR_EXTRA_INPUTS, BAR_INPUTS, CALLBACKS } from '../../src/slack/ids.js';
import { DRIVERS } from '../support/databases.js';
import { barAnswers, barStateValues } from '../support/factories.js';
import { AUTHOR, BOT_TOKEN, CHANNEL, TEAMMATE, useHarness } from '../support/harness.js';

const NOW = new Date('2026-11-21T10:00:00Z');

/** The parts of a Block Kit block these tests read. */
interface SentBlock {
  type: string;
  block_id?: string;
  label?: { text: string };
  text?: { text: string };
  element?: Record<string, unknown>;
  elements?: Array<{ action_id?: string; value?: string }>;
}

interface SentView {
  callback_id: string;
  private_metadata: string;
  title: { text: string };
  blocks: SentBlock[];
}

/** Slack sends back the state of the inputs a form shows, and of nothing else. */
function shownIn(
  modal: SentView,
  values: Record<string, Record<string, unknown>>,
): Record<string, Record<string, unknown>> {
  const shown = new Set(
    modal.blocks.filter((block) => block.type === 'input').map((block) => block.block_id),
  );
  return Object.fromEntries(Object.entries(values).filter(([block]) => shown.has(block)));
}

describe.each(DRIVERS)('before-action review end to end (%s)', (driver) => {
  const h = useHarness({ driver, now: () => NOW });
  let viewCounter = 0;

  async function openModal(text: string, actor?: { channelId?: string; userId?: string }) {
    const response = await h.command('/bar', text, actor);
    expect(response.status).toBe(200);
    const call = await h.slack.waitForCall('views.open');
    const view = call.params.view as SentView;
    viewCounter += 1;
    return { ...view, id: `V0MODAL${driver}${viewCounter}` };
  }

  async function reviews() {
    return h.app.database.db.select().from(beforeActionReviews);
  }

  it('opens a prefilled modal, stores the review, and posts a summary the channel can read', async () => {
    const modal = await openModal('Run the first community listening session in Leeds');
    expect(modal.title.text).toBe('Before-action review');
    expect(modal.callback_id).toBe(CALLBACKS.barModal);
    const actionBlock = modal.blocks.find((block) => block.block_id === BAR_INPUTS.action.block);
    expect(actionBlock?.element?.initial_value).toBe('Run the first community listening session in Leeds');
    const dateBlock = modal.blocks.find((block) => block.block_id === BAR_INPUTS.lookBackOn.block);
    expect(dateBlock?.element?.initial_date).toBe('2026-11-28');
    const peopleBlock = modal.blocks.find((block) => block.block_id === BAR_INPUTS.people.block);
    expect(peopleBlock?.element?.initial_users).toEqual([AUTHOR]);
    // Typed in the team's channel: the summary goes there, and the form says so instead of asking.
    expect(modal.blocks.find((block) => block.block_id === BAR_INPUTS.channelId.block)).toBeUndefined();
    expect(JSON.stringify(modal.blocks[0])).toContain(`The summary is shared in <#${CHANNEL}>.`);

    const submitted = await h.submitView(modal, shownIn(modal, barStateValues(barAnswers())));
    expect(submitted.status).toBe(200);
    expect(submitted.body).toBe('');

    const post = await h.slack.waitForCall('chat.postMessage', (call) => call.params.channel === CHANNEL);
    // Joining first lets replies in the review's thread reach the app.
    expect(h.slack.callsTo('conversations.join')[0]?.params.channel).toBe(CHANNEL);
    const blocks = post.params.blocks as SentBlock[];
    expect(blocks[0]).toMatchObject({ type: 'header', text: { text: 'Before-action review' } });
    const rendered = JSON.stringify(blocks);
    expect(rendered).toContain('Run the first community listening session in Leeds');
    expect(rendered).toContain(
      'If we co-host with a group residents already trust, then we expect more first-time',
    );
    expect(rendered).toContain('Saturday 28 November 2026');
    expect(rendered).toContain(`<@${AUTHOR}>, <@${TEAMMATE}>`);
    for (const label of [
      'Intended results',
      'Challenges we anticipate',
      'Lessons from before',
      'What will make us successful',
    ]) {
      expect(rendered).toContain(label);
    }

    await expect.poll(async () => (await reviews())[0]?.summaryTs).toBeTruthy();
    const [stored] = await reviews();
    expect(stored).toMatchObject({
      teamId: 'T0FAKETEAM',
      channelId: CHANNEL,
      authorId: AUTHOR,
      action: 'Run the first community listening session in Leeds',
      lookBackOn: '2026-11-28',
      status: 'open',
      timeZone: 'Europe/London',
      summaryTs: (post as unknown as { response?: { ts: string } }).response?.ts ?? stored?.summaryTs,
    });
    const people = await h.app.database.db
      .select()
      .from(reviewPeople)
      .where(eq(reviewPeople.reviewId, stored?.id ?? ''));
    expect(people.map((person) => person.userId).sort()).toEqual([AUTHOR, TEAMMATE].sort());
  });

  it('keeps the modal open with each problem under its own field, asking only for the four it needs', async () => {
    const before = (await reviews()).length;
    const modal = await openModal('');
    const submitted = await h.submitView(
      modal,
      shownIn(
        modal,
        barStateValues(
          barAnswers({
            action: '   ',
            intendedResults: '',
            anticipatedChallenges: '',
            lessonsFromBefore: '',
            successFactors: '',
            hypothesisIf: '',
            hypothesisThen: '',
            hypothesisBecause: '',
            lookBackOn: '2026-11-20',
            people: [],
          }),
        ),
      ),
    );
    expect(submitted.status).toBe(200);
    // Answering with errors keeps the modal open as it is, with everything typed still in it.
    const answer = submitted.json() as { response_action: string; errors: Record<string, string> };
    expect(answer.response_action).toBe('errors');
    expect(answer.errors).toEqual({
      [BAR_INPUTS.action.block]: 'Say in a few words what you are about to do.',
      [BAR_INPUTS.intendedResults.block]: 'What do you intend to happen, and how will you know?',
      [BAR_INPUTS.hypothesis.block]: 'Write down your best bet: “If we …, then we expect …”.',
      [BAR_INPUTS.lookBackOn.block]: 'The look-back date has already passed. Pick today or a later date.',
    });
    const shown = new Set(modal.blocks.map((block) => block.block_id));
    for (const block of Object.keys(answer.errors)) expect(shown.has(block)).toBe(true);
    expect(await reviews()).toHaveLength(before);
    expect(h.slack.callsTo('chat.postMessage')).toEqual([]);
  });

  it('saves a review with only the four required answers, and its summary says what was not noted', async () => {
    const modal = await openModal('');
    const onlyRequired = {
      [BAR_INPUTS.action.block]: { value: { type: 'plain_text_input', value: 'Try a Saturday drop-in' } },
      [BAR_INPUTS.intendedResults.block]: {
        value: { type: 'plain_text_input', value: 'Ten families come who never come on weekdays' },
      },
      [BAR_INPUTS.hypothesis.block]: {
        value: {
          type: 'plain_text_input',
          value: 'If we open on Saturdays, then we expect working parents to come',
        },
      },
      [BAR_INPUTS.lookBackOn.block]: { value: { type: 'datepicker', selected_date: '2026-11-28' } },
      // The optional answers as Slack sends them when left empty, and the people picker cleared.
      [BAR_INPUTS.anticipatedChallenges.block]: { value: { type: 'plain_text_input', value: null } },
      [BAR_INPUTS.lessonsFromBefore.block]: { value: { type: 'plain_text_input', value: null } },
      [BAR_INPUTS.successFactors.block]: { value: { type: 'plain_text_input', value: null } },
      [BAR_INPUTS.people.block]: { value: { type: 'multi_users_select', selected_users: [] } },
      [BAR_EXTRA_INPUTS.checkInOn.block]: { value: { type: 'datepicker', selected_date: null } },
    };
    expect(Object.keys(onlyRequired).sort()).toEqual(
      modal.blocks
        .filter((block) => block.type === 'input')
        .map((block) => block.block_id)
        .sort(),
    );
    const submitted = await h.submitView(modal, onlyRequired);
    expect(submitted.status).toBe(200);
    expect(submitted.body).toBe('');

    const post = await h.slack.waitForCall(
      'chat.postMessage',
      (call) => call.params.channel === CHANNEL && String(call.params.text).includes('Saturday drop-in'),
    );
    const blocks = post.params.blocks as Array<SentBlock & { fields?: Array<{ text: string }> }>;
    expect(blocks[2]?.text?.text).toBe(
      ':bulb: *Our hypothesis*\nIf we open on Saturdays, then we expect working parents to come.',
    );
    expect(blocks[3]?.fields?.map((field) => field.text)).toEqual([
      '*Intended results*\nTen families come who never come on weekdays',
      '*Challenges we anticipate*\n_Nothing noted_',
      '*Lessons from before*\n_Nothing noted_',
      '*What will make us successful*\n_Nothing noted_',
    ]);
    // Nobody picked: the author is the one involved.
    expect(JSON.stringify(blocks[4])).toContain(
      `:busts_in_silhouette: <@${AUTHOR}>   Started by <@${AUTHOR}>`,
    );

    await expect
      .poll(
        async () => (await reviews()).find((review) => review.action === 'Try a Saturday drop-in')?.summaryTs,
      )
      .toBeTruthy();
    const stored = (await reviews()).find((review) => review.action === 'Try a Saturday drop-in');
    expect(stored).toMatchObject({
      channelId: CHANNEL,
      anticipatedChallenges: '',
      lessonsFromBefore: '',
      successFactors: '',
      hypothesisIf: 'open on Saturdays',
      hypothesisThen: 'working parents to come',
      hypothesisBecause: null,
      checkInOn: null,
    });
    const people = await h.app.database.db
      .select()
      .from(reviewPeople)
      .where(eq(reviewPeople.reviewId, stored?.id ?? ''));
    expect(people.map((person) => person.userId)).toEqual([AUTHOR]);
  });

  it.each([
    [
      'an answer over 3000 characters',
      { intendedResults: 'x'.repeat(3001) },
      BAR_INPUTS.intendedResults.block,
      /under 3000/,
    ],
    [
      'a look-back date more than a year away',
      { lookBackOn: '2028-01-01' },
      BAR_INPUTS.lookBackOn.block,
      /within the next year/,
    ],
    ['a date that is not a date', { lookBackOn: '2026-02-31' }, BAR_INPUTS.lookBackOn.block, /Pick the date/],
    [
      'too many people',
      { people: Array.from({ length: 31 }, (_, i) => `U${i}`) },
      BAR_INPUTS.people.block,
      /at most 30/,
    ],
  ])('refuses %s under its field', async (_name, overrides, block, message) => {
    const before = (await reviews()).length;
    const modal = await openModal('A review with one problem');
    const submitted = await h.submitView(modal, barStateValues(barAnswers(overrides)));
    const answer = submitted.json() as { response_action: string; errors: Record<string, string> };
    expect(answer.response_action).toBe('errors');
    expect(Object.keys(answer.errors)).toEqual([block]);
    expect(answer.errors[block]).toMatch(message);
    expect(await reviews()).toHaveLength(before);
  });

  it('accepts today as the look-back date in the author’s own time zone', async () => {
    const modal = await openModal('Same-day look-back');
    await h.submitView(modal, barStateValues(barAnswers({ lookBackOn: '2026-11-21' })));
    await h.slack.waitForCall('chat.postMessage', (call) => call.params.channel === CHANNEL);
  });

  it('stores one review when Slack delivers the same submission twice', async () => {
    const before = (await reviews()).length;
    const modal = await openModal('Submitted twice');
    const values = barStateValues(barAnswers({ action: 'Submitted twice' }));
    const [first, second] = await Promise.all([h.submitView(modal, values), h.submitView(modal, values)]);
    expect([first.status, second.status]).toEqual([200, 200]);
    await h.slack.waitForCall('chat.postMessage', (call) => call.params.channel === CHANNEL);
    await h.idle();
    expect((await reviews()).length).toBe(before + 1);
    expect(
      h.slack.callsTo('chat.postMessage').filter((call) => call.params.channel === CHANNEL),
    ).toHaveLength(1);
  });

  it('shows unicode, emoji, long answers and look-alike markup verbatim and harmless', async () => {
    const hostile =
      "Robert'); DROP TABLE before_action_reviews;-- <!channel> <https://evil.example|click> *bold* & 🇬🇧👩‍👩‍👧 ñ 中文";
    const long = `${'Ünïcödé word '.repeat(230)}🎉`.slice(0, 2999);
    const modal = await openModal(hostile);
    await h.submitView(
      modal,
      barStateValues(
        barAnswers({
          action: hostile,
          intendedResults: long,
          anticipatedChallenges: 'ok',
          hypothesisBecause: '',
        }),
      ),
    );
    const post = await h.slack.waitForCall('chat.postMessage', (call) => call.params.channel === CHANNEL);
    const texts = JSON.stringify(post.params.blocks) + String(post.params.text);
    expect(texts).not.toContain('<!channel>');
    expect(texts).not.toContain('<https://evil.example|click>');
    expect(texts).toContain('&lt;!channel&gt;');
    expect(texts).toContain('🇬🇧👩‍👩‍👧 ñ 中文');
    expect(texts).toContain('…');

    await expect
      .poll(async () => (await reviews()).find((review) => review.action === hostile)?.summaryTs)
      .toBeTruthy();
    const stored = (await reviews()).find((review) => review.action === hostile);
    expect(stored?.intendedResults).toBe(long);
    expect(stored?.hypothesisBecause).toBeNull();

    // The folded answer is still readable whole from the summary's button.
    const button = (post.params.blocks as SentBlock[])
      .flatMap((block) => block.elements ?? [])
      .find((element) => element.action_id === ACTIONS.readReviewInFull);
    await h.clickButton(
      { action_id: ACTIONS.readReviewInFull, value: button?.value ?? '' },
      { channelId: CHANNEL },
    );
    const full = await h.slack.waitForCall(
      'views.open',
      (call) => (call.params.view as SentView).callback_id === CALLBACKS.reviewInFull,
    );
    const shown = (full.params.view as SentView).blocks
      .map((block) => block.text?.text ?? '')
      .join('')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
    expect(shown).toContain(long);
    expect(shown).toContain(hostile);
  });

  it('keeps the review and tells the author privately when the bot cannot post in the channel', async () => {
    h.slack.addChannel({ id: 'G0SECRET', name: 'secret', isPrivate: true, isMember: false });
    const modal = await openModal('Plan the board away-day', { channelId: 'G0SECRET' });
    await h.submitView(
      modal,
      barStateValues(barAnswers({ action: 'Plan the board away-day', channelId: 'G0SECRET' })),
    );
    const notice = await h.slack.waitForCall('chat.postMessage', (call) => call.params.channel === AUTHOR);
    expect(String(notice.params.text)).toContain('is saved');
    expect(JSON.stringify(notice.params.blocks)).toContain('/invite @Learning Thread');

    const stored = (await reviews()).find((review) => review.action === 'Plan the board away-day');
    expect(stored).toMatchObject({
      summaryTs: null,
      summaryPostError: 'not_in_channel',
      channelId: 'G0SECRET',
    });

    // Once invited, "Try again" shares it: once, however impatiently it is pressed.
    h.slack.addChannel({ id: 'G0SECRET', name: 'secret', isPrivate: true, isMember: true });
    h.slack.reset();
    const reviewId = stored?.id ?? '';
    h.slack.failNext('chat.postMessage', { kind: 'slow', delayMs: 300 });
    await Promise.all([
      h.clickButton({ action_id: ACTIONS.retryShare, value: reviewId }),
      h.clickButton({ action_id: ACTIONS.retryShare, value: reviewId }),
      h.clickButton({ action_id: ACTIONS.retryShare, value: reviewId }),
    ]);
    await h.slack.waitForCall('chat.postMessage', (call) => call.params.channel === 'G0SECRET');
    await expect
      .poll(async () => (await reviews()).find((review) => review.id === reviewId)?.summaryTs)
      .toBeTruthy();
    await h.idle();
    expect(
      h.slack.callsTo('chat.postMessage').filter((call) => call.params.channel === 'G0SECRET'),
    ).toHaveLength(1);
  });

  it.each([['an archived channel', { kind: 'error', error: 'is_archived' } as const, /archived/]])(
    'keeps the review when posting fails because of %s',
    async (_name, fault, advice) => {
      const action = `Posting fails: ${_name}`;
      const modal = await openModal(action);
      h.slack.failNext('chat.postMessage', fault);
      await h.submitView(modal, barStateValues(barAnswers({ action })));
      const notice = await h.slack.waitForCall('chat.postMessage', (call) => call.params.channel === AUTHOR);
      expect(JSON.stringify(notice.params.blocks)).toMatch(advice);
      const stored = (await reviews()).find((review) => review.action === action);
      expect(stored?.summaryTs).toBeNull();
      expect(stored?.summaryPostError).toBeTruthy();
      expect(
        h.slack.callsTo('chat.postMessage').filter((call) => call.params.channel === CHANNEL),
      ).toHaveLength(1);
    },
  );

  it.each([
    ['a Slack outage', { kind: 'server_error', status: 503 } as const],
    ['rate limiting', { kind: 'rate_limited', retryAfterSeconds: 1 } as const],
  ])('posts the summary once, after %s, without troubling the author', async (_name, fault) => {
    const action = `Posting recovers: ${_name}`;
    const modal = await openModal(action);
    h.slack.failNext('chat.postMessage', fault);
    await h.submitView(modal, barStateValues(barAnswers({ action })));
    await expect
      .poll(async () => (await reviews()).find((review) => review.action === action)?.summaryTs, {
        timeout: 10_000,
      })
      .toBeTruthy();
    await h.idle();
    const stored = (await reviews()).find((review) => review.action === action);
    const posted = h.slack
      .callsTo('chat.postMessage')
      .filter(
        (call) =>
          call.params.channel === CHANNEL &&
          call.fault === undefined &&
          JSON.stringify(call.params.blocks).includes(action),
      );
    expect(posted).toHaveLength(1);
    expect(stored?.summaryPostError).toBeNull();
    expect(h.slack.callsTo('chat.postMessage').filter((call) => call.params.channel === AUTHOR)).toEqual([]);
  });

  it('works from a direct message: the modal asks where to share, and nothing is prefilled wrongly', async () => {
    const modal = await openModal('', { channelId: 'D0DIRECT' });
    const actionBlock = modal.blocks.find((block) => block.block_id === BAR_INPUTS.action.block);
    expect(actionBlock?.element?.initial_value).toBeUndefined();
    const channelBlock = modal.blocks.find((block) => block.block_id === BAR_INPUTS.channelId.block);
    expect(channelBlock).toMatchObject({ label: { text: 'Share the summary in' } });
    expect(channelBlock).not.toHaveProperty('optional');
    expect(channelBlock?.element?.initial_conversation).toBeUndefined();
    const refused = await h.submitView(
      modal,
      shownIn(modal, barStateValues(barAnswers({ action: 'Typed in the modal', channelId: null }))),
    );
    expect((refused.json() as { errors: Record<string, string> }).errors).toEqual({
      [BAR_INPUTS.channelId.block]: 'Choose the channel where the team will see this review.',
    });
    await h.submitView(
      modal,
      barStateValues(barAnswers({ action: 'Typed in the modal', channelId: CHANNEL })),
    );
    await h.slack.waitForCall('chat.postMessage', (call) => call.params.channel === CHANNEL);
  });

  it('tells the person when the modal could not open, rather than failing silently', async () => {
    h.slack.failNext('views.open', { kind: 'error', error: 'expired_trigger_id' });
    const response = await h.command('/bar', 'Too slow');
    expect(response.status).toBe(200);
    await h.slack.waitForCall('views.open');
    // The fallback goes through response_url, which this harness points at a closed port: the failure is logged.
    await expect.poll(() => h.logs.text).toContain('before-action review modal did not open');
  });

  it('logs ids and counts but never what people wrote, nor the bot token', async () => {
    const answers = barAnswers();
    const written = [
      answers.intendedResults,
      answers.anticipatedChallenges,
      answers.lessonsFromBefore,
      answers.successFactors,
      answers.hypothesisIf,
      answers.hypothesisThen,
      answers.hypothesisBecause,
      'community listening session',
      'DROP TABLE',
      'Ünïcödé',
      'board away-day',
    ];
    expect(h.logs.lines.length).toBeGreaterThan(10);
    for (const text of written) expect(h.logs.text).not.toContain(text);
    expect(h.logs.text).not.toContain(BOT_TOKEN);
    expect(h.logs.text).toContain('before-action review saved');
  });
});
