import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** What Slack sent, as far as an operator needs to tell traffic apart. */
export const REQUEST_KINDS = ['command', 'interaction', 'event', 'options', 'other'] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];

/**
 * Slack error codes the scheduler meets and acts on; any other code is counted as `other`, so a label
 * never takes more values than this list has.
 */
const KNOWN_SLACK_CODES: ReadonlySet<string> = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'restricted_action',
  'ratelimited',
  'slack_webapi_rate_limited_error',
  'slack_webapi_request_error',
  'slack_webapi_http_error',
  'invalid_auth',
  'token_revoked',
  'account_inactive',
  'not_authed',
  'invalid_blocks',
  'msg_too_long',
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
]);

/** A Slack error code as a bounded label value. */
export function failureReason(code: string | undefined): string {
  return code && KNOWN_SLACK_CODES.has(code) ? code : 'other';
}

/** Connections of the database pool; PGlite is one connection in the process and reports none. */
export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
}

export interface Metrics {
  readonly registry: Registry;
  readonly requests: Counter<'kind' | 'status'>;
  readonly ackSeconds: Histogram<'kind'>;
  readonly scheduler: {
    readonly due: Counter;
    readonly claimed: Counter;
    readonly outcomes: Counter<'outcome'>;
    readonly missed: Counter;
    readonly postErrors: Counter<'reason'>;
    readonly rateLimited: Counter;
    readonly historyChecks: Counter;
    readonly tickSeconds: Histogram;
    readonly oldestDueSeconds: Gauge;
    readonly digestSeconds: Histogram;
  };
}

const PREFIX = 'learning_thread_';

/**
 * One registry per running app: several apps in one process (as in the tests) never share counters,
 * and prom-client's global registry is left alone.
 */
export function createMetrics(pool: (() => PoolStats) | undefined): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const metrics: Metrics = {
    registry,
    requests: new Counter({
      name: `${PREFIX}slack_requests_total`,
      help: 'Requests from Slack by kind and HTTP status (Socket Mode: ok or error)',
      labelNames: ['kind', 'status'],
      registers,
    }),
    ackSeconds: new Histogram({
      name: `${PREFIX}slack_ack_seconds`,
      help: 'Time from a request arriving to Slack being answered (HTTP mode)',
      labelNames: ['kind'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5],
      registers,
    }),
    scheduler: {
      due: new Counter({
        name: `${PREFIX}scheduler_due_total`,
        help: 'Occurrences recorded as due by the scheduler',
        registers,
      }),
      claimed: new Counter({
        name: `${PREFIX}scheduler_claimed_total`,
        help: 'Occurrences claimed for delivery by this process',
        registers,
      }),
      outcomes: new Counter({
        name: `${PREFIX}scheduler_deliveries_total`,
        help: 'Claimed occurrences by outcome (posted, gone, failed, channel_problem, retry_later, lost_claim, skipped)',
        labelNames: ['outcome'],
        registers,
      }),
      missed: new Counter({
        name: `${PREFIX}scheduler_missed_total`,
        help: 'Occurrences recorded as missed: first seen later than the grace window',
        registers,
      }),
      postErrors: new Counter({
        name: `${PREFIX}scheduler_post_errors_total`,
        help: 'Scheduled posts Slack refused or that did not reach it, by Slack error code (unknown codes: other)',
        labelNames: ['reason'],
        registers,
      }),
      rateLimited: new Counter({
        name: `${PREFIX}scheduler_rate_limited_total`,
        help: 'Scheduled Web API calls answered 429',
        registers,
      }),
      historyChecks: new Counter({
        name: `${PREFIX}scheduler_history_checks_total`,
        help: 'Channel history or thread reads made to find out whether an earlier try already posted',
        registers,
      }),
      tickSeconds: new Histogram({
        name: `${PREFIX}scheduler_tick_seconds`,
        help: 'Duration of one scheduler tick',
        buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 30, 60, 120],
        registers,
      }),
      oldestDueSeconds: new Gauge({
        name: `${PREFIX}scheduler_oldest_due_seconds`,
        help: 'Age of the oldest occurrence that is due and not yet delivered, after the last tick (0: none)',
        registers,
      }),
      digestSeconds: new Histogram({
        name: `${PREFIX}digest_seconds`,
        help: 'Time to compute and post one scheduled digest (gathering answers, analysis, chart, posts)',
        buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
        registers,
      }),
    },
  };
  // PGlite has no pool: one connection, always there, so the gauges would say nothing.
  if (pool) registerPoolGauges(registry, pool);
  return metrics;
}

function registerPoolGauges(registry: Registry, pool: () => PoolStats) {
  const registers = [registry];
  new Gauge({
    name: `${PREFIX}db_pool_connections_in_use`,
    help: 'Postgres connections checked out of the pool',
    registers,
    collect() {
      const stats = pool();
      this.set(stats.total - stats.idle);
    },
  });
  new Gauge({
    name: `${PREFIX}db_pool_waiting`,
    help: 'Queries waiting for a Postgres connection from the pool',
    registers,
    collect() {
      this.set(pool().waiting);
    },
  });
}

/** The kind of a parsed Slack payload, as Bolt hands it to middleware. */
export function requestKindOf(body: unknown): RequestKind {
  if (!body || typeof body !== 'object') return 'other';
  const fields = body as { command?: unknown; type?: unknown };
  if (typeof fields.command === 'string') return 'command';
  switch (fields.type) {
    case 'event_callback':
      return 'event';
    case 'block_suggestion':
      return 'options';
    case 'block_actions':
    case 'view_submission':
    case 'view_closed':
    case 'shortcut':
    case 'message_action':
    case 'interactive_message':
      return 'interaction';
    default:
      return 'other';
  }
}
