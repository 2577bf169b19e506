import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type NamesPolicy, namesOf } from '../../src/services/people.js';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack.js';

const SAM = 'U0SECOND';
const ADA = 'U0AUTHOR';
const LEFT = 'U0LEFTLONGAGO';

describe('naming the people an export shows', () => {
  let slack: FakeSlack;
  let client: WebClient;
  let waits: number[];
  // Waiting is recorded rather than done: what matters is that Slack's Retry-After was honoured.
  const policy = (maxWaitMs = 10_000): NamesPolicy => ({
    maxWaitMs,
    sleep: async (ms) => {
      waits.push(ms);
    },
  });
  const asked = () => slack.callsTo('users.info').map((call) => String(call.params.user));

  beforeAll(async () => {
    slack = await startFakeSlack({});
  });
  afterAll(async () => {
    await slack.close();
  });
  beforeEach(() => {
    slack.reset();
    slack.addUser({ id: SAM, name: 'sam', realName: 'Sam Lee', displayName: 'Sam' });
    // Never set a display name: Slack answers with an empty one.
    slack.addUser({ id: ADA, name: 'ada', realName: 'Ada Author', displayName: '' });
    client = new WebClient('xoxb-names', {
      slackApiUrl: slack.url,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
    });
    waits = [];
  });

  it('asks once per person, however often they appear, and prefers the display name', async () => {
    const names = await namesOf(client, [SAM, ADA, SAM, '', ADA, SAM], policy());
    expect(Object.fromEntries(names)).toEqual({ [SAM]: 'Sam', [ADA]: 'Ada Author' });
    expect(asked()).toEqual([SAM, ADA]);
  });

  it('leaves out someone Slack no longer knows, and still names the rest', async () => {
    const names = await namesOf(client, [LEFT, SAM], policy());
    expect(Object.fromEntries(names)).toEqual({ [SAM]: 'Sam' });
    expect(asked()).toEqual([LEFT, SAM]);
  });

  it('waits out a 429 for as long as Slack asks, then carries on', async () => {
    slack.failNext('users.info', { kind: 'rate_limited', retryAfterSeconds: 3 });
    const names = await namesOf(client, [SAM, ADA], policy());
    expect(waits).toEqual([3_000]);
    expect(Object.fromEntries(names)).toEqual({ [SAM]: 'Sam', [ADA]: 'Ada Author' });
    expect(asked()).toEqual([SAM, SAM, ADA]);
  });

  it('stops asking once the waits would pass the budget: the rest keep their ids', async () => {
    slack.failNext('users.info', { kind: 'rate_limited', retryAfterSeconds: 2 }, 2);
    const names = await namesOf(client, [SAM, ADA], policy(3_000));
    expect(waits).toEqual([2_000]);
    expect(names.size).toBe(0);
    expect(asked()).toEqual([SAM, SAM]);
  });

  it('stops asking when Slack does not answer at all', async () => {
    slack.failNext('users.info', { kind: 'server_error', status: 503 });
    const names = await namesOf(client, [SAM, ADA], policy());
    expect(names.size).toBe(0);
    expect(asked()).toEqual([SAM]);
  });
});
