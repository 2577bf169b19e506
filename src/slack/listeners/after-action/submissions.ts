import { saveAar } from '../../../services/after-action.js';
import { deliverAllNow } from '../../../services/delivery.js';
import type { ServiceDeps } from '../../../services/deps.js';
import { savePerspective } from '../../../services/perspectives.js';
import { deleteOwnThing } from '../../../services/review-menu.js';
import { aarForm } from '../../forms/after-action-review.js';
import { deleteConfirmationForm } from '../../forms/delete-confirmation.js';
import { perspectiveForm } from '../../forms/perspective.js';
import { modalSubmit } from '../modal-submit.js';

export function aarSubmission(deps: ServiceDeps) {
  return modalSubmit(deps, aarForm, {
    save: ({ scope, userId, viewId, metadata, draft }) =>
      saveAar(deps, scope, { userId, viewId, metadata, draft }),
    afterAck: async (result, { client }) => {
      if (result.outcome === 'saved') await deliverAllNow(deps, client, result.effects);
    },
  });
}

export function perspectiveSubmission(deps: ServiceDeps) {
  return modalSubmit(deps, perspectiveForm, {
    save: ({ scope, userId, viewId, metadata, draft }) =>
      savePerspective(deps, scope, { userId, viewId, metadata, draft }),
    afterAck: (result, { client }) => deliverAllNow(deps, client, result.effects),
  });
}

export function confirmDeleteSubmission(deps: ServiceDeps) {
  return modalSubmit(deps, deleteConfirmationForm, {
    // Deleting rewrites messages in the channel, which takes longer than Slack waits for an answer.
    save: async () => ({ outcome: 'confirmed' }),
    afterAck: async (_confirmed, { client, scope, userId, metadata }) => {
      await deleteOwnThing(deps, client, scope, { userId, ...metadata });
    },
  });
}
