import { asString, fail, type MethodTable, ok } from './reply.js';
import { tzDetails, type UserState, WORLD_CREATED, type Workspace } from './state.js';

function userObject(ws: Workspace, u: UserState): Record<string, unknown> {
  const { teamId, botId, appId } = ws;
  const { label, offset } = tzDetails(u.tz, new Date());
  return {
    id: u.id,
    team_id: teamId,
    name: u.name,
    deleted: u.deleted,
    color: '9f69e7',
    real_name: u.realName,
    tz: u.tz,
    tz_label: label,
    tz_offset: offset,
    profile: {
      title: '',
      phone: '',
      skype: '',
      real_name: u.realName,
      real_name_normalized: u.realName,
      display_name: u.displayName,
      display_name_normalized: u.displayName,
      fields: null,
      status_text: '',
      status_emoji: '',
      status_expiration: 0,
      avatar_hash: 'g000000000000',
      first_name: u.realName.split(' ')[0] ?? u.realName,
      last_name: u.realName.split(' ').slice(1).join(' '),
      team: teamId,
      ...(u.isBot ? { bot_id: botId, api_app_id: appId, always_active: true } : {}),
    },
    is_admin: u.isAdmin,
    is_owner: u.isOwner,
    is_primary_owner: false,
    is_restricted: false,
    is_ultra_restricted: false,
    is_bot: u.isBot,
    is_app_user: false,
    updated: WORLD_CREATED,
    is_email_confirmed: !u.isBot,
    who_can_share_contact_card: 'EVERYONE',
  };
}

export const usersMethods: MethodTable = {
  'users.info': (ws, params) => {
    const user = ws.users.get(asString(params.user) ?? '');
    if (!user) return fail('user_not_found');
    return ok({ user: userObject(ws, user) });
  },
};
