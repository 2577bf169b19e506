import type { AllMiddlewareArgs, SlackOptionsMiddlewareArgs } from '@slack/bolt';
import { findTimeZones } from '../../../domain/time-zones.js';
import type { ServiceDeps } from '../../../services/deps.js';
import { buildTimeZoneOptions } from '../../views/rhythms.js';
import { scopeOf } from '../scope.js';

/**
 * Answers a search in the rhythm form's time zone menu. Slack waits for the answer while the person types,
 * so it is worked out in memory, with no database or Web API call.
 */
export function timeZoneOptions(deps: ServiceDeps) {
  return async ({
    ack,
    body,
    context,
  }: SlackOptionsMiddlewareArgs<'block_suggestion'> & AllMiddlewareArgs) => {
    const scope = scopeOf(context, body.user.team_id);
    if (!scope || typeof body.value !== 'string') {
      await ack({ options: [] });
      return;
    }
    const answer = buildTimeZoneOptions(findTimeZones(body.value, deps.clock()));
    await ack(answer);
    deps.log.debug({ team: scope.teamId, matches: answer.options.length }, 'time zones suggested');
  };
}
