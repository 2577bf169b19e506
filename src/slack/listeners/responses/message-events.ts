import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { z } from 'zod';
import type { ServiceDeps } from '../../../services/deps.js';
import { captureReplyDeletion, captureReplyEdit, captureThreadReply } from '../../../services/responses.js';
import { scopeOf } from '../scope.js';

// Only people's replies inside a thread count; bot posts, joins and other subtypes are ignored.
const threadReply = z.object({
  // A reply with a screenshot arrives as file_share; its words still count.
  subtype: z.enum(['thread_broadcast', 'file_share']).optional(),
  bot_id: z.never().optional(),
  channel: z.string(),
  user: z.string(),
  text: z.string().default(''),
  ts: z.string(),
  thread_ts: z.string(),
});
const edited = z.object({
  subtype: z.literal('message_changed'),
  channel: z.string(),
  message: z.object({ ts: z.string(), text: z.string().default(''), thread_ts: z.string().optional() }),
});
const deleted = z.object({
  subtype: z.literal('message_deleted'),
  channel: z.string(),
  deleted_ts: z.string(),
});

export function messageEvents(deps: ServiceDeps) {
  return async ({
    event,
    body,
    client,
    context,
  }: SlackEventMiddlewareArgs<'message'> & AllMiddlewareArgs) => {
    const scope = scopeOf(context);
    if (!scope) return;
    const reply = threadReply.safeParse(event);
    if (reply.success) {
      if (reply.data.thread_ts === reply.data.ts) return;
      await captureThreadReply(deps, client, scope, {
        eventId: (body as { event_id?: string }).event_id,
        channelId: reply.data.channel,
        userId: reply.data.user,
        text: reply.data.text,
        ts: reply.data.ts,
        threadTs: reply.data.thread_ts,
      });
      return;
    }
    const edit = edited.safeParse(event);
    if (edit.success) {
      await captureReplyEdit(deps, scope, {
        channelId: edit.data.channel,
        ts: edit.data.message.ts,
        text: edit.data.message.text,
      });
      return;
    }
    const removal = deleted.safeParse(event);
    if (removal.success) {
      await captureReplyDeletion(deps, scope, {
        channelId: removal.data.channel,
        ts: removal.data.deleted_ts,
      });
    }
  };
}
