import { afterAll, beforeAll } from 'vitest';
import { createDatabase, type DatabaseHandle, type DatabaseSettings } from '../../src/db/client.js';
import { createTestDatabase, type Driver, type TestDatabase } from './databases.js';
import { type FakeSlack, type FakeSlackOptions, startFakeSlack } from './fake-slack.js';

/**
 * Something started in beforeAll and stopped in afterAll of the enclosing describe block. The returned
 * object forwards to it once started, so a block can name it where it declares its tests.
 */
function forDescribe<T extends object>(
  what: string,
  start: () => Promise<T>,
  stop: (started: T) => Promise<void>,
): T {
  let current: T | undefined;
  beforeAll(async () => {
    current = await start();
  });
  afterAll(async () => {
    if (current) await stop(current);
  });
  return new Proxy({} as T, {
    get(_target, key) {
      if (!current) throw new Error(`the ${what} starts in beforeAll; use it inside a test or a later hook`);
      const value = Reflect.get(current, key, current);
      return typeof value === 'function' ? value.bind(current) : value;
    },
  });
}

/** A database handle that also says where its database is, for a test that opens a second handle on it. */
export interface MigratedDatabase extends DatabaseHandle {
  readonly settings: DatabaseSettings;
}

/** A fresh, migrated database for the enclosing describe block, closed and dropped after it. */
export function useMigratedDatabase(driver: Driver): MigratedDatabase {
  let testDatabase: TestDatabase | undefined;
  // Registered first so that it runs last: the database is dropped once its handle has closed.
  afterAll(async () => {
    await testDatabase?.drop();
  });
  return forDescribe(
    'database',
    async () => {
      testDatabase = await createTestDatabase(driver);
      const handle = createDatabase(testDatabase.settings);
      await handle.migrate();
      return Object.assign(handle, { settings: testDatabase.settings });
    },
    (handle) => handle.close(),
  );
}

/** A fake Slack for the enclosing describe block, closed after it. */
export function useFakeSlack(options: FakeSlackOptions): FakeSlack {
  return forDescribe(
    'fake Slack',
    () => startFakeSlack(options),
    (slack) => slack.close(),
  );
}
