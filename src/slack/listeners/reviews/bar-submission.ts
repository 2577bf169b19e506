import { deliverAllNow } from '../../../services/delivery.js';
import type { ServiceDeps } from '../../../services/deps.js';
import { saveBar } from '../../../services/reviews.js';
import { barForm } from '../../forms/before-action-review.js';
import { modalSubmit } from '../modal-submit.js';

export function barSubmission(deps: ServiceDeps) {
  return modalSubmit(deps, barForm, {
    save: ({ scope, userId, viewId, metadata, draft }) =>
      saveBar(deps, scope, { userId, viewId, metadata, draft }),
    afterAck: (result, { client }) => deliverAllNow(deps, client, result.effects),
  });
}
