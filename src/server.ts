import type { Server } from 'node:http';
import { WebClient } from '@slack/web-api';
import type { DestinationStream } from 'pino';
import type { Config } from './config.js';
import { createDatabase, type DatabaseHandle } from './db/client.js';
import { InFlightWork } from './inflight.js';
import { boltLogger, createLogger, describeError, type Logger } from './logger.js';
import {
  createScheduler,
  DEFAULT_SCHEDULER_SETTINGS,
  type Scheduler,
  type SlackForWorkspace,
} from './scheduler/scheduler.js';
import type { ServiceDeps } from './services/deps.js';
import { DEFAULT_DELIVERY_POLICY, type DeliveryPolicy, type NudgeSlack } from './services/nudges.js';
import { purgeExpiredWorkspaces } from './services/workspaces.js';
import { createSlackApp } from './slack/app.js';
import { createInstallationStore } from './slack/installation-store.js';
import { registerListeners } from './slack/listeners/index.js';

export interface RunningApp {
  readonly port: number;
  readonly log: Logger;
  readonly database: DatabaseHandle;
  readonly scheduler: Scheduler;
  /**
   * Resolves once the work answered requests started and any scheduler tick under way have finished, so a
   * caller can look at what they left behind without guessing how long to wait.
   */
  idle(): Promise<void>;
  /** Stops taking requests, lets in-flight work finish, then closes the database. */
  stop(): Promise<void>;
}

export interface StartOptions {
  clock?: () => Date;
  logDestination?: DestinationStream;
  /** How long shutdown waits for work already under way. */
  drainTimeoutMs?: number;
  /** Tests drive the scheduler's ticks themselves with a pinned clock. */
  startScheduler?: boolean;
  deliveryPolicy?: Partial<DeliveryPolicy>;
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

  const deps: ServiceDeps = {
    db: database.db,
    log,
    clock: options.clock ?? (() => new Date()),
    digestPrivacy: { minVoicesForAnonymousQuotes: config.digest.minPeopleForAnonymousQuotes },
    ...(config.distribution ? { distribution: config.distribution } : {}),
  };
  const inFlight = new InFlightWork();
  const clientSettings = {
    slackApiUrl: config.slack.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: config.scheduler.postTimeoutSeconds * 1000,
    logger: boltLogger(log),
  };
  const distribution = config.distribution;
  const installationStore = distribution
    ? createInstallationStore(deps, distribution, async (refreshToken) =>
        new WebClient(undefined, clientSettings).oauth.v2.access({
          client_id: distribution.clientId,
          client_secret: distribution.clientSecret,
          grant_type: 'refresh_token',
          refresh_token: refreshToken,
        }),
      )
    : undefined;
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
    installationStore,
  );
  registerListeners(app, deps, installationStore);

  // Scheduled posts use their own client: no automatic retries (a retried post can duplicate), and a
  // 429 comes back at once so the scheduler can honour Retry-After per channel.
  // With many workspaces, each post authorises through the installation store (refreshing a token that is
  // about to expire), never through a token cached here.
  const schedulerClient: NudgeSlack | SlackForWorkspace = installationStore
    ? async (scope) => {
        try {
          const installation = await installationStore.fetchInstallation({
            teamId: scope.teamId,
            enterpriseId: scope.enterpriseId ?? undefined,
            isEnterpriseInstall: false,
          });
          return installation.bot?.token ? new WebClient(installation.bot.token, clientSettings) : undefined;
        } catch {
          return undefined;
        }
      }
    : new WebClient(config.slack.botToken, clientSettings);
  const scheduler = createScheduler(
    deps,
    schedulerClient,
    {
      ...DEFAULT_SCHEDULER_SETTINGS,
      tickSeconds: config.scheduler.tickSeconds,
      graceMs: config.scheduler.graceMinutes * 60_000,
      leaseMs: config.scheduler.leaseSeconds * 1000,
      // A post that could not be made waits as long as an abandoned claim would, and at most a minute.
      policy: {
        ...DEFAULT_DELIVERY_POLICY,
        retryDelayMs: Math.min(60_000, config.scheduler.leaseSeconds * 1000),
        leaseMs: config.scheduler.leaseSeconds * 1000,
        ...options.deliveryPolicy,
      },
    },
    inFlight,
    async (now) => {
      await purgeExpiredWorkspaces(deps, now);
    },
  );

  const started = (await app.start(config.port)) as unknown;
  const server =
    started && typeof (started as Server).address === 'function' ? (started as Server) : undefined;
  const address = server?.address();
  const port = address && typeof address === 'object' ? address.port : config.port;
  log.info({ port, mode: config.slack.appToken ? 'socket' : 'http' }, 'learning thread listening');
  if (options.startScheduler ?? true) scheduler.start();

  let stopping: Promise<void> | undefined;
  return {
    port,
    log,
    database,
    scheduler,
    async idle() {
      await scheduler.settled();
      // A tick is tracked as in-flight work too, so this also covers one that started meanwhile.
      await inFlight.settled();
    },
    stop() {
      stopping ??= (async () => {
        log.info({ inFlight: inFlight.size }, 'shutting down');
        // A tick deep in a long post is not waited for beyond the drain time; its claims simply expire.
        await Promise.race([
          scheduler.stop(),
          new Promise((resolve) => setTimeout(resolve, options.drainTimeoutMs ?? 10_000).unref()),
        ]);
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
