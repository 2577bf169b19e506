import { asString, fail, type MethodTable, ok } from './reply.js';
import type { OAuthGrant, Workspace } from './state.js';

/*
 * Who is calling: auth.test, installing through OAuth (with token rotation
 * when the grant expires) and opening a Socket Mode connection.
 */

function issueTokens(ws: Workspace, grant: OAuthGrant) {
  ws.counters.issuedTokens += 1;
  const issued = ws.counters.issuedTokens;
  const accessToken = `xoxb-${grant.teamId}-${issued}-fake`;
  ws.issuedTokens.set(accessToken, grant);
  const rotation = grant.expiresIn
    ? { refresh_token: `xoxe-1-${grant.teamId}-${issued}-fake`, expires_in: grant.expiresIn }
    : {};
  if (rotation.refresh_token) ws.refreshTokens.set(rotation.refresh_token, grant);
  return { access_token: accessToken, ...rotation };
}

export const authMethods: MethodTable = {
  'apps.connections.open': (ws) => (ws.socketModeUrl ? ok({ url: ws.socketModeUrl }) : fail('invalid_auth')),

  'auth.test': (ws, _params, token) => {
    const grant = token ? ws.issuedTokens.get(token) : undefined;
    if (token?.startsWith('xoxb-') && token.endsWith('-fake') && !grant) return fail('invalid_auth');
    return ok({
      url: `https://${ws.teamDomain}.slack.com/`,
      team: grant?.teamName ?? 'Fake Workspace',
      user: ws.users.get(ws.botUserId)?.name ?? 'learning-bot',
      team_id: grant ? (grant.isEnterpriseInstall ? undefined : grant.teamId) : ws.teamId,
      user_id: grant?.botUserId ?? ws.botUserId,
      bot_id: ws.botId,
      is_enterprise_install: grant?.isEnterpriseInstall ?? false,
      ...(grant?.enterpriseId ? { enterprise_id: grant.enterpriseId } : {}),
    });
  },

  // Exchanging an install's code, or a refresh token when token rotation is on. A refresh token works
  // once, as Slack's do; the access token it replaces keeps working until it would have expired.
  'oauth.v2.access': (ws, params) => {
    const { client } = ws;
    if (!params.client_id || !params.client_secret) return fail('invalid_client_id');
    if (client && params.client_id !== client.id) return fail('invalid_client_id');
    if (client && params.client_secret !== client.secret) return fail('bad_client_secret');
    if (params.grant_type === 'refresh_token') {
      const refreshToken = asString(params.refresh_token) ?? '';
      const grant = ws.refreshTokens.get(refreshToken);
      if (!grant) return fail('invalid_refresh_token');
      ws.refreshTokens.delete(refreshToken);
      return ok({ token_type: 'bot', ...issueTokens(ws, grant) });
    }
    const code = asString(params.code) ?? '';
    const grant = ws.oauthCodes.get(code);
    if (!grant) return fail('invalid_code');
    ws.oauthCodes.delete(code);
    return ok({
      token_type: 'bot',
      scope: 'chat:write,commands',
      bot_user_id: grant.botUserId ?? ws.botUserId,
      app_id: 'A0FAKEAPP',
      team: grant.isEnterpriseInstall ? null : { id: grant.teamId, name: grant.teamName ?? grant.teamId },
      enterprise: grant.enterpriseId ? { id: grant.enterpriseId, name: grant.enterpriseId } : null,
      is_enterprise_install: grant.isEnterpriseInstall ?? false,
      authed_user: { id: grant.userId },
      ...issueTokens(ws, grant),
    });
  },
};
