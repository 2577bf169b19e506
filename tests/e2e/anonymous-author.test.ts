import { desc, eq, isNull } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import {
  afterActionReviews,
  beforeActionReviews,
  occurrences,
  perspectives,
  responses,
} from '../../src/db/schema.js';
import { ACTIONS, CALLBACKS, PROMPT_ANSWER_INPUTS } from '../../src/slack/ids.js';
import { DRIVERS } from '../support/databases.js';
import { DIGEST_ONLY, rhythmStateValues } from '../support/factories.js';
import type { RecordedCall } from '../support/fake-slack.js';
import { AUTHOR, CHANNEL, TEAM, TEAMMATE, useHarness } from '../support/harness.js';
import { addPerspective, createReview, openAar, type SentView, submitAar } from '../support/loop.js';
import { seedSyntheticTeam } from '../support/seed-digest.js';
import { buttonPayload, viewSubmissionPayload } from '../support/slack-requests.js';
import { ALL_PLANTS, PEOPLE, syntheticTeam } from '../support/synthetic-team.js';

// Someone who only ever speaks anonymously: neither their id nor their name may appear anywhere others can see.
const HIDDEN = 'U0SECRET';
const HIDDEN_NAME = 'Quinn Hidden';
const HIDDEN_HANDLE = 'quinnh';

const team = syntheticTeam({ seed: 1, plants: ALL_PLANTS, start: new Date('2026-09-25T16:00:00Z') });
const SLOT = team.digestAt(9);

/** Outputs meant only for the anonymous author themselves: their own confirmations and forms. */
function addressedToHidden(call: RecordedCall): boolean {
  if (call.method === 'chat.postEphemeral') return call.params.user === HIDDEN;
  if (call.method === 'views.publish') return call.params.user_id === HIDDEN;
  // A request to Slack about a person is not an output anyone reads.
  return call.method === 'users.info' || call.method === 'conversations.members';
}

describe.each(DRIVERS)('an anonymous author stays anonymous (%s)', (driver) => {
  let now = new Date(SLOT.getTime() - 2 * 86_400_000);
  const h = useHarness({ driver, now: () => now });

  it('leaves no trace of who wrote an anonymous answer or perspective in anything others can see', async () => {
    h.slack.addUser({ id: HIDDEN, name: HIDDEN_HANDLE, realName: HIDDEN_NAME, tz: 'Europe/London' });
    h.slack.addChannel({
      id: CHANNEL,
      name: 'team',
      isMember: true,
      members: [...PEOPLE, AUTHOR, TEAMMATE, HIDDEN],
    });
    await h.command('/learning', 'rhythm');
    const rhythm = (await h.slack.waitForCall('views.open')).params.view as SentView;
    await h.submitView({ ...rhythm, id: 'V0ANONRHYTHM' }, rhythmStateValues(DIGEST_ONLY));
    for (const message of await seedSyntheticTeam(
      h.app.database.db,
      { teamId: TEAM, enterpriseId: null },
      CHANNEL,
      team,
    ))
      h.slack.addMessage(message);

    // An anonymous answer to this week's prompt, after one refused for being empty.
    const [promptMessage] = await h.app.database.db
      .select()
      .from(occurrences)
      .orderBy(desc(occurrences.dueAt))
      .limit(1);
    await h.app.database.db
      .update(occurrences)
      .set({ promptKey: 'library:noticing-1', promptText: 'What did you notice this week?' })
      .where(eq(occurrences.id, promptMessage?.id as string));
    const hidden = { teamId: TEAM, userId: HIDDEN, channelId: CHANNEL };
    await h.interact(
      buttonPayload(
        hidden,
        { action_id: ACTIONS.answerAnonymously, value: promptMessage?.id ?? '' },
        {
          channelId: CHANNEL,
          messageTs: promptMessage?.messageTs ?? '',
        },
      ),
    );
    const form = (
      await h.slack.waitForCall(
        'views.open',
        (call) => (call.params.view as SentView).callback_id === CALLBACKS.promptAnswer,
      )
    ).params.view as SentView;
    const answer = (text: string, id: string) =>
      h.interact(
        viewSubmissionPayload(
          hidden,
          { ...form, id },
          {
            [PROMPT_ANSWER_INPUTS.answer.block]: {
              [PROMPT_ANSWER_INPUTS.answer.action]: { type: 'plain_text_input', value: text },
            },
          },
        ),
      );
    const refused = await answer('   ', 'V0ANONEMPTY');
    expect(JSON.stringify(refused.json())).toContain('errors');
    await answer('The handover favours whoever shouts loudest, and nobody says so.', 'V0ANONANSWER');
    await h.slack.waitForCall('chat.postEphemeral', (call) => call.params.user === HIDDEN);

    // An anonymous perspective on an after-action review.
    const author = { teamId: TEAM, userId: AUTHOR, channelId: CHANNEL };
    await createReview(h, { action: 'Trial a handover checklist', people: [AUTHOR, TEAMMATE] });
    const [review] = await h.app.database.db
      .select()
      .from(beforeActionReviews)
      .where(eq(beforeActionReviews.action, 'Trial a handover checklist'));
    const reviewId = review?.id as string;
    await submitAar(h, author, await openAar(h, author, reviewId), {
      whatHappened: 'The checklist was used twice.',
      whyDifferent: 'Shifts overlapped.',
      sustain: 'The checklist.',
      change: 'Print it.',
      verdict: 'partly',
    });
    const aar = (await h.app.database.db.select().from(afterActionReviews))[0];
    await addPerspective(
      h,
      hidden,
      `after:${aar?.id}`,
      { whyDifferent: 'People were afraid to admit they forgot.' },
      true,
    );
    await expect.poll(async () => (await h.app.database.db.select().from(perspectives)).length).toBe(1);

    // The team reads: a preview, the posted digest, and everyone's Home tab.
    now = new Date(SLOT.getTime() - 3_600_000);
    await h.command('/learning', 'digest');
    await h.slack.waitForCall('views.update');
    now = new Date(SLOT.getTime() + 30_000);
    await h.app.scheduler.tick();
    await expect.poll(() => h.slack.callsTo('files.completeUploadExternal').length).toBe(1);
    for (const [index, userId] of [AUTHOR, TEAMMATE, HIDDEN].entries())
      await h.event(
        { type: 'app_home_opened', user: userId, channel: 'D0HOME', tab: 'home', event_ts: `1.${index}` },
        `Ev0HOME${index}`,
      );
    await expect.poll(() => h.slack.callsTo('views.publish').length).toBe(3);

    // Every output, searched for the author's id, handle and name.
    const needles = [HIDDEN, HIDDEN_HANDLE, HIDDEN_NAME];
    const [storedAnswer] = await h.app.database.db
      .select()
      .from(responses)
      .where(eq(responses.text, 'The handover favours whoever shouts loudest, and nobody says so.'));
    const anonymousRows = [
      ...(await h.app.database.db.select().from(responses).where(eq(responses.kind, 'anonymous'))),
      ...(await h.app.database.db.select().from(perspectives).where(isNull(perspectives.userId))),
    ];
    const outputs: Record<string, string> = {
      'Slack Web API calls others can see (posts, updates, ephemerals to others, views, uploads)':
        JSON.stringify(h.slack.calls.filter((call) => !addressedToHidden(call)).map((call) => call.params)),
      'messages in every channel and thread': JSON.stringify(h.slack.allMessages()),
      'uploaded files (the digest chart)': h.slack
        .uploadedFiles()
        .map((file) => `${file.title} ${file.altText} ${file.bytes.toString('latin1')}`)
        .join('\n'),
      'every log line': h.logs.text,
      'stored anonymous answers and perspectives': JSON.stringify(anonymousRows),
    };
    for (const [name, text] of Object.entries(outputs))
      for (const needle of needles)
        expect({ name, found: text.includes(needle) }).toEqual({ name, found: false });

    expect(storedAnswer).toMatchObject({ userId: null, sourceKey: null });
    expect(anonymousRows.filter((row) => JSON.stringify(row).includes('afraid to admit'))).toHaveLength(1);
    expect(storedAnswer?.createdAt.getUTCMinutes()).toBe(0);
    expect(storedAnswer?.createdAt.getUTCSeconds()).toBe(0);
  });
});
