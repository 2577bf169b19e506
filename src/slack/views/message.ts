import type { KnownBlock } from '@slack/types';

/** A message as posted: `text` is the notification and screen-reader fallback for the blocks. */
export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

export function mentionList(userIds: readonly string[]): string {
  return userIds.map((id) => `<@${id}>`).join(', ');
}
