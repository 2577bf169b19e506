import { z } from 'zod';
import { CALLBACKS, PROMPT_ANSWER_INPUTS, QUOTABLE_VALUE } from '../ids.js';
import { CONFIRMATIONS } from '../views/prompt.js';
import { readState, STATE, type StateValues } from '../views/state.js';
import type { FormCodec } from './codec.js';

/** What the answer form carries for itself: the prompt it answers, and how. */
export const answerMetadataSchema = z.object({
  occurrenceId: z.uuid(),
  mode: z.enum(['private', 'anonymous']),
  /** Opened from the Home tab with a channel picked there: the tab is drawn again with it after an edit. */
  homeChannelId: z.string().max(30).optional(),
});
export type AnswerMetadata = z.infer<typeof answerMetadataSchema>;

/** A private or anonymous answer to a prompt, as the form sent it back. */
export interface PromptAnswerDraft {
  text: string;
  questionId: string | null;
  /** A private answer's author allowed it to be quoted, without their name, in the digest. */
  quotable: boolean;
}

const BLOCKS: Record<keyof PromptAnswerDraft, string> = {
  text: PROMPT_ANSWER_INPUTS.answer.block,
  questionId: PROMPT_ANSWER_INPUTS.questionId.block,
  quotable: PROMPT_ANSWER_INPUTS.quotable.block,
};

export function readAnswerModal(values: StateValues): PromptAnswerDraft {
  return {
    text: readState(values, PROMPT_ANSWER_INPUTS.answer, STATE.text)?.value ?? '',
    questionId:
      readState(values, PROMPT_ANSWER_INPUTS.questionId, STATE.option)?.selected_option?.value ?? null,
    quotable: (readState(values, PROMPT_ANSWER_INPUTS.quotable, STATE.options)?.selected_options ?? []).some(
      (option) => option.value === QUOTABLE_VALUE,
    ),
  };
}

export const promptAnswerForm: FormCodec<AnswerMetadata, PromptAnswerDraft, keyof PromptAnswerDraft> = {
  callbackId: CALLBACKS.promptAnswer,
  metadata: answerMetadataSchema,
  read: readAnswerModal,
  blockOf: (field) => BLOCKS[field],
  firstField: () => 'text',
  words: {
    // The form names its prompt only in its metadata: without it, the prompt is as good as gone.
    unreadable: CONFIRMATIONS.gone,
    notSaved: 'Saving failed just now. Your answer is still here: press Save again.',
  },
};
