import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { describeError } from '../../../logger.js';
import type { ServiceDeps } from '../../../services/deps.js';
import { deliverNow } from '../../../services/nudges.js';
import { saveBar } from '../../../services/reviews.js';
import { refreshSummary } from '../../../services/voices.js';
import { BAR_INPUTS } from '../../ids.js';
import { barModalMetadataSchema } from '../../views/bar-modal.js';
import { closeModal, readMetadata } from '../metadata.js';
import { scopeOf } from '../scope.js';

// Errors are shown under the first field so the modal stays open with every answer still in it.
const UNREADABLE = 'This form could not be read. Copy your answers somewhere safe, then run /bar again.';
const NOT_SAVED = 'Saving failed just now. Your answers are still here: press “Save and share” again.';

export function barSubmission(deps: ServiceDeps) {
  return async ({
    ack,
    body,
    view,
    client,
    context,
  }: SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs) => {
    const metadata = readMetadata(barModalMetadataSchema, view.private_metadata);
    const scope = scopeOf(context, body.user.team_id ?? undefined);
    if (!metadata || !scope) {
      await ack({ response_action: 'errors', errors: { [BAR_INPUTS.action.block]: UNREADABLE } });
      return;
    }
    let result: Awaited<ReturnType<typeof saveBar>>;
    try {
      result = await saveBar(deps, scope, {
        userId: body.user.id,
        viewId: view.id,
        values: view.state.values,
        metadata,
      });
    } catch (error) {
      deps.log.error(
        { err: describeError(error), team: scope.teamId, user: body.user.id },
        'before-action review not saved',
      );
      await ack({ response_action: 'errors', errors: { [BAR_INPUTS.action.block]: NOT_SAVED } });
      return;
    }
    if (result.outcome === 'invalid') {
      await ack({ response_action: 'errors', errors: result.errors });
      return;
    }
    await closeModal(ack);
    // A replay delivers too: the first process may have died before posting, and only one claim wins.
    if (result.summaryId) await deliverNow(deps, client, result.summaryId);
    if (result.edited) await refreshSummary(deps, client, scope, { target: 'before', id: result.review.id });
  };
}
