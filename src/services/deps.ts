import type { Distribution } from '../config.js';
import type { Database } from '../db/client.js';
import type { Logger } from '../logger.js';
import type { DeliveryPolicy } from './delivery.js';
import type { DigestPrivacy } from './digest.js';

/** What every service needs from the process: where data lives, where logs go, and what time it is. */
export interface ServiceDeps {
  db: Database;
  log: Logger;
  clock: () => Date;
  /** Defaults to quoting anonymous answers only when at least three people answered. */
  digestPrivacy?: DigestPrivacy;
  /** How effects are posted, by the scheduler and by the process that wrote them; defaults otherwise. */
  delivery?: DeliveryPolicy;
  /** Set when the app installs into many workspaces. */
  distribution?: Distribution;
}
