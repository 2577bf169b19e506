import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { describeError } from '../../../logger.js';
import type { ServiceDeps } from '../../../services/deps.js';
import { saveQuestions } from '../../../services/questions.js';
import { QUESTION_INPUTS } from '../../ids.js';
import { questionsModalMetadataSchema } from '../../views/questions.js';
import { readMetadata } from '../metadata.js';
import { scopeOf } from '../scope.js';

type SubmitArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

const UNREADABLE = 'This form could not be read. Close it and run /learning questions again in the channel.';
const NOT_SAVED = 'Saving failed just now. Your questions are still here: press Save again.';

/** Saves the learning questions form, or keeps it open with what needs changing under each field. */
export function questionsSubmission(deps: ServiceDeps) {
  return async ({ ack, body, view, context, client }: SubmitArgs) => {
    const channelId = readMetadata(questionsModalMetadataSchema, view.private_metadata)?.channelId;
    const scope = scopeOf(context, body.user.team_id ?? undefined);
    if (!channelId || !scope) {
      await ack({ response_action: 'errors', errors: { [QUESTION_INPUTS.add.block]: UNREADABLE } });
      return;
    }
    try {
      const result = await saveQuestions(deps, client, scope, {
        userId: body.user.id,
        channelId,
        values: view.state.values,
      });
      if (result.outcome === 'invalid') {
        await ack({ response_action: 'errors', errors: result.errors });
      } else {
        await ack({ response_action: 'update', view: result.view });
      }
    } catch (error) {
      deps.log.error(
        { err: describeError(error), team: scope.teamId, channel: channelId },
        'learning questions not saved',
      );
      await ack({ response_action: 'errors', errors: { [QUESTION_INPUTS.add.block]: NOT_SAVED } });
    }
  };
}
