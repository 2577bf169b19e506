import { and, eq, inArray } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import {
  afterActionReviews,
  beforeActionReviews,
  CHECK_IN_KINDS,
  occurrences,
  perspectives,
  responses,
} from '../../src/db/schema.js';
import { AAR_INPUTS, ACTIONS, BAR_EXTRA_INPUTS, BAR_INPUTS, CALLBACKS } from '../../src/slack/ids.js';
import { PROMPT_EVENT_TYPE } from '../../src/slack/views/prompt.js';
import { DRIVERS } from '../support/databases.js';
import { AUTHOR, CHANNEL, TEAM, TEAMMATE, useHarness } from '../support/harness.js';
import {
  addPerspective,
  createReview,
  nextViewId,
  openAar,
  overflowPayload,
  type SentView,
  submitAar,
  viewOf,
} from '../support/loop.js';
import { buttonPayload, viewSubmissionPayload } from '../support/slack-requests.js';

const THIRD = 'U0THIRD';
const author = { teamId: TEAM, userId: AUTHOR, channelId: CHANNEL };
const teammate = { ...author, userId: TEAMMATE };
const third = { ...author, userId: THIRD };

describe.each(DRIVERS)('closing the loop (%s)', (driver) => {
  let now = new Date('2026-11-21T10:00:00Z'); // Saturday
  const h = useHarness({ driver, now: () => now });

  async function reviewRow(action: string) {
    const rows = await h.app.database.db
      .select()
      .from(beforeActionReviews)
      .where(eq(beforeActionReviews.action, action));
    return rows[0];
  }
  async function checkIns(reviewId: string) {
    return h.app.database.db
      .select()
      .from(occurrences)
      .where(and(eq(occurrences.reviewId, reviewId), inArray(occurrences.kind, [...CHECK_IN_KINDS])));
  }
  const checkInPosts = () =>
    h.slack
      .callsTo('chat.postMessage')
      .filter(
        (call) =>
          (call.params.metadata as { event_type?: string } | undefined)?.event_type === PROMPT_EVENT_TYPE,
      );

  it('runs BAR → pre-action check-in → post-action check-in → AAR → verdict → revised hypothesis into the next BAR', async () => {
    h.slack.addUser({ id: THIRD, name: 'thea', tz: 'Europe/London' });
    const action = 'Run the first listening session in Leeds';
    const { summary } = await createReview(
      h,
      { action, people: [AUTHOR, TEAMMATE, THIRD], lookBackOn: '2026-11-27' },
      {
        [BAR_EXTRA_INPUTS.checkInOn.block]: { value: { type: 'datepicker', selected_date: '2026-11-23' } },
      },
    );
    await expect.poll(async () => (await reviewRow(action))?.summaryTs).toBeTruthy();
    const review = await reviewRow(action);
    const scheduled = Object.fromEntries(
      (await checkIns(review?.id ?? '')).map((row) => [row.kind, row.dueAt.toISOString()]),
    );
    expect(scheduled).toEqual({
      pre_check_in: '2026-11-23T10:00:00.000Z',
      post_check_in: '2026-11-27T10:00:00.000Z',
      aar_reminder: '2026-12-02T10:00:00.000Z',
    });
    expect(JSON.stringify(summary.params.blocks)).toContain('1 of 3 people involved has added theirs');

    // Monday: the pre-action check-in arrives in the review's thread.
    now = new Date('2026-11-23T10:00:00Z');
    await h.app.scheduler.tick();
    const [pre] = checkInPosts();
    expect(pre?.params.thread_ts).toBe(review?.summaryTs);
    expect(String(pre?.params.text)).toContain('Pre-action check-in');
    const preBlocks = JSON.stringify(pre?.params.blocks);
    expect(preBlocks).toContain(`<@${TEAMMATE}>`);
    expect(preBlocks).toContain('How confident');

    const preRow = (await checkIns(review?.id ?? '')).find((row) => row.kind === 'pre_check_in');
    await h.interact({
      ...buttonPayload(teammate, { action_id: ACTIONS.checkInConfidence, value: '' }, { channelId: CHANNEL }),
      actions: [
        {
          type: 'static_select',
          action_id: ACTIONS.checkInConfidence,
          block_id: 'b',
          selected_option: { text: { type: 'plain_text', text: '4 of 5' }, value: `${preRow?.id}|4` },
          action_ts: '1.1',
        },
      ],
    });
    await h.slack.waitForCall('chat.postEphemeral', (call) => String(call.params.text).includes('4 of 5'));
    await h.event(
      {
        type: 'message',
        channel: CHANNEL,
        user: TEAMMATE,
        text: 'The venue changed to the library.',
        ts: '1795100000.000100',
        thread_ts: review?.summaryTs,
      },
      'Ev0PREREPLY',
    );
    await expect
      .poll(
        async () =>
          (
            await h.app.database.db
              .select()
              .from(responses)
              .where(eq(responses.occurrenceId, preRow?.id ?? ''))
          ).length,
      )
      .toBe(2);

    // Friday: the look-back check-in, with the way into the after-action review.
    now = new Date('2026-11-27T10:00:00Z');
    await h.app.scheduler.tick();
    const post = checkInPosts().find((call) => String(call.params.text).startsWith('Time to look back'));
    expect(post?.params.thread_ts).toBe(review?.summaryTs);
    expect(JSON.stringify(post?.params.blocks)).toContain(ACTIONS.startAar);

    const modal = await openAar(h, author, review?.id ?? '');
    const context = JSON.stringify(modal.blocks);
    expect(context).toContain('Twenty residents attend');
    expect(context).toContain('If we co-host with a group residents already trust');
    const submitted = await submitAar(h, author, modal, {
      verdict: 'not_borne_out',
      revisedHypothesis: 'If we meet in the library, then we expect more families to come',
      people: [AUTHOR, TEAMMATE, THIRD],
    });
    expect(submitted.body).toBe('');
    const aarPost = await h.slack.waitForCall('chat.postMessage', (call) =>
      String(call.params.text).startsWith('After-action review'),
    );
    expect(aarPost.params.thread_ts).toBe(review?.summaryTs);
    expect(aarPost.params.reply_broadcast).toBe('true');
    expect(JSON.stringify(aarPost.params.blocks)).toContain('Not borne out');

    expect((await reviewRow(action))?.status).toBe('closed');
    const reminder = (await checkIns(review?.id ?? '')).find((row) => row.kind === 'aar_reminder');
    expect(reminder).toMatchObject({ status: 'cancelled', withdrawnReason: 'review_closed', error: null });
    now = new Date('2026-12-02T10:00:00Z');
    await h.app.scheduler.tick();
    expect(checkInPosts().filter((call) => String(call.params.text).startsWith('Still waiting'))).toEqual([]);

    // The next /bar in the channel starts from the revised hypothesis, once.
    h.slack.reset();
    await h.command('/bar', 'Second session, in the library');
    const next = viewOf(await h.slack.waitForCall('views.open'));
    const hypothesis = next.blocks.find((block) => block.block_id === BAR_INPUTS.hypothesis.block) as
      | (SentView['blocks'][number] & { hint?: { text: string } })
      | undefined;
    expect(hypothesis?.element?.initial_value).toBe(
      'If we meet in the library, then we expect more families to come',
    );
    expect(hypothesis?.hint?.text).toBe(
      'Starting from the revised hypothesis of “Run the first listening session in Leeds”: keep it, sharpen it or replace it.',
    );
    await h.submitView(
      { ...next, id: nextViewId() },
      (await import('../support/factories.js')).barStateValues(
        (await import('../support/factories.js')).barAnswers({
          action: 'Second session, in the library',
          lookBackOn: '2026-12-09',
        }),
      ),
    );
    await expect
      .poll(async () => (await reviewRow('Second session, in the library'))?.fromAfterActionReviewId)
      .toBeTruthy();
    h.slack.reset();
    await h.command('/bar', 'Third thing');
    const third_ = viewOf(await h.slack.waitForCall('views.open'));
    expect(JSON.stringify(third_.blocks)).not.toContain('Starting from the revised hypothesis');
  });

  it('gathers perspectives from three people, one anonymous, and updates the summary in place', async () => {
    const aar = (await h.app.database.db.select().from(afterActionReviews))[0];
    await addPerspective(h, teammate, `after:${aar?.id}`, {
      whatHappened: 'Families came late',
      change: 'Start at 6',
    });
    await addPerspective(h, third, `after:${aar?.id}`, { whyDifferent: 'Nobody told the school' }, true);
    await addPerspective(h, author, `before:${aar?.reviewId}`, { anticipatedChallenges: 'Parking' });
    await expect.poll(async () => (await h.app.database.db.select().from(perspectives)).length).toBe(3);
    const rows = await h.app.database.db.select().from(perspectives);
    expect(rows.find((row) => row.answers.whyDifferent)?.userId).toBeNull();
    expect(rows.find((row) => row.answers.whatHappened)?.userId).toBe(TEAMMATE);

    const perspectivePosts = () =>
      h.slack.callsTo('chat.postMessage').filter((call) => String(call.params.text).includes('erspective'));
    await expect.poll(() => perspectivePosts().length).toBe(3);
    const threaded = perspectivePosts();
    expect(threaded.map((call) => call.params.text)).toEqual(
      expect.arrayContaining([`Perspective from <@${TEAMMATE}>`, 'An anonymous perspective']),
    );
    expect(JSON.stringify(threaded)).not.toContain(THIRD);
    await expect
      .poll(() => {
        const updates = h.slack.callsTo('chat.update').filter((call) => call.params.ts === aar?.summaryTs);
        return JSON.stringify(updates.at(-1)?.params.blocks);
      })
      .toContain('2 of 3 people involved have added theirs, plus 1 anonymous perspective');
  });

  it('lets only its author edit or delete, and reflects edits and deletions in the posted messages', async () => {
    const [review] = await h.app.database.db
      .select()
      .from(beforeActionReviews)
      .where(eq(beforeActionReviews.action, 'Second session, in the library'));
    // Someone else is told who can.
    await h.interact(overflowPayload(teammate, `edit:before:${review?.id}`, CHANNEL));
    const refusal = await h.slack.waitForCall('chat.postEphemeral', (call) => call.params.user === TEAMMATE);
    expect(refusal.params.text).toContain(`Only <@${AUTHOR}>`);

    // The author edits: the modal comes back filled in, and the summary changes in place.
    await h.interact(overflowPayload(author, `edit:before:${review?.id}`, CHANNEL));
    const edit = viewOf(
      await h.slack.waitForCall(
        'views.open',
        (call) => (call.params.view as SentView).callback_id === CALLBACKS.barModal,
      ),
    );
    const prefilled = (blockId: string) =>
      edit.blocks.find((block) => block.block_id === blockId)?.element ?? {};
    expect(prefilled(BAR_INPUTS.action.block).initial_value).toBe('Second session, in the library');
    expect(prefilled(BAR_INPUTS.hypothesis.block).initial_value).toBe(
      'If we co-host with a group residents already trust, then we expect more first-time voices will speak, because trust travels through existing relationships.',
    );
    expect(prefilled(BAR_INPUTS.anticipatedChallenges.block).initial_value).toBe(
      'Turnout on a weekday evening; the room may be dominated by the usual voices',
    );
    expect(prefilled(BAR_INPUTS.lookBackOn.block).initial_date).toBe('2026-12-09');
    expect(prefilled(BAR_INPUTS.people.block).initial_users).toEqual([AUTHOR, TEAMMATE]);
    const factories = await import('../support/factories.js');
    await h.submitView(
      { ...edit, id: nextViewId() },
      factories.barStateValues(
        factories.barAnswers({ action: 'Second session, at the community centre', lookBackOn: '2026-12-09' }),
      ),
    );
    const updated = await h.slack.waitForCall('chat.update', (call) => call.params.ts === review?.summaryTs);
    expect(JSON.stringify(updated.params.blocks)).toContain('Second session, at the community centre');

    // A perspective is edited, then deleted, by the person who wrote it.
    const [mine] = (await h.app.database.db.select().from(perspectives)).filter(
      (row) => row.userId === TEAMMATE,
    );
    await h.interact(overflowPayload(teammate, `edit:perspective:${mine?.id}`, CHANNEL));
    const perspectiveEdit = viewOf(
      await h.slack.waitForCall(
        'views.open',
        (call) => (call.params.view as SentView).callback_id === CALLBACKS.perspectiveModal,
      ),
    );
    await h.interact(
      viewSubmissionPayload(
        teammate,
        { ...perspectiveEdit, id: nextViewId() },
        {
          perspective_whatHappened: { value: { type: 'plain_text_input', value: 'Families came, but late' } },
        },
      ),
    );
    const rewritten = await h.slack.waitForCall('chat.update', (call) => call.params.ts === mine?.messageTs);
    expect(JSON.stringify(rewritten.params.blocks)).toContain('Families came, but late');

    await h.interact(overflowPayload(teammate, `delete:perspective:${mine?.id}`, CHANNEL));
    const confirm = viewOf(
      await h.slack.waitForCall(
        'views.open',
        (call) => (call.params.view as SentView).callback_id === CALLBACKS.confirmDelete,
      ),
    );
    await h.interact(viewSubmissionPayload(teammate, { ...confirm, id: nextViewId() }, {}));
    await h.slack.waitForCall('chat.delete', (call) => call.params.ts === mine?.messageTs);
    expect((await h.app.database.db.select().from(perspectives)).some((row) => row.id === mine?.id)).toBe(
      false,
    );

    // The author deletes their review: the summary says so, and the review is gone.
    await h.interact(overflowPayload(author, `delete:before:${review?.id}`, CHANNEL));
    const confirmReview = viewOf(
      await h.slack.waitForCall(
        'views.open',
        (call) =>
          (call.params.view as SentView).callback_id === CALLBACKS.confirmDelete &&
          call.params.view !== confirm,
      ),
    );
    await h.interact(viewSubmissionPayload(author, { ...confirmReview, id: nextViewId() }, {}));
    const deleted = await h.slack.waitForCall(
      'chat.update',
      (call) => call.params.ts === review?.summaryTs && String(call.params.text).includes('deleted'),
    );
    expect(deleted.params.text).toContain('This before-action review was deleted by its author');
    await expect.poll(async () => await reviewRow('Second session, at the community centre')).toBeUndefined();

    // Starting an after-action review for it now explains what happened.
    await h.interact(
      buttonPayload(author, { action_id: ACTIONS.startAar, value: review?.id ?? '' }, { channelId: CHANNEL }),
    );
    const note = await h.slack.waitForCall('chat.postEphemeral', (call) =>
      String(call.params.text).includes('was deleted'),
    );
    expect(note.params.text).toContain('A review without a before-action review');
  });

  it('reminds once when no after-action review follows, and names who has left the workspace only as a count', async () => {
    h.slack.addUser({ id: 'U0GONE', name: 'gone', deleted: true });
    const action = 'Pilot the new volunteer rota';
    await createReview(h, { action, people: [AUTHOR, 'U0GONE'], lookBackOn: '2026-12-04' });
    await expect.poll(async () => (await reviewRow(action))?.summaryTs).toBeTruthy();
    const review = await reviewRow(action);
    now = new Date('2026-12-04T10:00:00Z');
    await h.app.scheduler.tick();
    const post = checkInPosts().find((call) => call.params.thread_ts === review?.summaryTs);
    const text = JSON.stringify(post?.params.blocks);
    expect(text).toContain('1 person involved is no longer in this workspace');
    expect(text).not.toContain('U0GONE');
    now = new Date('2026-12-09T10:00:00Z');
    await h.app.scheduler.tick();
    await h.app.scheduler.tick();
    const reminders = checkInPosts().filter(
      (call) =>
        call.params.thread_ts === review?.summaryTs && String(call.params.text).startsWith('Still waiting'),
    );
    expect(reminders).toHaveLength(1);
  });

  it('tells the author, and leaves the rhythms alone, when a check-in cannot be posted in an archived channel', async () => {
    h.slack.addChannel({ id: 'C0ARCHIVE', name: 'archive' });
    const action = 'Wind down the old project';
    await h.command('/bar', action, { channelId: 'C0ARCHIVE' });
    const modal = viewOf(await h.slack.waitForCall('views.open'));
    const factories = await import('../support/factories.js');
    await h.submitView(
      { ...modal, id: nextViewId() },
      factories.barStateValues(
        factories.barAnswers({ action, channelId: 'C0ARCHIVE', lookBackOn: '2026-12-11' }),
      ),
    );
    await h.slack.waitForCall('chat.postMessage', (call) => call.params.channel === 'C0ARCHIVE');
    // Check-ins wait for their review's summary to be recorded before the clock moves on.
    await h.idle();
    h.slack.addChannel({ id: 'C0ARCHIVE', name: 'archive', isArchived: true });
    now = new Date('2026-12-11T10:00:00Z');
    await h.app.scheduler.tick();
    const dm = await h.slack.waitForCall(
      'chat.postMessage',
      (call) => call.params.channel === AUTHOR && String(call.params.text).includes('archived'),
    );
    expect(String(dm.params.text)).toContain('Wind down the old project');
    const review = await reviewRow(action);
    expect((await checkIns(review?.id ?? '')).find((row) => row.kind === 'post_check_in')?.status).toBe(
      'failed',
    );
  });

  it('lets the author edit an after-action review in place, and deleting it reopens the loop', async () => {
    const [aar] = await h.app.database.db.select().from(afterActionReviews);
    await h.interact(overflowPayload(author, `edit:after:${aar?.id}`, CHANNEL));
    const edit = viewOf(
      await h.slack.waitForCall(
        'views.open',
        (call) => (call.params.view as SentView).callback_id === CALLBACKS.aarModal,
      ),
    );
    expect(JSON.stringify(edit.blocks)).toContain('Meet where families already are');
    const { aarValues } = await import('../support/loop.js');
    await h.interact(
      viewSubmissionPayload(
        author,
        { ...edit, id: nextViewId() },
        aarValues({ verdict: 'partly', change: 'Meet at the school gate' }),
      ),
    );
    const updated = await h.slack.waitForCall(
      'chat.update',
      (call) =>
        call.params.ts === aar?.summaryTs && JSON.stringify(call.params.blocks).includes('school gate'),
    );
    expect(JSON.stringify(updated.params.blocks)).toContain('Partly borne out');

    await h.interact(overflowPayload(author, `delete:after:${aar?.id}`, CHANNEL));
    const confirm = viewOf(
      await h.slack.waitForCall(
        'views.open',
        (call) => (call.params.view as SentView).callback_id === CALLBACKS.confirmDelete,
      ),
    );
    await h.interact(viewSubmissionPayload(author, { ...confirm, id: nextViewId() }, {}));
    await h.slack.waitForCall(
      'chat.update',
      (call) => call.params.ts === aar?.summaryTs && String(call.params.text).includes('deleted'),
    );
    const [reopened] = await h.app.database.db
      .select()
      .from(beforeActionReviews)
      .where(eq(beforeActionReviews.id, aar?.reviewId ?? ''));
    expect(reopened?.status).toBe('open');
    // With the loop open again, its reminder is back on the schedule.
    await expect
      .poll(
        async () => (await checkIns(reopened?.id ?? '')).find((row) => row.kind === 'aar_reminder')?.status,
      )
      .toBe('pending');
  });

  it('closes the loop with only what happened, why, and the verdict', async () => {
    now = new Date('2026-12-14T10:00:00Z');
    const action = 'Leaflet the estate before the open day';
    await createReview(h, { action, people: [AUTHOR, TEAMMATE], lookBackOn: '2026-12-18' });
    await expect.poll(async () => (await reviewRow(action))?.summaryTs).toBeTruthy();
    const review = await reviewRow(action);
    const modal = await openAar(h, author, review?.id ?? '');
    const required = modal.blocks
      .filter((block) => block.type === 'input' && !(block as { optional?: boolean }).optional)
      .map((block) => block.block_id);
    expect(required).toEqual([
      AAR_INPUTS.whatHappened.block,
      AAR_INPUTS.whyDifferent.block,
      AAR_INPUTS.verdict.block,
    ]);
    const text = (value: string | null) => ({ value: { type: 'plain_text_input', value } });
    const submitted = await h.interact(
      viewSubmissionPayload(author, modal, {
        [AAR_INPUTS.whatHappened.block]: text('Forty doors, six conversations'),
        [AAR_INPUTS.whyDifferent.block]: text('Most people were out at work'),
        [AAR_INPUTS.verdict.block]: {
          value: { type: 'radio_buttons', selected_option: { value: 'not_borne_out' } },
        },
        // What Slack sends for the optional answers left empty, with the people picker cleared.
        [AAR_INPUTS.sustain.block]: text(null),
        [AAR_INPUTS.change.block]: text(null),
        [AAR_INPUTS.revisedHypothesis.block]: text(null),
        [AAR_INPUTS.people.block]: { value: { type: 'multi_users_select', selected_users: [] } },
      }),
    );
    expect(submitted.status).toBe(200);
    expect(submitted.body).toBe('');
    const posted = await h.slack.waitForCall(
      'chat.postMessage',
      (call) =>
        call.params.thread_ts === review?.summaryTs &&
        String(call.params.text).startsWith('After-action review'),
    );
    expect(posted.params.text).toBe(
      'After-action review: Leaflet the estate before the open day. Hypothesis: not borne out.',
    );
    const fields = (posted.params.blocks as Array<{ fields?: Array<{ text: string }> }>).flatMap(
      (block) => block.fields?.map((field) => field.text) ?? [],
    );
    expect(fields).toEqual([
      '*What we intended*\nTwenty residents attend and at least five name a local priority we had not heard before',
      '*What actually happened*\nForty doors, six conversations',
      '*Why the difference*\nMost people were out at work',
      '*What we will sustain*\n_Nothing noted_',
      '*What we will change*\n_Nothing noted_',
    ]);
    expect(JSON.stringify(posted.params.blocks)).toContain(
      `:busts_in_silhouette: <@${AUTHOR}>   Reviewed by`,
    );
    await expect.poll(async () => (await reviewRow(action))?.status).toBe('closed');
    const [stored] = await h.app.database.db
      .select()
      .from(afterActionReviews)
      .where(eq(afterActionReviews.reviewId, review?.id ?? ''));
    expect(stored).toMatchObject({
      sustain: '',
      change: '',
      revisedHypothesis: null,
      verdict: 'not_borne_out',
    });
  });
});
