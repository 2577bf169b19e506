import { checkMessagePayload, checkMetadata, isMetadata, messageObject, withBlockIds } from './messages.js';
import { asString, fail, type MethodTable, ok, type Reply, rejectPayload } from './reply.js';
import {
  type ChannelState,
  dmChannelFor,
  findChannel,
  isUserId,
  type MessageState,
  messageKey,
  nextTs,
  type Workspace,
} from './state.js';

// Where a chat.postMessage / postEphemeral would land, or why Slack refuses.
function resolvePostTarget(ws: Workspace, ref: unknown): ChannelState | Reply {
  const id = asString(ref);
  if (!id) return fail('channel_not_found');
  if (isUserId(id)) {
    const user = ws.users.get(id);
    if (!user) return fail('channel_not_found');
    if (user.isBot && user.id !== ws.botUserId) return fail('cannot_dm_bot');
    const dm = ws.channels.get(dmChannelFor(ws, id));
    return dm ?? fail('channel_not_found');
  }
  const channel = findChannel(ws, id);
  if (!channel) return fail('channel_not_found');
  if (channel.isArchived) return fail('is_archived');
  // Public channels are reachable without joining thanks to chat:write.public.
  if ((channel.isPrivate || channel.isIm) && !channel.isMember) return fail('not_in_channel');
  return channel;
}

export const chatMethods: MethodTable = {
  'chat.postMessage': (ws, params) => {
    const rejected = checkMessagePayload(params, true) ?? checkMetadata(params.metadata);
    if (rejected) return rejected;
    const target = resolvePostTarget(ws, params.channel);
    if ('body' in target) return target;
    const threadTs = asString(params.thread_ts);
    const message: MessageState = {
      channel: target.id,
      ts: nextTs(ws),
      text: typeof params.text === 'string' ? params.text : '',
      blocks: Array.isArray(params.blocks) ? withBlockIds(params.blocks) : undefined,
      threadTs,
      user: ws.botUserId,
      metadata: isMetadata(params.metadata) ? structuredClone(params.metadata) : undefined,
    };
    ws.messages.set(messageKey(message.channel, message.ts), message);
    return ok({ channel: target.id, ts: message.ts, message: messageObject(ws, message) });
  },

  'chat.postEphemeral': (ws, params) => {
    if (!asString(params.user)) return rejectPayload('invalid_arguments', ['missing required field: user']);
    const rejected = checkMessagePayload(params, true);
    if (rejected) return rejected;
    const target = resolvePostTarget(ws, params.channel);
    if ('body' in target) return target;
    const recipient = ws.users.get(String(params.user));
    if (recipient?.deleted) return fail('user_not_in_channel');
    // Ephemeral messages are never stored by Slack, so they cannot be updated later.
    return ok({ message_ts: nextTs(ws) });
  },

  'chat.update': (ws, params) => {
    const rejected = checkMessagePayload(params, true) ?? checkMetadata(params.metadata);
    if (rejected) return rejected;
    const channel = findChannel(ws, asString(params.channel) ?? '');
    if (!channel) return fail('channel_not_found');
    const ts = asString(params.ts);
    const message = ts ? ws.messages.get(messageKey(channel.id, ts)) : undefined;
    if (!message) return fail('message_not_found');
    if (channel.isArchived) return fail('is_archived');
    if (message.user !== ws.botUserId) return fail('cant_update_message');
    if (typeof params.text === 'string') message.text = params.text;
    if (Array.isArray(params.blocks)) message.blocks = withBlockIds(params.blocks);
    if (isMetadata(params.metadata)) message.metadata = structuredClone(params.metadata);
    return ok({
      channel: channel.id,
      ts: message.ts,
      text: message.text,
      message: messageObject(ws, message),
    });
  },

  'chat.delete': (ws, params) => {
    const channel = findChannel(ws, asString(params.channel) ?? '');
    if (!channel) return fail('channel_not_found');
    const ts = asString(params.ts);
    const key = messageKey(channel.id, ts ?? '');
    const message = ws.messages.get(key);
    if (!message) return fail('message_not_found');
    if (message.user !== ws.botUserId) return fail('cant_delete_message');
    ws.messages.delete(key);
    return ok({ channel: channel.id, ts: message.ts });
  },

  'chat.getPermalink': (ws, params) => {
    const channel = findChannel(ws, asString(params.channel) ?? '');
    if (!channel || (channel.isPrivate && !channel.isMember)) return fail('channel_not_found');
    const ts = asString(params.message_ts);
    if (!ts) return rejectPayload('invalid_arguments', ['missing required field: message_ts']);
    const message = ws.messages.get(messageKey(channel.id, ts));
    if (!message) return fail('message_not_found');
    const archived = `https://${ws.teamDomain}.slack.com/archives/${channel.id}/p${ts.replace('.', '')}`;
    // A reply's link opens its thread, so Slack names the parent too.
    const thread = message.threadTs ? `?thread_ts=${message.threadTs}&cid=${channel.id}` : '';
    return ok({ channel: channel.id, permalink: `${archived}${thread}` });
  },
};
