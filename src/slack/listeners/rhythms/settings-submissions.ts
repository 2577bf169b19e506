import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { describeError } from '../../../logger.js';
import type { ServiceDeps } from '../../../services/deps.js';
import { savePrompts, saveRhythmSettings } from '../../../services/rhythms.js';
import { channelSettingsMetadataSchema } from '../../forms/channel-settings.js';
import { rhythmSettingsForm } from '../../forms/rhythm-settings.js';
import { PROMPT_INPUTS } from '../../ids.js';
import { readMetadata } from '../metadata.js';
import { modalSubmit } from '../modal-submit.js';
import { scopeOf } from '../scope.js';

type SubmitArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

const UNREADABLE = 'This form could not be read. Close it and run the command again in the channel.';
const NOT_SAVED = 'Saving failed just now. Your choices are still here: press Save again.';

export function rhythmSubmission(deps: ServiceDeps) {
  return modalSubmit(deps, rhythmSettingsForm, {
    save: ({ client, scope, userId, metadata, draft }) =>
      saveRhythmSettings(deps, client, scope, { userId, channelId: metadata.channelId, draft }),
  });
}

export function promptsSubmission(deps: ServiceDeps) {
  return async ({ ack, body, view, context, client }: SubmitArgs) => {
    const channelId = readMetadata(channelSettingsMetadataSchema, view.private_metadata)?.channelId;
    const scope = scopeOf(context, body.user.team_id ?? undefined);
    if (!channelId || !scope) {
      await ack({ response_action: 'errors', errors: { [PROMPT_INPUTS.add.block]: UNREADABLE } });
      return;
    }
    try {
      const result = await savePrompts(deps, client, scope, {
        userId: body.user.id,
        channelId,
        values: view.state.values,
      });
      if (result.outcome === 'invalid') {
        await ack({ response_action: 'errors', errors: { [PROMPT_INPUTS.add.block]: result.error } });
      } else {
        await ack();
      }
    } catch (error) {
      deps.log.error({ err: describeError(error), team: scope.teamId }, 'prompts not saved');
      await ack({ response_action: 'errors', errors: { [PROMPT_INPUTS.add.block]: NOT_SAVED } });
    }
  };
}
