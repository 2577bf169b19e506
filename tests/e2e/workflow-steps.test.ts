import { WebClient } from '@slack/web-api';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { occurrences, responses } from '../../src/db/schema.js';
import { ACTIONS, BAR_INPUTS, CALLBACKS, WORKFLOW_STEPS } from '../../src/slack/ids.js';
import { runThroughCrash, untilSlackHas, useCrashRig, withDatabase } from '../support/crash.js';
import { DRIVERS, type Driver } from '../support/databases.js';
import { barAnswers, barStateValues, daysAfter, PINNED_NOW } from '../support/factories.js';
import { AUTHOR, BOT_TOKEN, CHANNEL, type Harness, TEAMMATE, useHarness } from '../support/harness.js';
import { CONTENT_TYPES, eventBody, sendSigned } from '../support/slack-requests.js';

const NOW = PINNED_NOW;
const LOOK_BACK = daysAfter(NOW, 14);
const SECRET_CHANNEL = 'C0SECRET';
const ARCHIVED_CHANNEL = 'C0OLDTEAM';

interface SentBlock {
  type: string;
  block_id?: string;
  text?: { text: string };
  element?: Record<string, unknown>;
  elements?: Array<{ action_id?: string; value?: string; text?: { text: string } | string }>;
}

/** Runs a step as a workflow reaching it would: Slack's signed `function_executed` event to the app. */
async function runStep(
  h: Harness,
  callbackId: string,
  inputs: Record<string, unknown>,
  eventIds = ['Ev0RUN'],
) {
  const { execution, event } = h.slack.startFunctionExecution({ callbackId, inputs });
  for (const eventId of eventIds) {
    const sent = await h.event(event, `${eventId}${execution.id}`);
    expect(sent.status).toBe(200);
    await h.idle();
  }
  return h.slack.functionExecution(execution.id);
}

const postsIn = (h: Harness, channel: string) =>
  h.slack.callsTo('chat.postMessage').filter((call) => call.params.channel === channel && !call.fault);

function buttonsOf(blocks: SentBlock[]) {
  return blocks.flatMap((block) => (block.type === 'actions' ? (block.elements ?? []) : []));
}

describe.each(DRIVERS)('Workflow Builder steps (%s)', (driver) => {
  let now = NOW;
  const h = useHarness({ driver, now: () => now });

  it('starts a before-action review: posts an invitation, completes with its link, and its button opens the form filled in', async () => {
    const run = await runStep(h, WORKFLOW_STEPS.startBar.callbackId, {
      channel_id: CHANNEL,
      action: 'Open the spring grant round',
      people: [AUTHOR, TEAMMATE],
      look_back_on: LOOK_BACK,
    });
    const [post] = postsIn(h, CHANNEL);
    const blocks = post?.params.blocks as SentBlock[];
    console.log('Before-action review step posted:', JSON.stringify(blocks, null, 2));
    console.log('and completed with outputs:', JSON.stringify(run?.outputs));
    expect(blocks[0]?.text?.text).toBe(
      [
        '*Time for a before-action review*',
        'Before we start on _Open the spring grant round_, five minutes together: what we intend, what might get in the way, what we learned before, and the hypothesis we will test.',
        `With <@${AUTHOR}>, <@${TEAMMATE}>.`,
        'Looking back on Saturday 5 December 2026.',
      ].join('\n'),
    );
    const [button] = buttonsOf(blocks);
    expect(button?.action_id).toBe(ACTIONS.startWorkflowBar);

    const ts = h.slack.messagesIn(CHANNEL).at(-1)?.ts as string;
    expect(run?.state).toBe('completed');
    expect(run?.outputs).toEqual({
      message_link: `https://fake-workspace.slack.com/archives/${CHANNEL}/p${ts.replace('.', '')}`,
    });
    // Posted with the bot token, so the button works however long after the run someone clicks it.
    expect(post?.token).toBe(BOT_TOKEN);
    expect(h.slack.callsTo('functions.completeSuccess').map((call) => call.token)).toEqual([BOT_TOKEN]);

    h.slack.reset();
    await h.clickButton(
      { action_id: ACTIONS.startWorkflowBar, value: button?.value as string },
      { channelId: CHANNEL, messageTs: ts },
      { userId: TEAMMATE },
    );
    const opened = await h.slack.waitForCall('views.open');
    const view = opened.params.view as { callback_id: string; blocks: SentBlock[]; private_metadata: string };
    expect(view.callback_id).toBe(CALLBACKS.barModal);
    const field = (block: string) => view.blocks.find((b) => b.block_id === block)?.element;
    expect(field(BAR_INPUTS.action.block)?.initial_value).toBe('Open the spring grant round');
    expect(field(BAR_INPUTS.people.block)?.initial_users).toEqual([AUTHOR, TEAMMATE]);
    expect(field(BAR_INPUTS.lookBackOn.block)?.initial_date).toBe(LOOK_BACK);
    expect(JSON.parse(view.private_metadata).channelId).toBe(CHANNEL);
  });

  it('posts once and completes once when Slack sends a run again while the first is still posting', async () => {
    const { execution, event } = h.slack.startFunctionExecution({
      callbackId: WORKFLOW_STEPS.askQuestion.callbackId,
      inputs: { channel_id: CHANNEL, question: 'What did this incident teach us?' },
    });
    const sent = await Promise.all(
      ['Ev0TOGETHER1', 'Ev0TOGETHER2'].map((id) => h.event(event, `${id}${execution.id}`)),
    );
    expect(sent.map((answer) => answer.status)).toEqual([200, 200]);
    await h.idle();
    expect(postsIn(h, CHANNEL)).toHaveLength(1);
    expect(h.slack.functionExecution(execution.id)?.state).toBe('completed');
    expect(h.slack.callsTo('functions.completeError')).toEqual([]);
  });

  it('posts once when Slack sends the same run again', async () => {
    const run = await runStep(
      h,
      WORKFLOW_STEPS.startBar.callbackId,
      { channel_id: CHANNEL, action: 'Close the incident review' },
      ['Ev0FIRST', 'Ev0AGAIN'],
    );
    expect(postsIn(h, CHANNEL)).toHaveLength(1);
    expect(run?.state).toBe('completed');
    expect(h.slack.callsTo('functions.completeSuccess')).toHaveLength(1);
    const effects = await h.app.database.db
      .select()
      .from(occurrences)
      .where(eq(occurrences.effectKey, `workflow:${run?.id}`));
    expect(effects.map((effect) => effect.status)).toEqual(['posted']);
    const completions = await h.app.database.db
      .select()
      .from(occurrences)
      .where(eq(occurrences.effectKey, `workflow_completion:${run?.id}`));
    expect(completions.map((effect) => effect.status)).toEqual(['posted']);
  });

  it('starts an after-action review for a linked before-action review, whose button opens its form', async () => {
    await h.command('/bar', 'Run the first community listening session in Leeds');
    const bar = await h.slack.waitForCall('views.open');
    const barView = bar.params.view as { callback_id: string; private_metadata: string };
    await h.submitView({ ...barView, id: 'V0WORKFLOWBAR' }, barStateValues(barAnswers()));
    await h.idle();
    const summaryTs = postsIn(h, CHANNEL).length > 0 ? h.slack.messagesIn(CHANNEL).at(-1)?.ts : undefined;
    const slack = new WebClient(BOT_TOKEN, { slackApiUrl: h.slack.url });
    const link = (await slack.chat.getPermalink({ channel: CHANNEL, message_ts: summaryTs as string }))
      .permalink as string;
    h.slack.reset();

    const run = await runStep(h, WORKFLOW_STEPS.startAar.callbackId, {
      channel_id: CHANNEL,
      before_action_review_link: link,
    });
    expect(run?.state).toBe('completed');
    const blocks = postsIn(h, CHANNEL)[0]?.params.blocks as SentBlock[];
    console.log('After-action review step posted:', JSON.stringify(blocks, null, 2));
    expect(blocks[0]?.text?.text).toContain(
      'Time to look back on _Run the first community listening session in Leeds_',
    );
    const [button] = buttonsOf(blocks);
    expect(button?.action_id).toBe(ACTIONS.startAar);

    h.slack.reset();
    await h.clickButton(
      { action_id: ACTIONS.startAar, value: button?.value as string },
      { channelId: CHANNEL },
    );
    const opened = await h.slack.waitForCall('views.open');
    const view = opened.params.view as { callback_id: string; private_metadata: string };
    expect(view.callback_id).toBe(CALLBACKS.aarModal);
    expect(JSON.parse(view.private_metadata)).toMatchObject({ reviewId: button?.value, channelId: CHANNEL });
  });

  it('fails with a sentence a person can act on when the link is not a before-action review', async () => {
    const run = await runStep(h, WORKFLOW_STEPS.startAar.callbackId, {
      channel_id: CHANNEL,
      before_action_review_link: 'https://example.slack.com/archives/C0TEAM/p1700000000000100',
    });
    expect(run?.state).toBe('failed');
    expect(run?.error).toBe(
      'That link isn’t a before-action review in #team. Copy the link of the review’s summary message (More actions › Copy link), or leave the link empty to look back without one.',
    );
    expect(postsIn(h, CHANNEL)).toEqual([]);
  });

  it('fails with how to fix it when the app cannot post in the channel', async () => {
    h.slack.addChannel({ id: SECRET_CHANNEL, name: 'secret', isPrivate: true, isMember: false });
    const run = await runStep(h, WORKFLOW_STEPS.askQuestion.callbackId, {
      channel_id: SECRET_CHANNEL,
      question: 'What surprised us this sprint?',
    });
    expect(run?.state).toBe('failed');
    console.log('A step that cannot post fails with:', run?.error);
    expect(run?.error).toBe(
      `Learning Thread can’t post in <#${SECRET_CHANNEL}>: add it to the channel with /invite @Learning Thread, then run the workflow again.`,
    );
    expect(h.slack.callsTo('functions.completeSuccess')).toEqual([]);

    h.slack.addChannel({ id: ARCHIVED_CHANNEL, name: 'old-team', isArchived: true });
    const archived = await runStep(h, WORKFLOW_STEPS.startBar.callbackId, {
      channel_id: ARCHIVED_CHANNEL,
      action: 'Open the spring grant round',
    });
    expect(archived?.error).toBe(
      '#old-team is archived, so nothing more can be posted there. Choose another channel in the workflow, then run it again.',
    );
  });

  it('asks a reflection question as a prompt whose thread replies are saved as answers the digest counts', async () => {
    const run = await runStep(h, WORKFLOW_STEPS.askQuestion.callbackId, {
      channel_id: CHANNEL,
      question: 'What surprised us in this grant round?',
    });
    expect(run?.state).toBe('completed');
    const blocks = postsIn(h, CHANNEL)[0]?.params.blocks as SentBlock[];
    console.log('Reflection question step posted:', JSON.stringify(blocks, null, 2));
    console.log('and completed with outputs:', JSON.stringify(run?.outputs));
    expect(blocks[0]?.text?.text).toBe('*A question for the team*\nWhat surprised us in this grant round?');
    expect(buttonsOf(blocks).map((element) => element.action_id)).toEqual([
      ACTIONS.answerPrivately,
      ACTIONS.answerAnonymously,
      ACTIONS.skipPrompt,
    ]);
    const promptTs = h.slack.messagesIn(CHANNEL).at(-1)?.ts as string;
    expect(run?.outputs?.message_link).toContain(`/p${promptTs.replace('.', '')}`);

    const text = 'How many first-time applicants there were.';
    const ts = h.slack.addMessage({ channel: CHANNEL, user: TEAMMATE, threadTs: promptTs, text });
    await h.event(
      { type: 'message', channel: CHANNEL, user: TEAMMATE, text, ts, thread_ts: promptTs },
      'Ev0WORKFLOWREPLY',
    );
    await h.idle();
    const [prompt] = await h.app.database.db
      .select()
      .from(occurrences)
      .where(and(eq(occurrences.kind, 'workflow_prompt'), eq(occurrences.messageTs, promptTs)));
    const answers = await h.app.database.db
      .select()
      .from(responses)
      .where(eq(responses.occurrenceId, prompt?.id as string));
    expect(answers.map((answer) => ({ kind: answer.kind, user: answer.userId, text: answer.text }))).toEqual([
      { kind: 'thread', user: TEAMMATE, text },
    ]);

    // The digest, asked for an hour later, counts it like any prompt's answer.
    now = new Date(NOW.getTime() + 3_600_000);
    h.slack.reset();
    await h.command('/learning', 'digest');
    const updated = await h.slack.waitForCall('views.update');
    const preview = JSON.stringify((updated.params.view as { blocks: SentBlock[] }).blocks);
    expect(preview).toContain('*1 answer* from 1 of 2 people in the channel');
  });

  it('does not fail a step whose message Slack holds back for longer than it waits: the next tick posts it and completes the step with its link', async () => {
    // Longer than the pipeline waits in place, so the post goes back to the queue.
    h.slack.failNextIn('chat.postMessage', CHANNEL, { kind: 'rate_limited', retryAfterSeconds: 600 });
    const run = await runStep(h, WORKFLOW_STEPS.startBar.callbackId, {
      channel_id: CHANNEL,
      action: 'Launch the volunteer drop-in',
    });
    expect(postsIn(h, CHANNEL)).toEqual([]);
    expect(h.slack.callsTo('chat.postMessage').map((call) => call.fault)).toEqual(['rate_limited']);
    expect(run?.state).toBe('running');
    expect(h.slack.callsTo('functions.completeError')).toEqual([]);

    // A tick once the post's retry falls due, as any replica's scheduler would run it.
    now = new Date(now.getTime() + 5 * 60_000);
    await h.app.scheduler.tick();
    await h.idle();
    const [post] = postsIn(h, CHANNEL);
    expect(JSON.stringify(post?.params.blocks)).toContain('Launch the volunteer drop-in');
    const ts = h.slack.messagesIn(CHANNEL).at(-1)?.ts as string;
    const ended = h.slack.functionExecution(run?.id as string);
    console.log('A step held back by a rate limit ended, after the tick, as:', JSON.stringify(ended));
    expect(ended?.state).toBe('completed');
    expect(ended?.outputs).toEqual({
      message_link: `https://fake-workspace.slack.com/archives/${CHANNEL}/p${ts.replace('.', '')}`,
    });
    expect(h.slack.callsTo('functions.completeSuccess')).toHaveLength(1);
    expect(h.slack.callsTo('functions.completeError')).toEqual([]);

    // Nothing is left to do: another tick posts and ends nothing more.
    h.slack.reset();
    now = new Date(now.getTime() + 5 * 60_000);
    await h.app.scheduler.tick();
    await h.idle();
    expect(h.slack.callsTo('chat.postMessage')).toEqual([]);
    expect(h.slack.callsTo('functions.completeSuccess')).toEqual([]);
  });
});

/**
 * The process that posted a step's message dies before it hears Slack's answer: the message is in the
 * channel, the run still waits. The next process finds the message, records it and completes the run.
 */
describe.each(DRIVERS)(
  'a workflow step through a crash between posting and completing (%s)',
  (driver: Driver) => {
    const rig = useCrashRig(driver);
    const channel = 'C0CRASHFLOW';

    it('completes the run once, with the link to the one message posted', async () => {
      const { slack } = rig;
      slack.addChannel({ id: channel, name: 'crash-flow' });
      const { execution, event } = slack.startFunctionExecution({
        callbackId: WORKFLOW_STEPS.startBar.callbackId,
        inputs: { channel_id: channel, action: 'Open the winter grant round' },
      });
      const atCrash = await runThroughCrash(rig, {
        async beforeCrash(baseUrl) {
          // Slack posts the message at once, but its answer never reaches the process.
          slack.failNextIn('chat.postMessage', channel, { kind: 'lost_response', delayMs: 120_000 });
          const sent = await sendSigned(
            baseUrl,
            eventBody(slack.teamId, event, `Ev0CRASH${execution.id}`),
            CONTENT_TYPES.json,
          );
          expect(sent.status).toBe(200);
          await untilSlackHas(() => slack.messagesIn(channel).length > 0);
        },
        atCrash: () => ({
          posts: slack.messagesIn(channel).length,
          state: slack.functionExecution(execution.id)?.state,
        }),
      });
      expect(atCrash).toEqual({ posts: 1, state: 'running' });

      const messages = slack.messagesIn(channel);
      const ended = slack.functionExecution(execution.id);
      const completions = slack
        .callsTo('functions.completeSuccess')
        .filter((call) => call.params.function_execution_id === execution.id);
      console.log(
        `workflow step through a crash (${driver}): posts=${messages.length} state=${ended?.state} completions=${completions.length} failures=${slack.callsTo('functions.completeError').length}`,
      );
      expect(messages).toHaveLength(1);
      expect(ended?.state).toBe('completed');
      expect(ended?.outputs?.message_link).toContain(`/p${messages[0]?.ts.replace('.', '')}`);
      expect(completions).toHaveLength(1);
      expect(slack.callsTo('functions.completeError')).toEqual([]);
      const recorded = await withDatabase(rig, (db) =>
        db
          .select()
          .from(occurrences)
          .where(eq(occurrences.effectKey, `workflow:${execution.id}`)),
      );
      expect(recorded.map((effect) => ({ status: effect.status, ts: effect.messageTs }))).toEqual([
        { status: 'posted', ts: messages[0]?.ts },
      ]);
    }, 240_000);
  },
);
