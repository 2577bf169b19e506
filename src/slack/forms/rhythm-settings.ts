import {
  CONFIGURABLE_RHYTHMS,
  type RhythmSettingsDraft,
  type RhythmSettingsField,
} from '../../domain/rhythm-settings.js';
import { CALLBACKS, RHYTHM_INPUTS, rhythmInput } from '../ids.js';
import { readState, STATE, type StateValues } from '../views/state.js';
import { type ChannelSettingsMetadata, channelSettingsMetadataSchema } from './channel-settings.js';
import { errorsUnder, type FormCodec } from './codec.js';

const dayNumbers = (options: Array<{ value: string }> | null | undefined) =>
  (options ?? []).map((option) => Number(option.value)).filter(Number.isInteger);

export function readRhythmModal(values: StateValues): RhythmSettingsDraft {
  const rhythms = {} as RhythmSettingsDraft['rhythms'];
  for (const kind of CONFIGURABLE_RHYTHMS) {
    rhythms[kind] = {
      enabled: (readState(values, rhythmInput(kind, 'on'), STATE.options)?.selected_options ?? []).some(
        (option) => option.value === 'on',
      ),
      days: dayNumbers(readState(values, rhythmInput(kind, 'days'), STATE.options)?.selected_options),
      localTime: readState(values, rhythmInput(kind, 'time'), STATE.time)?.selected_time ?? null,
    };
  }
  return {
    timeZone: readState(values, RHYTHM_INPUTS.timeZone, STATE.text)?.value ?? '',
    workDays: dayNumbers(readState(values, RHYTHM_INPUTS.workDays, STATE.options)?.selected_options),
    pauseUntil: readState(values, RHYTHM_INPUTS.pauseUntil, STATE.date)?.selected_date ?? null,
    skipDatesText: readState(values, RHYTHM_INPUTS.skipDates, STATE.text)?.value ?? '',
    rhythms,
  };
}

/** `<kind>.<part>` names one rhythm's input; the rest are the channel calendar's own inputs. */
const blockOf = (field: RhythmSettingsField): string => {
  const [kind, part] = field.split('.') as [string, 'on' | 'days' | 'time' | undefined];
  return part ? rhythmInput(kind, part).block : RHYTHM_INPUTS[field as keyof typeof RHYTHM_INPUTS].block;
};

export function rhythmErrorsByBlock(
  errors: Partial<Record<RhythmSettingsField, string>>,
): Record<string, string> {
  return errorsUnder(blockOf, errors);
}

export const rhythmSettingsForm: FormCodec<
  ChannelSettingsMetadata,
  RhythmSettingsDraft,
  RhythmSettingsField
> = {
  callbackId: CALLBACKS.rhythmSettings,
  metadata: channelSettingsMetadataSchema,
  read: readRhythmModal,
  blockOf,
  firstField: () => 'timeZone',
  words: {
    unreadable: 'This form could not be read. Close it and run the command again in the channel.',
    notSaved: 'Saving failed just now. Your choices are still here: press Save again.',
  },
};
