import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type DatabaseHandle } from '../../src/db/client.js';
import { channelSettings, occurrences, rhythms } from '../../src/db/schema.js';
import { InFlightWork } from '../../src/inflight.js';
import { createLogger } from '../../src/logger.js';
import { createScheduler, nextTickAt } from '../../src/scheduler/scheduler.js';
import { DRIVERS } from '../support/databases.js';
import { LogCapture } from '../support/harness.js';
import { useFakeSlack, useMigratedDatabase } from '../support/lifecycle.js';
import { fakeSlackClient, schedulerSettings, seedChannelWithRhythm } from '../support/scheduling.js';

const TEAM = 'T0SCHED';
const NOW = new Date('2026-11-23T09:30:00Z');

describe('nextTickAt', () => {
  it.each([
    [60, '2026-11-23T09:30:00.000Z', '2026-11-23T09:31:00.000Z'],
    [60, '2026-11-23T09:30:59.999Z', '2026-11-23T09:31:00.000Z'],
    [30, '2026-11-23T09:30:10.000Z', '2026-11-23T09:30:30.000Z'],
    [1, '2026-11-23T09:30:10.250Z', '2026-11-23T09:30:11.000Z'],
  ])('ticking every %i s, after %s comes %s', (seconds, after, expected) => {
    expect(new Date(nextTickAt(Date.parse(after), seconds)).toISOString()).toBe(expected);
  });
});

describe.each(DRIVERS)('a scheduler that meets broken data (%s)', (driver) => {
  const handle = useMigratedDatabase(driver);
  const slack = useFakeSlack({ teamId: TEAM, now: () => NOW });
  const logs = new LogCapture();

  function scheduler(database: DatabaseHandle) {
    const deps = { db: database.db, log: createLogger('debug', logs), clock: () => NOW };
    return createScheduler(
      deps,
      fakeSlackClient(slack, 'xoxb-scheduler'),
      schedulerSettings(),
      new InFlightWork(),
    );
  }

  beforeAll(async () => {
    for (const [channelId, timeZone] of [
      ['C0HEALTHY', 'Europe/London'],
      ['C0BROKEN', 'Europe/London'],
    ] as const) {
      slack.addChannel({ id: channelId });
      await seedChannelWithRhythm(handle.db, {
        teamId: TEAM,
        channelId,
        stewardId: 'U0STEWARD',
        timeZone,
        localTime: '09:30',
        nextDueAt: NOW,
      });
    }
    // A zone name that no longer exists, as if written by an older version or by hand.
    await handle.db
      .update(channelSettings)
      .set({ timeZone: 'Atlantis/Lost_City' })
      .where(eq(channelSettings.channelId, 'C0BROKEN'));
  });

  it('stops only the rhythm whose schedule cannot be read, and posts everyone else’s', async () => {
    const summary = await scheduler(handle).tick();
    expect(summary.posted).toBe(2);
    expect(logs.text).toContain('rhythm schedule unreadable; rhythm stopped');
    const rows = await handle.db.select().from(rhythms);
    expect(rows.find((row) => row.channelId === 'C0BROKEN')?.nextDueAt).toBeNull();
    expect(rows.find((row) => row.channelId === 'C0HEALTHY')?.nextDueAt?.toISOString()).toBe(
      '2026-11-30T09:30:00.000Z',
    );
    expect((await handle.db.select().from(occurrences)).every((row) => row.status === 'posted')).toBe(true);
  });

  it('logs a tick that throws and still runs the next one', async () => {
    const broken = createDatabase(handle.settings);
    await broken.close();
    const failing = scheduler(broken);
    expect(await failing.tick()).toEqual({});
    expect(await failing.tick()).toEqual({});
    expect(logs.lines.filter((line) => line.includes('"scheduler tick failed"'))).toHaveLength(2);
  });
});
