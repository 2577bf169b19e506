import { CALLBACKS, PROMPT_INPUTS } from '../ids.js';
import { readState, STATE, type StateValues } from '../views/state.js';
import { type ChannelSettingsMetadata, channelSettingsMetadataSchema } from './channel-settings.js';
import type { FormCodec } from './codec.js';

/** The channel's own prompts to add, one a line, and the ids of those to retire. */
export interface PromptsDraft {
  add: string[];
  retire: string[];
}

export function readPromptsModal(values: StateValues): PromptsDraft {
  const added = readState(values, PROMPT_INPUTS.add, STATE.text)?.value ?? '';
  return {
    add: added
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean),
    retire: (readState(values, PROMPT_INPUTS.retire, STATE.options)?.selected_options ?? []).map(
      (option) => option.value,
    ),
  };
}

export const promptsForm: FormCodec<ChannelSettingsMetadata, PromptsDraft, keyof PromptsDraft> = {
  callbackId: CALLBACKS.channelPrompts,
  metadata: channelSettingsMetadataSchema,
  read: readPromptsModal,
  blockOf: (field) => PROMPT_INPUTS[field].block,
  firstField: () => 'add',
  words: {
    unreadable: 'This form could not be read. Close it and run the command again in the channel.',
    notSaved: 'Saving failed just now. Your choices are still here: press Save again.',
  },
};
