import type { AllMiddlewareArgs, AnyMiddlewareArgs } from '@slack/bolt';
import type { ServiceDeps } from '../../services/deps.js';
import type { ListenerRegistry } from './index.js';

/** Slack's user, channel, team and trigger ids are short strings. */
const MAX_ID_LENGTH = 255;

const isId = (value: unknown): boolean => typeof value === 'string' && value.length <= MAX_ID_LENGTH;
const absentOrId = (value: unknown): boolean => value === undefined || value === null || isId(value);
const record = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
const absentOrHoldsId = (value: unknown): boolean => {
  if (value === undefined || value === null) return true;
  const holder = record(value);
  return holder !== undefined && absentOrId(holder.id);
};

/**
 * Whether the ids a listener hands to Slack or the database are the strings Slack always sends. A
 * payload with an object where an id belongs reached the Web API client, whose logging redaction then
 * spent tens of seconds on one long key, blocking every other request; an array passed for a channel
 * reached the database as that channel's id.
 */
function idsWellFormed(args: AnyMiddlewareArgs): boolean {
  if ('command' in args) {
    const command = args.command as unknown as Record<string, unknown>;
    return (
      ['user_id', 'channel_id', 'team_id', 'enterprise_id', 'trigger_id'].every((key) =>
        absentOrId(command[key]),
      ) &&
      (command.text === undefined || typeof command.text === 'string')
    );
  }
  if ('event' in args) {
    const event = args.event as unknown as Record<string, unknown>;
    return absentOrId(event.user) && absentOrId(event.channel);
  }
  const body = record(args.body);
  const user = record(body?.user);
  return Boolean(
    body &&
      user &&
      isId(user.id) &&
      absentOrId(user.team_id) &&
      absentOrId(body.trigger_id) &&
      absentOrHoldsId(body.team) &&
      absentOrHoldsId(body.channel),
  );
}

/**
 * The registry with a first check on every listener: a request whose ids are not Slack's shapes is
 * logged without its body and left unanswered, as Bolt leaves any request no listener takes.
 */
export function withWellFormedIds(app: ListenerRegistry, deps: ServiceDeps): ListenerRegistry {
  const check = async (args: AnyMiddlewareArgs & AllMiddlewareArgs) => {
    if (idsWellFormed(args)) {
      await args.next();
      return;
    }
    deps.log.warn(
      { kind: 'command' in args ? 'command' : 'event' in args ? 'event' : 'interaction' },
      'request with malformed ids ignored',
    );
  };
  // Every registration method takes middleware between its constraint and the listener.
  return new Proxy(app, {
    get(target, key) {
      const method = Reflect.get(target, key) as unknown;
      if (typeof method !== 'function') return method;
      return (constraint: unknown, ...listeners: unknown[]) =>
        method.call(target, constraint, check, ...listeners);
    },
  });
}
