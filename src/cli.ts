import { parseArgs } from 'node:util';
import { loadConfig, loadDatabaseSettings } from './config.js';
import { createDatabase, type DatabaseSettings } from './db/client.js';
import { listScheduledRhythms, type UpcomingRhythm } from './db/queries/rhythms.js';
import { formatLocal, type IsoWeekday, nextOccurrences } from './domain/schedule.js';
import { describeError } from './logger.js';
import { checkSlackCredentials } from './slack/connection.js';

const USAGE = `Usage: node dist/cli.js <command>   (or npm run cli -- <command>, after npm run build)

  upcoming [--channel C0123…]… [--count N]
               the next occurrences of every scheduled rhythm, in the channel's local time and in UTC
  check-config validates the environment, reaches the database and asks Slack about the credentials;
               exits 0 when all is well, 1 with what is wrong
  migrate      applies the database migrations and exits`;

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

/** Rows of cells as columns padded to their widest cell, the header first, two spaces apart. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  return [header, ...rows]
    .map((cells) =>
      cells
        .map((cell, column) => cell.padEnd(widths[column] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export function formatUpcoming(rows: readonly UpcomingRhythm[], count: number): string {
  if (rows.length === 0) return 'No rhythm is scheduled.';
  const lines = rows.flatMap((row) =>
    upcomingInstants(row, count).map((instant) => [
      row.rhythm.teamId,
      row.rhythm.channelId,
      row.rhythm.kind,
      formatLocal(instant, row.settings.timeZone),
      row.settings.timeZone,
      instant.toISOString(),
    ]),
  );
  return formatTable(['team', 'channel', 'kind', 'local time', 'zone', 'utc'], lines);
}

async function upcoming(settings: DatabaseSettings, channels: string[], count: number): Promise<number> {
  const database = createDatabase(settings);
  try {
    await database.migrate();
    const rows = await listScheduledRhythms(database.db, channels);
    process.stdout.write(`${formatUpcoming(rows, count)}\n`);
    return 0;
  } finally {
    await database.close();
  }
}

async function migrate(settings: DatabaseSettings): Promise<number> {
  const database = createDatabase(settings);
  try {
    await database.migrate();
    process.stdout.write(`Migrations applied (${database.driver}).\n`);
    return 0;
  } finally {
    await database.close();
  }
}

/** Each check prints one line; the first that fails ends the run, since later ones depend on it. */
async function checkConfig(env: Record<string, string | undefined>): Promise<number> {
  const loaded = loadConfig(env);
  if (!loaded.ok) {
    process.stdout.write(`${loaded.message}\n`);
    return 1;
  }
  const { config } = loaded;
  const mode = config.distribution ? 'many workspaces (OAuth)' : 'one workspace';
  process.stdout.write(`ok    configuration: ${mode}, ${config.slack.appToken ? 'Socket Mode' : 'HTTP'}\n`);
  const database = createDatabase(config.database);
  try {
    await database.ping();
    process.stdout.write(`ok    database: ${database.driver} answers\n`);
  } catch (error) {
    const { type, code } = describeError(error);
    process.stdout.write(
      `fail  database: ${'url' in config.database ? 'DATABASE_URL' : 'DATA_DIR'} could not be reached (${code ?? type})\n`,
    );
    return 1;
  } finally {
    await database.close().catch(() => {});
  }
  const check = await checkSlackCredentials(config, { slackApiUrl: config.slack.apiUrl, timeout: 10_000 });
  if (check.status === 'refused') {
    process.stdout.write(`fail  slack: ${check.problem}\n`);
    return 1;
  }
  if (check.status === 'unreachable') {
    process.stdout.write(`fail  slack: ${check.reason} at ${config.slack.apiUrl} (SLACK_API_URL)\n`);
    return 1;
  }
  const home = check.homeWorkspace;
  process.stdout.write(
    `ok    slack: credentials accepted${home ? ` for workspace ${home.teamId}${home.enterpriseId ? ` in organisation ${home.enterpriseId}` : ''}` : ''}\n`,
  );
  return 0;
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
  const command = positionals[0];
  const known = command === 'upcoming' || command === 'check-config' || command === 'migrate';
  if (values.help || !known || !Number.isInteger(count) || count < 1 || count > 50) {
    process.stderr.write(`${USAGE}\n`);
    return values.help ? 0 : 2;
  }
  if (command === 'check-config') return checkConfig(process.env);
  const loaded = loadDatabaseSettings(process.env);
  if (!loaded.ok) {
    process.stderr.write(`${loaded.message}\n`);
    return 1;
  }
  if (command === 'migrate') return migrate(loaded.settings);
  return upcoming(loaded.settings, values.channel ?? [], count);
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
