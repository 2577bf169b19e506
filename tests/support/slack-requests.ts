import { createHmac } from 'node:crypto';

export const SIGNING_SECRET = '8f742231b10e8888abcd99yyyzzz85a5'.replace(/[yz]/g, 'e');

export interface SignOptions {
  secret?: string;
  /** Seconds since the epoch; defaults to now. */
  timestamp?: number;
}

export function signature(body: string, timestamp: number, secret = SIGNING_SECRET): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export interface SentRequest {
  status: number;
  body: string;
  json(): unknown;
}

/** Sends a body to the app exactly as Slack would: raw bytes, signed over `v0:{timestamp}:{body}`. */
export async function sendSigned(
  baseUrl: string,
  body: string,
  contentType: string,
  options: SignOptions & { headers?: Record<string, string>; unsigned?: boolean } = {},
): Promise<SentRequest> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = { 'content-type': contentType, ...options.headers };
  if (!options.unsigned) {
    headers['x-slack-request-timestamp'] = String(timestamp);
    headers['x-slack-signature'] = signature(body, timestamp, options.secret);
  }
  const response = await fetch(`${baseUrl}/slack/events`, { method: 'POST', headers, body });
  const text = await response.text();
  return { status: response.status, body: text, json: () => JSON.parse(text) };
}

const FORM = 'application/x-www-form-urlencoded';

export interface Actor {
  teamId: string;
  userId: string;
  channelId: string;
}

export function slashCommandBody(
  actor: Actor,
  command: string,
  text: string,
  triggerId = 'trigger-1',
): string {
  return new URLSearchParams({
    token: 'deprecated-verification-token',
    team_id: actor.teamId,
    team_domain: 'example',
    channel_id: actor.channelId,
    channel_name: 'team',
    user_id: actor.userId,
    user_name: 'someone',
    command,
    text,
    api_app_id: 'A0FAKEAPP',
    is_enterprise_install: 'false',
    response_url: 'http://127.0.0.1:9/commands/response',
    trigger_id: triggerId,
  }).toString();
}

export function interactionBody(payload: unknown): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

export function viewSubmissionPayload(
  actor: Actor,
  view: { id: string; callback_id: string; private_metadata: string },
  values: Record<string, Record<string, unknown>>,
) {
  return {
    type: 'view_submission',
    team: { id: actor.teamId, domain: 'example' },
    user: { id: actor.userId, username: 'someone', name: 'someone', team_id: actor.teamId },
    api_app_id: 'A0FAKEAPP',
    token: 'deprecated-verification-token',
    trigger_id: 'trigger-submit',
    view: {
      id: view.id,
      team_id: actor.teamId,
      type: 'modal',
      callback_id: view.callback_id,
      private_metadata: view.private_metadata,
      hash: '1',
      state: { values },
      blocks: [],
      app_id: 'A0FAKEAPP',
      bot_id: 'B0FAKEBOT',
    },
    response_urls: [],
    is_enterprise_install: false,
  };
}

/** The form body Slack posts when a modal is submitted, for a test that signs or sends it itself. */
export function viewSubmissionBody(
  actor: Actor,
  view: { id: string; callback_id: string; private_metadata: string },
  values: Record<string, Record<string, unknown>>,
): string {
  return interactionBody(viewSubmissionPayload(actor, view, values));
}

/**
 * What Slack posts while someone types in a menu whose options the app serves (an external_select):
 * the text typed so far, and the block and action it belongs to. The app answers with the options.
 */
export function blockSuggestionPayload(
  actor: Actor,
  menu: { block_id: string; action_id: string },
  typed: string,
  view: { id: string; callback_id: string; private_metadata: string },
) {
  return {
    type: 'block_suggestion',
    user: { id: actor.userId, username: 'someone', name: 'someone', team_id: actor.teamId },
    container: { type: 'view', view_id: view.id },
    api_app_id: 'A0FAKEAPP',
    token: 'deprecated-verification-token',
    action_id: menu.action_id,
    block_id: menu.block_id,
    value: typed,
    team: { id: actor.teamId, domain: 'example' },
    enterprise: null,
    is_enterprise_install: false,
    view: {
      id: view.id,
      team_id: actor.teamId,
      type: 'modal',
      callback_id: view.callback_id,
      private_metadata: view.private_metadata,
      hash: '1',
      state: { values: {} },
      blocks: [],
      app_id: 'A0FAKEAPP',
      bot_id: 'B0FAKEBOT',
    },
  };
}

export function buttonPayload(
  actor: Actor,
  action: { action_id: string; value: string; block_id?: string },
  container: { channelId?: string; messageTs?: string } = {},
) {
  return {
    type: 'block_actions',
    team: { id: actor.teamId, domain: 'example' },
    user: { id: actor.userId, username: 'someone', name: 'someone', team_id: actor.teamId },
    api_app_id: 'A0FAKEAPP',
    token: 'deprecated-verification-token',
    trigger_id: 'trigger-button',
    container: container.channelId
      ? { type: 'message', channel_id: container.channelId, message_ts: container.messageTs ?? '1.1' }
      : { type: 'view', view_id: 'VHOME' },
    ...(container.channelId ? { channel: { id: container.channelId, name: 'team' } } : {}),
    actions: [
      {
        type: 'button',
        action_id: action.action_id,
        block_id: action.block_id ?? 'b',
        value: action.value,
        text: { type: 'plain_text', text: 'x' },
        action_ts: '1.2',
      },
    ],
    is_enterprise_install: false,
  };
}

export function eventBody(
  teamId: string,
  event: Record<string, unknown>,
  eventId = `Ev${Date.now()}`,
): string {
  return JSON.stringify({
    token: 'deprecated-verification-token',
    team_id: teamId,
    api_app_id: 'A0FAKEAPP',
    event,
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: teamId, user_id: 'U0FAKEBOT', is_bot: true, is_enterprise_install: false }],
  });
}

export const CONTENT_TYPES = { form: FORM, json: 'application/json' } as const;
