import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { changeQuestions, listActiveQuestions } from '../../src/db/queries/questions.js';
import { beforeActionReviews, occurrences, responses } from '../../src/db/schema.js';
import { ACTIONS, BAR_EXTRA_INPUTS, CALLBACKS, PROMPT_ANSWER_INPUTS } from '../../src/slack/ids.js';
import { DRIVERS } from '../support/databases.js';
import { barAnswers, barStateValues, rhythmStateValues } from '../support/factories.js';
import { AUTHOR, CHANNEL, TEAM, useHarness } from '../support/harness.js';
import { nextViewId, type SentView, viewOf } from '../support/loop.js';
import { buttonPayload, viewSubmissionPayload } from '../support/slack-requests.js';

const scope = { teamId: TEAM, enterpriseId: null };
const author = { teamId: TEAM, userId: AUTHOR, channelId: CHANNEL };

describe.each(DRIVERS)('learning questions as tags (%s)', (driver) => {
  let now = new Date('2026-11-21T10:00:00Z');
  const h = useHarness({ driver, now: () => now });

  it('offers the channel’s questions on a review, names them in the week-ahead check-in, and tags answers', async () => {
    await changeQuestions(h.app.database.db, scope, CHANNEL, {
      add: ['What will it take to hear from families we never meet?', 'How do partners decide?'],
      reword: [],
      retire: [],
      userId: AUTHOR,
      now,
    });
    const [families] = await listActiveQuestions(h.app.database.db, scope, CHANNEL);

    await h.command('/bar', 'Door-knock on Elm Street');
    const modal = viewOf(await h.slack.waitForCall('views.open'));
    const select = modal.blocks.find((block) => block.block_id === BAR_EXTRA_INPUTS.questionId.block);
    expect(JSON.stringify(select)).toContain('What will it take to hear from families');
    await h.submitView(
      { ...modal, id: nextViewId() },
      {
        ...barStateValues(barAnswers({ action: 'Door-knock on Elm Street' })),
        [BAR_EXTRA_INPUTS.questionId.block]: {
          value: { type: 'static_select', selected_option: { value: families?.id } },
        },
      },
    );
    await expect
      .poll(
        async () =>
          (
            await h.app.database.db
              .select()
              .from(beforeActionReviews)
              .where(eq(beforeActionReviews.action, 'Door-knock on Elm Street'))
          )[0]?.questionId,
      )
      .toBe(families?.id);

    h.slack.reset();
    await h.command('/learning', 'rhythm');
    const rhythmModal = viewOf(await h.slack.waitForCall('views.open'));
    await h.submitView(
      { ...rhythmModal, id: nextViewId() },
      rhythmStateValues({
        timeZone: 'Europe/London',
        workDays: [1, 2, 3, 4, 5],
        pauseUntil: null,
        skipDates: '',
        rhythms: { week_ahead: { enabled: true, days: [1], time: '09:30' } },
      }),
    );
    now = new Date('2026-11-23T09:30:00Z');
    await h.app.scheduler.tick();
    const promptMessage = await h.slack.waitForCall('chat.postMessage', (call) =>
      String(call.params.text).startsWith('Week-ahead'),
    );
    const rendered = JSON.stringify(promptMessage.params.blocks);
    expect(rendered).toContain('Our learning questions');
    expect(rendered).toContain('How do partners decide?');

    const [occurrence] = await h.app.database.db
      .select()
      .from(occurrences)
      .where(eq(occurrences.kind, 'week_ahead'));
    await h.interact(
      buttonPayload(
        author,
        { action_id: ACTIONS.answerPrivately, value: occurrence?.id ?? '' },
        { channelId: CHANNEL },
      ),
    );
    const answerModal = viewOf(
      await h.slack.waitForCall(
        'views.open',
        (call) => (call.params.view as SentView).callback_id === CALLBACKS.promptAnswer,
      ),
    );
    expect(JSON.stringify(answerModal.blocks)).toContain(PROMPT_ANSWER_INPUTS.questionId.block);
    await h.interact(
      viewSubmissionPayload(
        author,
        { ...answerModal, id: nextViewId() },
        {
          [PROMPT_ANSWER_INPUTS.answer.block]: {
            [PROMPT_ANSWER_INPUTS.answer.action]: {
              type: 'plain_text_input',
              value: 'The Elm Street visits.',
            },
          },
          [PROMPT_ANSWER_INPUTS.questionId.block]: {
            [PROMPT_ANSWER_INPUTS.questionId.action]: {
              type: 'static_select',
              selected_option: { value: families?.id },
            },
          },
        },
      ),
    );
    await expect
      .poll(
        async () =>
          (await h.app.database.db.select().from(responses).where(eq(responses.kind, 'private')))[0]
            ?.questionId,
      )
      .toBe(families?.id);
  });
});
