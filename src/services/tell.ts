import type { KnownBlock } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import type { Logger } from '../logger.js';
import { retryAfterMs, slackErrorCode } from '../slack/errors.js';

/** The two ways of reaching one person privately. */
export interface TellSlack {
  chat: Pick<WebClient['chat'], 'postEphemeral' | 'postMessage'>;
}

export interface TellPolicy {
  /**
   * The longest a note waits for Slack's Retry-After, over all its tries together; each way of telling
   * waits at most once, and a longer Retry-After gives that way up.
   */
  maxWaitMs: number;
  sleep: (ms: number) => Promise<void>;
}

export const DEFAULT_TELL_POLICY: TellPolicy = {
  maxWaitMs: 10_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Where the note went: only to the person either way, or nowhere (logged). */
export type Told = 'ephemeral' | 'direct' | 'not_told';

export interface PrivateNote {
  userId: string;
  /** Where the person is: the note shows there, only to them. Without it, or when that fails, it goes by DM. */
  channelId?: string | null;
  threadTs?: string | null;
  message: { text: string; blocks?: KnownBlock[] };
}

/**
 * Tells one person something privately: an ephemeral note in the channel they are in when there is one,
 * a direct message from the app otherwise or when the channel refuses (they left it, it was archived).
 * A 429 is waited out once per way of telling, within the policy's bound. Never throws.
 */
export async function tellPrivately(
  slack: TellSlack,
  log: Logger,
  note: PrivateNote,
  policy: TellPolicy = DEFAULT_TELL_POLICY,
): Promise<Told> {
  let waitLeft = policy.maxWaitMs;
  const withOneWait = async (send: () => Promise<unknown>): Promise<void> => {
    try {
      await send();
    } catch (error) {
      const wait = slackErrorCode(error) === 'ratelimited' ? retryAfterMs(error) : undefined;
      if (wait === undefined || wait > waitLeft) throw error;
      waitLeft -= wait;
      await policy.sleep(wait);
      await send();
    }
  };
  const context = { user: note.userId, ...(note.channelId ? { channel: note.channelId } : {}) };
  const { channelId, threadTs } = note;
  if (channelId) {
    try {
      await withOneWait(() =>
        slack.chat.postEphemeral({
          channel: channelId,
          user: note.userId,
          ...note.message,
          ...(threadTs ? { thread_ts: threadTs } : {}),
        }),
      );
      return 'ephemeral';
    } catch (error) {
      log.info(
        { ...context, error: slackErrorCode(error) ?? 'unknown_error' },
        'private note sent by DM instead',
      );
    }
  }
  try {
    await withOneWait(() => slack.chat.postMessage({ channel: note.userId, ...note.message }));
    return 'direct';
  } catch (error) {
    log.warn({ ...context, error: slackErrorCode(error) ?? 'unknown_error' }, 'private note not delivered');
    return 'not_told';
  }
}
