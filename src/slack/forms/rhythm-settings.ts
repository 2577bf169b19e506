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
    const days = dayNumbers(readState(values, rhythmInput(kind, 'days'), STATE.options)?.selected_options);
    // A rhythm with no days chosen is off: the form has no other switch.
    rhythms[kind] = {
      enabled: days.length > 0,
      days,
      localTime: readState(values, rhythmInput(kind, 'time'), STATE.time)?.selected_time ?? null,
    };
  }
  return {
    timeZone: readState(values, RHYTHM_INPUTS.timeZone, STATE.option)?.selected_option?.value ?? '',
    workDays: dayNumbers(readState(values, RHYTHM_INPUTS.workDays, STATE.options)?.selected_options),
    pauseUntil: readState(values, RHYTHM_INPUTS.pauseUntil, STATE.date)?.selected_date ?? null,
    skipDatesText: readState(values, RHYTHM_INPUTS.skipDates, STATE.text)?.value ?? '',
    rhythms,
  };
}

/** `<kind>.<part>` names one rhythm's input; the rest are the channel calendar's own inputs. */
const blockOf = (field: RhythmSettingsField): string => {
  const [kind, part] = field.split('.') as [string, 'days' | 'time' | undefined];
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
