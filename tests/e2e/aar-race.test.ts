import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { afterActionReviews, beforeActionReviews } from '../../src/db/schema.js';
import { CALLBACKS } from '../../src/slack/ids.js';
import { DRIVERS } from '../support/databases.js';
import { AUTHOR, CHANNEL, TEAM, TEAMMATE, useHarness } from '../support/harness.js';
import { aarValues, createReview, openAar } from '../support/loop.js';
import { viewSubmissionPayload } from '../support/slack-requests.js';

const author = { teamId: TEAM, userId: AUTHOR, channelId: CHANNEL };
const teammate = { ...author, userId: TEAMMATE };
const ROUNDS = 5;

/** Two people press Save on the after-action review of one before-action review at the same moment. */
describe.runIf(DRIVERS.includes('postgres'))(
  'two after-action reviews racing for one loop (postgres)',
  () => {
    const h = useHarness({ driver: 'postgres', now: () => new Date('2026-11-21T10:00:00Z') });

    it('lets exactly one in, and turns the other into a perspective with nothing lost', async () => {
      for (let round = 0; round < ROUNDS; round += 1) {
        const action = `Race ${round}`;
        await createReview(h, { action });
        await expect
          .poll(
            async () =>
              (
                await h.app.database.db
                  .select()
                  .from(beforeActionReviews)
                  .where(eq(beforeActionReviews.action, action))
              )[0]?.summaryTs,
          )
          .toBeTruthy();
        const [review] = await h.app.database.db
          .select()
          .from(beforeActionReviews)
          .where(eq(beforeActionReviews.action, action));
        const first = await openAar(h, author, review?.id ?? '');
        const second = await openAar(h, teammate, review?.id ?? '');
        const [a, b] = await Promise.all([
          h.interact(
            viewSubmissionPayload(
              author,
              first,
              aarValues({ verdict: 'partly', whatHappened: `Author's account ${round}` }),
            ),
          ),
          h.interact(
            viewSubmissionPayload(
              teammate,
              second,
              aarValues({ verdict: 'borne_out', whatHappened: `Teammate's account ${round}` }),
            ),
          ),
        ]);

        const rows = await h.app.database.db
          .select()
          .from(afterActionReviews)
          .where(eq(afterActionReviews.reviewId, review?.id ?? ''));
        expect(rows).toHaveLength(1);
        const answers = [a, b].map((response) =>
          response.body
            ? (response.json() as {
                response_action: string;
                view: { callback_id: string; blocks: unknown[] };
              })
            : undefined,
        );
        const lost = answers.filter(Boolean);
        expect(lost).toHaveLength(1);
        expect(lost[0]?.response_action).toBe('update');
        expect(lost[0]?.view.callback_id).toBe(CALLBACKS.perspectiveModal);
        const loserText =
          rows[0]?.authorId === AUTHOR ? `Teammate's account ${round}` : `Author's account ${round}`;
        const rendered = JSON.stringify(lost[0]?.view.blocks);
        expect(rendered).toContain(loserText);
        expect(rendered).toContain(`<@${rows[0]?.authorId}> saved the after-action review`);
        // The verdict the second person chose travels with their answers too.
        expect(rendered).toContain('My verdict on the hypothesis');

        await h.slack.waitForCall(
          'chat.postMessage',
          (call) =>
            String(call.params.text).startsWith('After-action review') &&
            JSON.stringify(call.params.blocks).includes(action),
        );
        await h.idle();
        const posts = h.slack
          .callsTo('chat.postMessage')
          .filter(
            (call) =>
              String(call.params.text).startsWith('After-action review') &&
              JSON.stringify(call.params.blocks).includes(action),
          );
        expect(posts).toHaveLength(1);
      }
    });
  },
);
