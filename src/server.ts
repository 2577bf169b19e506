import type { Server } from 'node:http';
import type { DestinationStream } from 'pino';
import type { Config } from './config.js';
import { createDatabase, type DatabaseHandle } from './db/client.js';
import { InFlightWork } from './inflight.js';
import { createLogger, describeError, type Logger } from './logger.js';
import type { ServiceDeps } from './services/deps.js';
import { createSlackApp } from './slack/app.js';
import { registerListeners } from './slack/listeners/index.js';

export interface RunningApp {
  readonly port: number;
  readonly log: Logger;
  readonly database: DatabaseHandle;
  /** Stops taking requests, lets in-flight work finish, then closes the database. */
  stop(): Promise<void>;
}

export interface StartOptions {
  clock?: () => Date;
  logDestination?: DestinationStream;
  /** How long shutdown waits for work already under way. */
  drainTimeoutMs?: number;
}

export async function startLearningThread(config: Config, options: StartOptions = {}): Promise<RunningApp> {
  const log = createLogger(config.logLevel, options.logDestination);
  const database = createDatabase(config.database);
  let migrated = false;
  try {
    await database.migrate();
    migrated = true;
  } catch (error) {
    await database.close().catch(() => {});
    throw error;
  }
  log.info({ driver: database.driver }, 'database ready');

  const deps: ServiceDeps = { db: database.db, log, clock: options.clock ?? (() => new Date()) };
  const inFlight = new InFlightWork();
  const app = createSlackApp(
    config,
    log,
    {
      ready: async () => {
        if (!migrated) return false;
        await database.ping();
        return true;
      },
    },
    inFlight,
  );
  registerListeners(app, deps);

  const started = (await app.start(config.port)) as unknown;
  const server =
    started && typeof (started as Server).address === 'function' ? (started as Server) : undefined;
  const address = server?.address();
  const port = address && typeof address === 'object' ? address.port : config.port;
  log.info({ port, mode: config.slack.appToken ? 'socket' : 'http' }, 'learning thread listening');

  let stopping: Promise<void> | undefined;
  return {
    port,
    log,
    database,
    stop() {
      stopping ??= (async () => {
        log.info({ inFlight: inFlight.size }, 'shutting down');
        const closed = app.stop();
        server?.closeIdleConnections();
        const drained = await inFlight.drain(options.drainTimeoutMs ?? 10_000);
        if (!drained) log.warn({ inFlight: inFlight.size }, 'shutdown gave up waiting for in-flight work');
        server?.closeAllConnections();
        await closed.catch((error: Error) => log.warn({ err: describeError(error) }, 'server close'));
        await database.close();
        log.info('stopped');
      })();
      return stopping;
    },
  };
}
