import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMessageLink, readStepInputs } from '../../src/services/workflow-steps.js';
import { ACTIONS } from '../../src/slack/ids.js';
import { promptTitle } from '../../src/slack/views/prompt.js';
import {
  buildReviewInvitation,
  buildWorkflowPrompt,
  stepProblemText,
} from '../../src/slack/views/workflow-steps.js';
import { checkMessageBlocks, type FakeSlack, startFakeSlack } from '../support/fake-slack.js';

const OCCURRENCE = '7f0c1a52-5a1e-4a4e-9a43-2d7e3c1b9f10';

describe('parseMessageLink', () => {
  it.each([
    [
      'https://acme.slack.com/archives/C0TEAM/p1795255200000400',
      { channelId: 'C0TEAM', ts: '1795255200.000400' },
    ],
    [
      'https://acme.enterprise.slack.com/archives/G0PRIVATE/p1795255200000400?thread_ts=1795255100.000100&cid=G0PRIVATE',
      { channelId: 'G0PRIVATE', ts: '1795255200.000400' },
    ],
    // Slack wraps links in angle brackets in some copies.
    [
      '<https://acme.slack.com/archives/C0TEAM/p1795255200000400>',
      { channelId: 'C0TEAM', ts: '1795255200.000400' },
    ],
  ])('reads %s', (link, expected) => {
    expect(parseMessageLink(link)).toEqual(expected);
  });

  it.each([
    'not a link',
    'http://acme.slack.com/archives/C0TEAM/p1795255200000400',
    'https://slack.com.evil.example/archives/C0TEAM/p1795255200000400',
    'https://acme.slack.com/archives/C0TEAM',
    'https://acme.slack.com/archives/U0PERSON/p1795255200000400',
    'https://acme.slack.com/archives/C0TEAM/p17952552',
  ])('refuses %s', (link) => {
    expect(parseMessageLink(link)).toBeUndefined();
  });
});

describe('readStepInputs', () => {
  it('reads a before-action review step, keeping each person once', () => {
    expect(
      readStepInputs('before', {
        channel_id: 'C0TEAM',
        action: '  Open the grant round ',
        people: ['U1', 'U2', 'U1'],
        look_back_on: '2026-12-05',
      }),
    ).toEqual({
      step: 'before',
      channelId: 'C0TEAM',
      action: 'Open the grant round',
      people: ['U1', 'U2'],
      lookBackOn: '2026-12-05',
    });
  });

  it('takes the optional inputs as left out or empty', () => {
    expect(readStepInputs('before', { channel_id: 'C0TEAM', action: 'Ship it', look_back_on: '' })).toEqual({
      step: 'before',
      channelId: 'C0TEAM',
      action: 'Ship it',
      people: [],
      lookBackOn: null,
    });
    expect(readStepInputs('after', { channel_id: 'C0TEAM' })).toEqual({
      step: 'after',
      channelId: 'C0TEAM',
      beforeLink: null,
    });
  });

  it.each([
    ['before', { action: 'Ship it' }, 'no_channel'],
    ['before', { channel_id: 'D0DIRECT', action: 'Ship it' }, 'no_channel'],
    ['before', { channel_id: ['C0TEAM'], action: 'Ship it' }, 'no_channel'],
    ['before', { channel_id: 'C0TEAM', action: ' ' }, 'no_action'],
    ['before', { channel_id: 'C0TEAM', action: 'Ship it', look_back_on: 'next Friday' }, 'bad_date'],
    ['question', { channel_id: 'C0TEAM', question: '' }, 'no_question'],
  ] as const)('says what is wrong with %s inputs %j', (step, inputs, kind) => {
    expect(readStepInputs(step, inputs)).toEqual({ kind });
  });
});

describe('workflow step messages', () => {
  it('invites a before-action review with a button that opens the form', () => {
    const message = buildReviewInvitation({
      occurrenceId: OCCURRENCE,
      channelId: 'C0TEAM',
      invitation: { target: 'before', action: 'Open <the> grant round', people: [], lookBackOn: null },
    });
    expect(checkMessageBlocks(message.blocks)).toEqual([]);
    expect(JSON.stringify(message.blocks)).toContain('_Open &lt;the&gt; grant round_');
    expect(message.blocks[1]).toMatchObject({
      type: 'actions',
      elements: [{ action_id: ACTIONS.startWorkflowBar, value: OCCURRENCE }],
    });
  });

  it('invites an after-action review for its before-action review, or for the channel without one', () => {
    const linked = buildReviewInvitation({
      occurrenceId: OCCURRENCE,
      channelId: 'C0TEAM',
      invitation: { target: 'after', reviewId: 'review-1' },
      before: { action: 'Open the grant round' },
    });
    expect(linked.blocks[1]).toMatchObject({
      elements: [{ action_id: ACTIONS.startAar, value: 'review-1' }],
    });
    const unlinked = buildReviewInvitation({
      occurrenceId: OCCURRENCE,
      channelId: 'C0TEAM',
      invitation: { target: 'after', reviewId: null },
    });
    expect(unlinked.blocks[1]).toMatchObject({
      elements: [{ action_id: ACTIONS.startAarWithoutBar, value: 'C0TEAM' }],
    });
    expect(checkMessageBlocks([...linked.blocks, ...unlinked.blocks])).toEqual([]);
  });

  it('asks a question with the prompt’s answers and skip, tagged so a lost post is found again', () => {
    const message = buildWorkflowPrompt({ occurrenceId: OCCURRENCE, question: 'x'.repeat(5000) });
    expect(checkMessageBlocks(message.blocks)).toEqual([]);
    expect(message.metadata.event_payload).toEqual({ occurrence_id: OCCURRENCE });
    expect(message.text.length).toBeLessThan(300);
  });

  it('names the channel when it can, and mentions it when it cannot read it', () => {
    expect(stepProblemText({ kind: 'cannot_post', channelId: 'C0TEAM', channelName: 'team' })).toBe(
      'Learning Thread can’t post in #team: add it to the channel with /invite @Learning Thread, then run the workflow again.',
    );
    expect(stepProblemText({ kind: 'cannot_post', channelId: 'C0SECRET', channelName: null })).toContain(
      'can’t post in <#C0SECRET>:',
    );
  });

  it('says a message Slack kept refusing was given up, and to run the workflow again later', () => {
    expect(stepProblemText({ kind: 'not_posted', channelId: 'C0TEAM', channelName: 'team' })).toBe(
      'Slack didn’t take the message in #team, so this step stops here. Run the workflow again a little later.',
    );
  });
});

describe('the fake Slack’s workflow methods', () => {
  let slack: FakeSlack;
  let client: WebClient;
  beforeAll(async () => {
    slack = await startFakeSlack();
    client = new WebClient('xoxb-test', { slackApiUrl: slack.url, retryConfig: { retries: 0 } });
  });
  afterAll(() => slack.close());

  it('completes a running step once, with outputs its definition declares', async () => {
    const { execution } = slack.startFunctionExecution({
      callbackId: 'ask_reflection_question',
      inputs: { channel_id: 'C0TEAM', question: 'What surprised us?' },
    });
    await expect(
      client.functions.completeSuccess({ function_execution_id: execution.id, outputs: { link: 'x' } }),
    ).rejects.toMatchObject({ data: { error: 'parameter_validation_failed' } });
    await client.functions.completeSuccess({
      function_execution_id: execution.id,
      outputs: { message_link: 'https://acme.slack.com/archives/C0TEAM/p1795255200000400' },
    });
    expect(slack.functionExecution(execution.id)?.state).toBe('completed');
    await expect(
      client.functions.completeError({ function_execution_id: execution.id, error: 'Too late' }),
    ).rejects.toMatchObject({ data: { error: 'execution_not_in_running_state' } });
    await expect(
      client.functions.completeError({ function_execution_id: 'Fx0UNKNOWN', error: 'Nope' }),
    ).rejects.toMatchObject({ data: { error: 'function_execution_not_found' } });
    slack.reset();
  });
});

describe('a workflow’s question, as its answer form and Home tab name it', () => {
  it('is called a workflow question, not a bare prompt', () => {
    expect(promptTitle('workflow_prompt')).toBe('Workflow question');
  });
});
