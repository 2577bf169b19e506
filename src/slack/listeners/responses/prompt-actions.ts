import type {
  AllMiddlewareArgs,
  BlockAction,
  ButtonAction,
  SlackActionMiddlewareArgs,
  StaticSelectAction,
} from '@slack/bolt';
import type { ServiceDeps } from '../../../services/deps.js';
import { pickedChannelOf } from '../../../services/home.js';
import {
  confirmAnswer,
  openAnswerModal,
  saveAnswer,
  skipPrompt,
  withdrawPrivateAnswer,
} from '../../../services/responses.js';
import { promptAnswerForm } from '../../forms/prompt-answer.js';
import { type AnswerMode, CONFIRMATIONS } from '../../views/prompt.js';
import { modalSubmit } from '../modal-submit.js';
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
          userId: args.body.user.id,
          homeChannelId: pickedChannelOf(args.body.view),
        }));
      if (!opened) await tellGone(deps, args);
    });
  };
}

/** Withdraw, under a private answer's confirmation or on the Home tab, once Slack has asked to confirm. */
export function withdrawAnswerButton(deps: ServiceDeps) {
  return async (args: SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs) => {
    await args.ack();
    await afterClick(deps, args, async () => {
      const scope = scopeOf(args.context, args.body.user.team_id);
      const outcome = scope
        ? await withdrawPrivateAnswer(deps, args.client, scope, {
            userId: args.body.user.id,
            responseId: args.action.value ?? '',
            channelId: args.body.channel?.id,
            homeChannelId: pickedChannelOf(args.body.view),
          })
        : 'gone';
      if (outcome === 'gone') await tellPrivately(deps, args, CONFIRMATIONS.answerGone);
      if (outcome === 'not_yours') await tellPrivately(deps, args, CONFIRMATIONS.notYourAnswer);
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
        (await skipPrompt(deps, args.client, scope, {
          userId: args.body.user.id,
          value: args.action.selected_option?.value ?? '',
        }));
      if (!skipped || skipped === 'gone') await tellGone(deps, args);
    });
  };
}

export function answerSubmission(deps: ServiceDeps) {
  return modalSubmit(deps, promptAnswerForm, {
    save: async ({ scope, userId, metadata, draft }) => {
      const result = await saveAnswer(deps, scope, { userId, metadata, ...draft });
      if (result.outcome === 'invalid')
        return { outcome: 'invalid' as const, errors: { text: result.error } };
      if (result.outcome === 'gone')
        return { outcome: 'invalid' as const, errors: { text: CONFIRMATIONS.gone } };
      return result;
    },
    afterAck: async (result, { client, scope, userId }) => {
      // A form sent again was confirmed when it was first stored.
      if (result.outcome === 'saved') await confirmAnswer(deps, client, scope, { ...result, userId });
    },
  });
}
