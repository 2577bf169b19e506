import { describe, expect, it } from 'vitest';
import { rhythms } from '../../src/db/schema.js';
import { CALLBACKS } from '../../src/slack/ids.js';
import { DRIVERS } from '../support/databases.js';
import { snapshotTables } from '../support/db-snapshot.js';
import { rhythmStateValues, WEEK_AHEAD_EVERY_DAY } from '../support/factories.js';
import { useHarness } from '../support/harness.js';
import {
  CONTENT_TYPES,
  sendSigned,
  slashCommandBody,
  viewSubmissionBody,
} from '../support/slack-requests.js';

/**
 * Slack signs each request with the second it was sent. The window is checked against the wall clock,
 * as Slack signs; rounding up keeps a request meant to be N seconds ahead at least N seconds ahead
 * however long it takes to arrive.
 */
const secondsFromNow = (offset: number) => Math.ceil(Date.now() / 1000) + offset;
const secondsAgo = (offset: number) => Math.floor(Date.now() / 1000) - offset;

describe.each(DRIVERS)('signed request timestamps (%s)', (driver) => {
  const now = new Date('2026-11-23T09:00:00Z');
  const h = useHarness({ driver, now: () => now });

  const rhythmSave = () =>
    viewSubmissionBody(
      h.actor,
      {
        id: 'V0CLOCK',
        callback_id: CALLBACKS.rhythmSettings,
        private_metadata: JSON.stringify({ channelId: h.actor.channelId }),
      },
      rhythmStateValues(WEEK_AHEAD_EVERY_DAY),
    );

  it.each([
    ['five minutes and a second ahead', () => secondsFromNow(301)],
    ['a day ahead', () => secondsFromNow(86_400)],
    ['five minutes and a second behind', () => secondsAgo(301)],
  ])(
    'refuses a correctly signed request whose timestamp is %s, leaving no trace',
    async (_when, timestamp) => {
      const before = await snapshotTables(h.app.database.db);
      const command = await sendSigned(
        h.baseUrl,
        slashCommandBody(h.actor, '/bar', 'A plan from the future', 'trigger-future'),
        CONTENT_TYPES.form,
        { timestamp: timestamp() },
      );
      const saved = await sendSigned(h.baseUrl, rhythmSave(), CONTENT_TYPES.form, { timestamp: timestamp() });
      expect([command.status, saved.status]).toEqual([401, 401]);
      await h.app.idle();
      expect(await snapshotTables(h.app.database.db)).toEqual(before);
      expect(h.slack.calls.filter((call) => call.method !== 'auth.test')).toEqual([]);
    },
  );

  it('accepts one signed within the window', async () => {
    const command = await sendSigned(
      h.baseUrl,
      slashCommandBody(h.actor, '/bar', 'A plan for now', 'trigger-now'),
      CONTENT_TYPES.form,
      { timestamp: secondsFromNow(240) },
    );
    expect(command.status).toBe(200);
    await h.slack.waitForCall('views.open', (call) => call.params.trigger_id === 'trigger-now');
    const saved = await sendSigned(h.baseUrl, rhythmSave(), CONTENT_TYPES.form, {
      timestamp: secondsAgo(240),
    });
    expect(saved.status).toBe(200);
    await h.app.idle();
    expect(await h.app.database.db.select().from(rhythms)).not.toEqual([]);
  });
});
