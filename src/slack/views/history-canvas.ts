import { canvasRefusalWords } from './learning-history.js';
import type { SlackMessage } from './message.js';

/** What a channel's learning history canvas is called in the channel's canvas tab. */
export const HISTORY_CANVAS_TITLE = 'Learning history';

function plain(text: string): SlackMessage {
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}

export function buildHistoryCanvasTurnedOn(channelId: string, again: boolean): SlackMessage {
  const start = again
    ? `The learning history canvas of <#${channelId}> is on again.`
    : `Making <#${channelId}>’s learning history canvas now.`;
  return plain(
    `${start} It opens with the channel’s learning questions, then has a section for each quarter: hypotheses and verdicts, what changed as a result, challenges, themes and learning notes. After each digest I rewrite only the current quarter’s section, so whatever people add elsewhere in the canvas stays. \`/learning canvas off\` stops it.`,
  );
}

export function buildHistoryCanvasTurnedOff(channelId: string, wasOn: boolean): SlackMessage {
  return plain(
    wasOn
      ? `I’ll stop updating <#${channelId}>’s learning history canvas. It stays in the channel as it is; \`/learning canvas\` starts updating it again.`
      : `<#${channelId}> has no learning history canvas to stop. \`/learning canvas\` makes one.`,
  );
}

/** Errors after which the same document is better shared as a file: canvases are out of reach here. */
export function canvasesUnavailable(error: string): boolean {
  return (
    error.startsWith('team_tier_') ||
    error.startsWith('free_teams_') ||
    error === 'canvas_disabled_user_team' ||
    error === 'missing_scope' ||
    error === 'restricted_action' ||
    error === 'not_allowed' ||
    error === 'access_denied'
  );
}

/** Told once, by direct message, to the steward who turned the canvas on. */
export function buildHistoryCanvasRefused(channelId: string, error: string): SlackMessage {
  const instead = canvasesUnavailable(error)
    ? ' Instead, I’m sharing the learning history in the channel as a Markdown file, and I’ll share an updated one in the thread of each digest.'
    : '';
  return plain(
    `I couldn’t make a learning history canvas in <#${channelId}>. ${canvasRefusalWords(error)}.${instead} Once that changes, \`/learning canvas\` in the channel tries the canvas again.`,
  );
}

export function buildHistoryCanvasDeleted(channelId: string): SlackMessage {
  return plain(
    `The learning history canvas of <#${channelId}> was deleted, so I’ve stopped updating it. \`/learning canvas\` in the channel makes a new one.`,
  );
}

/** The line a Markdown file of the history is shared with, where canvases are out of reach. */
export function historyFileComment(channelId: string, inDigestThread: boolean): string {
  return inDigestThread
    ? `The learning history of <#${channelId}>, brought up to date with this digest.`
    : `Canvases aren’t available here, so this is <#${channelId}>’s learning history as a Markdown file. An updated one follows each digest, in its thread.`;
}
