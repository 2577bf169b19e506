import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  App,
  AuthorizationError,
  type CustomRoute,
  HTTPReceiver,
  type InstallationStore,
  type ReceiverProcessEventErrorHandlerArgs,
} from '@slack/bolt';
import type { Config } from '../config.js';
import type { InFlightWork } from '../inflight.js';
import { boltLogger, describeError, type Logger } from '../logger.js';
import { BODY_LIMIT_BYTES, refusingNonObjectBodies } from './body-guard.js';

export interface Health {
  /** True once migrations have run and the database answers. */
  ready(): Promise<boolean>;
}

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

function healthRoutes(health: Health): CustomRoute[] {
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
          (ready) => json(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready' }),
          () => json(res, 503, { status: 'not ready' }),
        );
      },
    },
  ];
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

function guardedReceiver(options: ConstructorParameters<typeof HTTPReceiver>[0], log: Logger) {
  const receiver = new HTTPReceiver(options);
  receiver.requestListener = refusingNonObjectBodies(receiver.requestListener, options.signingSecret, log);
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
] as const;

export function createSlackApp(
  config: Config,
  log: Logger,
  health: Health,
  inFlight: InFlightWork,
  installationStore?: InstallationStore,
): App {
  const logger = boltLogger(log);
  const customRoutes = healthRoutes(health);
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
          installerOptions: { clientOptions: { slackApiUrl: config.slack.apiUrl } },
        }
      : {};
  const app = new App({
    ...(config.slack.botToken ? { token: config.slack.botToken } : {}),
    ...(config.slack.appToken
      ? { socketMode: true, appToken: config.slack.appToken, customRoutes, port: config.port }
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
          ),
        }),
    logger,
    ignoreSelf: true,
    clientOptions: {
      slackApiUrl: config.slack.apiUrl,
      // A retried chat.postMessage whose first attempt timed out can post twice; failures become
      // states the services handle (saved, author told) instead of silent repeats.
      retryConfig: { retries: 0 },
      // A 429 fails at once with its own code instead of pausing every other call (views.open has 3 s).
      rejectRateLimitedCalls: true,
      timeout: 10_000,
    },
  });
  app.use(async ({ next }) => {
    await inFlight.track(next());
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
