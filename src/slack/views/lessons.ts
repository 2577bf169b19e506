import type { SlackMessage } from './message.js';
import { foldPlain } from './text.js';

function plain(text: string): SlackMessage {
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}

/** What sharing means, said wherever the setting is shown or changed. */
function whatSharingMeans(isPrivate: boolean): string {
  const members = isPrivate ? ' As the channel is private, only its members see them.' : '';
  return `Its after-action reviews’ lessons are offered in the before-action review forms of other channels in this workspace, labelled with this channel and the date.${members} Only what after-action reviews say is shared; anonymous answers never are.`;
}

export type LessonSharingState = { shared: true; sharedBy: string; sharedOn: string } | { shared: false };

/** `/learning lessons`: whether the channel's lessons are shared, for anyone in it. */
export function buildLessonSharingState(
  channelId: string,
  state: LessonSharingState,
  isPrivate: boolean,
): SlackMessage {
  if (state.shared) {
    const by = state.sharedBy ? ` by <@${state.sharedBy}>` : '';
    return plain(
      `<#${channelId}> shares its lessons with the workspace (since ${state.sharedOn}${by}). ${whatSharingMeans(isPrivate)} \`/learning lessons private\` (stewards) keeps them to this channel.`,
    );
  }
  return plain(
    `<#${channelId}> keeps its lessons to itself: its before-action review forms offer lessons from its own after-action reviews and from channels that share theirs. \`/learning lessons share\` (stewards) would offer its after-action reviews’ lessons in other channels’ before-action review forms too, labelled with this channel and the date${isPrivate ? ', to its members only' : ''}; anonymous answers are never shared.`,
  );
}

export function buildLessonsShared(channelId: string, already: boolean, isPrivate: boolean): SlackMessage {
  const start = already
    ? `<#${channelId}> already shares its lessons with the workspace.`
    : `<#${channelId}> now shares its lessons with the workspace.`;
  return plain(`${start} ${whatSharingMeans(isPrivate)} \`/learning lessons private\` stops it.`);
}

export function buildLessonsKeptPrivate(channelId: string, wasShared: boolean): SlackMessage {
  return plain(
    wasShared
      ? `<#${channelId}>’s lessons are no longer offered in other channels. Its own before-action reviews still offer them, and \`/learning lessons share\` shares them again.`
      : `<#${channelId}>’s lessons weren’t shared, so nothing changed: they are offered only in this channel’s own before-action reviews.`,
  );
}

export function lessonsWordNotRead(word: string): string {
  return `\`/learning lessons\` says whether this channel shares its lessons, \`/learning lessons share\` shares them with the workspace and \`/learning lessons private\` keeps them to this channel; “${foldPlain(word, 40)}” is none of these.`;
}
