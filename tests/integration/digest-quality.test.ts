import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type DatabaseHandle } from '../../src/db/client.js';
import { weeklyHistory } from '../../src/db/queries/digests.js';
import { createLogger } from '../../src/logger.js';
import { gatherDigest } from '../../src/services/digest.js';
import { createTestDatabase, DRIVERS, type TestDatabase } from '../support/databases.js';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack.js';
import { LogCapture } from '../support/harness.js';
import { seedSyntheticTeam } from '../support/seed-digest.js';
import {
  ALL_PLANTS,
  digestInputFor,
  NO_PLANTS,
  PEOPLE,
  QUIET_SEED,
  syntheticTeam,
} from '../support/synthetic-team.js';

const SCOPE = { teamId: 'T0DIGEST', enterpriseId: null };
const PLANTED = 'C0PLANTED';
const QUIET = 'C0QUIET';

describe.each(DRIVERS)('the digest of a synthetic team, read from the database (%s)', (driver) => {
  let testDatabase: TestDatabase;
  let handle: DatabaseHandle;
  let slack: FakeSlack;
  let client: WebClient;
  const planted = syntheticTeam({ seed: 1, plants: ALL_PLANTS });
  const quiet = syntheticTeam({ seed: QUIET_SEED, plants: NO_PLANTS });
  const logs = new LogCapture();

  beforeAll(async () => {
    testDatabase = await createTestDatabase(driver);
    handle = createDatabase(testDatabase.settings);
    await handle.migrate();
    slack = await startFakeSlack({ teamId: SCOPE.teamId });
    for (const channelId of [PLANTED, QUIET])
      slack.addChannel({ id: channelId, isMember: true, members: [...PEOPLE, 'U0QUIETONE'] });
    for (const message of await seedSyntheticTeam(handle.db, SCOPE, PLANTED, planted))
      slack.addMessage(message);
    await seedSyntheticTeam(handle.db, SCOPE, QUIET, quiet);
    client = new WebClient('xoxb-digest', { slackApiUrl: slack.url, retryConfig: { retries: 0 } });
  }, 60_000);

  afterAll(async () => {
    await handle?.close();
    await slack?.close();
    await testDatabase?.drop();
  });

  const digest = (channelId: string, team: typeof planted, week: number) =>
    gatherDigest(
      { db: handle.db, log: createLogger('silent', logs), clock: () => team.digestAt(week) },
      client,
      SCOPE,
      {
        channelId,
        asOf: team.digestAt(week),
      },
    );

  it('counts earlier weeks in the database exactly as the engine counts them from the records', async () => {
    const fromDatabase = await weeklyHistory(handle.db, SCOPE, PLANTED, planted.digestAt(9), 8);
    const fromRecords = digestInputFor(planted, 9).history;
    expect(fromDatabase.map((week) => [week.answers, week.voices, week.anonymous, week.skips])).toEqual(
      fromRecords.map((week) => [week.answers, week.voices, week.anonymous, week.skips]),
    );
    for (const [index, week] of fromDatabase.entries())
      expect(Object.fromEntries(week.termAnswers)).toEqual(
        Object.fromEntries(fromRecords[index]?.termAnswers ?? []),
      );
  });

  it('reports every planted pattern', async () => {
    expect(
      (await digest(PLANTED, planted, 5)).analysis.themes.find((theme) => theme.term === 'handover')?.trend,
    ).toBe('new');
    expect(
      (await digest(PLANTED, planted, 6)).analysis.themes.find((theme) => theme.term === 'handover')?.trend,
    ).toBe('rising');
    const { analysis, view } = await digest(PLANTED, planted, 9);
    expect(analysis.themes.find((theme) => theme.term === 'handover')).toMatchObject({
      trend: 'persistent',
      weeks: 5,
    });
    expect(analysis.recurringChallenges[0]?.label).toBe('parking');
    expect(analysis.hypotheses.verdicts.not_borne_out).toBe(1);
    expect(analysis.hypotheses.surprises[0]?.unanticipated).toContain('holiday');
    expect(analysis.voices.drop?.current).toBe(3);
    expect(analysis.skipSpikes.map((spike) => spike.reason)).toEqual(['not_safe']);
    // Members come from Slack, without the app itself; quotes link to the messages they came from.
    expect(analysis.numbers.members).toBe(PEOPLE.length + 1);
    const quote = analysis.themes[0]?.quotes[0];
    expect(quote?.link && view.permalinks.get(`${quote.link.channelId}:${quote.link.ts}`)).toMatch(
      /^https:\/\/fake-workspace\.slack\.com\/archives\/C0PLANTED\/p\d+\?thread_ts=/,
    );
  });

  it('reports no new or rising theme, drop, spike or recurring challenge in a quiet, varied month', async () => {
    for (const week of [5, 6, 7, 8, 9]) {
      const { analysis } = await digest(QUIET, quiet, week);
      expect(analysis.themes.filter((theme) => theme.trend === 'new' || theme.trend === 'rising')).toEqual(
        [],
      );
      expect(analysis.voices.drop).toBeNull();
      expect(analysis.skipSpikes).toEqual([]);
      expect(analysis.recurringChallenges).toEqual([]);
    }
  });
});
