import type {
  AllMiddlewareArgs,
  BlockAction,
  ButtonAction,
  SlackActionMiddlewareArgs,
  SlackViewMiddlewareArgs,
  StaticSelectAction,
  ViewSubmitAction,
} from '@slack/bolt';
import { describeError } from '../../../logger.js';
import type { ServiceDeps } from '../../../services/deps.js';
import {
  answerMetadataSchema,
  confirmAnswer,
  openAnswerModal,
  saveAnswer,
  skipNudge,
} from '../../../services/responses.js';
import { NUDGE_INPUTS, QUOTABLE_VALUE } from '../../ids.js';
import { type AnswerMode, CONFIRMATIONS } from '../../views/prompt.js';
import { closeModal, readMetadata } from '../metadata.js';
import { afterClick, tellPrivately } from '../private-note.js';
import { scopeOf } from '../scope.js';

type ClickArgs = AllMiddlewareArgs & { body: BlockAction };

/** The occurrence behind the click no longer exists (deleted, or never in this workspace). */
async function tellGone(deps: ServiceDeps, args: ClickArgs): Promise<void> {
  await tellPrivately(deps, args, CONFIRMATIONS.gone);
}

export function answerButton(deps: ServiceDeps, mode: AnswerMode) {
  return async (args: SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs) => {
    await args.ack();
    await afterClick(deps, args, async () => {
      const scope = scopeOf(args.context, args.body.user.team_id);
      const opened =
        scope &&
        (await openAnswerModal(deps, args.client, scope, {
          triggerId: args.body.trigger_id,
          occurrenceId: args.action.value ?? '',
          mode,
        }));
      if (!opened) await tellGone(deps, args);
    });
  };
}

export function skipSelect(deps: ServiceDeps) {
  return async (args: SlackActionMiddlewareArgs<BlockAction<StaticSelectAction>> & AllMiddlewareArgs) => {
    await args.ack();
    await afterClick(deps, args, async () => {
      const scope = scopeOf(args.context, args.body.user.team_id);
      const skipped =
        scope &&
        (await skipNudge(deps, args.client, scope, {
          userId: args.body.user.id,
          value: args.action.selected_option?.value ?? '',
        }));
      if (!skipped || skipped === 'gone') await tellGone(deps, args);
    });
  };
}

export function answerSubmission(deps: ServiceDeps) {
  return async ({
    ack,
    body,
    view,
    client,
    context,
  }: SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs) => {
    const metadata = readMetadata(answerMetadataSchema, view.private_metadata);
    const scope = scopeOf(context, body.user.team_id ?? undefined);
    const block = NUDGE_INPUTS.answer.block;
    if (!metadata || !scope) {
      await ack({ response_action: 'errors', errors: { [block]: CONFIRMATIONS.gone } });
      return;
    }
    const value = view.state.values[block]?.[NUDGE_INPUTS.answer.action]?.value ?? '';
    const questionId =
      view.state.values[NUDGE_INPUTS.questionId.block]?.[NUDGE_INPUTS.questionId.action]?.selected_option
        ?.value ?? null;
    const quotable = (
      view.state.values[NUDGE_INPUTS.quotable.block]?.[NUDGE_INPUTS.quotable.action]?.selected_options ?? []
    ).some((option) => option.value === QUOTABLE_VALUE);
    try {
      const result = await saveAnswer(deps, scope, {
        userId: body.user.id,
        viewId: view.id,
        metadata,
        text: value,
        questionId,
        quotable,
      });
      if (result.outcome === 'invalid') {
        await ack({ response_action: 'errors', errors: { [block]: result.error } });
        return;
      }
      if (result.outcome === 'gone') {
        await ack({ response_action: 'errors', errors: { [block]: CONFIRMATIONS.gone } });
        return;
      }
      await closeModal(ack);
      // A form sent again was confirmed when it was first stored.
      if (result.outcome === 'saved') await confirmAnswer(deps, client, { ...result, userId: body.user.id });
    } catch (error) {
      deps.log.error({ err: describeError(error), team: scope.teamId }, 'answer not saved');
      await ack({
        response_action: 'errors',
        errors: { [block]: 'Saving failed just now. Your answer is still here: press Save again.' },
      });
    }
  };
}
