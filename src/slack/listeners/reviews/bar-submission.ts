import type { ServiceDeps } from '../../../services/deps.js';
import { deliverNow } from '../../../services/nudges.js';
import { saveBar } from '../../../services/reviews.js';
import { refreshSummary } from '../../../services/voices.js';
import { barForm } from '../../forms/before-action-review.js';
import { modalSubmit } from '../modal-submit.js';

export function barSubmission(deps: ServiceDeps) {
  return modalSubmit(deps, barForm, {
    save: ({ scope, userId, viewId, metadata, draft }) =>
      saveBar(deps, scope, { userId, viewId, metadata, draft }),
    afterAck: async (result, { client, scope }) => {
      // A replay delivers too: the first process may have died before posting, and only one claim wins.
      if (result.summaryId) await deliverNow(deps, client, result.summaryId);
      if (result.edited)
        await refreshSummary(deps, client, scope, { target: 'before', id: result.review.id });
    },
  });
}
