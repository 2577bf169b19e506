import pg from 'pg';
import type { DatabaseSettings } from '../../src/db/client.js';

export type Driver = 'pglite' | 'postgres';

/** PGlite always; real Postgres too when TEST_DATABASE_URL points at one (as CI does). */
export const DRIVERS: Driver[] = process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

export interface TestDatabase {
  settings: DatabaseSettings;
  drop(): Promise<void>;
}

/** A fresh, empty database per use, so tests never see each other's rows. */
export async function createTestDatabase(driver: Driver): Promise<TestDatabase> {
  if (driver === 'pglite') return { settings: { inMemory: true }, drop: async () => {} };
  const adminUrl = process.env.TEST_DATABASE_URL as string;
  const name = `lt_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    settings: { url: url.toString() },
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}
