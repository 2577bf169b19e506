import { describe, expect, it } from 'vitest';
import {
  afterActionReviews,
  beforeActionReviews,
  learningQuestions,
  perspectives,
  responses,
} from '../../src/db/schema.js';
import { ACTIONS } from '../../src/slack/ids.js';
import { DRIVERS } from '../support/databases.js';
import { PINNED_NOW } from '../support/factories.js';
import { AUTHOR, CHANNEL, TEAM, TEAMMATE, useHarness } from '../support/harness.js';
import { addPerspective, createReview, openAar, overflowPayload, submitAar } from '../support/loop.js';
import { buttonPayload, CONTENT_TYPES, eventBody, sendSigned } from '../support/slack-requests.js';

// A second workspace whose channel and people happen to have the same ids as the first's.
const OTHER_TEAM = 'T0OTHERWS';
const SECRET = 'Zephyr plan nobody outside may read';

describe.each(DRIVERS)('two workspaces in one database (%s)', (driver) => {
  const h = useHarness({ driver, now: () => PINNED_NOW });
  const ours = { teamId: TEAM, userId: AUTHOR, channelId: CHANNEL };
  const theirs = { teamId: OTHER_TEAM, userId: AUTHOR, channelId: CHANNEL };

  it('shows, unlocks and changes nothing of one workspace from the other, even with its ids', async () => {
    await createReview(h, { action: SECRET, people: [AUTHOR, TEAMMATE] });
    const [review] = await h.app.database.db.select().from(beforeActionReviews);
    const reviewId = review?.id as string;
    await submitAar(h, ours, await openAar(h, ours, reviewId), {
      whatHappened: `${SECRET} happened`,
      whyDifferent: 'Because.',
      sustain: 'Keep.',
      change: 'Change.',
      verdict: 'partly',
    });
    await h.slack.waitForCall('chat.postMessage', (call) =>
      String(call.params.text).startsWith('After-action review'),
    );
    // The summary's ts is recorded after it posts: wait, so the snapshot below starts from a settled state.
    await expect
      .poll(async () => (await h.app.database.db.select().from(afterActionReviews))[0]?.summaryTs ?? null)
      .not.toBeNull();
    const [aar] = await h.app.database.db.select().from(afterActionReviews);
    const snapshot = async () =>
      JSON.stringify({
        reviews: await h.app.database.db.select().from(beforeActionReviews),
        aars: await h.app.database.db.select().from(afterActionReviews),
        perspectives: await h.app.database.db.select().from(perspectives),
        responses: await h.app.database.db.select().from(responses),
        questions: await h.app.database.db.select().from(learningQuestions),
      });
    const before = await snapshot();
    h.slack.reset();

    // The other workspace uses every way in, including the first workspace's own ids.
    const answers = [
      await h.command('/aar', '', theirs),
      await h.command('/learning', 'help', theirs),
      await h.command('/learning', 'digest', theirs),
      await h.command('/bar', '', theirs),
    ];
    await h.interact(
      buttonPayload(theirs, { action_id: ACTIONS.startAar, value: reviewId }, { channelId: CHANNEL }),
    );
    await h.interact(
      buttonPayload(theirs, { action_id: ACTIONS.readReviewInFull, value: reviewId }, { channelId: CHANNEL }),
    );
    await h.interact(overflowPayload(theirs, `edit:before:${reviewId}`, CHANNEL));
    await h.interact(overflowPayload(theirs, `delete:after:${aar?.id}`, CHANNEL));
    await addPerspective(h, theirs, `after:${aar?.id}`, { whyDifferent: 'Injected from elsewhere' }).catch(
      () => undefined,
    );
    await sendSigned(
      h.baseUrl,
      eventBody(
        OTHER_TEAM,
        { type: 'app_home_opened', user: AUTHOR, channel: 'D0HOME', tab: 'home', event_ts: '1.1' },
        'Ev0ISOHOME',
      ),
      CONTENT_TYPES.json,
    );
    await h.slack.waitForCall('views.publish');
    // Every request above was answered; wait for the work they started to finish before looking.
    await h.idle();

    // Every call the app made for the other workspace (the Web API client names the workspace in each).
    const forThem = h.slack.calls.filter((call) => call.params.team_id === OTHER_TEAM);
    expect(forThem.length).toBeGreaterThan(5);
    expect(h.slack.calls.filter((call) => call.params.team_id === TEAM)).toEqual([]);
    const seen = JSON.stringify([answers.map((answer) => answer.body), forThem.map((call) => call.params)]);
    expect(seen).not.toContain(SECRET);
    expect(seen).not.toContain(reviewId);
    expect(seen).not.toContain(aar?.id);
    expect(await snapshot()).toBe(before);
    expect(await h.app.database.db.select().from(perspectives)).toEqual([]);
  });
});
