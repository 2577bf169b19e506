import type { KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import type { PerspectiveTarget } from '../../db/schema.js';
import { MAX_ANSWER_LENGTH } from '../../domain/review.js';
import type { PerspectiveMetadata } from '../forms/perspective.js';
import { CALLBACKS, PERSPECTIVE_INPUTS } from '../ids.js';
import type { SlackMessage } from './message.js';
import { ownerMenu } from './review-controls.js';
import { foldMrkdwn, foldPlain } from './text.js';

/** Everyone answers the same questions as the review itself: "speak in rounds". */
export const PERSPECTIVE_QUESTIONS: Record<PerspectiveTarget, ReadonlyArray<[string, string]>> = {
  before: [
    ['intendedResults', 'What results do you intend, and how will you know?'],
    ['anticipatedChallenges', 'What challenges do you anticipate?'],
    ['lessonsFromBefore', 'What have you learned from similar situations?'],
    ['successFactors', 'What will make us successful this time?'],
  ],
  after: [
    ['whatHappened', 'What actually happened, as you saw it?'],
    ['whyDifferent', 'Why was there a difference?'],
    ['sustain', 'What should we sustain?'],
    ['change', 'What should we change?'],
  ],
};

const ANONYMOUS_OPTION: PlainTextOption = {
  text: { type: 'plain_text', text: 'Share this anonymously: no name or user id is kept' },
  value: 'anonymous',
};

export function buildPerspectiveModal(input: {
  metadata: PerspectiveMetadata;
  subject: string;
  initial?: Record<string, string>;
  allowAnonymous: boolean;
  /** Shown above the questions, e.g. when a colleague's review arrived first; already-safe mrkdwn. */
  notice?: string;
}): ModalView {
  const blocks: KnownBlock[] = [];
  // The notice is the app's own mrkdwn (a mention of who got there first), never text a person wrote.
  if (input.notice)
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: input.notice.slice(0, 2000) } });
  blocks.push({
    type: 'context',
    elements: [
      { type: 'mrkdwn', text: `Your view of: ${foldMrkdwn(input.subject, 300)}. Answer any you like.` },
    ],
  });
  for (const [key, label] of PERSPECTIVE_QUESTIONS[input.metadata.target]) {
    const ids = PERSPECTIVE_INPUTS.answer(key);
    const initial = input.initial?.[key];
    blocks.push({
      type: 'input',
      block_id: ids.block,
      optional: true,
      label: { type: 'plain_text', text: label },
      element: {
        type: 'plain_text_input',
        action_id: ids.action,
        multiline: true,
        max_length: MAX_ANSWER_LENGTH,
        ...(initial ? { initial_value: foldPlain(initial, MAX_ANSWER_LENGTH) } : {}),
      },
    });
  }
  if (input.allowAnonymous && !input.metadata.editId) {
    blocks.push({
      type: 'input',
      block_id: PERSPECTIVE_INPUTS.anonymous.block,
      optional: true,
      label: { type: 'plain_text', text: 'Anonymity' },
      element: {
        type: 'checkboxes',
        action_id: PERSPECTIVE_INPUTS.anonymous.action,
        options: [ANONYMOUS_OPTION],
      },
    });
  }
  return {
    type: 'modal',
    callback_id: CALLBACKS.perspectiveModal,
    private_metadata: JSON.stringify(input.metadata),
    title: { type: 'plain_text', text: input.metadata.editId ? 'Edit my perspective' : 'Add my perspective' },
    submit: { type: 'plain_text', text: 'Share' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks,
  };
}

export function buildPerspectiveMessage(perspective: {
  id: string;
  target: PerspectiveTarget;
  userId: string | null;
  answers: Record<string, string>;
}): SlackMessage {
  const who = perspective.userId ? `Perspective from <@${perspective.userId}>` : 'An anonymous perspective';
  const fields = PERSPECTIVE_QUESTIONS[perspective.target]
    .filter(([key]) => perspective.answers[key])
    .map(([key, label]) => ({
      type: 'mrkdwn' as const,
      text: `*${label}*\n${foldMrkdwn(perspective.answers[key] ?? '', 1800)}`,
    }));
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      text: { type: 'mrkdwn', text: `:speech_balloon: *${who}*` },
      // Anonymous perspectives have no owner who could be checked, so nobody gets their menu.
      ...(perspective.userId ? { accessory: ownerMenu('perspective', perspective.id) } : {}),
    },
    ...(fields.length > 0 ? [{ type: 'section' as const, fields }] : []),
  ];
  return { text: who, blocks };
}
