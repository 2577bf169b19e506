import { describe, expect, it } from 'vitest';
import { beforeActionReviews } from '../../src/db/schema.js';
import { DRIVERS } from '../support/databases.js';
import { barAnswers, barStateValues, PINNED_NOW } from '../support/factories.js';
import { useHarness } from '../support/harness.js';
import {
  CONTENT_TYPES,
  interactionBody,
  sendSigned,
  slashCommandBody,
  viewSubmissionBody,
} from '../support/slack-requests.js';

describe.each(DRIVERS)('requests that do not come from Slack (%s)', (driver) => {
  const h = useHarness({ driver, now: () => PINNED_NOW });

  const submission = () =>
    viewSubmissionBody(
      h.actor,
      { id: 'V0FORGED', callback_id: 'bar_modal', private_metadata: '{"origin":"C0TEAM","timeZone":"UTC"}' },
      barStateValues(barAnswers()),
    );

  async function nothingStored() {
    expect(await h.app.database.db.select().from(beforeActionReviews)).toEqual([]);
    expect(h.slack.callsTo('views.open')).toEqual([]);
    expect(h.slack.callsTo('chat.postMessage')).toEqual([]);
  }

  it('answers liveness and readiness', async () => {
    const live = await fetch(`${h.baseUrl}/healthz`);
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${h.baseUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
  });

  it('refuses an unsigned request with 401 and stores nothing', async () => {
    const response = await sendSigned(h.baseUrl, submission(), CONTENT_TYPES.form, { unsigned: true });
    expect(response.status).toBe(401);
    await nothingStored();
  });

  it('refuses a request signed with the wrong secret', async () => {
    const response = await sendSigned(h.baseUrl, submission(), CONTENT_TYPES.form, {
      secret: '0000000000000000aaaaaaaaaaaaaaaa',
    });
    expect(response.status).toBe(401);
    await nothingStored();
  });

  it('refuses a correctly signed request older than five minutes (a replay)', async () => {
    const response = await sendSigned(h.baseUrl, submission(), CONTENT_TYPES.form, {
      timestamp: Math.floor(Date.now() / 1000) - 6 * 60,
    });
    expect(response.status).toBe(401);
    await nothingStored();
  });

  it('refuses a body altered after signing', async () => {
    const body = slashCommandBody(h.actor, '/bar', 'original');
    const timestamp = Math.floor(Date.now() / 1000);
    const { signature } = await import('../support/slack-requests.js');
    const response = await fetch(`${h.baseUrl}/slack/events`, {
      method: 'POST',
      headers: {
        'content-type': CONTENT_TYPES.form,
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature': signature(body, timestamp),
      },
      body: body.replace('original', 'tampered'),
    });
    expect(response.status).toBe(401);
    await nothingStored();
  });

  it.each([
    ['an empty body', '', CONTENT_TYPES.form],
    ['random bytes', '\u0000\u00ff%%%&&&==', CONTENT_TYPES.form],
    ['a payload that is not JSON', 'payload=%7Bnot-json', CONTENT_TYPES.form],
    ['JSON that is not an event', '{"hello":"world"}', CONTENT_TYPES.json],
    ['broken JSON', '{"type":"event_callback",', CONTENT_TYPES.json],
    [
      'an unknown interaction type',
      interactionBody({ type: 'mystery', team: { id: 'T0FAKETEAM' } }),
      CONTENT_TYPES.form,
    ],
    [
      'a view submission with no view',
      interactionBody({ type: 'view_submission', team: { id: 'T0FAKETEAM' }, user: { id: 'U1' } }),
      CONTENT_TYPES.form,
    ],
  ])('survives %s with a signature, storing nothing', async (_name, body, contentType) => {
    const response = await sendSigned(h.baseUrl, body, contentType);
    expect(response.status).toBeLessThan(500);
    await nothingStored();
    const ready = await fetch(`${h.baseUrl}/readyz`);
    expect(ready.status).toBe(200);
  });

  it('refuses a signed submission of a form it does not know with 400, storing nothing', async () => {
    const unknown = viewSubmissionBody(
      h.actor,
      { id: 'V0UNKNOWN', callback_id: 'no_such_form', private_metadata: '{}' },
      barStateValues(barAnswers()),
    );
    const response = await sendSigned(h.baseUrl, unknown, CONTENT_TYPES.form);
    expect(response.status).toBe(400);
    expect(response.body).toBe('unknown request');
    await nothingStored();
  });

  it('still serves /bar after all of that', async () => {
    const response = await h.command('/bar', 'after the garbage');
    expect(response.status).toBe(200);
    await h.slack.waitForCall('views.open');
  });
});
