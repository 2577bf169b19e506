import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { beforeActionReviews, reviewPeople } from '../../src/db/schema.js';
import { ACTIONS, BAR_INPUTS, CALLBACKS } from '../../src/slack/ids.js';
import { DRIVERS } from '../support/databases.js';
import { barAnswers, barStateValues } from '../support/factories.js';
import { AUTHOR, BOT_TOKEN, CHANNEL, TEAMMATE, useHarness } from '../support/harness.js';

const NOW = new Date('2026-11-21T10:00:00Z');

/** The parts of a Block Kit block these tests read. */
interface SentBlock {
  type: string;
  block_id?: string;
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
    const channelBlock = modal.blocks.find((block) => block.block_id === BAR_INPUTS.channelId.block);
    expect(channelBlock?.element?.initial_conversation).toBe(CHANNEL);

    const submitted = await h.submitView(modal, barStateValues(barAnswers()));
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

  it('keeps the modal open with each problem under its own field', async () => {
    const before = (await reviews()).length;
    const modal = await openModal('');
    const submitted = await h.submitView(
      modal,
      barStateValues(
        barAnswers({
          action: '   ',
          intendedResults: '',
          anticipatedChallenges: '',
          successFactors: '',
          hypothesisIf: '',
          hypothesisThen: '',
          lookBackOn: '2026-11-20',
          people: [],
          channelId: null,
        }),
      ),
    );
    expect(submitted.status).toBe(200);
    const answer = submitted.json() as { response_action: string; errors: Record<string, string> };
    expect(answer.response_action).toBe('errors');
    expect(Object.keys(answer.errors).sort()).toEqual(
      [
        BAR_INPUTS.action.block,
        BAR_INPUTS.intendedResults.block,
        BAR_INPUTS.anticipatedChallenges.block,
        BAR_INPUTS.successFactors.block,
        BAR_INPUTS.hypothesisIf.block,
        BAR_INPUTS.hypothesisThen.block,
        BAR_INPUTS.lookBackOn.block,
        BAR_INPUTS.people.block,
        BAR_INPUTS.channelId.block,
      ].sort(),
    );
    expect(answer.errors[BAR_INPUTS.lookBackOn.block]).toMatch(/already passed/);
    expect(await reviews()).toHaveLength(before);
    expect(h.slack.callsTo('chat.postMessage')).toEqual([]);
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
    expect(channelBlock?.element?.initial_conversation).toBeUndefined();
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
