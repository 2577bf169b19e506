import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { z } from 'zod';
import { describeError } from '../../../logger.js';
import { afterEdit, saveAar } from '../../../services/after-action.js';
import type { ServiceDeps } from '../../../services/deps.js';
import { deliverNow } from '../../../services/nudges.js';
import { publishPerspective, savePerspective } from '../../../services/perspectives.js';
import { deleteOwnThing } from '../../../services/review-menu.js';
import { AAR_INPUTS, PERSPECTIVE_INPUTS } from '../../ids.js';
import { aarModalMetadataSchema } from '../../views/after-action.js';
import { PERSPECTIVE_QUESTIONS, perspectiveMetadataSchema } from '../../views/perspectives.js';
import { closeModal, readMetadata } from '../metadata.js';
import { scopeOf } from '../scope.js';

type SubmitArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

const NOT_SAVED = 'Saving failed just now. Your answers are still here: press the button again.';
const UNREADABLE = 'This form could not be read. Copy your answers somewhere safe, then start again.';

export function aarSubmission(deps: ServiceDeps) {
  return async ({ ack, body, view, client, context }: SubmitArgs) => {
    const metadata = readMetadata(aarModalMetadataSchema, view.private_metadata);
    const scope = scopeOf(context, body.user.team_id ?? undefined);
    const firstBlock = AAR_INPUTS.whatHappened.block;
    if (!metadata || !scope) {
      await ack({ response_action: 'errors', errors: { [firstBlock]: UNREADABLE } });
      return;
    }
    let result: Awaited<ReturnType<typeof saveAar>>;
    try {
      result = await saveAar(deps, scope, {
        userId: body.user.id,
        viewId: view.id,
        metadata,
        values: view.state.values,
      });
    } catch (error) {
      deps.log.error({ err: describeError(error), team: scope.teamId }, 'after-action review not saved');
      await ack({ response_action: 'errors', errors: { [firstBlock]: NOT_SAVED } });
      return;
    }
    if (result.outcome === 'invalid') {
      await ack({ response_action: 'errors', errors: result.errors });
      return;
    }
    if (result.outcome === 'raced') {
      await ack({ response_action: 'update', view: result.view });
      return;
    }
    await closeModal(ack);
    // A replay delivers too: the first process may have died before posting, and only one claim wins.
    if (result.summaryId) await deliverNow(deps, client, result.summaryId);
    if (result.edited) await afterEdit(deps, client, scope, result.aar.id);
  };
}

export function perspectiveSubmission(deps: ServiceDeps) {
  return async ({ ack, body, view, client, context }: SubmitArgs) => {
    const metadata = readMetadata(perspectiveMetadataSchema, view.private_metadata);
    const scope = scopeOf(context, body.user.team_id ?? undefined);
    const firstKey = PERSPECTIVE_QUESTIONS[metadata?.target ?? 'before'][0]?.[0] ?? '';
    const firstBlock = PERSPECTIVE_INPUTS.answer(firstKey).block;
    if (!metadata || !scope) {
      await ack({ response_action: 'errors', errors: { [firstBlock]: UNREADABLE } });
      return;
    }
    let result: Awaited<ReturnType<typeof savePerspective>>;
    try {
      result = await savePerspective(deps, scope, {
        userId: body.user.id,
        viewId: view.id,
        metadata,
        values: view.state.values,
      });
    } catch (error) {
      deps.log.error({ err: describeError(error), team: scope.teamId }, 'perspective not saved');
      await ack({ response_action: 'errors', errors: { [firstBlock]: NOT_SAVED } });
      return;
    }
    if (result.outcome === 'invalid') {
      if (Object.keys(result.errors).length > 0)
        await ack({ response_action: 'errors', errors: result.errors });
      else await closeModal(ack);
      return;
    }
    await closeModal(ack);
    await publishPerspective(deps, client, scope, result.perspective);
  };
}

const deleteMetadataSchema = z.object({ thing: z.enum(['before', 'after', 'perspective']), id: z.uuid() });

export function confirmDeleteSubmission(deps: ServiceDeps) {
  return async ({ ack, body, view, client, context }: SubmitArgs) => {
    await ack();
    const metadata = readMetadata(deleteMetadataSchema, view.private_metadata);
    const scope = scopeOf(context, body.user.team_id ?? undefined);
    if (!metadata || !scope) return;
    await deleteOwnThing(deps, client, scope, { userId: body.user.id, ...metadata });
  };
}
