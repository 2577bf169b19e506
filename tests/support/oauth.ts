import { randomBytes } from 'node:crypto';
import { beforeAll } from 'vitest';
import type { Distribution } from '../../src/config.js';
import type { FakeSlack, OAuthGrant } from './fake-slack.js';
import { type Harness, type HarnessOptions, useHarness } from './harness.js';

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

/** Matches the bot tokens the fake Slack issues to one workspace, first or refreshed. */
export const botTokenOf = (teamId: string): RegExp => new RegExp(`^xoxb-${teamId}-\\d+-fake$`);

/**
 * One app installing into many workspaces for the enclosing describe block, driven like the
 * single-workspace harness, with each workspace installed through OAuth before the first test, so
 * every workspace has a bot token of its own. The harness's default actor is in TEAM: install it to
 * use the harness's shortcuts.
 */
export function useInstalledHarness(options: HarnessOptions, workspaces: OAuthGrant[]): Harness {
  const h = useHarness({ ...options, distribution: TEST_DISTRIBUTION });
  beforeAll(async () => {
    for (const grant of workspaces) {
      const installed = await installThroughOAuth(h.baseUrl, h.slack, `code-${grant.teamId}`, grant);
      if (installed.status !== 200)
        throw new Error(`installing ${grant.teamId} answered ${installed.status}`);
    }
    h.slack.reset();
  });
  return h;
}

/**
 * Workspaces whose people and channels share ids, each installed by `userId`: only the team tells them
 * apart, so a lookup that forgot the team would find the other workspace's rows.
 */
export const workspacesInstalledBy = (userId: string, teamIds: string[]): OAuthGrant[] =>
  teamIds.map((teamId) => ({ teamId, teamName: `Workspace ${teamId}`, userId }));

/** The calls to Slack not made with `teamId`'s own bot token: empty when that workspace's token made them all. */
export const callsNotWithTokenOf = (slack: FakeSlack, teamId: string): string[] =>
  slack.calls
    .filter((call) => !botTokenOf(teamId).test(call.token ?? ''))
    .map((call) => `${call.method} with ${call.token}`);
