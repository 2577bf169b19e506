import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatUpcoming } from '../../src/cli.js';
import { createDatabase, type DatabaseHandle } from '../../src/db/client.js';
import { listScheduledRhythms, saveChannelRhythms } from '../../src/db/queries/rhythms.js';
import { DRIVERS } from '../support/databases.js';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack.js';
import { useMigratedDatabase } from '../support/lifecycle.js';
import { SIGNING_SECRET } from '../support/slack-requests.js';

const run = promisify(execFile);
const ROOT = new URL('../..', import.meta.url).pathname;
const scope = { teamId: 'T0OPS', enterpriseId: null };
const TSX = join(ROOT, 'node_modules/tsx/dist/esm/index.mjs');

/** The command line as operators run it, with exactly the environment given. */
function cli(args: string[], env: Record<string, string>) {
  return run(process.execPath, ['--import', TSX, join(ROOT, 'src/cli.ts'), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
  });
}
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
  const handle = useMigratedDatabase(driver);
  beforeAll(() => seed(handle));

  it('shows each scheduled rhythm’s next times in local time and UTC, skipping holidays and rhythms that are off', async () => {
    const text = formatUpcoming(await listScheduledRhythms(handle.db), 3);
    const lines = text.split('\n');
    expect(lines.filter((line) => line.includes('look_back'))).toEqual([
      expect.stringMatching(/Thursday 3 December 2026, 16:00\s+America\/New_York/),
      expect.stringMatching(/Thursday 10 December 2026, 16:00\s+America\/New_York/),
      expect.stringMatching(/Thursday 17 December 2026, 16:00\s+America\/New_York/),
    ]);
    expect(text).toContain('2026-12-03T21:00:00.000Z');
    expect(text).toMatch(/Monday 23 November 2026, 09:30\s+Asia\/Kolkata/);
    expect(text).not.toContain('mid_week');
  });

  it('lines its header up with its columns', async () => {
    const [header = '', ...rows] = formatUpcoming(await listScheduledRhythms(handle.db), 1).split('\n');
    expect(header.split(/\s{2,}/)).toEqual(['team', 'channel', 'kind', 'local time', 'zone', 'utc']);
    const row = rows.find((line) => line.includes('look_back')) ?? '';
    expect(row.indexOf('look_back')).toBe(header.indexOf('kind'));
    expect(row.indexOf('Thursday 3 December 2026, 16:00')).toBe(header.indexOf('local time'));
    expect(row.indexOf('America/New_York')).toBe(header.indexOf('zone'));
    expect(row.indexOf('2026-12-03T21:00:00.000Z')).toBe(header.indexOf('utc'));
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
    const { stdout } = await cli(['upcoming', '--channel', 'C0OPS', '--count', '2'], { DATA_DIR: dataDir });
    expect(stdout).toMatch(/Thursday 3 December 2026, 16:00\s+America\/New_York/);
    expect(stdout).toContain('Thursday 10 December 2026, 16:00');
    expect(stdout).not.toContain('C0OTHER');
  });

  it('explains its usage when asked for something it does not do', async () => {
    await expect(cli(['bogus'], {})).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('Usage: node dist/cli.js <command>'),
    });
  });
});

describe('npm run cli -- migrate', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'learning-thread-migrate-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('applies the migrations to a new embedded database and exits 0', async () => {
    const { stdout } = await cli(['migrate'], { DATA_DIR: dataDir });
    expect(stdout).toBe('Migrations applied (pglite).\n');
    const handle = createDatabase({ dataDir });
    try {
      expect(await listScheduledRhythms(handle.db)).toEqual([]);
    } finally {
      await handle.close();
    }
  });
});

describe('npm run cli -- check-config', () => {
  let slack: FakeSlack;
  let dataDir: string;
  const env = (extra: Record<string, string>) => ({
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.url,
    DATA_DIR: dataDir,
    ...extra,
  });

  beforeAll(async () => {
    slack = await startFakeSlack({ teamId: 'T0CHECKED' });
    slack.refuseToken('xoxb-revoked-check', 'token_revoked');
    dataDir = mkdtempSync(join(tmpdir(), 'learning-thread-check-'));
  });
  afterAll(async () => {
    await slack.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('reports each check and exits 0 when the settings, the database and Slack all agree', async () => {
    const { stdout } = await cli(['check-config'], env({ SLACK_BOT_TOKEN: 'xoxb-good-check' }));
    expect(stdout.split('\n').filter(Boolean)).toEqual([
      'ok    configuration: one workspace, HTTP',
      'ok    database: pglite answers',
      'ok    slack: credentials accepted for workspace T0CHECKED',
    ]);
  });

  it('names every missing or malformed setting and exits 1', async () => {
    await expect(cli(['check-config'], { PORT: 'eighty' })).rejects.toMatchObject({
      code: 1,
      stdout: expect.stringMatching(/SLACK_BOT_TOKEN is missing[\s\S]*PORT should be a whole number/),
    });
  });

  it('says which token Slack refused and where to fix it, and exits 1', async () => {
    const failure = await cli(['check-config'], env({ SLACK_BOT_TOKEN: 'xoxb-revoked-check' })).then(
      () => undefined,
      (error: { code: number; stdout: string }) => error,
    );
    expect(failure?.code).toBe(1);
    const lines = (failure?.stdout ?? '').split('\n').filter(Boolean);
    expect(lines.at(-1)).toMatch(
      /^fail {2}slack: SLACK_BOT_TOKEN was refused by Slack \(token_revoked\).*OAuth & Permissions/,
    );
    expect(failure?.stdout).not.toContain('xoxb-revoked-check');
  });

  it('says when the database cannot be reached, and exits 1', async () => {
    await expect(
      cli(
        ['check-config'],
        env({ SLACK_BOT_TOKEN: 'xoxb-good-check', DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' }),
      ),
    ).rejects.toMatchObject({
      code: 1,
      stdout: expect.stringContaining('fail  database: DATABASE_URL could not be reached (ECONNREFUSED)'),
    });
  });
});
