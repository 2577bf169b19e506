import { CALLBACKS, STEWARD_INPUTS } from '../ids.js';
import { readState, STATE, type StateValues } from '../views/state.js';
import { type ChannelSettingsMetadata, channelSettingsMetadataSchema } from './channel-settings.js';
import type { FormCodec } from './codec.js';

const USER_ID = /^[UW][A-Z0-9]+$/;

export interface StewardsDraft {
  /** The people chosen besides whoever set the channel up. */
  added: string[];
}

/** The people chosen, once each; anything that is not a user id is dropped. */
export function readStewardsModal(values: StateValues): StewardsDraft {
  const selected = readState(values, STEWARD_INPUTS.added, STATE.users)?.selected_users ?? [];
  return { added: [...new Set(selected.filter((id) => USER_ID.test(id)))] };
}

export const stewardsForm: FormCodec<ChannelSettingsMetadata, StewardsDraft, keyof StewardsDraft> = {
  callbackId: CALLBACKS.channelStewards,
  metadata: channelSettingsMetadataSchema,
  read: readStewardsModal,
  blockOf: (field) => STEWARD_INPUTS[field].block,
  firstField: () => 'added',
  words: {
    unreadable: 'This form could not be read. Close it and run /learning stewards again in the channel.',
    notSaved: 'Saving failed just now. Your choices are still here: press Save again.',
  },
};
