import type { ServiceDeps } from '../../../services/deps.js';
import { saveStewards } from '../../../services/stewards.js';
import { stewardsForm } from '../../forms/stewards.js';
import { modalSubmit } from '../modal-submit.js';

/** Saves who else looks after a channel, or keeps the form open saying why not. */
export function stewardsSubmission(deps: ServiceDeps) {
  return modalSubmit(deps, stewardsForm, {
    save: ({ client, scope, userId, metadata, draft }) =>
      saveStewards(deps, client, scope, { userId, channelId: metadata.channelId, draft }),
  });
}
