import { ErrorCode, type Logger, LogLevel, WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkMessageBlocks, checkView, type FakeSlack, startFakeSlack } from './fake-slack.js';

let fake: FakeSlack;

beforeEach(async () => {
  fake = await startFakeSlack({ teamId: 'T123', botUserId: 'UBOT', botId: 'BBOT' });
  fake.addChannel({ id: 'CPUBLIC', name: 'general' });
  fake.addChannel({ id: 'COUTSIDE', name: 'random', isMember: false });
  fake.addChannel({ id: 'CARCHIVED', name: 'old', isArchived: true });
  fake.addChannel({ id: 'CSECRET', name: 'secret', isPrivate: true, isMember: false });
  fake.addChannel({ id: 'CPRIVATE', name: 'team', isPrivate: true });
  fake.addUser({ id: 'UALICE', name: 'alice', realName: 'Alice Example' });
});

afterEach(async () => {
  await fake.close();
});

// Slack echoes Block Kit errors in response_metadata and the client logs them;
// the tests assert on them instead.
const quiet: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  setLevel: () => {},
  getLevel: () => LogLevel.ERROR,
  setName: () => {},
};

function client(options: ConstructorParameters<typeof WebClient>[1] = {}): WebClient {
  return new WebClient('xoxb-test', {
    slackApiUrl: fake.url,
    retryConfig: { retries: 0 },
    logger: quiet,
    ...options,
  });
}

async function rawCall(
  method: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(`${fake.url}${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer xoxb-raw', ...headers },
    body: JSON.stringify(body),
  });
}

async function errorOf(promise: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Record<string, unknown>;
  }
  throw new Error('expected the call to fail');
}

const section = (text: string, blockId?: string) => ({
  type: 'section',
  text: { type: 'mrkdwn', text },
  ...(blockId ? { block_id: blockId } : {}),
});

const reasonableModal = {
  type: 'modal',
  callback_id: 'log_learning',
  private_metadata: JSON.stringify({ channel: 'CPUBLIC' }),
  title: { type: 'plain_text', text: 'Log a learning' },
  submit: { type: 'plain_text', text: 'Save' },
  close: { type: 'plain_text', text: 'Cancel' },
  blocks: [
    { type: 'header', text: { type: 'plain_text', text: 'What did you learn?' } },
    {
      type: 'input',
      block_id: 'summary',
      label: { type: 'plain_text', text: 'Summary' },
      element: { type: 'plain_text_input', action_id: 'value', max_length: 280, multiline: true },
      hint: { type: 'plain_text', text: 'One or two sentences' },
    },
    {
      type: 'input',
      block_id: 'topic',
      label: { type: 'plain_text', text: 'Topic' },
      element: {
        type: 'static_select',
        action_id: 'value',
        placeholder: { type: 'plain_text', text: 'Pick one' },
        options: [
          { text: { type: 'plain_text', text: 'Testing' }, value: 'testing' },
          { text: { type: 'plain_text', text: 'Design' }, value: 'design' },
        ],
        initial_option: { text: { type: 'plain_text', text: 'Design' }, value: 'design' },
      },
    },
    {
      type: 'actions',
      block_id: 'extra',
      elements: [
        { type: 'button', action_id: 'more', text: { type: 'plain_text', text: 'More' }, value: 'x' },
        {
          type: 'button',
          action_id: 'help',
          text: { type: 'plain_text', text: 'Help' },
          url: 'https://example.com',
        },
      ],
    },
    { type: 'context', elements: [{ type: 'mrkdwn', text: '_Visible to your team_' }] },
  ],
};

describe('request parsing', () => {
  it('decodes a real WebClient form post, reviving nested JSON and reading the bearer token', async () => {
    const blocks = [section('*Hello*'), { type: 'divider' }];
    const result = await client().chat.postMessage({
      channel: 'CPUBLIC',
      text: 'Hello',
      blocks,
      metadata: { event_type: 'learning_logged', event_payload: { id: 7 } },
    });

    expect(result.ok).toBe(true);
    expect(result.channel).toBe('CPUBLIC');
    expect(result.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(result.message?.bot_id).toBe('BBOT');

    const [call] = fake.callsTo('chat.postMessage');
    expect(call?.token).toBe('xoxb-test');
    expect(Array.isArray(call?.params.blocks)).toBe(true);
    expect(call?.params.blocks).toEqual(blocks);
    expect(call?.params.metadata).toEqual({ event_type: 'learning_logged', event_payload: { id: 7 } });
    expect(call?.params.text).toBe('Hello');
    expect(call?.params).not.toHaveProperty('token');
    expect(fake.violations).toEqual([]);
  });

  it('decodes JSON bodies and a token sent as a form parameter', async () => {
    const json = await rawCall('chat.postMessage', { channel: 'CPUBLIC', text: 'hi', unfurl_links: false });
    expect(await json.json()).toMatchObject({ ok: true, channel: 'CPUBLIC' });

    const form = await fetch(`${fake.url}users.info`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: 'xoxb-form', user: 'UALICE' }).toString(),
    });
    expect(await form.json()).toMatchObject({ ok: true, user: { id: 'UALICE' } });

    const [first, second] = fake.calls;
    expect(first).toMatchObject({ method: 'chat.postMessage', token: 'xoxb-raw' });
    expect(first?.params.unfurl_links).toBe(false);
    expect(second).toMatchObject({ method: 'users.info', token: 'xoxb-form', params: { user: 'UALICE' } });
  });

  it('keeps free text that looks like JSON as a string', async () => {
    await client().chat.postMessage({ channel: 'CPUBLIC', text: '[1, 2]' });
    expect(fake.callsTo('chat.postMessage')[0]?.params.text).toBe('[1, 2]');
  });

  it('answers unknown methods with unknown_method and a missing token with not_authed', async () => {
    const unknown = await rawCall('nope.nothing', {});
    expect(unknown.status).toBe(200);
    expect(await unknown.json()).toEqual({ ok: false, error: 'unknown_method' });

    const anonymous = await rawCall('auth.test', {}, { authorization: '' });
    expect(await anonymous.json()).toEqual({ ok: false, error: 'not_authed' });
  });
});

describe('answers', () => {
  it('auth.test describes the bot', async () => {
    const result = await client().auth.test();
    expect(result).toMatchObject({
      ok: true,
      team_id: 'T123',
      user_id: 'UBOT',
      bot_id: 'BBOT',
      is_enterprise_install: false,
    });
    expect(result.url).toMatch(/^https:\/\/.+\.slack\.com\/$/);
  });

  it('chat.postMessage ts values are unique and increasing', async () => {
    const web = client();
    const a = await web.chat.postMessage({ channel: 'CPUBLIC', text: 'one' });
    const b = await web.chat.postMessage({ channel: 'CPUBLIC', text: 'two', thread_ts: a.ts as string });
    expect(a.ts).toBe('1700000000.000100');
    expect(Number(b.ts)).toBeGreaterThan(Number(a.ts));
    expect(b.message?.thread_ts).toBe(a.ts);
  });

  it('chat.update and chat.delete act on messages that exist', async () => {
    const web = client();
    const posted = await web.chat.postMessage({ channel: 'CPUBLIC', text: 'draft' });
    const ts = posted.ts as string;
    const updated = await web.chat.update({ channel: 'CPUBLIC', ts, text: 'final' });
    expect(updated).toMatchObject({ ok: true, channel: 'CPUBLIC', ts, text: 'final' });

    expect(await errorOf(web.chat.update({ channel: 'CPUBLIC', ts: '1.000001', text: 'x' }))).toMatchObject({
      data: { error: 'message_not_found' },
    });
    await web.chat.delete({ channel: 'CPUBLIC', ts });
    expect(await errorOf(web.chat.delete({ channel: 'CPUBLIC', ts }))).toMatchObject({
      data: { error: 'message_not_found' },
    });

    const seeded = fake.addMessage({ channel: 'CPUBLIC', text: 'from before the test' });
    await expect(web.chat.update({ channel: 'CPUBLIC', ts: seeded, text: 'edited' })).resolves.toMatchObject({
      ok: true,
    });
  });

  it('chat.postEphemeral answers with message_ts and needs a user', async () => {
    const web = client();
    const result = await web.chat.postEphemeral({ channel: 'CPUBLIC', user: 'UALICE', text: 'psst' });
    expect(result.message_ts).toMatch(/^\d{10}\.\d{6}$/);

    const missingUser = await rawCall('chat.postEphemeral', { channel: 'CPUBLIC', text: 'psst' });
    expect(await missingUser.json()).toMatchObject({ ok: false, error: 'invalid_arguments' });
  });

  it('conversations.info and users.info return Slack-shaped objects', async () => {
    const web = client();
    const info = await web.conversations.info({ channel: 'CPRIVATE' });
    expect(info.channel).toMatchObject({
      id: 'CPRIVATE',
      name: 'team',
      is_channel: true,
      is_private: true,
      is_im: false,
      is_archived: false,
      is_member: true,
    });
    expect(typeof info.channel?.created).toBe('number');

    const user = await web.users.info({ user: 'UALICE' });
    expect(user.user).toMatchObject({
      id: 'UALICE',
      team_id: 'T123',
      name: 'alice',
      real_name: 'Alice Example',
      tz: 'Europe/London',
      is_bot: false,
      deleted: false,
      profile: { display_name: 'alice', real_name: 'Alice Example' },
    });
    expect([0, 3600]).toContain(user.user?.tz_offset);
    expect(user.user?.tz_label).toMatch(/Greenwich Mean Time|British Summer Time/);

    fake.addUser({ id: 'WNYC', tz: 'America/New_York' });
    const nyc = await web.users.info({ user: 'WNYC' });
    expect([-18000, -14400]).toContain(nyc.user?.tz_offset);
  });

  it('conversations.join makes the bot a member of a public channel', async () => {
    const web = client();
    await web.conversations.join({ channel: 'COUTSIDE' });
    const info = await web.conversations.info({ channel: 'COUTSIDE' });
    expect(info.channel?.is_member).toBe(true);
    expect(await errorOf(web.conversations.join({ channel: 'CARCHIVED' }))).toMatchObject({
      data: { error: 'is_archived' },
    });
  });

  it('views.open / update / push / publish return views, and update keeps the id', async () => {
    const web = client();
    const opened = await web.views.open({ trigger_id: '123.456.abc', view: reasonableModal as never });
    const id = opened.view?.id as string;
    expect(id).toMatch(/^V/);
    expect(opened.view).toMatchObject({
      team_id: 'T123',
      type: 'modal',
      callback_id: 'log_learning',
      private_metadata: reasonableModal.private_metadata,
      state: { values: {} },
    });
    expect(opened.view?.hash).toEqual(expect.any(String));

    const pushed = await web.views.push({ trigger_id: '123.456.def', view: reasonableModal as never });
    expect(pushed.view?.id).not.toBe(id);

    const updated = await web.views.update({
      view_id: id,
      view: { ...reasonableModal, callback_id: 'v2' } as never,
    });
    expect(updated.view).toMatchObject({ id, callback_id: 'v2' });
    expect(updated.view?.hash).not.toBe(opened.view?.hash);

    expect(
      await errorOf(
        web.views.update({ view_id: id, hash: opened.view?.hash as string, view: reasonableModal as never }),
      ),
    ).toMatchObject({ data: { error: 'hash_conflict' } });
    expect(
      await errorOf(web.views.update({ view_id: 'VNOPE', view: reasonableModal as never })),
    ).toMatchObject({
      data: { error: 'not_found' },
    });

    const home = { type: 'home' as const, blocks: [section('Welcome home')] };
    const first = await web.views.publish({ user_id: 'UALICE', view: home });
    const second = await web.views.publish({ user_id: 'UALICE', view: home });
    expect(first.view?.id).toMatch(/^V/);
    expect(second.view?.id).toBe(first.view?.id);
    expect(fake.violations).toEqual([]);
  });

  it('views.update works on seeded views and on App Home views', async () => {
    const web = client();
    const seeded = fake.addView(reasonableModal);
    const updated = await web.views.update({
      view_id: String(seeded.id),
      hash: String(seeded.hash),
      view: reasonableModal as never,
    });
    expect(updated.view?.id).toBe(seeded.id);

    const home = await web.views.publish({
      user_id: 'UALICE',
      view: { type: 'home', blocks: [section('v1')] },
    });
    await expect(
      web.views.update({ view_id: home.view?.id as string, view: { type: 'home', blocks: [section('v2')] } }),
    ).resolves.toMatchObject({ view: { id: home.view?.id, type: 'home' } });
    expect(fake.violations).toEqual([]);
  });
});

describe('seeded world', () => {
  it('rejects posts to unknown, archived and unjoined private channels', async () => {
    const web = client();
    expect(await errorOf(web.chat.postMessage({ channel: 'CNOPE', text: 'x' }))).toMatchObject({
      code: ErrorCode.PlatformError,
      data: { ok: false, error: 'channel_not_found' },
    });
    expect(await errorOf(web.chat.postMessage({ channel: 'CARCHIVED', text: 'x' }))).toMatchObject({
      data: { error: 'is_archived' },
    });
    expect(await errorOf(web.chat.postMessage({ channel: 'CSECRET', text: 'x' }))).toMatchObject({
      data: { error: 'not_in_channel' },
    });
    expect(
      await errorOf(web.chat.postEphemeral({ channel: 'CARCHIVED', user: 'UALICE', text: 'x' })),
    ).toMatchObject({ data: { error: 'is_archived' } });
    expect(await errorOf(web.conversations.info({ channel: 'CNOPE' }))).toMatchObject({
      data: { error: 'channel_not_found' },
    });
    expect(await errorOf(web.users.info({ user: 'UNOBODY' }))).toMatchObject({
      data: { error: 'user_not_found' },
    });
    // World errors are not payload mistakes.
    expect(fake.violations).toEqual([]);
  });

  it('lets the bot post to public channels it has not joined, as chat:write.public allows', async () => {
    const result = await client().chat.postMessage({ channel: 'COUTSIDE', text: 'x' });
    expect(result.ok).toBe(true);
  });

  it('posting to a user id lands in the DM with the app', async () => {
    const web = client();
    const result = await web.chat.postMessage({ channel: 'UALICE', text: 'hello you' });
    expect(result.channel).toMatch(/^D/);
    expect(result.channel).toBe(fake.dmChannelFor('UALICE'));
    const info = await web.conversations.info({ channel: result.channel as string });
    expect(info.channel).toMatchObject({ is_im: true, user: 'UALICE' });
    expect(await errorOf(web.chat.postMessage({ channel: 'UNOBODY', text: 'x' }))).toMatchObject({
      data: { error: 'channel_not_found' },
    });
  });
});

describe('faults', () => {
  it('rate_limited answers 429 with Retry-After', async () => {
    fake.failNext('chat.postMessage', { kind: 'rate_limited', retryAfterSeconds: 7 });
    const response = await rawCall('chat.postMessage', { channel: 'CPUBLIC', text: 'x' });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('7');
    expect(await response.json()).toEqual({ ok: false, error: 'ratelimited' });
    expect(fake.calls[0]?.fault).toBe('rate_limited');

    fake.failNext('chat.postMessage', { kind: 'rate_limited', retryAfterSeconds: 3 });
    const error = await errorOf(
      client({ rejectRateLimitedCalls: true }).chat.postMessage({ channel: 'CPUBLIC', text: 'x' }),
    );
    expect(error).toMatchObject({ code: ErrorCode.RateLimitedError, retryAfter: 3 });
  });

  it('server_error answers a non-JSON HTTP error', async () => {
    fake.failNext('users.info', { kind: 'server_error', status: 503 });
    fake.failNext('users.info', { kind: 'server_error' });
    const web = client();
    expect(await errorOf(web.users.info({ user: 'UALICE' }))).toMatchObject({
      code: ErrorCode.HTTPError,
      statusCode: 503,
    });
    expect(await errorOf(web.users.info({ user: 'UALICE' }))).toMatchObject({ statusCode: 500 });
    await expect(web.users.info({ user: 'UALICE' })).resolves.toMatchObject({ ok: true });
    expect(fake.callsTo('users.info').map((c) => c.fault)).toEqual([
      'server_error',
      'server_error',
      undefined,
    ]);
  });

  it('error answers 200 with ok:false, consumed in order and only for the named method', async () => {
    fake.failNext('chat.postMessage', { kind: 'error', error: 'fatal_error' }, 2);
    const web = client();
    await web.auth.test();
    expect(await errorOf(web.chat.postMessage({ channel: 'CPUBLIC', text: 'x' }))).toMatchObject({
      data: { ok: false, error: 'fatal_error' },
    });
    expect(await errorOf(web.chat.postMessage({ channel: 'CPUBLIC', text: 'x' }))).toMatchObject({
      data: { error: 'fatal_error' },
    });
    await expect(web.chat.postMessage({ channel: 'CPUBLIC', text: 'x' })).resolves.toMatchObject({
      ok: true,
    });
  });

  it('slow answers normally after the delay', async () => {
    fake.failNext('auth.test', { kind: 'slow', delayMs: 150 });
    const started = Date.now();
    const result = await client().auth.test();
    expect(result.ok).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(fake.calls[0]?.fault).toBe('slow');
  });

  it('hang never answers until the fake closes', async () => {
    fake.failNext('auth.test', { kind: 'hang' });
    let settled = false;
    const pending = client()
      .auth.test()
      .finally(() => {
        settled = true;
      });
    const call = await fake.waitForCall('auth.test');
    expect(call.fault).toBe('hang');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(settled).toBe(false);
    await fake.close();
    await expect(pending).rejects.toMatchObject({ code: ErrorCode.RequestError });
  });
});

describe('recording', () => {
  it('waitForCall resolves with past or future calls and explains timeouts', async () => {
    const web = client();
    await web.auth.test();
    await expect(fake.waitForCall('auth.test')).resolves.toMatchObject({ method: 'auth.test' });

    const later = fake.waitForCall('chat.postMessage', (c) => c.params.text === 'second');
    await web.chat.postMessage({ channel: 'CPUBLIC', text: 'first' });
    await web.chat.postMessage({ channel: 'CPUBLIC', text: 'second' });
    await expect(later).resolves.toMatchObject({ params: { text: 'second' } });

    await expect(fake.waitForCall('views.open', undefined, 50)).rejects.toThrow(
      /Timed out after 50ms waiting for a views\.open call\. Methods seen: auth\.test, chat\.postMessage ×2/,
    );
  });

  it('reset clears calls, faults and violations but keeps the world', async () => {
    const web = client();
    fake.failNext('auth.test', { kind: 'error', error: 'invalid_auth' });
    await web.chat
      .postMessage({ channel: 'CPUBLIC', blocks: [{ type: 'bogus' }] as never, text: 'x' })
      .catch(() => {});
    expect(fake.violations).toHaveLength(1);
    fake.reset();
    expect(fake.calls).toEqual([]);
    expect(fake.violations).toEqual([]);
    await expect(web.auth.test()).resolves.toMatchObject({ ok: true });
    await expect(web.users.info({ user: 'UALICE' })).resolves.toMatchObject({ ok: true });
  });
});

describe('Block Kit checking over HTTP', () => {
  it('rejects a message whose blocks Slack would reject and records the violation', async () => {
    const header = { type: 'header', text: { type: 'plain_text', text: 'x'.repeat(151) } };
    const error = await errorOf(
      client().chat.postMessage({ channel: 'CPUBLIC', text: 'x', blocks: [header] }),
    );
    expect(error).toMatchObject({ data: { ok: false, error: 'invalid_blocks' } });
    const messages = (error.data as { response_metadata: { messages: string[] } }).response_metadata.messages;
    expect(messages[0]).toMatch(/^\[ERROR\] .*150.*\[json-pointer:\/blocks\/0\/text\/text\]$/);
    expect(fake.violations).toEqual([expect.stringMatching(/^chat\.postMessage: .*\/blocks\/0\/text\/text/)]);
  });

  it('rejects messages without content or with over-long text', async () => {
    const web = client();
    expect(await errorOf(web.chat.postMessage({ channel: 'CPUBLIC' } as never))).toMatchObject({
      data: { error: 'no_text' },
    });
    expect(
      await errorOf(web.chat.postMessage({ channel: 'CPUBLIC', text: 'x'.repeat(40_001) })),
    ).toMatchObject({
      data: { error: 'msg_too_long' },
    });
    expect(fake.violations).toHaveLength(2);
  });

  it('rejects a bad modal with invalid_arguments', async () => {
    const view = { ...reasonableModal, title: { type: 'plain_text', text: 'x'.repeat(25) } };
    const error = await errorOf(client().views.open({ trigger_id: 't', view: view as never }));
    expect(error).toMatchObject({ data: { ok: false, error: 'invalid_arguments' } });
    expect(fake.violations[0]).toMatch(/^views\.open: .*\/view\/title\/text/);
  });
});

describe('checkMessageBlocks / checkView', () => {
  it('accepts a reasonable modal and message', () => {
    expect(checkView(reasonableModal)).toEqual([]);
    expect(checkMessageBlocks([section('hi', 'a'), { type: 'divider' }, section('there', 'b')])).toEqual([]);
  });

  it('catches an over-long header', () => {
    const problems = checkMessageBlocks([
      { type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } },
    ]);
    expect(problems).toEqual([expect.stringContaining('/blocks/0/text/text')]);
  });

  it('catches a mrkdwn header', () => {
    expect(checkMessageBlocks([{ type: 'header', text: { type: 'mrkdwn', text: 'hi' } }])).toEqual([
      expect.stringContaining('plain_text'),
    ]);
  });

  it('catches a 25-character modal title and accepts 24', () => {
    const title = (n: number) => ({ ...reasonableModal, title: { type: 'plain_text', text: 't'.repeat(n) } });
    expect(checkView(title(25))).toEqual([expect.stringContaining('/view/title/text')]);
    expect(checkView(title(24))).toEqual([]);
  });

  it('catches 51 blocks in a message but allows 100 in a modal', () => {
    const blocks = (n: number) => Array.from({ length: n }, (_, i) => section(`line ${i}`));
    expect(checkMessageBlocks(blocks(50))).toEqual([]);
    expect(checkMessageBlocks(blocks(51))).toEqual([
      expect.stringMatching(/at most 50 items.*\[json-pointer:\/blocks\]/),
    ]);
    expect(checkView({ ...reasonableModal, blocks: blocks(100) })).toEqual([]);
    expect(checkView({ ...reasonableModal, blocks: blocks(101) })).toHaveLength(1);
  });

  it('catches duplicate block_ids and duplicate action_ids within a block', () => {
    expect(checkMessageBlocks([section('a', 'same'), section('b', 'same')])).toEqual([
      expect.stringContaining('duplicate block_id "same" [json-pointer:/blocks/1/block_id]'),
    ]);
    const button = { type: 'button', action_id: 'go', text: { type: 'plain_text', text: 'Go' } };
    expect(checkMessageBlocks([{ type: 'actions', elements: [button, button] }])).toEqual([
      expect.stringContaining('duplicate action_id'),
    ]);
    // The same action_id in different blocks is fine.
    expect(
      checkMessageBlocks([
        { type: 'actions', elements: [button] },
        { type: 'actions', elements: [button] },
      ]),
    ).toEqual([]);
  });

  it('catches the rest of the common mistakes', () => {
    const bad = checkView({
      type: 'modal',
      title: { type: 'plain_text', text: 'Fine' },
      private_metadata: 'm'.repeat(3001),
      blocks: [
        { type: 'sectoin', text: { type: 'mrkdwn', text: 'typo' } },
        { type: 'section' },
        { type: 'section', text: { type: 'mrkdwn', text: '' } },
        {
          type: 'input',
          label: { type: 'plain_text', text: 'Answer' },
          element: {
            type: 'plain_text_input',
            action_id: 'a',
            max_length: 10,
            initial_value: 'x'.repeat(11),
          },
        },
        {
          type: 'actions',
          elements: [{ type: 'button', action_id: 'b', text: { type: 'plain_text', text: 'b'.repeat(76) } }],
        },
        {
          type: 'input',
          label: { type: 'plain_text', text: 'Pick' },
          element: {
            type: 'static_select',
            action_id: 's',
            options: [{ text: { type: 'plain_text', text: 'A' }, value: 'a' }],
            initial_option: { text: { type: 'plain_text', text: 'Old label' }, value: 'a' },
          },
        },
      ],
    });
    const expected = [
      /unknown block type "sectoin".*\/view\/blocks\/0\/type/,
      /must provide text or fields.*\/view\/blocks\/1\]/,
      /more than 0 characters.*\/view\/blocks\/2\/text\/text/,
      /\/view\/blocks\/3\/element\/initial_value/,
      /\/view\/blocks\/4\/elements\/0\/text\/text/,
      /\/view\/blocks\/5\/element\/initial_option/,
      /required when the view contains an input block.*\/view\/submit/,
      /\/view\/private_metadata/,
    ];
    for (const pattern of expected) expect(bad).toContainEqual(expect.stringMatching(pattern));
    expect(bad).toHaveLength(expected.length);
  });
});
