import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { occurrences, responses } from '../../src/db/schema.js';
import { MAX_ANALYSED_TOKEN_LENGTH } from '../../src/domain/digest/text.js';
import { DRIVERS } from '../support/databases.js';
import { rhythmStateValues, WEEK_AHEAD_EVERY_DAY } from '../support/factories.js';
import { CHANNEL, TEAMMATE, useHarness } from '../support/harness.js';

/** The longest message Slack lets anyone send. */
const SLACK_MESSAGE_LIMIT = 40_000;
const fill = (unit: string) =>
  unit.repeat(Math.ceil(SLACK_MESSAGE_LIMIT / unit.length)).slice(0, SLACK_MESSAGE_LIMIT);

describe.each(DRIVERS)('a thread reply of Slack’s greatest length (%s)', (driver) => {
  let now = new Date('2026-11-23T09:00:00Z');
  const h = useHarness({ driver, now: () => now });
  let threadTs: string;

  it('finds a posted prompt to reply to', async () => {
    await h.command('/learning', 'rhythm');
    const opened = await h.slack.waitForCall('views.open');
    const view = opened.params.view as { callback_id: string; private_metadata: string };
    await h.submitView({ ...view, id: 'V0LONG' }, rhythmStateValues(WEEK_AHEAD_EVERY_DAY));
    now = new Date('2026-11-23T09:30:00Z');
    await h.app.scheduler.tick();
    const [prompt] = await h.app.database.db
      .select()
      .from(occurrences)
      .where(eq(occurrences.status, 'posted'));
    threadTs = prompt?.messageTs as string;
    expect(threadTs).toBeTruthy();
  });

  it.each([
    ['one repeated token', fill('a1'), '1795000100.000100'],
    ['mixed punctuation', fill('.@-_:/a1!?,;'), '1795000100.000200'],
    ['one endless link', fill('http://a.b/'), '1795000100.000300'],
  ])(
    '%s: stored in full, its terms read from a bounded text, and the app answers',
    async (_shape, text, ts) => {
      const sent = await h.event(
        { type: 'message', channel: CHANNEL, user: TEAMMATE, text, ts, thread_ts: threadTs },
        `Ev0LONG${ts}`,
      );
      expect(sent.status).toBe(200);
      await h.app.idle();
      const [stored] = await h.app.database.db
        .select()
        .from(responses)
        .where(eq(responses.sourceKey, `message:${ts}`));
      expect(stored?.text).toBe(text);
      for (const term of stored?.terms ?? [])
        for (const word of term.split(' '))
          expect(word.length).toBeLessThanOrEqual(MAX_ANALYSED_TOKEN_LENGTH);
      const health = await fetch(`${h.baseUrl}/healthz`);
      expect(health.status).toBe(200);
    },
  );
});
