import { isRecord } from './block-kit.js';
import { seededRandom } from './seeded-random.js';

/*
 * What can go wrong between the app and the fake Slack: faults queued for the
 * next calls to a method (or to a method in one channel), faults that hit at a
 * seeded probability so the n-th call's fate is the same on every run, and
 * Slack's per-channel rate limits with their Retry-After. The HTTP edge plays
 * them out; this module only decides which call meets which.
 */

export type Fault =
  | { kind: 'rate_limited'; retryAfterSeconds: number }
  | { kind: 'server_error'; status?: number }
  | { kind: 'error'; error: string }
  /**
   * Slack is slow to act: the call is only handled after `delayMs`, so a client
   * that gives up first may find nothing in history yet, and the message
   * appears later anyway (it is not cancelled by the client going away).
   */
  | { kind: 'slow'; delayMs: number }
  /**
   * Slack acts at once but the answer is lost on the way back: the call is
   * handled on arrival (a message is stored straight away) and the response is
   * held for `delayMs`, so a client with a shorter timeout sees a timeout for a
   * post that did happen — the case an "outcome unknown" check must catch.
   */
  | { kind: 'lost_response'; delayMs: number }
  | { kind: 'hang' };

export interface RateLimit {
  perChannelPerSecond: number;
  retryAfterSeconds: number;
}

export interface SlackFaults {
  /** Queues `fault` for the next `times` calls to `method`. */
  failNext(method: string, fault: Fault, times?: number): void;
  /** Like `failNext`, for calls to `method` in `channel` only; it comes before a fault queued for the method. */
  failNextIn(method: string, channel: string, fault: Fault, times?: number): void;
  /** From now on every call to `method` hits `fault` with `probability`, drawn from a PRNG seeded with `seed`. */
  setDefaultFault(method: string, fault: Fault, probability: number, seed?: number): void;
  /** Refuses a channel's calls of `method` beyond `perChannelPerSecond` in the last second. */
  setRateLimit(method: string, limit: RateLimit): void;
  /** The fault the call to `method` arriving now in `channel` meets, if any; `''` when it names no channel. */
  take(method: string, channel: string): Fault | undefined;
  /**
   * The Retry-After seconds if the channel `channelKey` has had its fill of
   * `method` in the last second; otherwise undefined, and the call counts.
   */
  admit(method: string, channelKey: string): number | undefined;
  /** Forgets every fault and rate limit. */
  clear(): void;
}

/** Slack's answer to a call over its rate limit. */
export function rateLimitedAnswer(retryAfterSeconds: number): {
  status: number;
  body: unknown;
  headers: Record<string, string>;
} {
  return {
    status: 429,
    body: { ok: false, error: 'ratelimited' },
    headers: { 'retry-after': String(retryAfterSeconds) },
  };
}

function hashSeed(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

const FAULT_KINDS = new Set<Fault['kind']>([
  'rate_limited',
  'server_error',
  'error',
  'slow',
  'lost_response',
  'hang',
]);

function checkFault(fault: Fault, where: string): void {
  if (!isRecord(fault) || !FAULT_KINDS.has(fault.kind)) {
    throw new Error(`${where}: unknown fault ${JSON.stringify(fault)}`);
  }
  if ((fault.kind === 'slow' || fault.kind === 'lost_response') && !(fault.delayMs >= 0)) {
    throw new Error(`${where}: ${fault.kind} needs a delayMs of 0 or more`);
  }
}

export function createSlackFaults(): SlackFaults {
  const faults = new Map<string, Fault[]>();
  const channelFaults = new Map<string, Fault[]>();
  const channelFaultKey = (method: string, channel: string) => `${method} ${channel}`;
  type DefaultFault = { fault: Fault; probability: number; draw: () => number };
  const defaultFaults = new Map<string, DefaultFault[]>();
  const rateLimits = new Map<string, RateLimit & { admitted: Map<string, number[]> }>();

  return {
    failNext(method, fault, times = 1) {
      if (!Number.isInteger(times) || times < 1)
        throw new Error(`failNext times must be a positive integer, got ${times}`);
      const queue = faults.get(method) ?? [];
      for (let i = 0; i < times; i += 1) queue.push(fault);
      faults.set(method, queue);
    },
    failNextIn(method, channel, fault, times = 1) {
      checkFault(fault, 'failNextIn');
      if (!Number.isInteger(times) || times < 1)
        throw new Error(`failNextIn times must be a positive integer, got ${times}`);
      const key = channelFaultKey(method, channel);
      const queue = channelFaults.get(key) ?? [];
      for (let i = 0; i < times; i += 1) queue.push(fault);
      channelFaults.set(key, queue);
    },
    setDefaultFault(method, fault, probability, seed) {
      checkFault(fault, 'setDefaultFault');
      if (!(probability >= 0 && probability <= 1)) {
        throw new Error(`setDefaultFault probability must be between 0 and 1, got ${probability}`);
      }
      if (seed !== undefined && !Number.isInteger(seed)) {
        throw new Error(`setDefaultFault seed must be an integer, got ${seed}`);
      }
      const registered = defaultFaults.get(method) ?? [];
      // Without a seed each registration still gets its own fixed stream, so
      // two faults on one method do not hit on exactly the same calls.
      const stream = seededRandom(seed ?? hashSeed(`${method}#${registered.length}`));
      registered.push({ fault: { ...fault }, probability, draw: stream });
      defaultFaults.set(method, registered);
    },
    setRateLimit(method, limit) {
      if (!(limit.perChannelPerSecond >= 1) || !Number.isInteger(limit.perChannelPerSecond)) {
        throw new Error(
          `setRateLimit perChannelPerSecond must be a positive integer, got ${limit.perChannelPerSecond}`,
        );
      }
      if (!(limit.retryAfterSeconds >= 0)) {
        throw new Error(`setRateLimit retryAfterSeconds must be 0 or more, got ${limit.retryAfterSeconds}`);
      }
      rateLimits.set(method, { ...limit, admitted: new Map() });
    },
    // A queued failNext fault wins, but every default fault still draws so that
    // the n-th call's draw does not depend on what came before it.
    take(method, channel) {
      const inChannel = channelFaultKey(method, channel);
      const [key, queues] = channelFaults.has(inChannel) ? [inChannel, channelFaults] : [method, faults];
      const queue = queues.get(key);
      const queued = queue?.shift();
      if (queue && queue.length === 0) queues.delete(key);
      let drawn: Fault | undefined;
      for (const candidate of defaultFaults.get(method) ?? []) {
        if (candidate.draw() < candidate.probability && !drawn) drawn = candidate.fault;
      }
      return queued ?? drawn;
    },
    // Counts only calls it lets through, over a sliding second, so a client that
    // backs off as told gets back in.
    admit(method, channelKey) {
      const limit = rateLimits.get(method);
      if (!limit) return undefined;
      const now = Date.now();
      const recent = (limit.admitted.get(channelKey) ?? []).filter((at) => at > now - 1000);
      if (recent.length >= limit.perChannelPerSecond) {
        limit.admitted.set(channelKey, recent);
        return limit.retryAfterSeconds;
      }
      recent.push(now);
      limit.admitted.set(channelKey, recent);
      return undefined;
    },
    clear() {
      faults.clear();
      channelFaults.clear();
      defaultFaults.clear();
      rateLimits.clear();
    },
  };
}
