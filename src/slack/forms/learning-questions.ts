import type { QuestionChange, QuestionField } from '../../domain/questions.js';
import { CALLBACKS, QUESTION_INPUTS } from '../ids.js';
import { readState, STATE, type StateValues } from '../views/state.js';
import { type ChannelSettingsMetadata, channelSettingsMetadataSchema } from './channel-settings.js';
import { errorsUnder, type FormCodec } from './codec.js';

/** What the form sent back, before it is matched against the questions that are active now. */
export interface QuestionsDraft {
  /** Each question input that came back, by question id; an input sent back empty is an empty string. */
  reworded: ReadonlyMap<string, string>;
  retire: string[];
  add: string[];
}

const EXISTING_PREFIX = QUESTION_INPUTS.existing('').block;

export function readQuestionsDraft(values: StateValues): QuestionsDraft {
  const reworded = new Map<string, string>();
  for (const block of Object.keys(values)) {
    if (!block.startsWith(EXISTING_PREFIX)) continue;
    const id = block.slice(EXISTING_PREFIX.length);
    const state = readState(values, QUESTION_INPUTS.existing(id), STATE.text);
    // An input Slack sent back empty arrives as null: the person cleared it.
    if (state) reworded.set(id, (state.value ?? '').trim());
  }
  const added = readState(values, QUESTION_INPUTS.add, STATE.text)?.value ?? '';
  return {
    reworded,
    retire: (readState(values, QUESTION_INPUTS.retire, STATE.options)?.selected_options ?? []).map(
      (option) => option.value,
    ),
    add: added
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean),
  };
}

/**
 * What the form asks for. Only the inputs of questions that are active count, so a block id made up by
 * the client cannot name someone else's question.
 */
export function changeAmong(draft: QuestionsDraft, activeIds: readonly string[]): QuestionChange {
  const reword: QuestionChange['reword'] = [];
  for (const id of activeIds) {
    const text = draft.reworded.get(id);
    if (text !== undefined) reword.push({ id, text });
  }
  return { reword, retire: draft.retire, add: draft.add };
}

export function readQuestionsModal(values: StateValues, activeIds: readonly string[]): QuestionChange {
  return changeAmong(readQuestionsDraft(values), activeIds);
}

const blockOf = (field: QuestionField): string =>
  field.startsWith('existing:')
    ? QUESTION_INPUTS.existing(field.slice('existing:'.length)).block
    : QUESTION_INPUTS[field as 'add' | 'retire'].block;

/** The domain's field errors, under the inputs they are about. */
export function questionErrorsByBlock(
  errors: Partial<Record<QuestionField, string>>,
): Record<string, string> {
  return errorsUnder(blockOf, errors);
}

export const questionsForm: FormCodec<ChannelSettingsMetadata, QuestionsDraft, QuestionField> = {
  callbackId: CALLBACKS.learningQuestions,
  metadata: channelSettingsMetadataSchema,
  read: readQuestionsDraft,
  blockOf,
  firstField: () => 'add',
  words: {
    unreadable: 'This form could not be read. Close it and run /learning questions again in the channel.',
    notSaved: 'Saving failed just now. Your questions are still here: press Save again.',
  },
};
