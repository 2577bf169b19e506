import { checkMessageBlocks, isRecord } from '../block-kit.js';
import { type Reply, rejectPayload } from './reply.js';
import {
  type FileState,
  type MessageMetadata,
  type MessageState,
  messageKey,
  type StoredFile,
  type StoredMessage,
  sortedMessages,
  WORLD_CREATED,
  type Workspace,
} from './state.js';

/*
 * A message three ways: as the app sends it (checked the way Slack checks it),
 * as Slack's methods return it, and as the tests read it back.
 */

export function withBlockIds(blocks: unknown[]): unknown[] {
  return blocks.map((block, i) =>
    isRecord(block) && block.block_id === undefined ? { ...block, block_id: `fk${i.toString(36)}` } : block,
  );
}

export function isMetadata(value: unknown): value is MessageMetadata {
  return (
    isRecord(value) &&
    typeof value.event_type === 'string' &&
    value.event_type.length > 0 &&
    isRecord(value.event_payload)
  );
}

// Checked the way Slack does: a JSON object with a string event_type and an
// object event_payload; anything else is the app's mistake.
export function checkMetadata(value: unknown): Reply | undefined {
  if (value === undefined || value === '') return undefined;
  if (!isRecord(value)) {
    return rejectPayload('invalid_metadata_format', [
      'metadata must be a JSON object [json-pointer:/metadata]',
    ]);
  }
  const problems: string[] = [];
  if (typeof value.event_type !== 'string' || value.event_type.length === 0) {
    problems.push('missing required field [json-pointer:/metadata/event_type]');
  }
  if (!isRecord(value.event_payload)) {
    problems.push('must be a JSON object [json-pointer:/metadata/event_payload]');
  }
  return problems.length > 0 ? rejectPayload('invalid_metadata_schema', problems) : undefined;
}

export function checkMessagePayload(
  params: Record<string, unknown>,
  requireContent: boolean,
): Reply | undefined {
  const { text, blocks, attachments } = params;
  const hasText = typeof text === 'string' && text.length > 0;
  const hasBlocks = Array.isArray(blocks) ? blocks.length > 0 : blocks !== undefined && blocks !== '';
  const hasAttachments = attachments !== undefined && attachments !== '';
  if (requireContent && !hasText && !hasBlocks && !hasAttachments) return rejectPayload('no_text', []);
  if (typeof text === 'string' && text.length > 40_000) {
    return rejectPayload('msg_too_long', [`text must be at most 40000 characters (got ${text.length})`]);
  }
  if (blocks !== undefined) {
    if (!Array.isArray(blocks)) {
      return rejectPayload('invalid_blocks_format', ['blocks must be a JSON array [json-pointer:/blocks]']);
    }
    const problems = checkMessageBlocks(blocks);
    if (problems.length > 0) return rejectPayload('invalid_blocks', problems, true);
  }
  return undefined;
}

// Slack's filetype and mimetype for the extensions the app is likely to send.
const FILE_KINDS: Record<string, { filetype: string; mimetype: string }> = {
  png: { filetype: 'png', mimetype: 'image/png' },
  jpg: { filetype: 'jpg', mimetype: 'image/jpeg' },
  jpeg: { filetype: 'jpg', mimetype: 'image/jpeg' },
  gif: { filetype: 'gif', mimetype: 'image/gif' },
  svg: { filetype: 'svg', mimetype: 'image/svg+xml' },
  pdf: { filetype: 'pdf', mimetype: 'application/pdf' },
  txt: { filetype: 'text', mimetype: 'text/plain' },
  md: { filetype: 'markdown', mimetype: 'text/plain' },
  csv: { filetype: 'csv', mimetype: 'text/csv' },
  json: { filetype: 'json', mimetype: 'application/json' },
};

function fileKind(filename: string): { filetype: string; mimetype: string } {
  const extension = filename.includes('.') ? filename.split('.').pop()?.toLowerCase() : undefined;
  return FILE_KINDS[extension ?? ''] ?? { filetype: 'binary', mimetype: 'application/octet-stream' };
}

function sharedFiles(ws: Workspace, m: MessageState): FileState[] {
  return (m.fileIds ?? []).flatMap((id) => {
    const file = ws.uploads.get(id);
    return file ? [file] : [];
  });
}

function storedFile(f: FileState): StoredFile {
  return {
    id: f.id,
    name: f.filename,
    title: f.title ?? f.filename,
    mimetype: fileKind(f.filename).mimetype,
    size: f.bytes?.length ?? f.length,
    ...(f.altText ? { alt_txt: f.altText } : {}),
  };
}

/** A message as the tests read it back: a copy, so a test cannot change the world by accident. */
export function storedMessage(ws: Workspace, m: MessageState): StoredMessage {
  const shared = sharedFiles(ws, m);
  return structuredClone({
    ts: m.ts,
    channel: m.channel,
    text: m.text,
    blocks: m.blocks,
    user: m.user,
    ...(m.user === ws.botUserId ? { bot_id: ws.botId } : {}),
    ...(m.threadTs ? { thread_ts: m.threadTs } : {}),
    ...(m.metadata ? { metadata: m.metadata } : {}),
    ...(shared.length > 0 ? { files: shared.map(storedFile) } : {}),
  });
}

function fileObject(ws: Workspace, f: FileState): Record<string, unknown> {
  const { teamId, botUserId, teamDomain } = ws;
  const { filetype, mimetype } = fileKind(f.filename);
  const name = encodeURIComponent(f.filename);
  const channel = f.channelId ? ws.channels.get(f.channelId) : undefined;
  return {
    id: f.id,
    created: f.created,
    timestamp: f.created,
    name: f.filename,
    title: f.title ?? f.filename,
    mimetype,
    filetype,
    pretty_type: filetype === 'binary' ? 'Binary' : filetype.toUpperCase(),
    user: botUserId,
    user_team: teamId,
    editable: false,
    size: f.bytes?.length ?? f.length,
    mode: 'hosted',
    is_external: false,
    external_type: '',
    is_public: channel ? !channel.isPrivate && !channel.isIm : false,
    public_url_shared: false,
    display_as_bot: false,
    username: '',
    url_private: `https://files.slack.com/files-pri/${teamId}-${f.id}/${name}`,
    url_private_download: `https://files.slack.com/files-pri/${teamId}-${f.id}/download/${name}`,
    permalink: `https://${teamDomain}.slack.com/files/${botUserId}/${f.id}/${name}`,
    ...(f.altText ? { alt_txt: f.altText } : {}),
    comments_count: 0,
    is_starred: false,
    has_rich_preview: false,
    file_access: 'visible',
  };
}

// What a message that shares files carries on top of an ordinary one.
function fileFields(ws: Workspace, m: MessageState): Record<string, unknown> {
  const shared = sharedFiles(ws, m);
  return shared.length > 0
    ? { files: shared.map((f) => fileObject(ws, f)), upload: true, display_as_bot: false }
    : {};
}

function parentUserOf(ws: Workspace, m: MessageState): string {
  return ws.messages.get(messageKey(m.channel, m.threadTs ?? ''))?.user ?? m.user;
}

/** A message as chat.postMessage and chat.update return it. */
export function messageObject(ws: Workspace, m: MessageState): Record<string, unknown> {
  const { teamId, botId, appId } = ws;
  return {
    user: m.user,
    type: 'message',
    ts: m.ts,
    bot_id: botId,
    app_id: appId,
    text: m.text,
    team: teamId,
    bot_profile: {
      id: botId,
      app_id: appId,
      name: 'Learning Thread',
      icons: {},
      deleted: false,
      updated: WORLD_CREATED,
      team_id: teamId,
    },
    ...(m.blocks ? { blocks: m.blocks } : {}),
    ...(m.threadTs ? { thread_ts: m.threadTs, parent_user_id: parentUserOf(ws, m) } : {}),
    ...fileFields(ws, m),
  };
}

// A message as conversations.history / replies list it: a person's message
// carries no bot fields, a parent summarises its thread, and metadata is
// only returned on request.
export function listedMessage(
  ws: Workspace,
  m: MessageState,
  includeMetadata: boolean,
): Record<string, unknown> {
  const base: Record<string, unknown> =
    m.user === ws.botUserId
      ? messageObject(ws, m)
      : {
          user: m.user,
          type: 'message',
          ts: m.ts,
          text: m.text,
          team: ws.teamId,
          ...(m.blocks ? { blocks: m.blocks } : {}),
          ...(m.threadTs ? { thread_ts: m.threadTs, parent_user_id: parentUserOf(ws, m) } : {}),
          ...fileFields(ws, m),
        };
  const replies = m.threadTs ? [] : sortedMessages(ws, (r) => r.channel === m.channel && r.threadTs === m.ts);
  const replyUsers = [...new Set(replies.map((r) => r.user))];
  return {
    ...base,
    ...(replies.length > 0
      ? {
          thread_ts: m.ts,
          reply_count: replies.length,
          reply_users_count: replyUsers.length,
          latest_reply: replies[replies.length - 1]?.ts,
          reply_users: replyUsers,
          is_locked: false,
          subscribed: false,
        }
      : {}),
    ...(includeMetadata && m.metadata ? { metadata: structuredClone(m.metadata) } : {}),
  };
}
