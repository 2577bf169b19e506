import { randomBytes } from 'node:crypto';
import type { Distribution } from '../../src/config.js';
import type { FakeSlack, OAuthGrant } from './fake-slack.js';

/** Settings for installing into many workspaces, with a fresh encryption key for each test file. */
export const TEST_DISTRIBUTION: Distribution = {
  clientId: '1234.5678',
  clientSecret: 'abcdef0123456789abcdef0123456789',
  stateSecret: 'a-state-secret-of-some-length',
  keys: [{ id: 'k2', key: randomBytes(32) }],
  retentionDays: 30,
};

/** Slack's consent screen, approved: `/slack/install`, then the redirect with a code Slack granted. */
export async function installThroughOAuth(
  baseUrl: string,
  slack: FakeSlack,
  code: string,
  grant: OAuthGrant,
): Promise<Response> {
  const page = await fetch(`${baseUrl}/slack/install`);
  const state = /state=([^&"]+)/.exec(await page.text())?.[1];
  const cookie = page.headers.get('set-cookie')?.split(';')[0] ?? '';
  slack.grantOAuthCode(code, grant);
  return fetch(`${baseUrl}/slack/oauth_redirect?code=${code}&state=${state}`, { headers: { cookie } });
}
