import { afterAll, describe, expect, it } from 'vitest';
import { occurrences } from '../../src/db/schema.js';
import { InFlightWork } from '../../src/inflight.js';
import { createLogger } from '../../src/logger.js';
import { createMetrics } from '../../src/metrics.js';
import { createScheduler, type TickTimer } from '../../src/scheduler/scheduler.js';
import { DRIVERS } from '../support/databases.js';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack.js';
import { LogCapture } from '../support/harness.js';
import { useMigratedDatabase } from '../support/lifecycle.js';
import { fakeSlackClient, schedulerSettings, seedChannelWithRhythm } from '../support/scheduling.js';

const TEAM = 'T0CLOCK';
const START = new Date('2026-11-23T09:00:30Z');
const WEEK_MS = 7 * 86_400_000;

/** A wall clock the test moves, and the timers armed against it, fired only when the test says. */
class ManualTimer implements TickTimer {
  private armed: { at: number; fire: () => void; cleared: boolean }[] = [];
  constructor(public nowMs: number) {}
  now = () => this.nowMs;
  setTimeout(fire: () => void, ms: number) {
    const timer = { at: this.nowMs + ms, fire, cleared: false };
    this.armed.push(timer);
    return {
      clear: () => {
        timer.cleared = true;
      },
    };
  }
  get pending() {
    return this.armed.filter((timer) => !timer.cleared);
  }
  /** Fires what is due by the (monotonic) time elapsed, as Node would after a wall-clock jump. */
  fireDue(elapsedMs: number) {
    const due = this.pending.filter((timer) => timer.at <= elapsedMs);
    this.armed = this.pending.filter((timer) => timer.at > elapsedMs);
    for (const timer of due) timer.fire();
    return due.length;
  }
}

describe.each(DRIVERS)('the scheduler after the clock jumps a week (%s)', (driver) => {
  const handle = useMigratedDatabase(driver);
  let slack: FakeSlack;
  afterAll(async () => {
    await slack?.close();
  });

  it('runs one catch-up tick, replays none of the missed ones, and logs a few JSON lines', async () => {
    const later = new Date(START.getTime() + WEEK_MS);
    let now = START;
    slack = await startFakeSlack({ teamId: TEAM, now: () => now });
    slack.addChannel({ id: 'C0CLOCK' });
    // Due half an hour before the clock lands: inside the grace window, so the catch-up tick posts it.
    await seedChannelWithRhythm(handle.db, {
      teamId: TEAM,
      channelId: 'C0CLOCK',
      stewardId: 'U0STEWARD',
      timeZone: 'UTC',
      localTime: '08:30',
      nextDueAt: new Date(later.getTime() - 30 * 60_000),
    });

    const logs = new LogCapture();
    const metrics = createMetrics(undefined);
    const timer = new ManualTimer(START.getTime());
    const scheduler = createScheduler(
      { db: handle.db, log: createLogger('info', logs), clock: () => now },
      fakeSlackClient(slack, 'xoxb-clock'),
      schedulerSettings({ metrics: metrics.scheduler, timer }),
      new InFlightWork(),
    );
    scheduler.start();
    expect(timer.pending).toHaveLength(1);
    expect(timer.pending[0]?.at).toBe(Date.parse('2026-11-23T09:01:00Z'));

    // The wall clock leaps a week while only a minute of the process's own time passes.
    now = later;
    timer.nowMs = later.getTime();
    expect(timer.fireDue(Date.parse('2026-11-23T09:01:00Z'))).toBe(1);
    await scheduler.settled();
    // Whatever the ticking does next, it is one timer for the next boundary of the new present.
    await expect.poll(() => timer.pending.length).toBe(1);
    expect(timer.pending[0]?.at).toBe(later.getTime() - 30_000 + 60_000);
    await scheduler.stop();

    const ticks = (await metrics.scheduler.tickSeconds.get()).values.find(
      (value) => value.metricName === 'learning_thread_scheduler_tick_seconds_count',
    );
    expect(ticks?.value).toBe(1);
    expect(slack.messagesIn('C0CLOCK')).toHaveLength(1);
    expect((await handle.db.select().from(occurrences)).map((row) => row.status)).toEqual(['posted']);
    expect(logs.lines.length).toBeGreaterThan(0);
    expect(logs.lines.length).toBeLessThan(10);
    for (const line of logs.lines) expect(() => JSON.parse(line)).not.toThrow();
  });
});
