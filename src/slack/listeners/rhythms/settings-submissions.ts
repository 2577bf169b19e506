import type { ServiceDeps } from '../../../services/deps.js';
import { savePrompts, saveRhythmSettings } from '../../../services/rhythms.js';
import { promptsForm } from '../../forms/prompts.js';
import { rhythmSettingsForm } from '../../forms/rhythm-settings.js';
import { modalSubmit } from '../modal-submit.js';

export function rhythmSubmission(deps: ServiceDeps) {
  return modalSubmit(deps, rhythmSettingsForm, {
    save: ({ client, scope, userId, metadata, draft }) =>
      saveRhythmSettings(deps, client, scope, { userId, channelId: metadata.channelId, draft }),
  });
}

export function promptsSubmission(deps: ServiceDeps) {
  return modalSubmit(deps, promptsForm, {
    save: async ({ client, scope, userId, metadata, draft }) => {
      const result = await savePrompts(deps, client, scope, { userId, channelId: metadata.channelId, draft });
      // Every refusal is about the prompts being added, or about the person adding them.
      return result.outcome === 'invalid' ? { outcome: 'invalid', errors: { add: result.error } } : result;
    },
  });
}
