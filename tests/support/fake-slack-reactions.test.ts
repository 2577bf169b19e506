import { type Logger, LogLevel, WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from './fake-slack.js';

let fake: FakeSlack;

beforeEach(async () => {
  fake = await startFakeSlack({ teamId: 'T123', botUserId: 'UBOT', botId: 'BBOT' });
  fake.addChannel({ id: 'CPUBLIC', name: 'general' });
  fake.addChannel({ id: 'CARCHIVED', name: 'old', isArchived: true });
  fake.addChannel({ id: 'CSECRET', name: 'secret', isPrivate: true, isMember: false });
  fake.addUser({ id: 'UALICE', name: 'alice' });
});

afterEach(async () => {
  await fake.close();
});

const quiet: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  setLevel: () => {},
  getLevel: () => LogLevel.ERROR,
  setName: () => {},
};

const client = () =>
  new WebClient('xoxb-test', { slackApiUrl: fake.url, retryConfig: { retries: 0 }, logger: quiet });

/** Slack's error code for a call, or 'ok'. */
async function answer(args: Record<string, unknown>): Promise<string> {
  try {
    await client().apiCall('reactions.add', args);
    return 'ok';
  } catch (error) {
    return String((error as { data?: { error?: string } }).data?.error);
  }
}

describe('reactions.add', () => {
  it('adds the bot’s reaction to a message once, and answers already_reacted after that', async () => {
    const ts = fake.addMessage({ channel: 'CPUBLIC', user: 'UALICE', text: 'A reply' });
    expect(await answer({ channel: 'CPUBLIC', timestamp: ts, name: 'memo' })).toBe('ok');
    expect(await answer({ channel: 'CPUBLIC', timestamp: ts, name: 'memo' })).toBe('already_reacted');
    expect(await answer({ channel: 'CPUBLIC', timestamp: ts, name: 'thumbsup' })).toBe('ok');
    expect(fake.reactionsOn('CPUBLIC', ts)).toEqual([
      { name: 'memo', users: ['UBOT'], count: 1 },
      { name: 'thumbsup', users: ['UBOT'], count: 1 },
    ]);
    expect(fake.violations).toEqual([]);
  });

  it('answers message_not_found for a message that is not there, or no longer is', async () => {
    expect(await answer({ channel: 'CPUBLIC', timestamp: '1700000000.000100', name: 'memo' })).toBe(
      'message_not_found',
    );
    const ts = fake.addMessage({ channel: 'CPUBLIC', text: 'Posted by the app' });
    await client().chat.delete({ channel: 'CPUBLIC', ts });
    expect(await answer({ channel: 'CPUBLIC', timestamp: ts, name: 'memo' })).toBe('message_not_found');
    expect(fake.reactionsOn('CPUBLIC', ts)).toEqual([]);
  });

  it('answers channel_not_found, is_archived and bad_timestamp as Slack documents them', async () => {
    expect(await answer({ channel: 'CGONE', timestamp: '1700000000.000100', name: 'memo' })).toBe(
      'channel_not_found',
    );
    const secret = fake.addMessage({ channel: 'CSECRET', user: 'UALICE', text: 'Hidden' });
    expect(await answer({ channel: 'CSECRET', timestamp: secret, name: 'memo' })).toBe('channel_not_found');
    const old = fake.addMessage({ channel: 'CARCHIVED', user: 'UALICE', text: 'Old' });
    expect(await answer({ channel: 'CARCHIVED', timestamp: old, name: 'memo' })).toBe('is_archived');
    expect(await answer({ channel: 'CPUBLIC', timestamp: 'yesterday', name: 'memo' })).toBe('bad_timestamp');
    expect(fake.violations).toEqual([]);
  });

  it('refuses what the app got wrong, and records it as a violation', async () => {
    const ts = fake.addMessage({ channel: 'CPUBLIC', user: 'UALICE', text: 'A reply' });
    expect(await answer({ channel: 'CPUBLIC', timestamp: ts, name: ':memo:' })).toBe('invalid_name');
    expect(await answer({ channel: 'CPUBLIC', name: 'memo' })).toBe('no_item_specified');
    expect(fake.violations).toHaveLength(2);
    expect(fake.reactionsOn('CPUBLIC', ts)).toEqual([]);
  });
});
