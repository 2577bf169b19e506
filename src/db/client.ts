import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import * as schema from './schema.js';

/** A database or an open transaction: queries accept either. */
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface DatabaseHandle {
  readonly db: Database;
  readonly driver: 'postgres' | 'pglite';
  /** Applies pending migrations; safe when several replicas start at once. */
  migrate(): Promise<void>;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  /** The Postgres pool's connections; undefined on PGlite, which is one connection and has no pool. */
  poolStats: (() => { total: number; idle: number; waiting: number }) | undefined;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /**
   * Told of an error on a pooled connection (a server restart, a dropped connection, a session ended
   * mid-transaction). The pool replaces the connection; the next query that needs one reports any
   * lasting problem.
   */
  onPoolError?: (error: Error) => void;
  /** How long Postgres lets a session sit idle inside a transaction before ending it. */
  idleInTransactionMs?: number;
}

export type DatabaseSettings = { url: string } | { dataDir: string } | { inMemory: true };

// Resolves to the repository's migrations folder from both src/db (tsx, tests) and dist/db (built).
export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../migrations', import.meta.url));

/**
 * Longer than a transaction of ours waits between statements (a token refresh's call to Slack is the
 * longest, and the server raises this for a longer Slack timeout), far shorter than a stopped process can
 * stay stopped.
 */
export const IDLE_IN_TRANSACTION_MS = 30_000;
// An arbitrary constant that identifies "Learning Thread is migrating" among advisory locks.
const MIGRATION_LOCK_KEY = 7_406_511_337;

export function createDatabase(settings: DatabaseSettings, options: DatabaseOptions = {}): DatabaseHandle {
  if ('url' in settings) return createPostgres(settings.url, options);
  return createPglite('dataDir' in settings ? settings.dataDir : undefined);
}

function createPostgres(url: string, options: DatabaseOptions): DatabaseHandle {
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    idleTimeoutMillis: 30_000,
    // A process stopped mid-transaction (frozen, paused by its host) would otherwise keep its row locks
    // for as long as its connection lives, and replicas claiming with SKIP LOCKED would pass those rows
    // by until it woke. Postgres ends such a session instead, the transaction is rolled back, and the
    // stopped process's fence keeps it from acting on what it held when it wakes.
    idle_in_transaction_session_timeout: options.idleInTransactionMs ?? IDLE_IN_TRANSACTION_MS,
  });
  // Without a listener, a connection the server closes would end the process. The pool listens only
  // while a connection is idle, so each connection gets a listener of its own that also covers the time
  // it is checked out (a session ended mid-transaction); the query waiting on it fails, and its caller
  // handles that. The pool's own event repeats an idle connection's error, already reported.
  pool.on('connect', (client) => {
    client.on('error', (error) => options.onPoolError?.(error));
  });
  pool.on('error', () => {});
  const db = drizzlePg({ client: pool, schema });
  return {
    db,
    driver: 'postgres',
    async migrate() {
      // drizzle's migrator takes no lock of its own; a session lock held on one dedicated connection
      // makes a second replica wait here and then find nothing left to apply.
      const connection = await pool.connect();
      try {
        await connection.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
        try {
          await migratePg(drizzlePg({ client: connection, schema }), { migrationsFolder: MIGRATIONS_FOLDER });
        } finally {
          await connection.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
        }
      } finally {
        connection.release();
      }
    },
    async ping() {
      await db.execute(sql`select 1`);
    },
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    async close() {
      await pool.end();
    },
  };
}

function createPglite(dataDir: string | undefined): DatabaseHandle {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const client = new PGlite(dataDir);
  const db = drizzlePglite({ client, schema });
  return {
    db,
    driver: 'pglite',
    async migrate() {
      // PGlite is one connection in one process, so nothing can race this migration.
      await migratePglite(db, { migrationsFolder: MIGRATIONS_FOLDER });
    },
    async ping() {
      await db.execute(sql`select 1`);
    },
    poolStats: undefined,
    async close() {
      if (!client.closed) await client.close();
    },
  };
}
