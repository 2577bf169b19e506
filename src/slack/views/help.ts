import type { KnownBlock, ModalView } from '@slack/types';
import { ACTIONS } from '../ids.js';
import type { SlackMessage } from './message.js';
import { foldMrkdwn } from './text.js';

/** Every `/learning` subcommand: the full list names each one, and a mistyped one is matched against them. */
export const LEARNING_SUBCOMMANDS = [
  'help',
  'rhythm',
  'prompts',
  'questions',
  'stewards',
  'digest',
  'history',
  'canvas',
  'lessons',
  'overview',
  'forget-me',
  'export',
  'delete-channel-data',
] as const;

const INTRODUCTION = '*Learning Thread* keeps your team’s learning alive in the channel you already work in.';

/** The five things most people come for; the rest is one click away. */
const ESSENTIALS = [
  '`/bar what we are about to do` starts a *before-action review*.',
  '`/aar` looks back on it with an *after-action review*.',
  'Reply in a prompt’s thread to answer it, or use its buttons to answer privately or anonymously.',
  '`/learning digest` shows you this channel’s weekly digest so far.',
  '`/learning rhythm` sets when this channel gets short reflection prompts.',
];

/** Every command, grouped by what it is for. */
const ALL_COMMANDS: ReadonlyArray<{ heading: string; lines: string[] }> = [
  {
    heading: 'Reviews',
    lines: [
      '`/bar what we are about to do` starts a *before-action review*: intended results, challenges, lessons from before, what will make us successful, and an action hypothesis with a date to look back.',
      '`/aar` starts an *after-action review*: pick one of this channel’s open before-action reviews, or look back on something without one.',
    ],
  },
  {
    heading: 'Answers and the digest',
    lines: [
      'Reply in a prompt’s thread to answer it; its buttons answer privately, anonymously (no name is kept), or skip with a reason. Skipping is always fine.',
      '`/learning digest` shows you, privately, this channel’s weekly digest as it stands now; `/learning digest post` posts it in the channel (once a week, unless you confirm another).',
      '`/learning history` shares this channel’s learning history with the channel as a canvas: each learning question, what people said and what the team made of it. Add a quarter (`2026-Q3`, `last quarter`) or two dates; without them it covers this quarter so far.',
      '`/learning overview` (stewards and admins) shows you, privately, every channel with a rhythm in numbers: loops open and closed this quarter, learning questions, voices a week against last quarter, and a link to the last digest.',
    ],
  },
  {
    heading: 'This channel’s settings',
    lines: [
      '`/learning rhythm` sets when this channel gets short reflection prompts (week-ahead, mid-week, look-back) and its time zone, work days, pauses and holidays.',
      '`/learning prompts` adds or retires this channel’s own mid-week prompts.',
      '`/learning questions` keeps this channel’s one to five learning questions (“What will it take to …?”), the compass its reviews and answers can be tagged with.',
      '`/learning canvas` (stewards) keeps this channel’s learning history in the channel’s canvas: its learning questions, then a section for each quarter, brought up to date after each digest; `/learning canvas off` stops it.',
      '`/learning lessons` says whether this channel shares its after-action reviews’ lessons with the workspace; its stewards can `/learning lessons share` them, so other channels’ before-action review forms offer them labelled with this channel (never anonymous answers), or keep them `private`.',
      '`/learning stewards` shows who looks after this channel’s rhythm, prompts and questions; its stewards can add or remove people. Whoever first sets a channel up is its steward, and workspace admins can change these too.',
    ],
  },
  {
    heading: 'Your words and the channel’s data',
    lines: [
      '`/learning forget-me` shows how much of what you wrote is stored in this workspace and lets you delete all of it; anonymous answers stay, as nothing links them to you.',
      '`/learning export mine` sends you, in your direct messages with the app, everything you wrote in this workspace as a Markdown and a CSV file (the Home tab’s “Export what I wrote” does the same).',
      '`/learning export` (workspace admins and owners) sends you, privately, this channel’s records as a Markdown and a CSV file, and its learning history organised by learning question.',
      '`/learning delete-channel-data` (workspace admins and owners) deletes everything stored for this channel, after you confirm.',
      '`/learning help` (or `/learning` alone) shows the short list again.',
    ],
  },
];

const bullets = (lines: readonly string[]) => lines.map((line) => `• ${line}`).join('\n');

/** `/learning help`: the five things most people need, and a button for the rest. */
export function buildHelp(): SlackMessage {
  const blocks: KnownBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text: INTRODUCTION } },
    { type: 'section', text: { type: 'mrkdwn', text: bullets(ESSENTIALS) } },
    {
      type: 'actions',
      elements: [
        {
          type: 'button',
          action_id: ACTIONS.moreCommands,
          text: { type: 'plain_text', text: 'More commands' },
          value: 'all',
        },
      ],
    },
  ];
  return { text: 'Learning Thread: what most people need', blocks };
}

/** What "More commands" opens: every command, in a window of its own. */
export function buildAllCommands(): ModalView {
  const blocks: KnownBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text: INTRODUCTION } },
    ...ALL_COMMANDS.map(
      (group): KnownBlock => ({
        type: 'section',
        text: { type: 'mrkdwn', text: `*${group.heading}*\n${bullets(group.lines)}` },
      }),
    ),
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: 'Nothing is posted in a channel until someone sets a rhythm there.',
        },
      ],
    },
  ];
  return {
    type: 'modal',
    title: { type: 'plain_text', text: 'All commands' },
    close: { type: 'plain_text', text: 'Close' },
    blocks,
  };
}

/** The longest part of a mistyped subcommand repeated back; enough to recognise it. */
const TYPED_SHOWN = 40;

/**
 * A subcommand that does not exist, in one line: the nearest one when there is one, or where the list
 * is. What was typed is shown escaped, so `<!channel>` typed there notifies nobody.
 */
export function buildUnknownSubcommand(typed: string, nearest: string | undefined): SlackMessage {
  const named = `No command “${foldMrkdwn(typed, TYPED_SHOWN)}”.`;
  const text = nearest
    ? `${named} Did you mean \`/learning ${nearest}\`?`
    : `${named} \`/learning help\` shows what you can do.`;
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}
