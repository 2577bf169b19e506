import { z } from 'zod';
import type { AarDraft, AarField } from '../../domain/after-action.js';
import { AAR_INPUTS, CALLBACKS } from '../ids.js';
import { readState, STATE, type StateValues } from '../views/state.js';
import { errorsUnder, type FormCodec } from './codec.js';

export const aarModalMetadataSchema = z.object({
  /** The before-action review being looked back on; absent for a review without one. */
  reviewId: z.uuid().optional(),
  /** Set when an existing after-action review is being edited. */
  editId: z.uuid().optional(),
  channelId: z.string().max(40).optional(),
});
export type AarModalMetadata = z.infer<typeof aarModalMetadataSchema>;

/**
 * A fixed channel (the before-action review's, or the edited review's) wins over whatever was selected; a
 * form that did not ask where to share goes to `defaultChannelId`.
 */
export function readAarModal(
  values: StateValues,
  fixedChannelId: string | null,
  defaultChannelId: string | null = null,
): AarDraft {
  const text = (field: keyof typeof AAR_INPUTS) =>
    readState(values, AAR_INPUTS[field], STATE.text)?.value ?? '';
  return {
    intended: text('intended'),
    whatHappened: text('whatHappened'),
    whyDifferent: text('whyDifferent'),
    sustain: text('sustain'),
    change: text('change'),
    verdict: readState(values, AAR_INPUTS.verdict, STATE.option)?.selected_option?.value ?? null,
    revisedHypothesis: text('revisedHypothesis'),
    people: readState(values, AAR_INPUTS.people, STATE.users)?.selected_users ?? [],
    channelId:
      fixedChannelId ??
      (readState(values, AAR_INPUTS.channelId, STATE.conversation)?.selected_conversation ||
        defaultChannelId),
    questionId: readState(values, AAR_INPUTS.questionId, STATE.option)?.selected_option?.value ?? null,
  };
}

const blockOf = (field: AarField): string => AAR_INPUTS[field].block;

export function aarErrorsByBlock(errors: Partial<Record<AarField, string>>): Record<string, string> {
  return errorsUnder(blockOf, errors);
}

export const aarForm: FormCodec<AarModalMetadata, AarDraft, AarField> = {
  callbackId: CALLBACKS.aarModal,
  metadata: aarModalMetadataSchema,
  // Which channel is fixed depends on stored reviews: the service settles it.
  read: (values, metadata) => readAarModal(values, null, metadata.channelId ?? null),
  blockOf,
  firstField: () => 'whatHappened',
  words: {
    unreadable: 'This form could not be read. Copy your answers somewhere safe, then start again.',
    notSaved: 'Saving failed just now. Your answers are still here: press the button again.',
  },
};
