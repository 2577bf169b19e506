import type { IncomingMessage, ServerResponse } from 'node:http';
import { App, type CustomRoute } from '@slack/bolt';
import type { Config } from '../config.js';
import type { InFlightWork } from '../inflight.js';
import { boltLogger, type Logger } from '../logger.js';

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

export function createSlackApp(config: Config, log: Logger, health: Health, inFlight: InFlightWork): App {
  const socketMode = Boolean(config.slack.appToken);
  const app = new App({
    token: config.slack.botToken,
    ...(socketMode
      ? { socketMode: true, appToken: config.slack.appToken }
      : { signingSecret: config.slack.signingSecret as string }),
    port: config.port,
    customRoutes: healthRoutes(health),
    logger: boltLogger(log),
    ignoreSelf: true,
    clientOptions: {
      slackApiUrl: config.slack.apiUrl,
      // A retried chat.postMessage whose first attempt timed out can post twice; failures become
      // states the services handle (saved, author told) instead of silent repeats.
      retryConfig: { retries: 0 },
      timeout: 10_000,
    },
  });
  app.use(async ({ next }) => {
    await inFlight.track(next());
  });
  app.error(async (error) => {
    log.error({ err: { message: error.message, code: error.code } }, 'listener failed');
  });
  return app;
}
