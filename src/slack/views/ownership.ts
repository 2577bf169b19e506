import type { KnownBlock } from '@slack/types';
import { z } from 'zod';
import type { ChannelData, PersonalData } from '../../db/queries/ownership.js';
import type { ExportPeriod } from '../../domain/export-period.js';
import { isTeamChannel } from '../../domain/ids.js';
import { ACTIONS } from '../ids.js';
import type { SlackMessage } from './message.js';

/** A confirmation button works for this long; after that the person asks again and sees fresh counts. */
export const CONFIRMATION_LIFETIME_MS = 15 * 60_000;

/**
 * What a confirmation button carries. It is never enough on its own: the click is acted on only when
 * the person clicking, their workspace and the time all match it.
 */
export interface Confirmation {
  teamId: string;
  userId: string;
  issuedAt: number;
  /** Only for deleting a channel's data. */
  channelId?: string;
}

const SLACK_ID = /^[A-Z0-9]+$/;

const confirmationValue = z
  .string()
  .transform((value) => value.split('|'))
  .pipe(
    z.union([
      z.tuple([z.string().regex(SLACK_ID), z.string().regex(SLACK_ID), z.string().regex(/^\d{1,15}$/)]),
      z.tuple([
        z.string().regex(SLACK_ID),
        z.string().regex(SLACK_ID),
        z.string().regex(/^\d{1,15}$/),
        z.string().refine(isTeamChannel),
      ]),
    ]),
  );

export function confirmationValueOf(confirmation: Confirmation): string {
  const parts = [confirmation.teamId, confirmation.userId, String(confirmation.issuedAt)];
  return [...parts, ...(confirmation.channelId ? [confirmation.channelId] : [])].join('|');
}

export function parseConfirmation(value: string): Confirmation | undefined {
  const parsed = confirmationValue.safeParse(value);
  if (!parsed.success) return undefined;
  const [teamId, userId, issuedAt, channelId] = parsed.data;
  return { teamId, userId, issuedAt: Number(issuedAt), ...(channelId ? { channelId } : {}) };
}

/** Whether a click may act: the same person, in the same workspace, soon enough after asking. */
export function confirms(
  confirmation: Confirmation,
  click: { teamId: string; userId: string; at: Date; channelId?: string },
): 'yes' | 'not_theirs' | 'expired' {
  if (confirmation.teamId !== click.teamId || confirmation.userId !== click.userId) return 'not_theirs';
  if ((confirmation.channelId ?? null) !== (click.channelId ?? null)) return 'not_theirs';
  const age = click.at.getTime() - confirmation.issuedAt;
  return age < 0 || age > CONFIRMATION_LIFETIME_MS ? 'expired' : 'yes';
}

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

function listed(lines: ReadonlyArray<[number, string]>): string[] {
  return lines.filter(([n]) => n > 0).map(([, line]) => `• ${line}`);
}

function wordsLines(data: PersonalData): string[] {
  const { words } = data;
  return listed([
    [
      words.beforeActionReviews,
      `${count(words.beforeActionReviews, 'before-action review', 'before-action reviews')} you started`,
    ],
    [
      words.afterActionReviews,
      `${count(words.afterActionReviews, 'after-action review', 'after-action reviews')} you wrote`,
    ],
    [words.perspectives, `${count(words.perspectives, 'perspective', 'perspectives')} with your name`],
    [
      words.answers,
      `${count(words.answers, 'answer', 'answers')} to prompts and check-ins (in threads and private)`,
    ],
    [words.confidence, count(words.confidence, 'confidence answer', 'confidence answers')],
    [words.skips, count(words.skips, 'skip', 'skips')],
    [words.learningNotes, count(words.learningNotes, 'learning note', 'learning notes')],
    [
      words.digestVotes,
      `${count(words.digestVotes, 'vote', 'votes')} on whether a digest’s items were useful`,
    ],
  ]);
}

function mentionLines(data: PersonalData): string[] {
  const { mentions } = data;
  return listed([
    [
      mentions.reviewPeople,
      `named in ${count(mentions.reviewPeople, 'before-action review', 'before-action reviews')}`,
    ],
    [
      mentions.afterActionReviewPeople,
      `named in ${count(mentions.afterActionReviewPeople, 'after-action review', 'after-action reviews')}`,
    ],
    [mentions.stewardedChannels, `steward of ${count(mentions.stewardedChannels, 'channel', 'channels')}`],
    [
      mentions.learningQuestions + mentions.prompts,
      `${count(mentions.learningQuestions, 'learning question', 'learning questions')} and ${count(mentions.prompts, 'prompt', 'prompts')} you wrote for a channel: they stay the channel’s, with no name on them`,
    ],
    [
      mentions.settings,
      `${count(mentions.settings, 'setting', 'settings')} (rhythms you saved, digests you asked for, stewards you added) keep working, with no name on them`,
    ],
  ]);
}

function hasAnything(data: PersonalData): boolean {
  return [...Object.values(data.words), ...Object.values(data.mentions)].some((n) => n > 0);
}

const STAYS =
  'Anonymous answers and perspectives stay: nothing links them to you or to anyone, so they cannot be found. Messages you posted yourself in Slack threads stay in Slack, where only you can delete them.';

function section(text: string): KnownBlock {
  return { type: 'section', text: { type: 'mrkdwn', text } };
}

/** A short private note as a message. */
export function noteOf(text: string): SlackMessage {
  return { text, blocks: [section(text)] };
}

/** `/learning forget-me`: what would go, what would stay, and the one button that does it. */
export function buildForgetMeConfirm(data: PersonalData, confirmation: Confirmation): SlackMessage {
  if (!hasAnything(data)) {
    return {
      text: 'Nothing you wrote is stored in this workspace.',
      blocks: [
        section('Nothing you wrote is stored in this workspace, and nothing here names you.'),
        contextOf(STAYS),
      ],
    };
  }
  const words = wordsLines(data);
  const mentions = mentionLines(data);
  // Nothing is gone yet: every line says what the button will do, never what has happened.
  const blocks: KnownBlock[] = [section('*Delete everything you wrote in this workspace?*')];
  if (words.length > 0) blocks.push(section(`*This will delete:*\n${words.join('\n')}`));
  if (mentions.length > 0) blocks.push(section(`*Your name will come off:*\n${mentions.join('\n')}`));
  const others = data.othersUnderTheirReviews;
  const notes = [
    'The app’s own messages that carried your words (your reviews’ summaries and check-ins, your perspectives) will be removed from the channels.',
    ...(others > 0
      ? [
          `What others wrote under your reviews (${count(others, 'perspective or answer', 'perspectives and answers')}) will stay theirs.`,
        ]
      : []),
    STAYS,
  ];
  blocks.push(contextOf(notes.join(' ')), {
    type: 'actions',
    elements: [
      {
        type: 'button',
        action_id: ACTIONS.forgetMe,
        style: 'danger',
        text: { type: 'plain_text', text: 'Delete everything I wrote' },
        value: confirmationValueOf(confirmation),
        confirm: {
          title: { type: 'plain_text', text: 'Delete everything you wrote?' },
          text: {
            type: 'plain_text',
            text: 'Everything listed in the message will be deleted from this workspace. This cannot be undone.',
          },
          confirm: { type: 'plain_text', text: 'Delete it all' },
          deny: { type: 'plain_text', text: 'Keep it' },
          style: 'danger',
        },
      },
    ],
  });
  blocks.push(
    contextOf(
      'Nothing has been deleted yet. To keep everything, just dismiss this message. The button works for 15 minutes.',
    ),
  );
  return { text: 'Delete everything you wrote in this workspace?', blocks };
}

function contextOf(text: string): KnownBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text }] };
}

/** After the deletion: what went, and whether every message of the app's could be removed too. */
export function buildForgetMeDone(
  data: PersonalData,
  messages: { removed: number; notRemoved: number },
): SlackMessage {
  const words = wordsLines(data);
  const mentions = mentionLines(data);
  const blocks: KnownBlock[] = [section('*Done. What you wrote in this workspace is deleted.*')];
  if (words.length > 0) blocks.push(section(`*Deleted:*\n${words.join('\n')}`));
  if (mentions.length > 0) blocks.push(section(`*Your name came off:*\n${mentions.join('\n')}`));
  const removed = `${count(messages.removed, 'message', 'messages')} of the app’s that carried your words ${messages.removed === 1 ? 'was' : 'were'} removed.`;
  const missed =
    messages.notRemoved > 0
      ? ` ${count(messages.notRemoved, 'message', 'messages')} could not be removed (already gone, or a channel the app can no longer reach); what they showed is no longer stored.`
      : '';
  blocks.push(contextOf(`${removed}${missed} ${STAYS}`));
  return { text: 'Done. What you wrote in this workspace is deleted.', blocks };
}

export const FORGET_ME_EXPIRED =
  'That confirmation has expired, so nothing was deleted. Run `/learning forget-me` again to see what is stored now.';

export const ADMINS_ONLY =
  'Only workspace admins and owners can export or delete a channel’s learning history. Ask one of them if the team needs it.';

export const EXPORT_IN_A_CHANNEL = 'Run this in the channel whose learning history you want.';

function coverage(period: ExportPeriod): string {
  return period.everything ? '' : ` from ${period.from} to ${period.to}`;
}

export function exportSent(
  channelId: string,
  period: ExportPeriod,
  sent: { learningHistory: boolean } = { learningHistory: false },
): string {
  const files = sent.learningHistory
    ? 'a Markdown file to read, a CSV file with one row per record, and a third file that tells it by learning question'
    : 'a Markdown file to read and a CSV file with one row per record';
  return `The learning history of <#${channelId}>${coverage(period)} is in your direct messages with me: ${files}. Nothing was posted in the channel.`;
}

export function exportEmpty(channelId: string, period: ExportPeriod): string {
  return period.everything
    ? `Nothing is stored for <#${channelId}> yet, so there is nothing to export.`
    : `Nothing was written in <#${channelId}>${coverage(period)}, so there is nothing to export.`;
}

/** What someone typed, shown back to them as code: Slack's three control characters escaped, kept short. */
function asTyped(text: string): string {
  const short = text.length > 120 ? `${text.slice(0, 119)}…` : text;
  return short.replace(/`/g, 'ʼ').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** `today` only makes the example: this month so far. */
export function exportPeriodNotRead(typed: string, problem: string, today: string): string {
  const example = `/learning export ${today.slice(0, 8)}01 ${today}`;
  return `I couldn’t read the dates in \`${asTyped(typed)}\`: ${problem}. Give two dates, from and to (both days included), like \`${example}\`, or \`/learning export last 30 days\`; \`/learning export\` alone exports everything. Nothing was exported.`;
}

export const EXPORT_ON_ITS_WAY = 'Here comes the learning history you asked for.';

export const MY_WORDS_NONE =
  'Nothing you wrote is stored in this workspace, so there is nothing to send you.';

export const MY_WORDS_ON_THEIR_WAY = 'Here comes what you wrote, as you asked.';

export const MY_WORDS_FAILED =
  'What you wrote could not be sent just now (nothing was posted anywhere). Please try again in a minute.';

export function myWordsSent(): string {
  return 'What you wrote in this workspace is in your direct messages with me: a Markdown file to read and a CSV file with one row per record.';
}

/** The note above the two files in the person's direct messages. */
export function myWordsComment(day: string, channels: number): string {
  const where = channels === 1 ? 'one channel' : `${channels} channels`;
  return `What you wrote in this workspace, in ${where}, exported ${day}: a Markdown file to read and a CSV file with one row per record. Your anonymous answers are not in them: nothing links them to you.`;
}

export const EXPORT_FAILED =
  'The export could not be delivered just now (nothing was posted anywhere). Please try `/learning export` again in a minute.';

const CHANNEL_LINES: ReadonlyArray<[keyof ChannelData, string, string]> = [
  ['beforeActionReviews', 'before-action review', 'before-action reviews'],
  ['afterActionReviews', 'after-action review', 'after-action reviews'],
  ['perspectives', 'perspective', 'perspectives'],
  ['responses', 'answer', 'answers'],
  ['skips', 'skip', 'skips'],
  ['learningNotes', 'learning note', 'learning notes'],
  ['digests', 'digest', 'digests'],
  ['occurrences', 'prompt and check-in', 'prompts and check-ins'],
  ['learningQuestions', 'learning question', 'learning questions'],
  ['customPrompts', 'channel prompt', 'channel prompts'],
  ['rhythms', 'rhythm', 'rhythms'],
  ['channelSettings', 'channel calendar', 'channel calendars'],
  ['channelStewards', 'steward', 'stewards'],
  ['channelWelcomes', 'welcome record', 'welcome records'],
  ['historyCanvases', 'learning history canvas setting', 'learning history canvas settings'],
  ['lessonSharing', 'lesson sharing setting', 'lesson sharing settings'],
];

function channelLines(data: ChannelData): string[] {
  const named = data.reviewPeople + data.afterActionReviewPeople;
  return listed([
    ...CHANNEL_LINES.map(([key, one, many]): [number, string] => [data[key], count(data[key], one, many)]),
    [named, `${count(named, 'record', 'records')} of who was involved in a review`],
  ]);
}

function totalOf(data: ChannelData): number {
  return Object.values(data).reduce((sum, n) => sum + n, 0);
}

export function buildDeleteChannelConfirm(
  channelId: string,
  data: ChannelData,
  confirmation: Confirmation,
): SlackMessage {
  if (totalOf(data) === 0) {
    const text = `Nothing is stored for <#${channelId}>.`;
    return { text, blocks: [section(text)] };
  }
  return {
    text: `Delete everything stored for #${channelId}?`,
    blocks: [
      section(
        `*Delete everything the app stores for <#${channelId}>?*\n*This will delete:*\n${channelLines(data).join('\n')}`,
      ),
      contextOf(
        'Its rhythms will stop and its digests end. Messages already in the channel stay in Slack. Nothing has been deleted yet. This cannot be undone; to keep everything, just dismiss this message. The button works for 15 minutes.',
      ),
      {
        type: 'actions',
        elements: [
          {
            type: 'button',
            action_id: ACTIONS.deleteChannelData,
            style: 'danger',
            text: { type: 'plain_text', text: 'Delete this channel’s data' },
            value: confirmationValueOf(confirmation),
            confirm: {
              title: { type: 'plain_text', text: 'Delete this channel’s data?' },
              text: {
                type: 'plain_text',
                text: 'Every review, answer, setting and note stored for it will be deleted. This cannot be undone.',
              },
              confirm: { type: 'plain_text', text: 'Delete it all' },
              deny: { type: 'plain_text', text: 'Keep it' },
              style: 'danger',
            },
          },
        ],
      },
    ],
  };
}

export function buildDeleteChannelDone(channelId: string, data: ChannelData): SlackMessage {
  const lines = channelLines(data);
  const text = `Deleted everything stored for <#${channelId}>${lines.length > 0 ? ':' : '.'}`;
  return {
    text: `Deleted everything stored for #${channelId}.`,
    blocks: [section([text, ...lines].join('\n'))],
  };
}

export const DELETE_CHANNEL_EXPIRED =
  'That confirmation has expired, so nothing was deleted. Run `/learning delete-channel-data` again to see what is stored now.';
