import {
  type ConversationsMembersResponse,
  ErrorCode,
  type Logger,
  LogLevel,
  WebClient,
} from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkMessageBlocks, checkView } from './block-kit.js';
import { type FakeSlack, type StoredMessage, startFakeSlack, UPLOAD_METHOD } from './fake-slack.js';

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

// Configured the way the app's scheduler is: no automatic retries, 429s fail at once, a timeout. Tests
// whose subject is a timeout pass a short one; the others a budget no loaded machine comes near.
function schedulerClient(timeoutMs = 10_000): WebClient {
  return new WebClient('xoxb-test', {
    slackApiUrl: fake.url,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: timeoutMs,
    logger: quiet,
  });
}

const promptMetadata = (occurrenceId: string) => ({
  event_type: 'learning_thread_nudge',
  event_payload: { occurrence_id: occurrenceId },
});

const occurrenceOf = (message: StoredMessage) => message.metadata?.event_payload.occurrence_id;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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

  it('users.info reports admins and owners as seeded, and a seed again changes it', async () => {
    const web = client();
    expect((await web.users.info({ user: 'UALICE' })).user).toMatchObject({
      is_admin: false,
      is_owner: false,
      is_primary_owner: false,
    });
    fake.addUser({ id: 'UADMIN', isAdmin: true });
    fake.addUser({ id: 'UOWNER', isOwner: true });
    expect((await web.users.info({ user: 'UADMIN' })).user).toMatchObject({
      is_admin: true,
      is_owner: false,
    });
    expect((await web.users.info({ user: 'UOWNER' })).user).toMatchObject({
      is_admin: false,
      is_owner: true,
    });
    fake.addUser({ id: 'UADMIN' });
    expect((await web.users.info({ user: 'UADMIN' })).user?.is_admin).toBe(false);
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
    let answered = false;
    const pending = client()
      .auth.test()
      .finally(() => {
        answered = true;
      });
    // Recorded on arrival, but not yet answered.
    expect((await fake.waitForCall('auth.test')).fault).toBe('slow');
    expect(answered).toBe(false);
    await expect(pending).resolves.toMatchObject({ ok: true });
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
    // A call made after it is answered in full while the hung one is still waiting.
    await expect(client().auth.test()).resolves.toMatchObject({ ok: true });
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

describe('stored messages', () => {
  it('chat.postMessage keeps parsed metadata, and a thread_ts post is stored as a reply', async () => {
    const web = schedulerClient();
    const parent = await web.chat.postMessage({
      channel: 'CPUBLIC',
      text: 'Prompt',
      metadata: promptMetadata('occ-1'),
    });
    const reply = await web.chat.postMessage({
      channel: 'CPUBLIC',
      text: 'Answer',
      thread_ts: parent.ts as string,
    });

    expect(fake.messagesIn('CPUBLIC')).toEqual([
      {
        ts: parent.ts,
        channel: 'CPUBLIC',
        text: 'Prompt',
        blocks: undefined,
        user: 'UBOT',
        bot_id: 'BBOT',
        metadata: promptMetadata('occ-1'),
      },
      {
        ts: reply.ts,
        channel: 'CPUBLIC',
        text: 'Answer',
        blocks: undefined,
        user: 'UBOT',
        bot_id: 'BBOT',
        thread_ts: parent.ts,
      },
    ]);
    expect(fake.messagesIn('CPUBLIC')[1]).not.toHaveProperty('metadata');
    expect(fake.violations).toEqual([]);
  });

  it('rejects metadata Slack would reject, storing nothing', async () => {
    const missingPayload = await rawCall('chat.postMessage', {
      channel: 'CPUBLIC',
      text: 'x',
      metadata: { event_type: 'learning_thread_nudge' },
    });
    expect(await missingPayload.json()).toMatchObject({ ok: false, error: 'invalid_metadata_schema' });

    const form = await fetch(`${fake.url}chat.postMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'Bearer xoxb-form' },
      body: new URLSearchParams({ channel: 'CPUBLIC', text: 'x', metadata: '{not json' }).toString(),
    });
    expect(await form.json()).toMatchObject({ ok: false, error: 'invalid_metadata_format' });

    expect(fake.allMessages()).toEqual([]);
    expect(fake.violations).toEqual([
      expect.stringMatching(/^chat\.postMessage: .*\/metadata\/event_payload/),
      expect.stringMatching(/^chat\.postMessage: .*\/metadata\]/),
    ]);
  });

  it('messagesIn and allMessages list everything oldest first, so posts can be counted per occurrence', async () => {
    const web = schedulerClient();
    await web.chat.postMessage({ channel: 'CPUBLIC', text: 'a', metadata: promptMetadata('occ-a') });
    const dm = await web.chat.postMessage({
      channel: 'UALICE',
      text: 'b',
      metadata: promptMetadata('occ-b'),
    });
    await web.chat.postMessage({ channel: 'CPUBLIC', text: 'a again', metadata: promptMetadata('occ-a') });
    fake.addMessage({ channel: 'CPRIVATE', text: 'seeded', metadata: promptMetadata('occ-c') });
    fake.addMessage({ channel: 'CPRIVATE', text: 'no metadata', user: 'UALICE' });

    const all = fake.allMessages();
    expect(all.map((m) => m.text)).toEqual(['a', 'b', 'a again', 'seeded', 'no metadata']);
    const perOccurrence = new Map<string, number>();
    for (const message of all) {
      const id = occurrenceOf(message);
      if (typeof id === 'string') perOccurrence.set(id, (perOccurrence.get(id) ?? 0) + 1);
    }
    expect(Object.fromEntries(perOccurrence)).toEqual({ 'occ-a': 2, 'occ-b': 1, 'occ-c': 1 });

    expect(fake.messagesIn('UALICE')).toEqual(fake.messagesIn(dm.channel as string));
    expect(fake.messagesIn('general').map((m) => m.text)).toEqual(['a', 'a again']);
    const human = fake.messagesIn('CPRIVATE')[1];
    expect(human?.user).toBe('UALICE');
    expect(human).not.toHaveProperty('bot_id');

    // Copies, so a test cannot change the world by accident.
    const copy = fake.messagesIn('CPUBLIC')[0] as StoredMessage;
    copy.text = 'changed';
    (copy.metadata as { event_payload: Record<string, unknown> }).event_payload.occurrence_id = 'changed';
    expect(fake.messagesIn('CPUBLIC')[0]).toMatchObject({ text: 'a', metadata: promptMetadata('occ-a') });

    fake.addUser({ id: 'UBOB' });
    expect(fake.messagesIn('UBOB')).toEqual([]);
    expect(() => fake.messagesIn('UNOBODY')).toThrow(/unknown channel UNOBODY/);
    expect(() => fake.messagesIn('CNOPE')).toThrow(/unknown channel CNOPE/);
  });
});

describe('conversations.history', () => {
  it('lists top-level messages newest first, with metadata only when asked for', async () => {
    const web = schedulerClient();
    const human = fake.addMessage({ channel: 'CPUBLIC', user: 'UALICE', text: 'from alice' });
    const first = await web.chat.postMessage({
      channel: 'CPUBLIC',
      text: 'promptMetadata 1',
      metadata: promptMetadata('occ-1'),
    });
    fake.addMessage({ channel: 'CPUBLIC', user: 'UALICE', text: 'reply', threadTs: first.ts as string });
    const second = await web.chat.postMessage({
      channel: 'CPUBLIC',
      text: 'promptMetadata 2',
      metadata: promptMetadata('occ-2'),
    });

    const plain = await web.conversations.history({ channel: 'CPUBLIC' });
    expect(plain).toMatchObject({ ok: true, has_more: false, response_metadata: { next_cursor: '' } });
    expect(plain.messages?.map((m) => m.ts)).toEqual([second.ts, first.ts, human]);
    const [newest, threaded, oldest] = plain.messages ?? [];
    expect(newest).toMatchObject({
      type: 'message',
      ts: second.ts,
      text: 'promptMetadata 2',
      user: 'UBOT',
      bot_id: 'BBOT',
    });
    expect(newest).not.toHaveProperty('metadata');
    expect(newest).not.toHaveProperty('thread_ts');
    expect(threaded).toMatchObject({
      thread_ts: first.ts,
      reply_count: 1,
      reply_users: ['UALICE'],
      latest_reply: expect.any(String),
    });
    expect(oldest).toMatchObject({ type: 'message', user: 'UALICE', text: 'from alice' });
    expect(oldest).not.toHaveProperty('bot_id');

    const withMetadata = await web.conversations.history({ channel: 'CPUBLIC', include_all_metadata: true });
    expect(withMetadata.messages?.map((m) => m.metadata)).toEqual([
      promptMetadata('occ-2'),
      promptMetadata('occ-1'),
      undefined,
    ]);

    const asJson = await rawCall('conversations.history', { channel: 'CPUBLIC', include_all_metadata: true });
    const asString = await rawCall('conversations.history', {
      channel: 'CPUBLIC',
      include_all_metadata: 'true',
    });
    const hidden = await rawCall('conversations.history', {
      channel: 'CPUBLIC',
      include_all_metadata: false,
    });
    for (const [response, shown] of [
      [asJson, true],
      [asString, true],
      [hidden, false],
    ] as const) {
      const body = (await response.json()) as { messages: Record<string, unknown>[] };
      expect(body.messages[0]?.metadata).toEqual(shown ? promptMetadata('occ-2') : undefined);
    }
  });

  it('pages with limit and cursor, and honours oldest, latest and inclusive', async () => {
    const web = schedulerClient();
    const ts: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      ts.push((await web.chat.postMessage({ channel: 'CPUBLIC', text: `m${i}` })).ts as string);
    }
    const texts = (result: { messages?: { text?: string }[] }) => result.messages?.map((m) => m.text);

    const page1 = await web.conversations.history({ channel: 'CPUBLIC', limit: 2 });
    expect(texts(page1)).toEqual(['m4', 'm3']);
    expect(page1.has_more).toBe(true);
    const cursor1 = page1.response_metadata?.next_cursor as string;
    expect(cursor1).not.toBe('');
    const page2 = await web.conversations.history({ channel: 'CPUBLIC', limit: 2, cursor: cursor1 });
    expect(texts(page2)).toEqual(['m2', 'm1']);
    const page3 = await web.conversations.history({
      channel: 'CPUBLIC',
      limit: 2,
      cursor: page2.response_metadata?.next_cursor as string,
    });
    expect(texts(page3)).toEqual(['m0']);
    expect(page3).toMatchObject({ has_more: false, response_metadata: { next_cursor: '' } });

    const window = { channel: 'CPUBLIC', oldest: ts[1] as string, latest: ts[3] as string };
    expect(texts(await web.conversations.history(window))).toEqual(['m2']);
    expect(texts(await web.conversations.history({ ...window, inclusive: true }))).toEqual([
      'm3',
      'm2',
      'm1',
    ]);
    expect(texts(await web.conversations.history({ channel: 'CPUBLIC', oldest: ts[3] as string }))).toEqual([
      'm4',
    ]);

    expect(
      await errorOf(web.conversations.history({ channel: 'CPUBLIC', oldest: 'yesterday' })),
    ).toMatchObject({ data: { error: 'invalid_ts_oldest' } });
    expect(await errorOf(web.conversations.history({ channel: 'CPUBLIC', cursor: 'bogus' }))).toMatchObject({
      data: { error: 'invalid_cursor' },
    });
  });

  it('returns 100 messages by default and at most 999', async () => {
    for (let i = 0; i < 1000; i += 1) fake.addMessage({ channel: 'CPUBLIC', text: `m${i}` });
    const web = schedulerClient();
    const byDefault = await web.conversations.history({ channel: 'CPUBLIC' });
    expect(byDefault.messages).toHaveLength(100);
    expect(byDefault.messages?.[0]?.text).toBe('m999');
    const capped = await web.conversations.history({ channel: 'CPUBLIC', limit: 5000 });
    expect(capped.messages).toHaveLength(999);
    expect(capped.has_more).toBe(true);
  });

  it('needs the bot to be in the conversation, even a public one it may post to', async () => {
    const web = schedulerClient();
    expect(await errorOf(web.conversations.history({ channel: 'CNOPE' }))).toMatchObject({
      data: { error: 'channel_not_found' },
    });
    expect(await errorOf(web.conversations.history({ channel: 'CSECRET' }))).toMatchObject({
      data: { error: 'not_in_channel' },
    });
    await web.chat.postMessage({ channel: 'COUTSIDE', text: 'allowed by chat:write.public' });
    expect(await errorOf(web.conversations.history({ channel: 'COUTSIDE' }))).toMatchObject({
      data: { error: 'not_in_channel' },
    });
    await web.conversations.join({ channel: 'COUTSIDE' });
    await expect(web.conversations.history({ channel: 'COUTSIDE' })).resolves.toMatchObject({
      messages: [{ text: 'allowed by chat:write.public' }],
    });
    await expect(web.conversations.history({ channel: 'CARCHIVED' })).resolves.toMatchObject({ ok: true });
    await expect(web.conversations.history({ channel: fake.dmChannelFor('UALICE') })).resolves.toMatchObject({
      ok: true,
    });
    expect(fake.violations).toEqual([]);
  });
});

describe('conversations.replies', () => {
  it('lists the parent then its replies, oldest first, from any ts in the thread', async () => {
    const web = schedulerClient();
    const parent = await web.chat.postMessage({
      channel: 'CPUBLIC',
      text: 'Prompt',
      metadata: promptMetadata('occ-1'),
    });
    const parentTs = parent.ts as string;
    const mine = await web.chat.postMessage({ channel: 'CPUBLIC', text: 'bot reply', thread_ts: parentTs });
    fake.addMessage({ channel: 'CPUBLIC', user: 'UALICE', text: 'alice reply', threadTs: parentTs });
    const lone = await web.chat.postMessage({ channel: 'CPUBLIC', text: 'no thread' });

    const thread = await web.conversations.replies({ channel: 'CPUBLIC', ts: parentTs });
    expect(thread.messages?.map((m) => m.text)).toEqual(['Prompt', 'bot reply', 'alice reply']);
    expect(thread.messages?.[0]).toMatchObject({ ts: parentTs, thread_ts: parentTs, reply_count: 2 });
    expect(thread.messages?.[0]).not.toHaveProperty('metadata');
    expect(thread.messages?.[2]).toMatchObject({
      thread_ts: parentTs,
      parent_user_id: 'UBOT',
      user: 'UALICE',
    });
    expect(thread).toMatchObject({ has_more: false, response_metadata: { next_cursor: '' } });

    const fromReply = await web.conversations.replies({
      channel: 'CPUBLIC',
      ts: mine.ts as string,
      include_all_metadata: true,
    });
    expect(fromReply.messages?.map((m) => m.ts)).toEqual(thread.messages?.map((m) => m.ts));
    expect(fromReply.messages?.[0]?.metadata).toEqual(promptMetadata('occ-1'));

    const single = await web.conversations.replies({ channel: 'CPUBLIC', ts: lone.ts as string });
    expect(single.messages?.map((m) => m.text)).toEqual(['no thread']);

    expect(await errorOf(web.conversations.replies({ channel: 'CPUBLIC', ts: '1.000001' }))).toMatchObject({
      data: { error: 'thread_not_found' },
    });
    expect(await errorOf(web.conversations.replies({ channel: 'CSECRET', ts: parentTs }))).toMatchObject({
      data: { error: 'not_in_channel' },
    });
  });
});

describe('conversations.open', () => {
  it('opens the DM with a user, the same one posting to the user id reaches', async () => {
    const web = schedulerClient();
    const opened = await web.conversations.open({ users: 'UALICE' });
    expect(opened).toMatchObject({ ok: true, channel: { id: expect.stringMatching(/^D/) } });
    expect(opened).not.toHaveProperty('already_open');
    const id = opened.channel?.id as string;
    expect(id).toBe(fake.dmChannelFor('UALICE'));

    await expect(web.conversations.open({ users: 'UALICE' })).resolves.toMatchObject({
      already_open: true,
      channel: { id },
    });
    await expect(web.conversations.open({ users: 'UALICE', return_im: true })).resolves.toMatchObject({
      channel: { id, is_im: true, user: 'UALICE' },
    });
    await web.chat.postMessage({ channel: id, text: 'hello' });
    expect(fake.messagesIn('UALICE').map((m) => m.text)).toEqual(['hello']);
    await expect(web.conversations.info({ channel: id })).resolves.toMatchObject({
      channel: { is_im: true, user: 'UALICE' },
    });
    await expect(web.users.info({ user: 'UALICE' })).resolves.toMatchObject({ user: { id: 'UALICE' } });

    expect(await errorOf(web.conversations.open({ users: 'UNOBODY' }))).toMatchObject({
      data: { error: 'user_not_found' },
    });
    expect(fake.violations).toEqual([]);
    expect(await errorOf(web.conversations.open({} as never))).toMatchObject({
      data: { error: 'users_list_not_supplied' },
    });
    expect(fake.violations).toEqual(['conversations.open: users_list_not_supplied']);
  });
});

describe('lost_response versus slow', () => {
  it('lost_response: the client times out, yet Slack did post and history shows it', async () => {
    fake.failNext('chat.postMessage', { kind: 'lost_response', delayMs: 500 });
    const web = schedulerClient(200);
    const error = await errorOf(
      web.chat.postMessage({ channel: 'CPUBLIC', text: 'Prompt', metadata: promptMetadata('occ-lost') }),
    );
    expect(error).toMatchObject({ code: ErrorCode.RequestError });
    expect(fake.callsTo('chat.postMessage').map((c) => c.fault)).toEqual(['lost_response']);

    const history = await web.conversations.history({ channel: 'CPUBLIC', include_all_metadata: true });
    expect(history.messages).toEqual([
      expect.objectContaining({ text: 'Prompt', metadata: promptMetadata('occ-lost') }),
    ]);
    expect(fake.messagesIn('CPUBLIC').map(occurrenceOf)).toEqual(['occ-lost']);
  });

  it('lost_response: a patient client gets the real answer after the delay', async () => {
    fake.failNext('chat.postMessage', { kind: 'lost_response', delayMs: 300 });
    const result = await client({ timeout: 5000 }).chat.postMessage({ channel: 'CPUBLIC', text: 'x' });
    expect(fake.callsTo('chat.postMessage').map((c) => c.fault)).toEqual(['lost_response']);
    expect(result.ts).toBe(fake.messagesIn('CPUBLIC')[0]?.ts);
  });

  it('slow: the client times out before Slack has acted, and the message appears later', async () => {
    // Slack acts a good while after the client gave up, so the history read below comes first even on a
    // loaded machine.
    fake.failNext('chat.postMessage', { kind: 'slow', delayMs: 2_000 });
    const web = schedulerClient(200);
    const error = await errorOf(
      web.chat.postMessage({ channel: 'CPUBLIC', text: 'Prompt', metadata: promptMetadata('occ-slow') }),
    );
    expect(error).toMatchObject({ code: ErrorCode.RequestError });
    const history = await web.conversations.history({ channel: 'CPUBLIC', include_all_metadata: true });
    expect(history.messages).toEqual([]);
    await expect
      .poll(() => fake.messagesIn('CPUBLIC').map(occurrenceOf), { timeout: 10_000 })
      .toEqual(['occ-slow']);
  });
});

describe('setDefaultFault', () => {
  const statuses = async (n: number) => {
    const out: number[] = [];
    for (let i = 0; i < n; i += 1) out.push((await rawCall('auth.test', {})).status);
    return out;
  };

  it('hits each call independently with the given probability, the same way for the same seed', async () => {
    fake.setDefaultFault('auth.test', { kind: 'server_error', status: 503 }, 0.25, 42);
    const first = await statuses(60);
    const failures = first.filter((s) => s === 503).length;
    expect(failures).toBeGreaterThan(5);
    expect(failures).toBeLessThan(30);
    expect(fake.callsTo('auth.test').map((c) => (c.fault ? 503 : 200))).toEqual(first);

    fake.reset();
    fake.setDefaultFault('auth.test', { kind: 'server_error', status: 503 }, 0.25, 42);
    expect(await statuses(60)).toEqual(first);

    fake.reset();
    fake.setDefaultFault('auth.test', { kind: 'server_error', status: 503 }, 0.25, 7);
    expect(await statuses(60)).not.toEqual(first);

    fake.reset();
    expect(new Set(await statuses(20))).toEqual(new Set([200]));
  });

  it('checks several faults in order, and a queued failNext fault comes first', async () => {
    const web = client();
    fake.setDefaultFault('users.info', { kind: 'error', error: 'never' }, 0);
    fake.setDefaultFault('users.info', { kind: 'error', error: 'first' }, 1);
    fake.setDefaultFault('users.info', { kind: 'error', error: 'second' }, 1);
    fake.failNext('users.info', { kind: 'error', error: 'queued' });
    const errorFrom = async () => (await errorOf(web.users.info({ user: 'UALICE' }))).data;
    expect(await errorFrom()).toMatchObject({ error: 'queued' });
    expect(await errorFrom()).toMatchObject({ error: 'first' });
    await expect(web.auth.test()).resolves.toMatchObject({ ok: true });

    expect(() => fake.setDefaultFault('users.info', { kind: 'error', error: 'x' }, 1.5)).toThrow(
      /probability/,
    );
    expect(() => fake.setDefaultFault('users.info', { kind: 'nope' } as never, 0.5)).toThrow(/unknown fault/);
    expect(() => fake.setDefaultFault('users.info', { kind: 'error', error: 'x' }, 0.5, 1.5)).toThrow(/seed/);
  });

  it('soak: across hundreds of nudges, every post is either answered, refused, or stored despite a lost answer', async () => {
    fake.setDefaultFault('chat.postMessage', { kind: 'rate_limited', retryAfterSeconds: 1 }, 0.05, 1);
    fake.setDefaultFault('chat.postMessage', { kind: 'server_error', status: 503 }, 0.05, 2);
    fake.setDefaultFault('chat.postMessage', { kind: 'lost_response', delayMs: 2_500 }, 0.05, 3);
    // A second for ordinary answers: on a loaded machine a 200 ms budget turned plain posts into timeouts.
    const web = schedulerClient(1_000);
    const results: PromiseSettledResult<unknown>[] = [];
    // Small batches keep ordinary calls far inside the timeout on a busy machine.
    for (let batch = 0; batch < 12; batch += 1) {
      const posts = Array.from({ length: 25 }, (_, i) =>
        web.chat.postMessage({
          channel: 'CPUBLIC',
          text: 'Prompt',
          metadata: promptMetadata(`occ-${batch * 25 + i}`),
        }),
      );
      results.push(...(await Promise.allSettled(posts)));
    }

    const faults = fake.callsTo('chat.postMessage').map((c) => c.fault ?? 'none');
    const count = (kind: string) => faults.filter((f) => f === kind).length;
    const codes = results.map((r) =>
      r.status === 'fulfilled' ? 'ok' : String((r.reason as { code?: string }).code),
    );
    const countCode = (code: string) => codes.filter((c) => c === code).length;

    expect(results).toHaveLength(300);
    expect(count('rate_limited')).toBeGreaterThan(0);
    expect(count('server_error')).toBeGreaterThan(0);
    expect(count('lost_response')).toBeGreaterThan(0);
    expect(countCode(ErrorCode.RateLimitedError)).toBe(count('rate_limited'));
    expect(countCode(ErrorCode.HTTPError)).toBe(count('server_error'));
    expect(countCode(ErrorCode.RequestError)).toBe(count('lost_response'));
    expect(countCode('ok')).toBe(count('none'));

    const stored = fake.messagesIn('CPUBLIC');
    expect(stored).toHaveLength(count('none') + count('lost_response'));
    expect(new Set(stored.map(occurrenceOf)).size).toBe(stored.length);
  });
});

describe('setRateLimit', () => {
  it('answers 429 once a channel has had its share of calls in the last second', async () => {
    fake.setRateLimit('chat.postMessage', { perChannelPerSecond: 2, retryAfterSeconds: 1 });
    const web = schedulerClient();
    await web.chat.postMessage({ channel: 'CPUBLIC', text: '1' });
    await web.chat.postMessage({ channel: 'CPUBLIC', text: '2' });
    expect(await errorOf(web.chat.postMessage({ channel: 'CPUBLIC', text: '3' }))).toMatchObject({
      code: ErrorCode.RateLimitedError,
      retryAfter: 1,
    });
    // Other channels, and other methods on this one, are unaffected.
    await web.chat.postMessage({ channel: 'CPRIVATE', text: 'elsewhere' });
    await expect(web.conversations.history({ channel: 'CPUBLIC' })).resolves.toMatchObject({ ok: true });
    // A user id and its DM id are one channel.
    await web.chat.postMessage({ channel: 'UALICE', text: 'dm 1' });
    await web.chat.postMessage({ channel: 'UALICE', text: 'dm 2' });
    expect(
      await errorOf(web.chat.postMessage({ channel: fake.dmChannelFor('UALICE'), text: 'dm 3' })),
    ).toMatchObject({ code: ErrorCode.RateLimitedError });

    expect(fake.callsTo('chat.postMessage').map((c) => c.fault)).toEqual([
      undefined,
      undefined,
      'rate_limited',
      undefined,
      undefined,
      undefined,
      'rate_limited',
    ]);
    expect(fake.messagesIn('CPUBLIC').map((m) => m.text)).toEqual(['1', '2']);

    await sleep(1050);
    await expect(web.chat.postMessage({ channel: 'CPUBLIC', text: '4' })).resolves.toMatchObject({
      ok: true,
    });

    fake.reset();
    for (const text of ['5', '6', '7']) await web.chat.postMessage({ channel: 'CPUBLIC', text });
    expect(fake.messagesIn('CPUBLIC')).toHaveLength(6);
  });
});

describe('clock option', () => {
  it('takes new ts values from the given clock, still strictly increasing, so a present-day oldest finds them', async () => {
    const at = new Date('2030-01-02T03:04:05.678Z');
    const clocked = await startFakeSlack({ now: () => at });
    try {
      clocked.addChannel({ id: 'CNOW' });
      const web = new WebClient('xoxb-test', { slackApiUrl: clocked.url, logger: quiet });
      const seconds = Math.floor(at.getTime() / 1000);
      const a = await web.chat.postMessage({ channel: 'CNOW', text: 'a' });
      const b = await web.chat.postMessage({ channel: 'CNOW', text: 'b' });
      expect(a.ts).toBe(`${seconds}.678000`);
      expect(b.ts).toBe(`${seconds}.678001`);
      const recent = await web.conversations.history({ channel: 'CNOW', oldest: String(seconds - 60) });
      expect(recent.messages?.map((m) => m.text)).toEqual(['b', 'a']);
    } finally {
      await clocked.close();
    }
  });
});

describe('file uploads', () => {
  // Every byte value, so that any text decoding on the way would show.
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    Buffer.from(Array.from({ length: 256 }, (_, i) => i)),
  ]);

  it('files.uploadV2 goes through getUploadURLExternal, the upload URL and completeUploadExternal into a thread', async () => {
    const web = client();
    const parent = await web.chat.postMessage({ channel: 'CPUBLIC', text: 'Weekly summary' });
    const parentTs = parent.ts as string;

    const result = await web.files.uploadV2({
      channel_id: 'CPUBLIC',
      thread_ts: parentTs,
      file: png,
      filename: 'chart.png',
      title: 'Weekly chart',
      alt_text: 'Learnings logged per day',
    });

    const [file] = fake.uploadedFiles();
    const id = file?.id as string;
    expect(id).toMatch(/^F[A-Z0-9]+$/);
    expect(result).toMatchObject({ ok: true, files: [{ ok: true, files: [{ id, title: 'Weekly chart' }] }] });
    expect(fake.uploadedFiles()).toHaveLength(1);
    expect(file).toMatchObject({
      filename: 'chart.png',
      title: 'Weekly chart',
      altText: 'Learnings logged per day',
      completed: true,
      channelId: 'CPUBLIC',
      threadTs: parentTs,
    });
    expect(file?.bytes.equals(png)).toBe(true);

    expect(fake.callsTo('files.getUploadURLExternal')[0]?.params).toMatchObject({
      filename: 'chart.png',
      length: String(png.length),
      alt_text: 'Learnings logged per day',
    });
    expect(fake.callsTo(UPLOAD_METHOD)).toMatchObject([
      { params: { file_id: id, length: png.length }, token: 'xoxb-test' },
    ]);
    expect(fake.callsTo('files.completeUploadExternal')[0]?.params).toMatchObject({
      files: [{ id, title: 'Weekly chart' }],
      channel_id: 'CPUBLIC',
      thread_ts: parentTs,
    });

    const [, shared] = fake.messagesIn('CPUBLIC');
    expect(shared).toMatchObject({
      ts: file?.messageTs,
      thread_ts: parentTs,
      bot_id: 'BBOT',
      files: [
        {
          id,
          name: 'chart.png',
          title: 'Weekly chart',
          mimetype: 'image/png',
          size: png.length,
          alt_txt: 'Learnings logged per day',
        },
      ],
    });
    const thread = await web.conversations.replies({ channel: 'CPUBLIC', ts: parentTs });
    expect(thread.messages?.[1]).toMatchObject({
      upload: true,
      files: [{ id, name: 'chart.png', filetype: 'png', size: png.length }],
    });
    const history = await web.conversations.history({ channel: 'CPUBLIC' });
    expect(history.messages?.map((m) => m.ts)).toEqual([parentTs]);
    expect(fake.violations).toEqual([]);
  });

  it('hands out an absolute upload URL on the fake that takes raw bytes, and checks what it is given', async () => {
    const started = await rawCall('files.getUploadURLExternal', { filename: 'notes.txt', length: 5 });
    const { upload_url, file_id } = (await started.json()) as { upload_url: string; file_id: string };
    const origin = new URL(fake.url).origin;
    expect(upload_url).toBe(`${origin}/upload/${file_id}`);

    const uploaded = await fetch(upload_url, { method: 'POST', body: 'hello' });
    expect(uploaded.status).toBe(200);
    expect(await uploaded.text()).toBe('OK - 5');
    const unknown = await fetch(`${origin}/upload/F0NOWHERE`, { method: 'POST', body: 'x' });
    expect(unknown.status).toBe(404);

    // Shared nowhere without a channel, and a completed upload cannot be completed again.
    const done = await rawCall('files.completeUploadExternal', { files: [{ id: file_id }] });
    expect(await done.json()).toEqual({ ok: true, files: [{ id: file_id, title: 'notes.txt' }] });
    expect(fake.uploadedFiles()).toMatchObject([{ id: file_id, completed: true, title: 'notes.txt' }]);
    expect(fake.uploadedFiles()[0]?.bytes.toString()).toBe('hello');
    expect(fake.allMessages()).toEqual([]);
    const again = await rawCall('files.completeUploadExternal', { files: [{ id: file_id }] });
    expect(await again.json()).toEqual({ ok: false, error: 'file_not_found' });
    expect((await fetch(upload_url, { method: 'POST', body: 'late' })).status).toBe(404);
    expect(fake.violations).toEqual([]);

    const web = client();
    expect(await errorOf(web.files.getUploadURLExternal({ filename: '', length: 5 }))).toMatchObject({
      data: { error: 'invalid_arguments' },
    });
    expect(await errorOf(web.files.getUploadURLExternal({ filename: 'a.txt', length: 0 }))).toMatchObject({
      data: { error: 'invalid_arguments' },
    });
    expect(fake.violations).toEqual([
      'files.getUploadURLExternal: missing required field: filename',
      'files.getUploadURLExternal: length must be a positive integer, got "0"',
    ]);

    // Bytes that never arrived, an unjoined channel, and a missing files list.
    const pending = await web.files.getUploadURLExternal({ filename: 'b.txt', length: 3 });
    const pendingId = pending.file_id as string;
    expect(
      await errorOf(web.files.completeUploadExternal({ files: [{ id: pendingId }], channel_id: 'CPUBLIC' })),
    ).toMatchObject({ data: { error: 'file_not_found' } });
    await fetch(pending.upload_url as string, { method: 'POST', body: 'abc' });
    expect(
      await errorOf(web.files.completeUploadExternal({ files: [{ id: pendingId }], channel_id: 'COUTSIDE' })),
    ).toMatchObject({ data: { error: 'not_in_channel' } });
    expect(await errorOf(web.files.completeUploadExternal({ files: [] as never }))).toMatchObject({
      data: { error: 'invalid_arguments' },
    });

    // Nothing failed for good above, so the upload can still be shared, with an introduction.
    await web.files.completeUploadExternal({
      files: [{ id: pendingId, title: 'B' }],
      channel_id: 'CPRIVATE',
      initial_comment: 'Here is B',
    });
    expect(fake.messagesIn('CPRIVATE')).toMatchObject([
      { text: 'Here is B', files: [{ id: pendingId, title: 'B', mimetype: 'text/plain', size: 3 }] },
    ]);
    expect(fake.messagesIn('CPRIVATE')[0]).not.toHaveProperty('thread_ts');
  });

  it('fails uploadV2 at whichever step an injected fault hits, sharing nothing', async () => {
    const web = client();
    const upload = () =>
      web.files.uploadV2({ channel_id: 'CPUBLIC', file: png, filename: 'chart.png', title: 'Chart' });

    fake.failNext(UPLOAD_METHOD, { kind: 'server_error' });
    expect(await errorOf(upload())).toMatchObject({ code: ErrorCode.HTTPError, statusCode: 500 });
    expect(fake.callsTo('files.completeUploadExternal')).toEqual([]);

    fake.failNext(UPLOAD_METHOD, { kind: 'error', error: 'upload_rejected' });
    expect(await errorOf(upload())).toMatchObject({
      code: ErrorCode.HTTPError,
      statusCode: 400,
      body: 'upload_rejected',
    });

    fake.failNext('files.getUploadURLExternal', { kind: 'error', error: 'fatal_error' });
    expect(await errorOf(upload())).toMatchObject({ data: { ok: false, error: 'fatal_error' } });

    fake.failNext('files.completeUploadExternal', { kind: 'server_error', status: 503 });
    expect(await errorOf(upload())).toMatchObject({ code: ErrorCode.HTTPError, statusCode: 503 });

    expect(fake.callsTo(UPLOAD_METHOD).map((c) => c.fault)).toEqual(['server_error', 'error', undefined]);
    expect(fake.messagesIn('CPUBLIC')).toEqual([]);
    // Only the last attempt's bytes arrived, and its upload was never completed.
    expect(fake.uploadedFiles()).toMatchObject([{ filename: 'chart.png', completed: false }]);

    // The upload URL plays out the timing faults like any method.
    fake.failNext(UPLOAD_METHOD, { kind: 'slow', delayMs: 50 });
    await expect(upload()).resolves.toMatchObject({ ok: true });
    expect(fake.messagesIn('CPUBLIC')).toMatchObject([{ files: [{ title: 'Chart' }] }]);
  });
});

describe('chat.getPermalink', () => {
  it('links a message, names the parent for a thread reply, and refuses what it cannot find', async () => {
    const web = client();
    const parent = await web.chat.postMessage({ channel: 'CPUBLIC', text: 'Prompt' });
    const parentTs = parent.ts as string;
    const replyTs = fake.addMessage({
      channel: 'CPUBLIC',
      user: 'UALICE',
      text: 'reply',
      threadTs: parentTs,
    });
    const archive = 'https://fake-workspace.slack.com/archives/CPUBLIC';

    await expect(web.chat.getPermalink({ channel: 'CPUBLIC', message_ts: parentTs })).resolves.toEqual(
      expect.objectContaining({
        ok: true,
        channel: 'CPUBLIC',
        permalink: `${archive}/p${parentTs.replace('.', '')}`,
      }),
    );
    const reply = await web.chat.getPermalink({ channel: 'CPUBLIC', message_ts: replyTs });
    expect(reply.permalink).toBe(`${archive}/p${replyTs.replace('.', '')}?thread_ts=${parentTs}&cid=CPUBLIC`);
    expect(reply.permalink).toMatch(/\/p\d{16}\?/);

    for (const channel of ['CNOWHERE', 'CSECRET']) {
      expect(await errorOf(web.chat.getPermalink({ channel, message_ts: parentTs }))).toMatchObject({
        data: { error: 'channel_not_found' },
      });
    }
    expect(await errorOf(web.chat.getPermalink({ channel: 'CPRIVATE', message_ts: parentTs }))).toMatchObject(
      { data: { error: 'message_not_found' } },
    );
    fake.failNext('chat.getPermalink', { kind: 'error', error: 'internal_error' });
    expect(await errorOf(web.chat.getPermalink({ channel: 'CPUBLIC', message_ts: parentTs }))).toMatchObject({
      data: { error: 'internal_error' },
    });
    expect(fake.violations).toEqual([]);
  });
});

describe('conversations.members', () => {
  it('pages through the seeded members with limit and cursor', async () => {
    fake.addUser({ id: 'UBOB', name: 'bob' });
    fake.addUser({ id: 'UCAROL', name: 'carol' });
    fake.addUser({ id: 'UGONE', name: 'gone', deleted: true });
    const web = client();

    const first = await web.conversations.members({ channel: 'CPUBLIC', limit: 3 });
    expect(first.members).toEqual(['UBOT', 'UALICE', 'UBOB']);
    const cursor = first.response_metadata?.next_cursor as string;
    expect(cursor).not.toBe('');
    const second = await web.conversations.members({ channel: 'CPUBLIC', limit: 3, cursor });
    expect(second).toMatchObject({ members: ['UCAROL'], response_metadata: { next_cursor: '' } });
    const all = await web.conversations.members({ channel: 'CPUBLIC' });
    expect(all.members).toEqual(['UBOT', 'UALICE', 'UBOB', 'UCAROL']);

    const pages: string[][] = [];
    for await (const page of web.paginate('conversations.members', { channel: 'CPUBLIC', limit: 2 })) {
      pages.push((page as ConversationsMembersResponse).members ?? []);
    }
    expect(pages).toEqual([
      ['UBOT', 'UALICE'],
      ['UBOB', 'UCAROL'],
    ]);

    // The bot is listed only where it is a member; a seeded list is used as given.
    expect((await web.conversations.members({ channel: 'COUTSIDE' })).members).not.toContain('UBOT');
    fake.addChannel({ id: 'CTEAM', name: 'core', members: ['UCAROL', 'UALICE'] });
    expect((await web.conversations.members({ channel: 'CTEAM' })).members).toEqual(['UCAROL', 'UALICE']);
    const dm = fake.dmChannelFor('UALICE');
    expect((await web.conversations.members({ channel: dm })).members).toEqual(['UALICE', 'UBOT']);

    for (const channel of ['CNOWHERE', 'CSECRET']) {
      expect(await errorOf(web.conversations.members({ channel }))).toMatchObject({
        data: { error: 'channel_not_found' },
      });
    }
    expect(
      await errorOf(web.conversations.members({ channel: 'CPUBLIC', cursor: 'bm90LWEtY3Vyc29y' })),
    ).toMatchObject({ data: { error: 'invalid_cursor' } });

    fake.failNext('conversations.members', { kind: 'rate_limited', retryAfterSeconds: 2 });
    expect(
      await errorOf(client({ rejectRateLimitedCalls: true }).conversations.members({ channel: 'CPUBLIC' })),
    ).toMatchObject({ code: ErrorCode.RateLimitedError, retryAfter: 2 });
  });
});
