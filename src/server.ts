import type { Server } from 'node:http';
import { WebClient } from '@slack/web-api';
import type { DestinationStream } from 'pino';
import type { Config } from './config.js';
import { createDatabase, type DatabaseHandle, IDLE_IN_TRANSACTION_MS } from './db/client.js';
import { InFlightWork } from './inflight.js';
import { boltLogger, createLogger, describeError, type Logger } from './logger.js';
import { createMetrics, type Metrics } from './metrics.js';
import {
  createScheduler,
  DEFAULT_SCHEDULER_SETTINGS,
  type Scheduler,
  type SlackForWorkspace,
} from './scheduler/scheduler.js';
import { DEFAULT_DELIVERY_POLICY, type DeliveryPolicy, type DeliverySlack } from './services/delivery.js';
import type { ServiceDeps } from './services/deps.js';
import { purgeExpiredWorkspaces } from './services/workspaces.js';
import { createSlackApp, operationsRoutes, type Readiness, serveOperationsRoutes } from './slack/app.js';
import {
  backoffMs,
  checkSlackCredentials,
  type HomeWorkspace,
  SlackNotConnectedError,
  SlackRefusedError,
} from './slack/connection.js';
import { createInstallationStore } from './slack/installation-store.js';
import { registerListeners } from './slack/listeners/index.js';
import { authorisedScope } from './slack/listeners/scope.js';

const KEEP_ALIVE_TIMEOUT_MS = 65_000;

export interface RunningApp {
  readonly port: number;
  readonly log: Logger;
  readonly database: DatabaseHandle;
  readonly scheduler: Scheduler;
  readonly metrics: Metrics;
  /**
   * Single-workspace mode: the workspace (team, organisation) Slack's auth.test named for the bot token.
   * Undefined until Slack has answered (it may be out of reach at start), and always with many workspaces.
   */
  homeWorkspace(): HomeWorkspace | undefined;
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
  /** Waits between checks while Slack is out of reach at start: doubling from `initialMs` up to `maxMs`. */
  slackRetry?: { initialMs: number; maxMs: number };
  /**
   * Slack refused the credentials after start (it was out of reach until then). The app has stopped;
   * the process should exit. Without it the refusal is only logged.
   */
  onSlackRefused?: (problem: string) => void;
}

export async function startLearningThread(config: Config, options: StartOptions = {}): Promise<RunningApp> {
  const log = createLogger(config.logLevel, options.logDestination);
  const database = createDatabase(config.database, {
    onPoolError: (error) => log.error({ err: describeError(error) }, 'database connection lost'),
    // A token refresh calls Slack inside its transaction: a slow answer must not end that session.
    idleInTransactionMs: Math.max(IDLE_IN_TRANSACTION_MS, 2 * config.scheduler.postTimeoutSeconds * 1000),
  });
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
    // A post that could not be made waits as long as an abandoned claim would, and at most a minute.
    delivery: {
      ...DEFAULT_DELIVERY_POLICY,
      retryDelayMs: Math.min(60_000, config.scheduler.leaseSeconds * 1000),
      leaseMs: config.scheduler.leaseSeconds * 1000,
      ...options.deliveryPolicy,
    },
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
  const metrics = createMetrics(database.poolStats);

  // Credentials are checked before listening, so a wrong token ends the start with one clear line. Slack
  // out of reach is not the configuration's fault: the app listens, reports not ready and keeps asking.
  const checkOptions = { ...clientSettings, logger: boltLogger(log.child({}, { level: 'error' })) };
  const firstCheck = await checkSlackCredentials(config, checkOptions);
  if (firstCheck.status === 'refused') {
    await database.close().catch(() => {});
    throw new SlackRefusedError(firstCheck.problem);
  }
  const slackLink: {
    homeWorkspace: HomeWorkspace | undefined;
    notReady: string | undefined;
  } = {
    homeWorkspace: firstCheck.status === 'accepted' ? firstCheck.homeWorkspace : undefined,
    notReady: firstCheck.status === 'unreachable' ? firstCheck.reason : 'connecting to Slack',
  };
  const botToken = config.slack.botToken;
  const authorize = botToken
    ? async () => {
        const home = slackLink.homeWorkspace;
        if (!home) throw new SlackNotConnectedError();
        return {
          botToken,
          botId: home.botId,
          botUserId: home.botUserId,
          teamId: home.teamId,
          ...(home.enterpriseId ? { enterpriseId: home.enterpriseId } : {}),
          // The scope of every request; Bolt would fill an unset organisation from the payload.
          ...authorisedScope(home),
        };
      }
    : undefined;
  const health = {
    ready: async (): Promise<Readiness> => {
      if (!migrated) return { ready: false, reason: 'database migrations not applied' };
      if (slackLink.notReady) return { ready: false, reason: slackLink.notReady };
      try {
        await database.ping();
      } catch (error) {
        const { type, code } = describeError(error);
        return { ready: false, reason: `database not answering (${code ?? type})` };
      }
      return { ready: true };
    },
  };
  const routes = operationsRoutes(health, metrics);

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
    inFlight,
    { metrics, routes, ...(authorize ? { authorize } : {}) },
    installationStore,
  );
  registerListeners(app, deps, installationStore);

  // Scheduled posts use their own client: no automatic retries (a retried post can duplicate), and a
  // 429 comes back at once so the scheduler can honour Retry-After per channel.
  // With many workspaces, each post authorises through the installation store (refreshing a token that is
  // about to expire), never through a token cached here.
  const schedulerClient: DeliverySlack | SlackForWorkspace = installationStore
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
      metrics: metrics.scheduler,
      policy: deps.delivery,
    },
    inFlight,
    async (now) => {
      await purgeExpiredWorkspaces(deps, now);
    },
  );

  const socketMode = Boolean(config.slack.appToken);
  // Socket Mode connects when Slack has accepted the tokens; its operations routes are served meanwhile.
  const server = socketMode
    ? await serveOperationsRoutes(routes, config.port)
    : ((await app.start(config.port)) as Server);
  // Idle keep-alive connections outlive the clients' and proxies' own idle timeouts (commonly 60 s), so the
  // server never closes a connection at the instant a client sends its next request on it.
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1000;
  const address = server.address();
  const port = address && typeof address === 'object' ? address.port : config.port;
  log.info({ port, mode: socketMode ? 'socket' : 'http' }, 'learning thread listening');

  let stopRequested = false;
  let wakeRetry: () => void = () => {};
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wakeRetry = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  let stopping: Promise<void> | undefined;
  let socketStarted = false;

  /** Connects the socket if there is one; true once the app is connected to Slack. */
  async function connect(): Promise<boolean> {
    if (socketMode && !socketStarted) {
      try {
        await app.start();
        socketStarted = true;
      } catch (error) {
        const { type, code } = describeError(error);
        slackLink.notReady = `Socket Mode connection failed (${code ?? type}); retrying`;
        return false;
      }
    }
    slackLink.notReady = undefined;
    if (options.startScheduler ?? true) scheduler.start();
    return true;
  }

  async function keepTryingSlack(): Promise<void> {
    let reported = slackLink.notReady;
    if (reported) log.warn({ reason: reported }, 'Slack not reachable at start; retrying');
    for (let attempt = 1; !stopRequested; attempt += 1) {
      await pause(backoffMs(attempt, options.slackRetry ?? { initialMs: 1_000, maxMs: 60_000 }));
      if (stopRequested) return;
      const check = await checkSlackCredentials(config, checkOptions);
      if (check.status === 'refused') {
        log.error('Slack refused the credentials; stopping');
        await stop();
        if (options.onSlackRefused) options.onSlackRefused(check.problem);
        return;
      }
      if (check.status === 'accepted') {
        slackLink.homeWorkspace = check.homeWorkspace;
        if (await connect()) {
          log.info({ attempts: attempt + 1 }, 'Slack reachable; ready');
          return;
        }
      } else {
        slackLink.notReady = `${check.reason}; retrying`;
      }
      if (slackLink.notReady !== reported) {
        reported = slackLink.notReady;
        log.warn({ reason: reported }, 'Slack not reachable; retrying');
      }
    }
  }

  if (firstCheck.status === 'unreachable') slackLink.notReady = `${firstCheck.reason}; retrying`;
  const connectedAtOnce = firstCheck.status === 'accepted' && (await connect());
  if (!connectedAtOnce) void keepTryingSlack();

  function stop(): Promise<void> {
    stopping ??= (async () => {
      log.info({ inFlight: inFlight.size }, 'shutting down');
      stopRequested = true;
      wakeRetry();
      // A tick deep in a long post is not waited for beyond the drain time; its claims simply expire.
      await Promise.race([
        scheduler.stop(),
        new Promise((resolve) => setTimeout(resolve, options.drainTimeoutMs ?? 10_000).unref()),
      ]);
      const closed = socketMode
        ? Promise.all([
            socketStarted ? app.stop() : undefined,
            new Promise<void>((resolve, reject) =>
              server.close((error) => (error ? reject(error) : resolve())),
            ),
          ])
        : app.stop();
      server.closeIdleConnections();
      const drained = await inFlight.drain(options.drainTimeoutMs ?? 10_000);
      if (!drained) log.warn({ inFlight: inFlight.size }, 'shutdown gave up waiting for in-flight work');
      server.closeAllConnections();
      await closed.catch((error: Error) => log.warn({ err: describeError(error) }, 'server close'));
      await database.close();
      log.info('stopped');
    })();
    return stopping;
  }

  return {
    port,
    log,
    database,
    scheduler,
    metrics,
    homeWorkspace: () => slackLink.homeWorkspace,
    async idle() {
      await scheduler.settled();
      // A tick is tracked as in-flight work too, so this also covers one that started meanwhile.
      await inFlight.settled();
    },
    stop,
  };
}
