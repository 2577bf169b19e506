import { ErrorCode, WebClient, type WebClientOptions } from '@slack/web-api';
import type { Config } from '../config.js';
import type { WorkspaceScope } from '../db/queries/scope.js';
import { describeError } from '../logger.js';
import { platformErrorCode } from './errors.js';

/**
 * The workspace a single-workspace app's bot token belongs to, as Slack's `auth.test` names it at
 * start-up. Storage in single-workspace mode is scoped to it.
 */
export interface HomeWorkspace extends WorkspaceScope {
  readonly botUserId: string;
  readonly botId: string;
}

/** What Slack said about the credentials: accepted, refused (fix the configuration), or not answered. */
export type SlackCheck =
  | { status: 'accepted'; homeWorkspace: HomeWorkspace | undefined }
  | { status: 'refused'; problem: string }
  | { status: 'unreachable'; reason: string };

/** Answers that mean a token will never work as configured, whatever happens on the network. */
const REFUSED_TOKEN_CODES: ReadonlySet<string> = new Set([
  'invalid_auth',
  'not_authed',
  'token_revoked',
  'token_expired',
  'account_inactive',
  'team_disabled',
  'user_removed_from_team',
  'not_allowed_token_type',
]);

/** Answers to oauth.v2.access that mean the client id or secret are wrong. */
const REFUSED_CLIENT_CODES: Readonly<Record<string, string>> = {
  invalid_client_id:
    'SLACK_CLIENT_ID was refused by Slack (invalid_client_id): copy the Client ID from your Slack app’s Basic Information page, under App Credentials',
  bad_client_secret:
    'SLACK_CLIENT_SECRET was refused by Slack (bad_client_secret): copy the Client Secret from your Slack app’s Basic Information page, under App Credentials',
};

/** A code no workspace could send back for a real install, so Slack can only judge the client. */
const PROBE_CODE = 'learning-thread-credentials-check';

/** Why Slack did not answer, in words an operator can act on and without the error's message. */
function unreachableReason(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (code === ErrorCode.HTTPError)
    return `Slack answered HTTP ${(error as { statusCode?: number }).statusCode ?? 'error'}`;
  if (code === ErrorCode.RateLimitedError) return 'Slack is rate limiting the check';
  if (code === ErrorCode.RequestError) {
    const cause = describeError((error as { original?: unknown }).original);
    return `Slack could not be reached (${cause.code ?? cause.type})`;
  }
  const platform = platformErrorCode(error);
  return platform ? `Slack answered ${platform}` : `Slack check failed (${describeError(error).type})`;
}

async function checkBotToken(client: WebClient, token: string): Promise<SlackCheck> {
  try {
    const answer = await client.auth.test({ token });
    if (!answer.team_id || !answer.user_id || !answer.bot_id)
      return {
        status: 'refused',
        problem:
          'SLACK_BOT_TOKEN is not a workspace’s bot token: use the Bot User OAuth Token (xoxb-…) from the OAuth & Permissions page of an app installed to one workspace',
      };
    return {
      status: 'accepted',
      homeWorkspace: Object.freeze({
        teamId: answer.team_id,
        enterpriseId: answer.enterprise_id || null,
        botUserId: answer.user_id,
        botId: answer.bot_id,
      }),
    };
  } catch (error) {
    const code = platformErrorCode(error);
    if (code && REFUSED_TOKEN_CODES.has(code))
      return {
        status: 'refused',
        problem: `SLACK_BOT_TOKEN was refused by Slack (${code}): copy the Bot User OAuth Token (xoxb-…) again from your Slack app’s OAuth & Permissions page, reinstalling the app to the workspace if it was removed or the token revoked`,
      };
    return { status: 'unreachable', reason: unreachableReason(error) };
  }
}

async function checkAppToken(client: WebClient, token: string): Promise<SlackCheck> {
  try {
    // Only a Socket Mode connection accepts an app-level token; the URL it returns is left to expire.
    await client.apps.connections.open({ token });
    return { status: 'accepted', homeWorkspace: undefined };
  } catch (error) {
    const code = platformErrorCode(error);
    if (code && REFUSED_TOKEN_CODES.has(code))
      return {
        status: 'refused',
        problem: `SLACK_APP_TOKEN was refused by Slack (${code}): generate an app-level token (xapp-…) with the connections:write scope on your Slack app’s Basic Information page, under App-Level Tokens, and check that Socket Mode is on`,
      };
    return { status: 'unreachable', reason: unreachableReason(error) };
  }
}

/**
 * Slack judges the client id and secret before the code, so exchanging a code that cannot exist tells
 * wrong credentials (invalid_client_id, bad_client_secret) from right ones (invalid_code) without
 * installing anything. Otherwise a wrong secret would surface only when the first workspace installs.
 */
async function checkClientCredentials(client: WebClient, clientId: string, clientSecret: string) {
  try {
    await client.oauth.v2.access({ client_id: clientId, client_secret: clientSecret, code: PROBE_CODE });
    return { status: 'accepted', homeWorkspace: undefined } as const;
  } catch (error) {
    const code = platformErrorCode(error);
    const problem = code ? REFUSED_CLIENT_CODES[code] : undefined;
    if (problem) return { status: 'refused', problem } as const;
    // Any other answer from Slack is about the code: the credentials passed.
    if (code) return { status: 'accepted', homeWorkspace: undefined } as const;
    return { status: 'unreachable', reason: unreachableReason(error) } as const;
  }
}

/** Asks Slack about every credential the configuration holds; the first that is not accepted decides. */
export async function checkSlackCredentials(
  config: Config,
  clientOptions: WebClientOptions,
): Promise<SlackCheck> {
  // One try per check: the caller retries with its own backoff and stays observable meanwhile.
  const client = new WebClient(undefined, { ...clientOptions, retryConfig: { retries: 0 } });
  let homeWorkspace: HomeWorkspace | undefined;
  if (config.slack.botToken) {
    const bot = await checkBotToken(client, config.slack.botToken);
    if (bot.status !== 'accepted') return bot;
    homeWorkspace = bot.homeWorkspace;
  }
  if (config.slack.appToken) {
    const socket = await checkAppToken(client, config.slack.appToken);
    if (socket.status !== 'accepted') return socket;
  }
  if (config.distribution) {
    const oauth = await checkClientCredentials(
      client,
      config.distribution.clientId,
      config.distribution.clientSecret,
    );
    if (oauth.status !== 'accepted') return oauth;
  }
  return { status: 'accepted', homeWorkspace };
}

/** A start-up failure that is the configuration's: main prints it as one line and exits 1. */
export class SlackRefusedError extends Error {
  override readonly name = 'SlackRefusedError';
}

/** Thrown by authorisation while Slack has not yet confirmed the bot token; the request is answered 503. */
export class SlackNotConnectedError extends Error {
  override readonly name = 'SlackNotConnectedError';
  constructor() {
    super('Slack has not yet confirmed the bot token');
  }
}

/** Waits between checks: 1 s, doubling, at most a minute. */
export function backoffMs(attempt: number, settings: { initialMs: number; maxMs: number }): number {
  return Math.min(settings.maxMs, settings.initialMs * 2 ** Math.max(0, attempt - 1));
}
