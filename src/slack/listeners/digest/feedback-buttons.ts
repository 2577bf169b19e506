import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { DigestItemVote } from '../../../db/schema.js';
import { describeError } from '../../../logger.js';
import type { ServiceDeps } from '../../../services/deps.js';
import { voteOnDigestItem } from '../../../services/digest-feedback.js';
import { tellPrivately } from '../../../services/tell.js';
import { scopeOf } from '../scope.js';

const NOT_SAVED = 'Your vote could not be saved just now. Please try again.';

/** The thread a click came from, so the note shows where the person is looking. */
function threadOf(body: BlockAction): string | undefined {
  const fromMessage = body.message?.thread_ts;
  const fromContainer = body.container?.thread_ts;
  if (typeof fromMessage === 'string') return fromMessage;
  return typeof fromContainer === 'string' ? fromContainer : undefined;
}

/** "Useful" or "Not useful" under an item of a digest's details: counted, and thanked privately. */
export function digestItemVoteButton(deps: ServiceDeps, vote: DigestItemVote) {
  return async (args: SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs) => {
    const { ack, action, body, client, context } = args;
    await ack();
    // The workspace is the one that authorised the request, whatever the payload names.
    const scope = scopeOf(context, body.team?.id);
    if (!scope || typeof action.value !== 'string') return;
    const note = { userId: body.user.id, channelId: body.channel?.id, threadTs: threadOf(body) };
    let text: string;
    try {
      const outcome = await voteOnDigestItem(deps, scope, {
        userId: body.user.id,
        value: action.value,
        vote,
      });
      if (outcome.outcome === 'refused') return;
      text = outcome.thanks;
    } catch (error) {
      deps.log.warn({ err: describeError(error), team: scope.teamId }, 'digest vote not saved');
      text = NOT_SAVED;
    }
    // The listeners' own private note cannot say which thread; the one it wraps can.
    await tellPrivately(client, deps.log, { ...note, message: { text } });
  };
}
