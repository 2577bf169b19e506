import type { KnownBlock, ModalView } from '@slack/types';
import { CALLBACKS, STEWARD_INPUTS } from '../ids.js';
import type { SlackMessage } from './message.js';

/** How many people the stewards can add to a channel, besides whoever set it up. */
export const MAX_ADDED_STEWARDS = 20;

/** A note that names more people than this reads as a roll call; the rest are counted. */
const MAX_NAMED = 10;

/** What a person tried to change, in the words the note and the refusal use. */
export type SettingsArea = 'rhythm' | 'prompts' | 'questions' | 'stewards' | 'canvas' | 'lessons';

const AREA: Record<SettingsArea, string> = {
  rhythm: 'its reflection rhythm',
  prompts: 'its mid-week prompts',
  questions: 'its learning questions',
  stewards: 'who its stewards are',
  canvas: 'its learning history canvas',
  lessons: 'whether its lessons are shared with the workspace',
};

const TITLE = 'Channel stewards';

function namedList(userIds: readonly string[]): string {
  const named = userIds.slice(0, MAX_NAMED).map((id) => `<@${id}>`);
  const more = userIds.length - named.length;
  if (more > 0) return `${named.join(', ')} and ${more} more`;
  if (named.length <= 1) return named.join('');
  return `${named.slice(0, -1).join(', ')} and ${named.at(-1)}`;
}

/** Everyone who counts as a steward, the founder first. */
export function everySteward(stewards: { founderId: string | null; added: readonly string[] }): string[] {
  return [...(stewards.founderId ? [stewards.founderId] : []), ...stewards.added];
}

/** The private note for someone who tried to change a channel they do not look after. */
export function buildNotAStewardNote(input: {
  channelId: string;
  area: SettingsArea;
  stewards: readonly string[];
}): SlackMessage {
  const who =
    input.stewards.length === 0
      ? 'Workspace admins and owners can.'
      : `${input.stewards.length === 1 ? 'Its steward is' : 'Its stewards are'} ${namedList(input.stewards)}; workspace admins and owners can too.`;
  const ask =
    input.stewards.length === 0
      ? 'If something here should change, ask one of them.'
      : 'If something here should change, ask one of them. They can also add you as a steward with `/learning stewards`.';
  const text = `Only <#${input.channelId}>’s stewards can change ${AREA[input.area]}. ${who} ${ask}`;
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}

/** Shown under a field when a form from someone who is not (or no longer) a steward is submitted. */
export function notAStewardError(area: SettingsArea): string {
  return `Only this channel’s stewards and workspace admins can change ${AREA[area]}, so nothing was saved. Type /learning stewards in the channel to see whom to ask.`;
}

export function buildStewardsModal(input: {
  channelId: string;
  founderId: string | null;
  added: readonly string[];
}): ModalView {
  const intro: KnownBlock = {
    type: 'section',
    text: {
      type: 'mrkdwn',
      text: `Stewards can change <#${input.channelId}>’s reflection rhythm, mid-week prompts and learning questions, and choose who else can. Workspace admins and owners can too.`,
    },
  };
  const founder: KnownBlock = {
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: input.founderId
          ? `<@${input.founderId}> set this channel up and stays a steward.`
          : 'Nobody looks after this channel yet: saving makes you its first steward, along with anyone you choose.',
      },
    ],
  };
  return {
    type: 'modal',
    callback_id: CALLBACKS.channelStewards,
    private_metadata: JSON.stringify({ channelId: input.channelId }),
    title: { type: 'plain_text', text: TITLE },
    submit: { type: 'plain_text', text: 'Save' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      intro,
      founder,
      {
        type: 'input',
        block_id: STEWARD_INPUTS.added.block,
        optional: true,
        label: { type: 'plain_text', text: 'Also stewards' },
        hint: {
          type: 'plain_text',
          text: `Up to ${MAX_ADDED_STEWARDS} people. Remove someone to take the role back; what they set up stays.`,
        },
        element: {
          type: 'multi_users_select',
          action_id: STEWARD_INPUTS.added.action,
          placeholder: { type: 'plain_text', text: 'Choose people' },
          max_selected_items: MAX_ADDED_STEWARDS,
          ...(input.added.length > 0 ? { initial_users: input.added.slice(0, MAX_ADDED_STEWARDS) } : {}),
        },
      },
    ],
  };
}

export function buildStewardsSaved(saved: {
  channelId: string;
  founderId: string | null;
  added: readonly string[];
}): ModalView {
  const people = [
    ...(saved.founderId ? [`<@${saved.founderId}> (set the channel up)`] : []),
    ...saved.added.map((id) => `<@${id}>`),
  ];
  return {
    type: 'modal',
    callback_id: CALLBACKS.channelStewardsSaved,
    title: { type: 'plain_text', text: TITLE },
    close: { type: 'plain_text', text: 'Done' },
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `Saved. These people can now change <#${saved.channelId}>’s reflection rhythm, mid-week prompts and learning questions:\n${people.map((line) => `• ${line}`).join('\n')}`,
        },
      },
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: 'Workspace admins and owners can too. Change the list any time with `/learning stewards` in this channel.',
          },
        ],
      },
    ],
  };
}
