import { parseArgs } from 'node:util';
import { loadDatabaseSettings } from './config.js';
import { createDatabase } from './db/client.js';
import { listScheduledRhythms, type UpcomingRhythm } from './db/queries/rhythms.js';
import { formatLocal, type IsoWeekday, nextOccurrences } from './domain/schedule.js';

const USAGE = `Usage: npm run cli -- upcoming [--channel C0123…]… [--count N]

  upcoming   the next occurrences of every scheduled rhythm, in the channel's local time and in UTC`;

/** The next `count` instants of a scheduled rhythm, starting with the one already recorded as due. */
export function upcomingInstants({ rhythm, settings }: UpcomingRhythm, count: number): Date[] {
  if (!rhythm.nextDueAt) return [];
  const following = nextOccurrences(
    { days: rhythm.days as IsoWeekday[], localTime: rhythm.localTime },
    {
      timeZone: settings.timeZone,
      workDays: settings.workDays as IsoWeekday[],
      pauseUntil: settings.pauseUntil,
      skipDates: settings.skipDates,
    },
    rhythm.nextDueAt,
    count - 1,
  );
  return [rhythm.nextDueAt, ...following];
}

export function formatUpcoming(rows: readonly UpcomingRhythm[], count: number): string {
  if (rows.length === 0) return 'No rhythm is scheduled.';
  const lines = rows.flatMap((row) =>
    upcomingInstants(row, count).map((instant) =>
      [
        row.rhythm.teamId,
        row.rhythm.channelId,
        row.rhythm.kind.padEnd(10),
        `${formatLocal(instant, row.settings.timeZone)} ${row.settings.timeZone}`.padEnd(52),
        instant.toISOString(),
      ].join('  '),
    ),
  );
  return ['team  channel  rhythm  local time  utc', ...lines].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      channel: { type: 'string', multiple: true },
      count: { type: 'string', default: '3' },
      help: { type: 'boolean' },
    },
  });
  const count = Number(values.count);
  if (values.help || positionals[0] !== 'upcoming' || !Number.isInteger(count) || count < 1 || count > 50) {
    process.stderr.write(`${USAGE}\n`);
    return values.help ? 0 : 2;
  }
  const loaded = loadDatabaseSettings(process.env);
  if (!loaded.ok) {
    process.stderr.write(`${loaded.message}\n`);
    return 1;
  }
  const database = createDatabase(loaded.settings);
  try {
    await database.migrate();
    const rows = await listScheduledRhythms(database.db, values.channel ?? []);
    process.stdout.write(`${formatUpcoming(rows, count)}\n`);
    return 0;
  } finally {
    await database.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: Error) => {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    },
  );
}
