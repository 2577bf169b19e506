import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatUpcoming } from '../../src/cli.js';
import { createDatabase, type DatabaseHandle } from '../../src/db/client.js';
import { listScheduledRhythms, saveChannelRhythms } from '../../src/db/queries/rhythms.js';
import { createTestDatabase, DRIVERS, type TestDatabase } from '../support/databases.js';

const run = promisify(execFile);
const ROOT = new URL('../..', import.meta.url).pathname;
const scope = { teamId: 'T0OPS', enterpriseId: null };
/** When the operators' rhythms were saved: before every next time the fixtures name. */
const SAVED_AT = new Date('2026-11-20T12:00:00Z');

async function seed(handle: DatabaseHandle) {
  const calendar = {
    timeZone: 'America/New_York',
    workDays: [1, 2, 3, 4, 5],
    pauseUntil: null,
    skipDates: ['2026-11-26'],
  };
  await saveChannelRhythms(handle.db, scope, 'C0OPS', {
    calendar,
    userId: 'U0OPS',
    now: SAVED_AT,
    rhythms: [
      {
        kind: 'look_back',
        enabled: true,
        days: [4],
        localTime: '16:00',
        nextDueAt: new Date('2026-12-03T21:00:00Z'),
      },
      { kind: 'mid_week', enabled: false, days: [3], localTime: '14:00', nextDueAt: null },
    ],
  });
  await saveChannelRhythms(handle.db, scope, 'C0OTHER', {
    calendar: { ...calendar, timeZone: 'Asia/Kolkata', skipDates: [] },
    userId: 'U0OPS',
    now: SAVED_AT,
    rhythms: [
      {
        kind: 'week_ahead',
        enabled: true,
        days: [1],
        localTime: '09:30',
        nextDueAt: new Date('2026-11-23T04:00:00Z'),
      },
    ],
  });
}

describe.each(DRIVERS)('listing upcoming occurrences for operators (%s)', (driver) => {
  let testDatabase: TestDatabase;
  let handle: DatabaseHandle;

  beforeAll(async () => {
    testDatabase = await createTestDatabase(driver);
    handle = createDatabase(testDatabase.settings);
    await handle.migrate();
    await seed(handle);
  });
  afterAll(async () => {
    await handle.close();
    await testDatabase.drop();
  });

  it('shows each scheduled rhythm’s next times in local time and UTC, skipping holidays and rhythms that are off', async () => {
    const text = formatUpcoming(await listScheduledRhythms(handle.db), 3);
    const lines = text.split('\n');
    expect(lines.filter((line) => line.includes('look_back'))).toEqual([
      expect.stringContaining('Thursday 3 December 2026, 16:00 America/New_York'),
      expect.stringContaining('Thursday 10 December 2026, 16:00 America/New_York'),
      expect.stringContaining('Thursday 17 December 2026, 16:00 America/New_York'),
    ]);
    expect(text).toContain('2026-12-03T21:00:00.000Z');
    expect(text).toContain('Monday 23 November 2026, 09:30 Asia/Kolkata');
    expect(text).not.toContain('mid_week');
  });

  it('narrows to the channels asked for', async () => {
    const text = formatUpcoming(await listScheduledRhythms(handle.db, ['C0OTHER']), 1);
    expect(text).toContain('C0OTHER');
    expect(text).not.toContain('C0OPS');
  });
});

describe('npm run cli -- upcoming', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'learning-thread-cli-'));
    const handle = createDatabase({ dataDir });
    await handle.migrate();
    await seed(handle);
    await handle.close();
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('prints the schedule from the embedded database', async () => {
    const { stdout } = await run(
      process.execPath,
      [
        '--import',
        join(ROOT, 'node_modules/tsx/dist/esm/index.mjs'),
        join(ROOT, 'src/cli.ts'),
        'upcoming',
        '--channel',
        'C0OPS',
        '--count',
        '2',
      ],
      {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir },
      },
    );
    expect(stdout).toContain('Thursday 3 December 2026, 16:00 America/New_York');
    expect(stdout).toContain('Thursday 10 December 2026, 16:00');
    expect(stdout).not.toContain('C0OTHER');
  });

  it('explains its usage when asked for something it does not do', async () => {
    await expect(
      run(
        process.execPath,
        ['--import', join(ROOT, 'node_modules/tsx/dist/esm/index.mjs'), join(ROOT, 'src/cli.ts'), 'bogus'],
        { cwd: ROOT },
      ),
    ).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('Usage: npm run cli -- upcoming') });
  });
});
