import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { describeError } from '../../../logger.js';
import type { ServiceDeps } from '../../../services/deps.js';
import { saveStewards } from '../../../services/stewards.js';
import { STEWARD_INPUTS } from '../../ids.js';
import { stewardsModalMetadataSchema } from '../../views/stewards.js';
import { readMetadata } from '../metadata.js';
import { scopeOf } from '../scope.js';

type SubmitArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

const UNREADABLE = 'This form could not be read. Close it and run /learning stewards again in the channel.';
const NOT_SAVED = 'Saving failed just now. Your choices are still here: press Save again.';

/** Saves who else looks after a channel, or keeps the form open saying why not. */
export function stewardsSubmission(deps: ServiceDeps) {
  return async ({ ack, body, view, context, client }: SubmitArgs) => {
    const channelId = readMetadata(stewardsModalMetadataSchema, view.private_metadata)?.channelId;
    const scope = scopeOf(context, body.user.team_id ?? undefined);
    if (!channelId || !scope) {
      await ack({ response_action: 'errors', errors: { [STEWARD_INPUTS.added.block]: UNREADABLE } });
      return;
    }
    try {
      const result = await saveStewards(deps, client, scope, {
        userId: body.user.id,
        channelId,
        values: view.state.values,
      });
      if (result.outcome === 'invalid') await ack({ response_action: 'errors', errors: result.errors });
      else await ack({ response_action: 'update', view: result.view });
    } catch (error) {
      deps.log.error(
        { err: describeError(error), team: scope.teamId, channel: channelId },
        'channel stewards not saved',
      );
      await ack({ response_action: 'errors', errors: { [STEWARD_INPUTS.added.block]: NOT_SAVED } });
    }
  };
}
