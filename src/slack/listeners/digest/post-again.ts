import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { z } from 'zod';
import { isTeamChannel } from '../../../domain/ids.js';
import type { ServiceDeps } from '../../../services/deps.js';
import { postDigestNow } from '../../../services/digest.js';
import { afterClick, tellPrivately } from '../private-note.js';
import { scopeOf } from '../scope.js';
import { postOutcomeMessage } from './digest-command.js';

/** "<channel id>|<edition>": the channel and the one edition this button confirms. */
const postAgainValue = z
  .string()
  .transform((value) => value.split('|'))
  .pipe(
    z.tuple([
      z.string().refine(isTeamChannel),
      z
        .string()
        .regex(/^[1-9][0-9]?$/)
        .transform(Number),
    ]),
  );

/** "Post another digest": a further digest in one week, only because a person confirmed it. */
export function postDigestAgainButton(deps: ServiceDeps) {
  return async (args: SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs) => {
    const { ack, action, body, client, context } = args;
    await ack();
    const scope = scopeOf(context, body.team?.id);
    const chosen = postAgainValue.safeParse(action.value ?? '');
    if (!scope || !chosen.success) return;
    const [channelId, edition] = chosen.data;
    await afterClick(deps, { client, body }, async () => {
      const outcome = await postDigestNow(deps, client, scope, { channelId, userId: body.user.id, edition });
      await tellPrivately(deps, { client, body }, postOutcomeMessage(outcome, channelId));
    });
  };
}
