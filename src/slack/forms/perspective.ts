import { z } from 'zod';
import type { PerspectiveTarget } from '../../db/schema.js';
import { CALLBACKS, PERSPECTIVE_INPUTS } from '../ids.js';
import { PERSPECTIVE_QUESTIONS } from '../views/perspectives.js';
import { readState, STATE, type StateValues } from '../views/state.js';
import type { FormCodec } from './codec.js';

export const perspectiveMetadataSchema = z.object({
  target: z.enum(['before', 'after']),
  id: z.uuid(),
  editId: z.uuid().optional(),
});
export type PerspectiveMetadata = z.infer<typeof perspectiveMetadataSchema>;

/** The answers given, by question key, and whether the person asked to stay anonymous. */
export interface PerspectiveDraft {
  answers: Record<string, string>;
  anonymous: boolean;
}

/** A question key of the review's kind, whose input an error is shown under. */
export type PerspectiveField = string;

export function readPerspectiveModal(values: StateValues, target: PerspectiveTarget): PerspectiveDraft {
  const answers: Record<string, string> = {};
  for (const [key] of PERSPECTIVE_QUESTIONS[target]) {
    const text = (readState(values, PERSPECTIVE_INPUTS.answer(key), STATE.text)?.value ?? '').trim();
    if (text) answers[key] = text;
  }
  const chosen = readState(values, PERSPECTIVE_INPUTS.anonymous, STATE.options)?.selected_options ?? [];
  const anonymous = chosen.some((option) => option.value === 'anonymous');
  return { answers, anonymous };
}

export const perspectiveForm: FormCodec<PerspectiveMetadata, PerspectiveDraft, PerspectiveField> = {
  callbackId: CALLBACKS.perspectiveModal,
  metadata: perspectiveMetadataSchema,
  read: (values, metadata) => readPerspectiveModal(values, metadata.target),
  blockOf: (key) => PERSPECTIVE_INPUTS.answer(key).block,
  // Unreadable metadata leaves the kind of review unknown; the form then shows the first question it knows.
  firstField: (metadata) => PERSPECTIVE_QUESTIONS[metadata?.target ?? 'before'][0]?.[0] ?? '',
  words: {
    unreadable: 'This form could not be read. Copy your answers somewhere safe, then start again.',
    notSaved: 'Saving failed just now. Your answers are still here: press the button again.',
  },
};
