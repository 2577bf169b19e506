import type {
  AllMiddlewareArgs,
  BlockAction,
  ButtonAction,
  OverflowAction,
  SlackActionMiddlewareArgs,
  StaticSelectAction,
} from '@slack/bolt';
import { openAarModal } from '../../../services/after-action.js';
import type { ServiceDeps } from '../../../services/deps.js';
import { openPerspectiveModal } from '../../../services/perspectives.js';
import { recordConfidence } from '../../../services/responses.js';
import { useReviewMenu } from '../../../services/review-menu.js';
import { afterClick, tellPrivately } from '../private-note.js';
import { scopeOf } from '../scope.js';

type Args<A extends ButtonAction | OverflowAction | StaticSelectAction> = SlackActionMiddlewareArgs<
  BlockAction<A>
> &
  AllMiddlewareArgs;

const AAR_OPENING_NOTES = {
  already_reviewed:
    'This review has already been looked back on. Use “Add my perspective” on its after-action review to add yours.',
  review_deleted:
    'That before-action review was deleted. You can still look back with “A review without a before-action review” from /aar.',
} as const;

export function startAarButton(deps: ServiceDeps, withoutBar: boolean) {
  return async (args: Args<ButtonAction>) => {
    await args.ack();
    await afterClick(deps, args, async () => {
      const scope = scopeOf(args.context, args.body.user.team_id);
      if (!scope) return;
      const value = args.action.value ?? '';
      const opening = await openAarModal(deps, args.client, scope, {
        triggerId: args.body.trigger_id,
        userId: args.body.user.id,
        ...(withoutBar ? { channelId: value } : { reviewId: value }),
      });
      if (opening !== 'opened') await tellPrivately(deps, args, AAR_OPENING_NOTES[opening]);
    });
  };
}

export function addPerspectiveButton(deps: ServiceDeps) {
  return async (args: Args<ButtonAction>) => {
    await args.ack();
    await afterClick(deps, args, async () => {
      const scope = scopeOf(args.context, args.body.user.team_id);
      const [target, id = ''] = (args.action.value ?? '').split(':');
      const opened =
        scope &&
        (target === 'before' || target === 'after') &&
        (await openPerspectiveModal(deps, args.client, scope, {
          triggerId: args.body.trigger_id,
          userId: args.body.user.id,
          of: { target, id },
        }));
      if (!opened) await tellPrivately(deps, args, 'That review is no longer available.');
    });
  };
}

export function reviewMenu(deps: ServiceDeps) {
  return async (args: Args<OverflowAction>) => {
    await args.ack();
    await afterClick(deps, args, async () => {
      const scope = scopeOf(args.context, args.body.user.team_id);
      if (!scope) return;
      const note = await useReviewMenu(deps, args.client, scope, {
        userId: args.body.user.id,
        triggerId: args.body.trigger_id,
        value: args.action.selected_option?.value ?? '',
      });
      if (note) await tellPrivately(deps, args, note);
    });
  };
}

export function confidenceSelect(deps: ServiceDeps) {
  return async (args: Args<StaticSelectAction>) => {
    await args.ack();
    await afterClick(deps, args, async () => {
      const scope = scopeOf(args.context, args.body.user.team_id);
      const recorded =
        scope &&
        (await recordConfidence(deps, args.client, scope, {
          userId: args.body.user.id,
          value: args.action.selected_option?.value ?? '',
        }));
      if (!recorded) await tellPrivately(deps, args, 'That check-in is no longer open.');
    });
  };
}
