import { channelCanvasProperties } from './canvases.js';
import { listedMessage } from './messages.js';
import {
  asFlag,
  asString,
  fail,
  type MethodTable,
  ok,
  pageLimit,
  type Reply,
  rejectPayload,
} from './reply.js';
import {
  type ChannelState,
  dmChannelFor,
  dmIdFor,
  findChannel,
  type MessageState,
  messageKey,
  sortedMessages,
  tsMicros,
  type Workspace,
} from './state.js';

// Slack's own cursor format: base64 of "next_ts:" and the ts without its dot.
function encodeCursor(micros: number): string {
  return Buffer.from(`next_ts:${micros}`).toString('base64');
}

function decodeCursor(cursor: string): number | undefined {
  const match = /^next_ts:(\d{1,17})$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  return match?.[1] ? Number(match[1]) : undefined;
}

// Slack's member cursors are base64 of "user:" and the next member's id.
function encodeMemberCursor(userId: string): string {
  return Buffer.from(`user:${userId}`).toString('base64');
}

function decodeMemberCursor(cursor: string): string | undefined {
  return /^user:([A-Z0-9]+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'))?.[1];
}

// History and replies need membership even where posting does not: a bot
// token reads only conversations the bot is in, chat:write.public or not.
function resolveReadable(ws: Workspace, ref: unknown): ChannelState | Reply {
  const channel = findChannel(ws, asString(ref) ?? '');
  if (!channel) return fail('channel_not_found');
  if (!channel.isMember) return fail('not_in_channel');
  return channel;
}

// Shared by history (newest first) and replies (oldest first): the
// oldest/latest window, then a cursor that names the next message to return.
function listPage(
  ws: Workspace,
  ordered: MessageState[],
  params: Record<string, unknown>,
  limits: { fallback: number; max: number; newestFirst: boolean },
): Reply {
  const oldestRef = asString(params.oldest);
  const latestRef = asString(params.latest);
  const oldest = oldestRef === undefined ? undefined : tsMicros(oldestRef);
  const latest = latestRef === undefined ? undefined : tsMicros(latestRef);
  if (oldestRef !== undefined && oldest === undefined) return fail('invalid_ts_oldest');
  if (latestRef !== undefined && latest === undefined) return fail('invalid_ts_latest');
  const cursorRef = asString(params.cursor);
  const cursor = cursorRef === undefined ? undefined : decodeCursor(cursorRef);
  if (cursorRef !== undefined && cursor === undefined) return fail('invalid_cursor');
  const inclusive = asFlag(params.inclusive);
  const inRange = ordered.filter((m) => {
    const at = tsMicros(m.ts) ?? 0;
    if (oldest !== undefined && (inclusive ? at < oldest : at <= oldest)) return false;
    if (latest !== undefined && (inclusive ? at > latest : at >= latest)) return false;
    if (cursor !== undefined && (limits.newestFirst ? at > cursor : at < cursor)) return false;
    return true;
  });
  const limit = pageLimit(params.limit, limits.fallback, limits.max);
  const page = inRange.slice(0, limit);
  const next = inRange[limit];
  const includeMetadata = asFlag(params.include_all_metadata);
  return ok({
    messages: page.map((m) => listedMessage(ws, m, includeMetadata)),
    has_more: next !== undefined,
    response_metadata: { next_cursor: next ? encodeCursor(tsMicros(next.ts) ?? 0) : '' },
  });
}

function channelObject(ws: Workspace, c: ChannelState): Record<string, unknown> {
  const { teamId } = ws;
  if (c.isIm) {
    return {
      id: c.id,
      created: c.created,
      is_archived: c.isArchived,
      is_im: true,
      is_org_shared: false,
      context_team_id: teamId,
      updated: c.created * 1000,
      user: c.imUser ?? '',
      is_user_deleted: c.imUser ? (ws.users.get(c.imUser)?.deleted ?? false) : false,
      priority: 0,
    };
  }
  const legacyGroup = c.id.startsWith('G');
  const canvas = channelCanvasProperties(ws, c.id);
  return {
    id: c.id,
    name: c.name,
    is_channel: !legacyGroup,
    is_group: legacyGroup,
    is_im: false,
    is_mpim: false,
    is_private: c.isPrivate,
    created: c.created,
    is_archived: c.isArchived,
    is_general: false,
    unlinked: 0,
    name_normalized: c.name,
    is_shared: false,
    is_org_shared: false,
    is_pending_ext_shared: false,
    pending_shared: [],
    context_team_id: teamId,
    updated: c.created * 1000,
    parent_conversation: null,
    creator: 'U0CREATOR',
    is_ext_shared: false,
    shared_team_ids: [teamId],
    pending_connected_team_ids: [],
    is_member: c.isMember,
    topic: { value: '', creator: '', last_set: 0 },
    purpose: { value: '', creator: '', last_set: 0 },
    previous_names: [],
    ...(canvas ? { properties: { canvas } } : {}),
  };
}

function membersOf(ws: Workspace, c: ChannelState): string[] {
  const { botUserId } = ws;
  if (c.isIm) return c.imUser ? [c.imUser, botUserId] : [botUserId];
  if (c.members) return [...c.members];
  return [...ws.users.values()]
    .filter((u) => !u.deleted && (u.id !== botUserId || c.isMember))
    .map((u) => u.id);
}

export const conversationsMethods: MethodTable = {
  'conversations.history': (ws, params) => {
    const channel = resolveReadable(ws, params.channel);
    if ('body' in channel) return channel;
    const topLevel = sortedMessages(ws, (m) => m.channel === channel.id && !m.threadTs).reverse();
    return listPage(ws, topLevel, params, { fallback: 100, max: 999, newestFirst: true });
  },

  'conversations.replies': (ws, params) => {
    const channel = resolveReadable(ws, params.channel);
    if ('body' in channel) return channel;
    const ts = asString(params.ts);
    if (!ts) return rejectPayload('invalid_arguments', ['missing required field: ts']);
    // Slack accepts the ts of any message in the thread, not just the parent's.
    const rootTs = ws.messages.get(messageKey(channel.id, ts))?.threadTs ?? ts;
    const root = ws.messages.get(messageKey(channel.id, rootTs));
    const thread = sortedMessages(
      ws,
      (m) => m.channel === channel.id && (m.ts === rootTs || m.threadTs === rootTs),
    );
    if (!root && thread.length === 0) return fail('thread_not_found');
    return listPage(ws, thread, params, { fallback: 1000, max: 1000, newestFirst: false });
  },

  'conversations.open': (ws, params) => {
    const returnIm = asFlag(params.return_im);
    const answerWith = (channel: ChannelState, existed: boolean) =>
      ok({
        ...(existed ? { no_op: true, already_open: true } : {}),
        channel: returnIm ? channelObject(ws, channel) : { id: channel.id },
      });
    const channelRef = asString(params.channel);
    if (channelRef) {
      const channel = ws.channels.get(channelRef);
      return channel?.isIm ? answerWith(channel, true) : fail('channel_not_found');
    }
    const listed = Array.isArray(params.users) ? params.users.map(String).join(',') : params.users;
    const ids = (typeof listed === 'string' ? listed.split(',') : []).map((id) => id.trim()).filter(Boolean);
    if (ids.length === 0) return rejectPayload('users_list_not_supplied', []);
    if (ids.length > 1) {
      return rejectPayload('not_supported_by_fake', [
        'conversations.open with several users (a group DM) is not modelled by the fake Slack',
      ]);
    }
    const user = ws.users.get(ids[0] ?? '');
    if (!user) return fail('user_not_found');
    if (user.isBot && user.id !== ws.botUserId) return fail('cannot_dm_bot');
    const existed = ws.channels.has(dmIdFor(user.id));
    const channel = ws.channels.get(dmChannelFor(ws, user.id));
    return channel ? answerWith(channel, existed) : fail('channel_not_found');
  },

  'conversations.info': (ws, params) => {
    const channel = findChannel(ws, asString(params.channel) ?? '');
    // A bot cannot see private conversations it is not part of; Slack
    // answers as if they did not exist.
    if (!channel || (channel.isPrivate && !channel.isMember)) return fail('channel_not_found');
    return ok({ channel: channelObject(ws, channel) });
  },

  'conversations.join': (ws, params) => {
    const channel = findChannel(ws, asString(params.channel) ?? '');
    if (!channel) return fail('channel_not_found');
    if (channel.isIm || channel.isPrivate) {
      return channel.isMember || channel.isIm
        ? fail('method_not_supported_for_channel_type')
        : fail('channel_not_found');
    }
    if (channel.isArchived) return fail('is_archived');
    if (channel.isMember) {
      return ok({
        channel: channelObject(ws, channel),
        warning: 'already_in_channel',
        response_metadata: { warnings: ['already_in_channel'] },
      });
    }
    channel.isMember = true;
    return ok({ channel: channelObject(ws, channel) });
  },

  'conversations.members': (ws, params) => {
    const channel = findChannel(ws, asString(params.channel) ?? '');
    if (!channel || (channel.isPrivate && !channel.isMember)) return fail('channel_not_found');
    const members = membersOf(ws, channel);
    const cursorRef = asString(params.cursor);
    let start = 0;
    if (cursorRef !== undefined) {
      const next = decodeMemberCursor(cursorRef);
      start = next === undefined ? -1 : members.indexOf(next);
      if (start < 0) return fail('invalid_cursor');
    }
    const limit = pageLimit(params.limit, 100, 1000);
    const next = members[start + limit];
    return ok({
      members: members.slice(start, start + limit),
      response_metadata: { next_cursor: next ? encodeMemberCursor(next) : '' },
    });
  },
};
