import type { Database } from '../db/client.js';
import type { Logger } from '../logger.js';

/** What every service needs from the process: where data lives, where logs go, and what time it is. */
export interface ServiceDeps {
  db: Database;
  log: Logger;
  clock: () => Date;
}
