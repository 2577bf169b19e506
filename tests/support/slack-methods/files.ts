import { isRecord } from '../block-kit.js';
import { checkMessagePayload, withBlockIds } from './messages.js';
import { asString, fail, type MethodTable, ok, type Reply, rejectPayload } from './reply.js';
import {
  type ChannelState,
  type MessageState,
  messageKey,
  nextFileId,
  nextTs,
  type UploadedFile,
  type Workspace,
} from './state.js';

/*
 * Slack's two-step upload: files.getUploadURLExternal hands out a URL, the
 * bytes are POSTed to it, and files.completeUploadExternal finishes the file,
 * sharing it in a channel if asked.
 */

// Unlike chat.postMessage there is no chat:write.public for files: the bot
// must be in the channel, public or not.
function resolveShareTarget(ws: Workspace, ref: string): ChannelState | Reply {
  const channel = ws.channels.get(ref);
  if (!channel) return fail('channel_not_found');
  if (channel.isArchived) return fail('is_archived');
  if (!channel.isMember) return fail('not_in_channel');
  return channel;
}

/** What the upload URL answers to a POST of `bytes` (undefined when the form held no file). */
export function receiveUpload(
  ws: Workspace,
  fileId: string,
  bytes: Buffer | undefined,
): { status: number; body: string } {
  const file = ws.uploads.get(fileId);
  // An upload URL is good for one file until its upload is completed.
  if (!file || file.completed) return { status: 404, body: 'Not Found' };
  if (!bytes) return { status: 400, body: 'Bad Request' };
  file.bytes = bytes;
  return { status: 200, body: `OK - ${bytes.length}` };
}

/** Every file whose bytes reached its upload URL, completed or not, in the order uploads began. */
export function uploadedFiles(ws: Workspace): UploadedFile[] {
  return [...ws.uploads.values()].flatMap((f): UploadedFile[] =>
    f.bytes
      ? [
          {
            id: f.id,
            filename: f.filename,
            title: f.title ?? f.filename,
            altText: f.altText,
            snippetType: f.snippetType,
            bytes: Buffer.from(f.bytes),
            completed: f.completed,
            ...(f.channelId ? { channelId: f.channelId } : {}),
            ...(f.threadTs ? { threadTs: f.threadTs } : {}),
            ...(f.messageTs ? { messageTs: f.messageTs } : {}),
          },
        ]
      : [],
  );
}

export const filesMethods: MethodTable = {
  'files.getUploadURLExternal': (ws, params) => {
    const filename = asString(params.filename);
    const length = typeof params.length === 'number' ? params.length : Number(asString(params.length));
    const problems: string[] = [];
    if (!filename) problems.push('missing required field: filename');
    if (!Number.isInteger(length) || length < 1) {
      problems.push(`length must be a positive integer, got ${JSON.stringify(params.length ?? null)}`);
    }
    if (!filename || problems.length > 0) return rejectPayload('invalid_arguments', problems);
    const id = nextFileId(ws);
    ws.uploads.set(id, {
      id,
      filename,
      length,
      // The SDK sends alt_text although Slack documents alt_txt.
      altText: asString(params.alt_txt) ?? asString(params.alt_text),
      snippetType: asString(params.snippet_type),
      created: Math.floor((ws.now?.().getTime() ?? Date.now()) / 1000),
      bytes: undefined,
      title: undefined,
      completed: false,
      channelId: undefined,
      threadTs: undefined,
      messageTs: undefined,
    });
    return ok({ upload_url: `${ws.origin}/upload/${id}`, file_id: id });
  },

  'files.completeUploadExternal': (ws, params) => {
    const entries = params.files;
    if (!Array.isArray(entries) || entries.length === 0) {
      return rejectPayload('invalid_arguments', [
        'files must be a non-empty JSON array of {id, title} [json-pointer:/files]',
      ]);
    }
    const problems: string[] = [];
    const wanted: Array<{ id: string; title: string | undefined }> = [];
    entries.forEach((entry, i) => {
      const id = isRecord(entry) ? asString(entry.id) : undefined;
      if (!id) problems.push(`missing required field [json-pointer:/files/${i}/id]`);
      else wanted.push({ id, title: isRecord(entry) ? asString(entry.title) : undefined });
    });
    if (problems.length > 0) return rejectPayload('invalid_arguments', problems);
    // Completing discards the pending upload, so a second completion finds
    // nothing either, just like an id whose bytes never arrived.
    const pending = wanted.map(({ id }) => ws.uploads.get(id));
    if (pending.some((file) => !file?.bytes || file.completed)) return fail('file_not_found');
    const initialComment = asString(params.initial_comment);
    // Slack ignores blocks when there is an initial_comment.
    const blocks = initialComment ? undefined : params.blocks;
    const rejected = checkMessagePayload({ text: initialComment, blocks }, false);
    if (rejected) return rejected;
    const channelRef = asString(params.channel_id);
    const target = channelRef ? resolveShareTarget(ws, channelRef) : undefined;
    if (target && 'body' in target) return target;
    const threadTs = target ? asString(params.thread_ts) : undefined;
    // Real Slack posts the sharing message a moment later; storing it at
    // once spares tests a poll.
    const message: MessageState | undefined = target
      ? {
          channel: target.id,
          ts: nextTs(ws),
          text: initialComment ?? '',
          blocks: Array.isArray(blocks) ? withBlockIds(blocks) : undefined,
          threadTs,
          user: ws.botUserId,
          fileIds: wanted.map(({ id }) => id),
        }
      : undefined;
    if (message) ws.messages.set(messageKey(message.channel, message.ts), message);
    const completed = wanted.flatMap(({ id, title }) => {
      const file = ws.uploads.get(id);
      if (!file) return [];
      file.completed = true;
      file.title = title ?? file.filename;
      file.channelId = target?.id;
      file.threadTs = threadTs;
      file.messageTs = message?.ts;
      return [{ id: file.id, title: file.title }];
    });
    return ok({ files: completed });
  },
};
