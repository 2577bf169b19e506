import { z } from 'zod';
import type { BarDraft, BarField } from '../../domain/review.js';
import { BAR_EXTRA_INPUTS, BAR_INPUTS, CALLBACKS } from '../ids.js';
import { readState, STATE, type StateValues } from '../views/state.js';
import { errorsUnder, type FormCodec } from './codec.js';

export const barModalMetadataSchema = z.object({
  timeZone: z.string().max(64),
  editReviewId: z.uuid().optional(),
  fromAfterActionReviewId: z.uuid().optional(),
});
export type BarModalMetadata = z.infer<typeof barModalMetadataSchema>;

/** The optional extras beside the review itself: a learning question and a pre-action check-in date. */
export interface BarExtras {
  questionId: string | null;
  checkInOn: string | null;
}

export type BarFormDraft = BarDraft & BarExtras;
export type BarFormField = keyof BarFormDraft;

/** Reads the modal's state into a draft; tolerant of missing or malformed blocks so validation can explain. */
export function readBarModal(values: StateValues): BarDraft {
  const text = (field: keyof typeof BAR_INPUTS) =>
    readState(values, BAR_INPUTS[field], STATE.text)?.value ?? '';
  return {
    action: text('action'),
    intendedResults: text('intendedResults'),
    anticipatedChallenges: text('anticipatedChallenges'),
    lessonsFromBefore: text('lessonsFromBefore'),
    successFactors: text('successFactors'),
    hypothesisIf: text('hypothesisIf'),
    hypothesisThen: text('hypothesisThen'),
    hypothesisBecause: text('hypothesisBecause'),
    lookBackOn: readState(values, BAR_INPUTS.lookBackOn, STATE.date)?.selected_date ?? null,
    people: readState(values, BAR_INPUTS.people, STATE.users)?.selected_users ?? [],
    channelId: readState(values, BAR_INPUTS.channelId, STATE.conversation)?.selected_conversation ?? null,
  };
}

export function readBarExtras(values: StateValues): BarExtras {
  return {
    questionId: readState(values, BAR_EXTRA_INPUTS.questionId, STATE.option)?.selected_option?.value ?? null,
    checkInOn: readState(values, BAR_EXTRA_INPUTS.checkInOn, STATE.date)?.selected_date ?? null,
  };
}

const blockOf = (field: BarFormField): string =>
  field in BAR_EXTRA_INPUTS
    ? BAR_EXTRA_INPUTS[field as keyof BarExtras].block
    : BAR_INPUTS[field as BarField].block;

/** Maps validation errors onto the block each one belongs under. */
export function barErrorsByBlock(errors: Partial<Record<BarField, string>>): Record<string, string> {
  return errorsUnder(blockOf, errors);
}

export const barForm: FormCodec<BarModalMetadata, BarFormDraft, BarFormField> = {
  callbackId: CALLBACKS.barModal,
  metadata: barModalMetadataSchema,
  read: (values) => ({ ...readBarModal(values), ...readBarExtras(values) }),
  blockOf,
  // Shown under the first field so the modal stays open with every answer still in it.
  firstField: () => 'action',
  words: {
    unreadable: 'This form could not be read. Copy your answers somewhere safe, then run /bar again.',
    notSaved: 'Saving failed just now. Your answers are still here: press “Save and share” again.',
  },
};
