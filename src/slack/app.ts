import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  type Server,
  type ServerResponse,
} from 'node:http';
import {
  App,
  AuthorizationError,
  type Authorize,
  type CustomRoute,
  HTTPReceiver,
  type InstallationStore,
  type ReceiverProcessEventErrorHandlerArgs,
} from '@slack/bolt';
import type { Config } from '../config.js';
import type { InFlightWork } from '../inflight.js';
import { boltLogger, describeError, type Logger } from '../logger.js';
import { type Metrics, type RequestKind, requestKindOf } from '../metrics.js';
import { BODY_LIMIT_BYTES, refusingNonObjectBodies } from './body-guard.js';
import { SlackNotConnectedError } from './connection.js';
import { installCallbackOptions } from './install-pages.js';

export type Readiness = { ready: true } | { ready: false; reason: string };

export interface Health {
  /** Ready once migrations have run, the database answers and Slack has accepted the credentials. */
  ready(): Promise<Readiness>;
}

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

/** Health, readiness and metrics: served beside /slack/events in HTTP mode, on their own server in Socket Mode. */
export function operationsRoutes(health: Health, metrics: Metrics): CustomRoute[] {
  return [
    {
      path: '/healthz',
      method: ['GET'],
      handler: (_req: IncomingMessage, res: ServerResponse) => json(res, 200, { status: 'ok' }),
    },
    {
      path: '/readyz',
      method: ['GET'],
      handler: (_req: IncomingMessage, res: ServerResponse) => {
        health.ready().then(
          (readiness) =>
            readiness.ready
              ? json(res, 200, { status: 'ready' })
              : json(res, 503, { status: 'not ready', reason: readiness.reason }),
          (error: unknown) =>
            json(res, 503, {
              status: 'not ready',
              reason: `readiness check failed (${describeError(error).type})`,
            }),
        );
      },
    },
    {
      path: '/metrics',
      method: ['GET'],
      handler: (_req: IncomingMessage, res: ServerResponse) => {
        metrics.registry.metrics().then(
          (text) => {
            res.writeHead(200, { 'content-type': metrics.registry.contentType, 'cache-control': 'no-store' });
            res.end(text);
          },
          () => {
            if (!res.headersSent) res.writeHead(500).end();
          },
        );
      },
    },
  ];
}

/** Socket Mode has no HTTP endpoint of its own: the operations routes get a small server on PORT. */
export function serveOperationsRoutes(routes: CustomRoute[], port: number): Promise<Server> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const route = routes.find((candidate) => candidate.path === path);
    if (!route) {
      res.writeHead(404).end();
      return;
    }
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (!methods.includes(req.method ?? '')) {
      res.writeHead(405).end();
      return;
    }
    route.handler(Object.assign(req, { params: {} }), res);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

const REQUEST_RECORD = Symbol('learning-thread request record');
interface RequestRecord {
  kind: RequestKind;
}

/**
 * Counts each request from Slack by kind and status and times its answer. The kind is only known once
 * Bolt has parsed the body, so a middleware fills it in on a record this listener hangs on the request.
 */
function measuringRequests(next: RequestListener, metrics: Metrics): RequestListener {
  return (req, res) => {
    if (req.method !== 'POST') {
      next(req, res);
      return;
    }
    const started = performance.now();
    const record: RequestRecord = { kind: 'other' };
    Object.assign(req, { [REQUEST_RECORD]: record });
    res.once('finish', () => {
      metrics.requests.inc({ kind: record.kind, status: String(res.statusCode) });
      metrics.ackSeconds.observe({ kind: record.kind }, (performance.now() - started) / 1000);
    });
    next(req, res);
  };
}

/**
 * A signed request Bolt cannot process (a payload missing what its type requires) is the sender's fault:
 * answer 400 rather than 500, and log the failure without the body.
 */
function rejectUnprocessable(log: Logger) {
  return async ({ error, response }: ReceiverProcessEventErrorHandlerArgs): Promise<boolean> => {
    if (response.headersSent) {
      log.error({ err: describeError(error) }, 'listener failed after acknowledging');
      return false;
    }
    if (error instanceof AuthorizationError && error.original instanceof SlackNotConnectedError) {
      // Slack retries what it is not answered in time; by then the token may have been confirmed.
      response.writeHead(503, { 'content-type': 'text/plain' }).end('not connected to Slack yet');
      return true;
    }
    if (error instanceof AuthorizationError) {
      response.writeHead(401).end();
      return true;
    }
    log.warn({ err: describeError(error) }, 'request could not be processed');
    response.writeHead(400, { 'content-type': 'text/plain' }).end('unprocessable request');
    return true;
  };
}

/**
 * A signed request no listener acknowledged (an unknown command, callback or action id) is not one of
 * ours: answer 400 instead of Bolt's 404, and log it as a warning, since nothing in the app failed.
 */
function refuseUnacknowledged(log: Logger) {
  return ({ response }: { response: ServerResponse }) => {
    log.warn('request no listener acknowledged; refused');
    if (!response.headersSent)
      response.writeHead(400, { 'content-type': 'text/plain' }).end('unknown request');
  };
}

function guardedReceiver(
  options: ConstructorParameters<typeof HTTPReceiver>[0],
  log: Logger,
  metrics: Metrics,
) {
  const receiver = new HTTPReceiver({
    ...options,
    customPropertiesExtractor: (req) => ({
      requestRecord: (req as { [REQUEST_RECORD]?: RequestRecord })[REQUEST_RECORD],
    }),
  });
  receiver.requestListener = measuringRequests(
    refusingNonObjectBodies(receiver.requestListener, options.signingSecret, log),
    metrics,
  );
  return receiver;
}

/** The bot scopes an installation asks for; the manifest lists the same (a unit test keeps them equal). */
export const BOT_SCOPES = [
  'chat:write',
  'chat:write.public',
  'channels:join',
  'commands',
  'users:read',
  'channels:read',
  'groups:read',
  'channels:history',
  'groups:history',
  'files:write',
  'im:write',
  'reactions:write',
  'canvases:read',
  'canvases:write',
] as const;

export interface SlackAppParts {
  metrics: Metrics;
  /** Health, readiness and metrics; Bolt serves them only in HTTP mode (see serveOperationsRoutes). */
  routes: CustomRoute[];
  /**
   * Single-workspace mode: the bot token with the identity Slack confirmed at start-up, instead of Bolt's
   * own lazy auth.test, whose failure it would keep and repeat for every request.
   */
  authorize?: Authorize<boolean>;
}

export function createSlackApp(
  config: Config,
  log: Logger,
  inFlight: InFlightWork,
  parts: SlackAppParts,
  installationStore?: InstallationStore,
): App {
  const logger = boltLogger(log);
  const customRoutes = parts.routes;
  const { metrics } = parts;
  const distribution = config.distribution;
  // Installing into many workspaces: Bolt serves /slack/install and /slack/oauth_redirect, and each
  // request is authorised through the installation store instead of one token.
  const oauth =
    distribution && installationStore
      ? {
          clientId: distribution.clientId,
          clientSecret: distribution.clientSecret,
          stateSecret: distribution.stateSecret,
          installationStore,
          scopes: [...BOT_SCOPES],
          installerOptions: {
            clientOptions: { slackApiUrl: config.slack.apiUrl },
            callbackOptions: installCallbackOptions(log),
          },
        }
      : {};
  const app = new App({
    ...(parts.authorize ? { authorize: parts.authorize } : {}),
    ...(config.slack.appToken
      ? { socketMode: true, appToken: config.slack.appToken }
      : {
          receiver: guardedReceiver(
            {
              signingSecret: config.slack.signingSecret as string,
              customRoutes,
              logger,
              bodyLimit: BODY_LIMIT_BYTES,
              processEventErrorHandler: rejectUnprocessable(log),
              unhandledRequestHandler: refuseUnacknowledged(log),
              ...oauth,
            },
            log,
            metrics,
          ),
        }),
    logger,
    ignoreSelf: true,
    // A workflow step's client keeps the bot token rather than the run's own short-lived one: the
    // step's message is the app's (its button opens a form long after the run ended, and the scheduler
    // retries it with the bot token), and Slack takes the bot token for functions.completeSuccess and
    // functions.completeError too.
    attachFunctionToken: false,
    clientOptions: {
      slackApiUrl: config.slack.apiUrl,
      // A retried chat.postMessage whose first attempt timed out can post twice; failures become
      // states the services handle (saved, author told) instead of silent repeats.
      retryConfig: { retries: 0 },
      // A 429 fails at once with its own code instead of pausing every other call (views.open has 3 s).
      rejectRateLimitedCalls: true,
      // Summaries posted right after a form is saved go through the same pipeline as scheduled posts, so a
      // call whose outcome is unknown must end well inside the claim's lease, as the scheduler's own do.
      timeout: config.scheduler.postTimeoutSeconds * 1000,
    },
  });
  app.use(async ({ next }) => {
    await inFlight.track(next());
  });
  app.use(async ({ body, context, next }) => {
    const kind = requestKindOf(body);
    const record = context.requestRecord as RequestRecord | undefined;
    if (record) {
      record.kind = kind;
      await next();
      return;
    }
    // Socket Mode: no HTTP status, so a request counts as ok unless its listener failed.
    try {
      await next();
      metrics.requests.inc({ kind, status: 'ok' });
    } catch (error) {
      metrics.requests.inc({ kind, status: 'error' });
      throw error;
    }
  });
  app.error(async (error) => {
    // Bolt acknowledges a request from a workspace with no installation and calls no listener.
    if (error instanceof AuthorizationError) {
      log.warn('request from a workspace without an installation ignored');
      return;
    }
    log.error({ err: describeError(error.original ?? error) }, 'listener failed');
  });
  return app;
}
