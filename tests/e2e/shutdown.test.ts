import { describe, expect, it } from 'vitest';
import { DRIVERS } from '../support/databases.js';
import { barAnswers, barStateValues } from '../support/factories.js';
import { CHANNEL, useHarness } from '../support/harness.js';

describe.each(DRIVERS)('graceful shutdown (%s)', (driver) => {
  const h = useHarness({ driver, now: () => new Date('2026-11-21T10:00:00Z') });

  it('finishes posting a summary already under way before closing the database', async () => {
    await h.command('/bar', 'Finish before stopping');
    const opened = await h.slack.waitForCall('views.open');
    const view = opened.params.view as { callback_id: string; private_metadata: string };
    h.slack.failNext('chat.postMessage', { kind: 'slow', delayMs: 800 });
    const submitted = await h.submitView({ ...view, id: 'V0SHUTDOWN' }, barStateValues(barAnswers()));
    expect(submitted.status).toBe(200);

    await h.app.stop();

    const lines = h.logs.lines.map((line) => JSON.parse(line) as { msg: string; kind?: string });
    expect(
      h.slack.callsTo('chat.postMessage').filter((call) => call.params.channel === CHANNEL),
    ).toHaveLength(1);
    const summaryDelivered = lines.findIndex((line) => line.msg === 'delivered' && line.kind === 'summary');
    expect(summaryDelivered).toBeGreaterThan(-1);
    expect(summaryDelivered).toBeLessThan(lines.findIndex((line) => line.msg === 'stopped'));
    await expect(fetch(`${h.baseUrl}/healthz`)).rejects.toThrow();
  });
});
