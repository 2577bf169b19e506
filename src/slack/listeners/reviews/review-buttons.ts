import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { ServiceDeps } from '../../../services/deps.js';
import { openBarModal, retryShare, showReviewInFull } from '../../../services/reviews.js';
import { afterClick, tellPrivately } from '../private-note.js';
import { scopeOf } from '../scope.js';

type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

const GONE = 'That review is no longer available.';

export function readReviewInFull(deps: ServiceDeps) {
  return async (args: ButtonArgs) => {
    await args.ack();
    await afterClick(deps, args, async () => {
      const scope = scopeOf(args.context, args.body.user.team_id);
      const shown =
        scope &&
        (await showReviewInFull(deps, args.client, scope, {
          reviewId: args.action.value ?? '',
          triggerId: args.body.trigger_id,
        }));
      if (!shown) await tellPrivately(deps, args, GONE);
    });
  };
}

export function retryShareButton(deps: ServiceDeps) {
  return async (args: ButtonArgs) => {
    await args.ack();
    await afterClick(deps, args, async () => {
      const scope = scopeOf(args.context, args.body.user.team_id);
      if (!scope) return;
      const outcome = await retryShare(deps, args.client, scope, {
        reviewId: args.action.value ?? '',
        userId: args.body.user.id,
      });
      if (outcome === 'shared') await tellPrivately(deps, args, 'Shared. The review is now in its channel.');
      if (outcome === 'already_shared')
        await tellPrivately(deps, args, 'That review is already in its channel.');
      if (outcome === 'not_found') await tellPrivately(deps, args, GONE);
    });
  };
}

export function startBarButton(deps: ServiceDeps) {
  return async (args: ButtonArgs) => {
    await args.ack();
    await afterClick(deps, args, async () => {
      const scope = scopeOf(args.context, args.body.user.team_id);
      if (!scope) return;
      await openBarModal(deps, args.client, scope, {
        triggerId: args.body.trigger_id,
        userId: args.body.user.id,
        channelId: args.body.channel?.id,
        text: '',
      });
    });
  };
}
