import type { KnownBlock } from '@slack/types';
import type { SlackMessage } from './message.js';
import { foldMrkdwn } from './text.js';

const COMMAND_LINES = [
  '`/bar what we are about to do` starts a *before-action review*: intended results, challenges, lessons from before, what will make us successful, and an action hypothesis with a date to look back.',
  '`/aar` starts an *after-action review*: pick one of this channel’s open before-action reviews, or look back on something without one.',
  '`/learning rhythm` sets when this channel gets short reflection prompts (week-ahead, mid-week, look-back) and its time zone, work days, pauses and holidays.',
  '`/learning prompts` adds or retires this channel’s own mid-week prompts.',
  '`/learning questions` keeps this channel’s one to five learning questions (“What will it take to …?”), the compass its reviews and answers can be tagged with.',
  '`/learning stewards` shows who looks after this channel’s rhythm, prompts and questions; its stewards can add or remove people. Whoever first sets a channel up is its steward, and workspace admins can change these too.',
  '`/learning digest` shows you, privately, this channel’s weekly digest as it stands now; `/learning digest post` posts it in the channel (once a week, unless you confirm another).',
  '`/learning forget-me` shows how much of what you wrote is stored in this workspace and lets you delete all of it; anonymous answers stay, as nothing links them to you.',
  '`/learning export` (workspace admins and owners) sends you, privately, this channel’s learning history as a Markdown and a CSV file.',
  '`/learning delete-channel-data` (workspace admins and owners) deletes everything stored for this channel, after you confirm.',
  '`/learning help` shows this message.',
];

export function buildHelp(unknownSubcommand?: string): SlackMessage {
  const blocks: KnownBlock[] = [];
  if (unknownSubcommand) {
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `I don’t know \`/learning ${foldMrkdwn(unknownSubcommand, 60)}\`. Here is what I can do:`,
      },
    });
  }
  blocks.push(
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: '*Learning Thread* keeps your team’s learning alive in the channel you already work in.',
      },
    },
    { type: 'section', text: { type: 'mrkdwn', text: COMMAND_LINES.map((line) => `• ${line}`).join('\n') } },
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: 'Nothing is posted in a channel until someone sets a rhythm there. Answers can go in the prompt’s thread, privately, or anonymously (no name is kept), and skipping is always fine.',
        },
      ],
    },
  );
  return { text: 'Learning Thread: what each command does', blocks };
}
