import { asString, fail, type MethodTable, ok, rejectPayload } from './reply.js';
import { findChannel, messageKey, tsMicros, type Workspace } from './state.js';

/*
 * reactions.add as Slack documents it: the reacting user is the token's (here the bot), one reaction per
 * user and emoji on a message, and these errors among others: already_reacted, bad_timestamp,
 * channel_not_found, invalid_name, is_archived, message_not_found, no_item_specified.
 */

/** A reaction as Slack lists it on a message. */
export interface StoredReaction {
  name: string;
  users: string[];
  count: number;
}

// Emoji names as Slack spells them, without the colons around them in text.
const EMOJI_NAME = /^[a-z0-9_+'-]+$/;

/** Per workspace, per message (by messageKey), the users who reacted with each emoji, in order. */
const reactionsByWorkspace = new WeakMap<Workspace, Map<string, Map<string, string[]>>>();

function reactionsOnMessage(ws: Workspace, key: string): Map<string, string[]> {
  let byMessage = reactionsByWorkspace.get(ws);
  if (!byMessage) {
    byMessage = new Map();
    reactionsByWorkspace.set(ws, byMessage);
  }
  let byName = byMessage.get(key);
  if (!byName) {
    byName = new Map();
    byMessage.set(key, byName);
  }
  return byName;
}

/** The reactions on a message that is still there, as conversations.history would list them. */
export function reactionsOn(ws: Workspace, channelId: string, ts: string): StoredReaction[] {
  const channel = findChannel(ws, channelId);
  const key = channel ? messageKey(channel.id, ts) : '';
  if (!ws.messages.has(key)) return [];
  return [...reactionsOnMessage(ws, key)].map(([name, users]) => ({
    name,
    users: [...users],
    count: users.length,
  }));
}

export const reactionsMethods: MethodTable = {
  'reactions.add': (ws, params) => {
    const channelRef = asString(params.channel);
    const timestamp = asString(params.timestamp);
    if (!channelRef || !timestamp) {
      return rejectPayload('no_item_specified', ['channel and timestamp are both required']);
    }
    const name = asString(params.name);
    if (!name || !EMOJI_NAME.test(name)) {
      return rejectPayload('invalid_name', [`not an emoji name Slack knows: ${String(params.name)}`]);
    }
    const channel = findChannel(ws, channelRef);
    if (!channel || ((channel.isPrivate || channel.isIm) && !channel.isMember))
      return fail('channel_not_found');
    if (channel.isArchived) return fail('is_archived');
    if (tsMicros(timestamp) === undefined) return fail('bad_timestamp');
    const key = messageKey(channel.id, timestamp);
    if (!ws.messages.has(key)) return fail('message_not_found');
    const byName = reactionsOnMessage(ws, key);
    const users = byName.get(name) ?? [];
    if (users.includes(ws.botUserId)) return fail('already_reacted');
    byName.set(name, [...users, ws.botUserId]);
    return ok();
  },
};
