import type { ActionsBlockElement, ContextBlock, KnownBlock, Overflow } from '@slack/types';
import { isUuid } from '../../domain/ids.js';
import { ACTIONS, CALLBACKS } from '../ids.js';

/** What a menu or button acts on: a before-action review, an after-action review, or a perspective. */
export type ReviewThing = 'before' | 'after' | 'perspective';

export const THING_NAMES: Record<ReviewThing, string> = {
  before: 'before-action review',
  after: 'after-action review',
  perspective: 'perspective',
};

/** "edit:before:<uuid>": what to do, to which kind of thing, and which one. */
export function menuValue(verb: 'edit' | 'delete', thing: ReviewThing, id: string): string {
  return `${verb}:${thing}:${id}`;
}

export function parseMenuValue(
  value: string,
): { verb: 'edit' | 'delete'; thing: ReviewThing; id: string } | undefined {
  const match = /^(edit|delete):(before|after|perspective):(.+)$/.exec(value);
  if (!match || !isUuid(match[3] as string)) return undefined;
  return { verb: match[1] as 'edit' | 'delete', thing: match[2] as ReviewThing, id: match[3] as string };
}

/** The "…" menu on anything a person wrote: only its author may use it, which the listener checks. */
export function ownerMenu(thing: ReviewThing, id: string): Overflow {
  return {
    type: 'overflow',
    action_id: ACTIONS.reviewMenu,
    options: [
      { text: { type: 'plain_text', text: 'Edit' }, value: menuValue('edit', thing, id) },
      { text: { type: 'plain_text', text: 'Delete' }, value: menuValue('delete', thing, id) },
    ],
  };
}

export function addPerspectiveButton(thing: 'before' | 'after', id: string): ActionsBlockElement {
  return {
    type: 'button',
    action_id: ACTIONS.addPerspective,
    text: { type: 'plain_text', text: 'Add my perspective' },
    value: `${thing}:${id}`,
  };
}

export interface Voices {
  /** People involved who have given their view (the author counts: the review is theirs). */
  added: number;
  involved: number;
  anonymous: number;
}

/** "3 of 4 people involved have added theirs": breadth of voices, never a list of who is missing. */
export function voicesLine(voices: Voices): ContextBlock {
  const named = `${voices.added} of ${voices.involved} ${voices.involved === 1 ? 'person' : 'people'} involved ${voices.added === 1 ? 'has' : 'have'} added theirs`;
  const anonymous =
    voices.anonymous > 0
      ? `, plus ${voices.anonymous} anonymous ${voices.anonymous === 1 ? 'perspective' : 'perspectives'}`
      : '';
  return { type: 'context', elements: [{ type: 'mrkdwn', text: `:speech_balloon: ${named}${anonymous}` }] };
}

/** What goes with each kind of thing, said before the click so nobody learns it after. */
const DELETED_WITH_IT: Record<ReviewThing, string> = {
  before:
    'Its perspectives, its check-ins and the answers given to them are deleted with it, and its message in the channel will say it was deleted. An after-action review of it is kept.',
  after:
    'Its perspectives are deleted with it, and its message in the channel will say it was deleted. A before-action review it looked back on opens again, waiting for a look-back.',
  perspective:
    'Its message in the review’s thread is removed, and the count of perspectives goes down by one.',
};

export function buildDeleteConfirm(thing: ReviewThing, id: string) {
  return {
    type: 'modal' as const,
    callback_id: CALLBACKS.confirmDelete,
    private_metadata: JSON.stringify({ thing, id }),
    title: { type: 'plain_text' as const, text: 'Delete' },
    submit: { type: 'plain_text' as const, text: 'Delete' },
    close: { type: 'plain_text' as const, text: 'Keep it' },
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `Delete this ${THING_NAMES[thing]}? ${DELETED_WITH_IT[thing]} This cannot be undone.`,
        },
      },
    ] satisfies KnownBlock[],
  };
}

/** What a deleted message becomes, so the thread still makes sense to those who saw it. */
export function deletedNotice(thing: ReviewThing) {
  const text = `_This ${THING_NAMES[thing]} was deleted by its author._`;
  return { text, blocks: [{ type: 'context', elements: [{ type: 'mrkdwn', text }] }] satisfies KnownBlock[] };
}
