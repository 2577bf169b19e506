import { z } from 'zod';
import type { BarDraft, BarField } from '../../domain/review.js';
import { BAR_EXTRA_INPUTS, BAR_INPUTS, CALLBACKS } from '../ids.js';
import { readState, STATE, type StateValues } from '../views/state.js';
import { errorsUnder, type FormCodec } from './codec.js';

export const barModalMetadataSchema = z.object({
  timeZone: z.string().max(64),
  editReviewId: z.uuid().optional(),
  fromAfterActionReviewId: z.uuid().optional(),
  /** Where the summary goes when the form does not ask: the channel /bar was typed in, or the edited review's. */
  channelId: z.string().max(40).optional(),
});
export type BarModalMetadata = z.infer<typeof barModalMetadataSchema>;

/** The optional extras beside the review itself: a learning question and a pre-action check-in date. */
export interface BarExtras {
  questionId: string | null;
  checkInOn: string | null;
}

export type BarFormDraft = BarDraft & BarExtras;
export type BarFormField = keyof BarFormDraft;

type TextField = Exclude<BarField, 'lookBackOn' | 'people' | 'channelId'>;

const TEXT_INPUTS: Record<TextField, { block: string; action: string }> = {
  action: BAR_INPUTS.action,
  intendedResults: BAR_INPUTS.intendedResults,
  hypothesis: BAR_INPUTS.hypothesis,
  anticipatedChallenges: BAR_INPUTS.anticipatedChallenges,
  lessonsFromBefore: BAR_INPUTS.lessonsFromBefore,
  successFactors: BAR_INPUTS.successFactors,
};

/** Where each answer is typed, and so where a problem with it is shown. */
export const BAR_FIELD_INPUTS: Record<BarFormField, { block: string; action: string }> = {
  ...TEXT_INPUTS,
  lookBackOn: BAR_INPUTS.lookBackOn,
  people: BAR_INPUTS.people,
  channelId: BAR_INPUTS.channelId,
  questionId: BAR_EXTRA_INPUTS.questionId,
  checkInOn: BAR_EXTRA_INPUTS.checkInOn,
};

/**
 * Reads the modal's state into a draft; tolerant of missing or malformed blocks so validation can explain.
 * A form that was not asked where to share goes to `defaultChannelId`.
 */
export function readBarModal(values: StateValues, defaultChannelId: string | null = null): BarDraft {
  const text = (field: TextField) => readState(values, TEXT_INPUTS[field], STATE.text)?.value ?? '';
  return {
    action: text('action'),
    intendedResults: text('intendedResults'),
    hypothesis: text('hypothesis'),
    anticipatedChallenges: text('anticipatedChallenges'),
    lessonsFromBefore: text('lessonsFromBefore'),
    successFactors: text('successFactors'),
    lookBackOn: readState(values, BAR_INPUTS.lookBackOn, STATE.date)?.selected_date ?? null,
    people: readState(values, BAR_INPUTS.people, STATE.users)?.selected_users ?? [],
    channelId:
      readState(values, BAR_INPUTS.channelId, STATE.conversation)?.selected_conversation || defaultChannelId,
  };
}

export function readBarExtras(values: StateValues): BarExtras {
  return {
    questionId: readState(values, BAR_EXTRA_INPUTS.questionId, STATE.option)?.selected_option?.value ?? null,
    checkInOn: readState(values, BAR_EXTRA_INPUTS.checkInOn, STATE.date)?.selected_date ?? null,
  };
}

const blockOf = (field: BarFormField): string => BAR_FIELD_INPUTS[field].block;

/** Maps validation errors onto the block each one belongs under. */
export function barErrorsByBlock(errors: Partial<Record<BarFormField, string>>): Record<string, string> {
  return errorsUnder(blockOf, errors);
}

export const barForm: FormCodec<BarModalMetadata, BarFormDraft, BarFormField> = {
  callbackId: CALLBACKS.barModal,
  metadata: barModalMetadataSchema,
  read: (values, metadata) => ({
    ...readBarModal(values, metadata.channelId ?? null),
    ...readBarExtras(values),
  }),
  blockOf,
  // Shown under the first field so the modal stays open with every answer still in it.
  firstField: () => 'action',
  words: {
    unreadable: 'This form could not be read. Copy your answers somewhere safe, then run /bar again.',
    notSaved: 'Saving failed just now. Your answers are still here: press “Save and share” again.',
  },
};
