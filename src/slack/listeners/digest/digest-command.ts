import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { isTeamChannel } from '../../../domain/ids.js';
import { describeError } from '../../../logger.js';
import type { ServiceDeps } from '../../../services/deps.js';
import { type DigestPostOutcome, postDigestNow, previewDigest } from '../../../services/digest.js';
import { buildPostAgainQuestion } from '../../views/digest.js';
import { tellPrivately } from '../private-note.js';
import { IN_A_CHANNEL, scopeOf } from '../scope.js';

type CommandArgs = Pick<
  SlackCommandMiddlewareArgs & AllMiddlewareArgs,
  'command' | 'ack' | 'client' | 'context'
>;

/** What the person who asked hears after a post, in words rather than codes. */
export function postOutcomeMessage(outcome: DigestPostOutcome, channelId: string) {
  switch (outcome.outcome) {
    case 'posted':
      return { text: `Posted this week’s digest in <#${channelId}>.` };
    case 'already_posted':
      return buildPostAgainQuestion(channelId, outcome.link, outcome.nextEdition);
    case 'quiet':
      return {
        text: `${outcome.nothing} (no answers, reviews, skips or notes), so there is no digest to post.`,
      };
    case 'failed':
      if (outcome.error === 'not_in_channel' || outcome.error === 'channel_not_found')
        return {
          text: `I can’t post in <#${channelId}>. Invite me with \`/invite @Learning Thread\`, then try again.`,
        };
      if (outcome.error === 'outcome_unknown')
        return {
          text: `Slack hasn’t confirmed the digest yet. It is saved and on its way to <#${channelId}>: I’ll keep trying until it is there.`,
        };
      return {
        text: 'Slack didn’t take the digest just now. Please try `/learning digest post` again in a minute.',
      };
  }
}

/** `/learning digest` previews privately; `/learning digest post` posts the week’s digest now. */
export async function digestCommand(deps: ServiceDeps, args: CommandArgs): Promise<void> {
  const { command, ack, client, context } = args;
  const scope = scopeOf(context, command.team_id);
  if (!scope || !isTeamChannel(command.channel_id)) {
    await ack({ response_type: 'ephemeral', text: IN_A_CHANNEL });
    return;
  }
  const words = (command.text ?? '').trim().toLowerCase().split(/\s+/).slice(1);
  if (words[0] === 'post') {
    await ack({ response_type: 'ephemeral', text: 'Gathering this week’s digest…' });
    try {
      const outcome = await postDigestNow(deps, client, scope, {
        channelId: command.channel_id,
        userId: command.user_id,
        edition: 0,
      });
      await tellPrivately(deps, args, postOutcomeMessage(outcome, command.channel_id));
    } catch (error) {
      deps.log.error({ err: describeError(error), team: scope.teamId }, 'digest post failed');
      await tellPrivately(deps, args, 'The digest could not be put together just now. Please try again.');
    }
    return;
  }
  await ack();
  try {
    await previewDigest(deps, client, scope, {
      triggerId: command.trigger_id,
      channelId: command.channel_id,
      userId: command.user_id,
    });
  } catch (error) {
    deps.log.error({ err: describeError(error), team: scope.teamId }, 'digest preview failed');
    await tellPrivately(
      deps,
      args,
      'The preview could not be shown just now. Please run `/learning digest` again.',
    );
  }
}
