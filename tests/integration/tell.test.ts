import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { type TellPolicy, tellPrivately } from '../../src/services/tell.js';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack.js';
import { LogCapture } from '../support/harness.js';

const PERSON = 'U0PERSON';
const CHANNEL = 'C0WHERE';
const NOTE = { text: 'Your check-in could not be posted.' };

describe('telling one person privately', () => {
  let slack: FakeSlack;
  let client: WebClient;
  let logs: LogCapture;
  let waits: number[];
  // Waiting is recorded rather than done: what matters is that the Retry-After Slack gave was honoured.
  const policy = (maxWaitMs = 5_000): TellPolicy => ({
    maxWaitMs,
    sleep: async (ms) => {
      waits.push(ms);
    },
  });
  const tell = (note: Partial<Parameters<typeof tellPrivately>[2]>, maxWaitMs?: number) =>
    tellPrivately(
      client,
      createLogger('debug', logs),
      { userId: PERSON, message: NOTE, ...note },
      policy(maxWaitMs),
    );
  const tries = (method: string) => slack.callsTo(method).length;
  const delivered = (method: string) => slack.callsTo(method).filter((call) => !call.fault).length;

  beforeAll(async () => {
    slack = await startFakeSlack({});
  });
  afterAll(async () => {
    await slack.close();
  });
  beforeEach(() => {
    slack.reset();
    slack.addUser({ id: PERSON });
    slack.addChannel({ id: CHANNEL });
    client = new WebClient('xoxb-tell', {
      slackApiUrl: slack.url,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
    });
    logs = new LogCapture();
    waits = [];
  });

  it('shows the note in the channel, only to the person, in the thread when there is one', async () => {
    expect(await tell({ channelId: CHANNEL, threadTs: '1795000000.000100' })).toBe('ephemeral');
    const [shown] = slack.callsTo('chat.postEphemeral');
    expect(shown?.params).toMatchObject({ channel: CHANNEL, user: PERSON, thread_ts: '1795000000.000100' });
    expect(tries('chat.postMessage')).toBe(0);
  });

  it('waits out one 429 in the channel and shows the note once', async () => {
    slack.failNext('chat.postEphemeral', { kind: 'rate_limited', retryAfterSeconds: 2 });
    expect(await tell({ channelId: CHANNEL })).toBe('ephemeral');
    expect(waits).toEqual([2_000]);
    expect(tries('chat.postEphemeral')).toBe(2);
    expect(delivered('chat.postEphemeral')).toBe(1);
  });

  it('sends a direct message when there is no channel, waiting out one 429', async () => {
    slack.failNext('chat.postMessage', { kind: 'rate_limited', retryAfterSeconds: 1 });
    expect(await tell({})).toBe('direct');
    expect(waits).toEqual([1_000]);
    expect(delivered('chat.postMessage')).toBe(1);
    expect(slack.messagesIn(PERSON).at(-1)?.text).toBe(NOTE.text);
  });

  it('falls back to a direct message when the channel refuses', async () => {
    slack.addChannel({ id: CHANNEL, isArchived: true });
    expect(await tell({ channelId: CHANNEL })).toBe('direct');
    expect(delivered('chat.postMessage')).toBe(1);
  });

  it('does not wait longer than its bound, and tries the other way instead', async () => {
    slack.failNext('chat.postEphemeral', { kind: 'rate_limited', retryAfterSeconds: 60 });
    expect(await tell({ channelId: CHANNEL }, 5_000)).toBe('direct');
    expect(waits).toEqual([]);
    expect(delivered('chat.postMessage')).toBe(1);
  });

  it('gives up after one wait per way of telling, logging ids and the code only', async () => {
    slack.failNext('chat.postEphemeral', { kind: 'rate_limited', retryAfterSeconds: 1 }, 2);
    slack.failNext('chat.postMessage', { kind: 'rate_limited', retryAfterSeconds: 1 }, 2);
    expect(await tell({ channelId: CHANNEL })).toBe('not_told');
    expect(waits).toEqual([1_000, 1_000]);
    expect(tries('chat.postEphemeral')).toBe(2);
    expect(tries('chat.postMessage')).toBe(2);
    expect(logs.text).toContain('private note not delivered');
    expect(logs.text).toContain(PERSON);
    expect(logs.text).not.toContain(NOTE.text);
  });
});
