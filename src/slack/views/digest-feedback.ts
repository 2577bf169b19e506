import type { ActionsBlock, KnownBlock } from '@slack/types';
import type { DigestTallies, VoteChange } from '../../db/queries/digest-feedback.js';
import { type DigestItemVote, SKIP_REASONS, type SkipReason } from '../../db/schema.js';
import { isUuid } from '../../domain/ids.js';
import { ACTIONS } from '../ids.js';
import { foldMrkdwn, LIMITS } from './text.js';

/** One item of a digest's details that people can say helped or not. */
export type DigestItem =
  | { kind: 'theme'; term: string }
  | { kind: 'challenge'; term: string }
  | { kind: 'surprise'; afterActionId: string }
  | { kind: 'hypothesis'; afterActionId: string }
  | { kind: 'voices' }
  | { kind: 'skips'; reason: SkipReason };

/**
 * The key an item's votes are stored under. Built from what the analysis found rather than where the
 * item sits in the message, so the same theme keeps its key however the details are laid out.
 */
export function digestItemKey(item: DigestItem): string {
  switch (item.kind) {
    case 'theme':
    case 'challenge':
      return `${item.kind}:${item.term}`;
    case 'surprise':
    case 'hypothesis':
      return `${item.kind}:${item.afterActionId}`;
    case 'voices':
      return 'voices';
    case 'skips':
      return `skips:${item.reason}`;
  }
}

/**
 * Keys longer than this get no buttons rather than a shortened key two items could share. Terms are
 * a word or two and ids are uuids, so no real item comes near it; it keeps a button's value (digest id,
 * separator, key) far inside Slack's 2,000 characters.
 */
export const MAX_ITEM_KEY_LENGTH = 500;

const SEPARATOR = '|';

const SKIP_WORDS: Record<SkipReason, string> = {
  not_relevant: 'not relevant',
  no_capacity: 'no capacity',
  not_safe: 'not safe to say',
  other: 'another reason',
};

function isItemKey(key: string): boolean {
  if (key.length === 0 || key.length > MAX_ITEM_KEY_LENGTH) return false;
  if (key === 'voices') return true;
  const at = key.indexOf(':');
  const kind = key.slice(0, at);
  const rest = key.slice(at + 1);
  if (at < 0 || rest.length === 0) return false;
  if (kind === 'skips') return (SKIP_REASONS as readonly string[]).includes(rest);
  return ['theme', 'challenge', 'surprise', 'hypothesis'].includes(kind);
}

/** "<digest id>|<item key>": the digest the click is about and which of its items. */
export function feedbackValue(digestId: string, itemKey: string): string {
  return `${digestId}${SEPARATOR}${itemKey}`;
}

/** The digest and item a button names, or undefined for anything the details never carried. */
export function parseFeedbackValue(value: string): { digestId: string; itemKey: string } | undefined {
  const at = value.indexOf(SEPARATOR);
  if (at < 0) return undefined;
  const digestId = value.slice(0, at);
  const itemKey = value.slice(at + 1);
  return isUuid(digestId) && isItemKey(itemKey) ? { digestId, itemKey } : undefined;
}

/** "Useful" and "Not useful" under one item; undefined when the item cannot carry them. */
export function feedbackButtons(digestId: string, itemKey: string): ActionsBlock | undefined {
  if (!isItemKey(itemKey)) return undefined;
  const value = feedbackValue(digestId, itemKey);
  return {
    type: 'actions',
    elements: [
      {
        type: 'button',
        action_id: ACTIONS.digestItemUseful,
        text: { type: 'plain_text', text: 'Useful' },
        value,
      },
      {
        type: 'button',
        action_id: ACTIONS.digestItemNotUseful,
        text: { type: 'plain_text', text: 'Not useful' },
        value,
      },
    ],
  };
}

function isFeedback(block: KnownBlock): boolean {
  return (
    block.type === 'actions' &&
    block.elements.some(
      (element) =>
        'action_id' in element &&
        (element.action_id === ACTIONS.digestItemUseful || element.action_id === ACTIONS.digestItemNotUseful),
    )
  );
}

/**
 * Keeps a message within Slack's block limit. Buttons go first, from the last item up, so the evidence
 * stays whole and the first items keep theirs; only then is anything else cut.
 */
export function withinMessageBlocks(blocks: readonly KnownBlock[], limit: number = LIMITS.messageBlocks) {
  const kept = [...blocks];
  for (let index = kept.length - 1; kept.length > limit && index >= 0; index -= 1)
    if (isFeedback(kept[index] as KnownBlock)) kept.splice(index, 1);
  return kept.slice(0, limit);
}

/** An item in words, for the person who voted and for the preview: "the theme “handover”". */
export function describeDigestItem(itemKey: string): string {
  if (itemKey === 'voices') return 'the trend in voices';
  const at = itemKey.indexOf(':');
  const kind = itemKey.slice(0, at);
  const rest = foldMrkdwn(itemKey.slice(at + 1), 80);
  switch (kind) {
    case 'theme':
      return `the theme “${rest}”`;
    case 'challenge':
      return `the challenge “${rest}”`;
    case 'surprise':
      return 'a surprise';
    case 'hypothesis':
      return 'a closed hypothesis';
    case 'skips':
      return `the rise in “${SKIP_WORDS[rest as SkipReason] ?? rest}” skips`;
    default:
      return 'an item';
  }
}

/** The note only the person who clicked sees. It never says how anyone else voted. */
export function voteThanks(change: VoteChange, vote: DigestItemVote, itemKey: string): string {
  const item = describeDigestItem(itemKey);
  const as = vote === 'useful' ? 'useful' : 'not useful';
  switch (change) {
    case 'recorded':
      return `Thanks: ${item} is counted as ${as}. Votes are only ever counted, never shown with names.`;
    case 'changed':
      return `Thanks: ${item} is now counted as ${as}.`;
    case 'unchanged':
      return `You had already said ${item} was ${as}; nothing changed.`;
  }
}

/**
 * One line for the preview on how the last digest's items were received, or undefined before the
 * first digest. Counts only.
 */
export function lastDigestFeedbackLine(tallies: DigestTallies | undefined): string | undefined {
  if (!tallies) return undefined;
  const useful = tallies.items.reduce((sum, item) => sum + item.useful, 0);
  const notUseful = tallies.items.reduce((sum, item) => sum + item.notUseful, 0);
  if (useful + notUseful === 0) return '*Last digest:* nobody has said yet whether its items helped.';
  const most = [...tallies.items].sort(
    (left, right) => right.useful - left.useful || left.itemKey.localeCompare(right.itemKey),
  )[0];
  const mostUseful =
    most && most.useful > 0 ? ` Most useful: ${describeDigestItem(most.itemKey)} (${most.useful}).` : '';
  return `*Last digest:* ${useful} ${useful === 1 ? 'vote' : 'votes'} “useful”, ${notUseful} “not useful”.${mostUseful}`;
}
