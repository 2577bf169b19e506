import { describe, expect, it } from 'vitest';
import { learningQuestions } from '../../src/db/schema.js';
import { previousQuarter, quarterContaining } from '../../src/domain/quarters.js';
import { HOME_ACTIONS } from '../../src/slack/ids.js';
import { DRIVERS } from '../support/databases.js';
import type { RecordedCall } from '../support/fake-slack.js';
import { AUTHOR, CHANNEL, TEAM, TEAMMATE, useHarness } from '../support/harness.js';
import { seedSyntheticTeam } from '../support/seed-digest.js';
import { ALL_PLANTS, NO_PLANTS, syntheticTeam, WEEK_MS } from '../support/synthetic-team.js';

const DAY_MS = 86_400_000;
const SECOND = 'C0SECOND';
const OUTSIDER = 'U0OUTSIDER';
const scope = { teamId: TEAM, enterpriseId: null };

/** Every text Slack would render from some blocks. */
function textsIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(textsIn);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, inner]) =>
    key === 'text' && typeof inner === 'string' ? [inner] : textsIn(inner),
  );
}

const viewOf = (call: RecordedCall) => call.params.view as { blocks: unknown[]; private_metadata?: string };

describe.each(DRIVERS)('the team’s portrait on the Home tab (%s)', (driver) => {
  // The last quarter began before the machine's own quarter, which the app's clock sits seven weeks into.
  const previous = previousQuarter(quarterContaining(new Date(), 'UTC'), 'UTC');
  const start = new Date(previous.start.getTime() + 2 * DAY_MS + 9 * 3_600_000);
  const team = syntheticTeam({ seed: 1, weeks: 20, start, plants: ALL_PLANTS });
  const now = new Date(start.getTime() + 20 * WEEK_MS + DAY_MS);
  const current = quarterContaining(now, 'UTC');
  const h = useHarness({ driver, now: () => now });

  const publishedFor = async (user: string, from: number) =>
    viewOf(
      await h.slack.waitForCall(
        'views.publish',
        (call) => call.params.user_id === user && h.slack.calls.indexOf(call) >= from,
      ),
    );

  const pick = async (channelId: string, privateMetadata: string) => {
    const from = h.slack.calls.length;
    await h.interact({
      type: 'block_actions',
      team: { id: TEAM, domain: 'example' },
      user: { id: AUTHOR, username: 'ada', name: 'ada', team_id: TEAM },
      api_app_id: 'A0FAKEAPP',
      token: 'deprecated-verification-token',
      trigger_id: 'trigger-pick',
      container: { type: 'view', view_id: 'VHOME' },
      view: { id: 'VHOME', type: 'home', private_metadata: privateMetadata },
      actions: [
        {
          type: 'static_select',
          action_id: HOME_ACTIONS.portraitChannel,
          block_id: 'b',
          selected_option: { text: { type: 'plain_text', text: channelId }, value: channelId },
          action_ts: '1.2',
        },
      ],
      is_enterprise_install: false,
    });
    return publishedFor(AUTHOR, from);
  };

  it('shows this quarter beside the last, linked to the evidence, and another channel when picked', async () => {
    expect(current.key).not.toBe(previous.key);
    const db = h.app.database.db;
    h.slack.addUser({ id: OUTSIDER, name: 'olu', realName: 'Olu Outsider', tz: 'UTC' });
    h.slack.addChannel({ id: SECOND, name: 'second', members: [AUTHOR] });
    h.slack.addChannel({ id: CHANNEL, name: 'team', members: [AUTHOR, TEAMMATE, h.slack.botUserId] });
    for (const message of await seedSyntheticTeam(db, scope, CHANNEL, team))
      h.slack.addMessage({
        channel: message.channel,
        ts: message.ts,
        text: message.text,
        threadTs: message.threadTs,
      });
    const quiet = syntheticTeam({
      seed: 3,
      weeks: 4,
      start: new Date(now.getTime() - 4 * WEEK_MS),
      plants: NO_PLANTS,
    });
    for (const message of await seedSyntheticTeam(db, scope, SECOND, quiet))
      h.slack.addMessage({
        channel: message.channel,
        ts: message.ts,
        text: message.text,
        threadTs: message.threadTs,
      });
    await db.insert(learningQuestions).values({
      teamId: TEAM,
      channelId: CHANNEL,
      text: 'What will it take to hear from every family?',
      createdBy: AUTHOR,
      createdAt: previous.start,
      updatedAt: previous.start,
    });

    const inQuarter = (at: Date, quarter: typeof current) =>
      at >= quarter.start && at < quarter.end && at < now;
    const opened = (quarter: typeof current) =>
      team.reviews.filter((review) => inQuarter(review.createdAt, quarter)).length;
    const closed = (quarter: typeof current) =>
      team.afterActions.filter((after) => inQuarter(after.createdAt, quarter)).length;

    const from = h.slack.calls.length;
    await h.event({ type: 'app_home_opened', user: AUTHOR, channel: 'D0HOME', tab: 'home' }, 'Ev0PORTRAIT1');
    const opening = await publishedFor(AUTHOR, from);
    expect(textsIn(opening.blocks).join('\n')).toMatch(/\*How <#C0(TEAM|SECOND)> is learning\*/);
    const home = await pick(CHANNEL, opening.private_metadata ?? '');
    const text = textsIn(home.blocks).join('\n');
    console.log(text);

    expect(text).toContain(`*How <#${CHANNEL}> is learning*`);
    expect(text).toContain(`This quarter, ${current.label}`);
    expect(text).toContain(`beside last quarter, ${previous.label}.`);
    expect(text).toContain(
      `Before-action reviews opened: *${opened(current)}*, last quarter ${opened(previous)}`,
    );
    expect(text).toContain(
      `After-action reviews, loops closed: *${closed(current)}*, last quarter ${closed(previous)}`,
    );
    // Each line links to the summaries it counts, as Slack's own permalinks.
    expect(text).toMatch(/Before-action reviews opened: .*<https:\/\/[^|]+\/archives\/C0TEAM\/p\d+\|/);
    expect(text).toMatch(
      /\*Voices\*\n• \*\d+\.\d\* people a week, (up|down) from \d+\.\d last quarter, of 2 in the channel/,
    );
    expect(text).toContain(
      '_What will it take to hear from every family?_ *0*, last quarter 0 pieces of evidence. None yet this quarter.',
    );
    expect(text).toMatch(/Reviews started without a prompt from the app: \*\d+ of \d+\*/);
    // Breadth, never names.
    for (const person of ['U0ADA', 'U0BEN', 'Ada', 'Tomás']) expect(text).not.toContain(person);
    // Below it, the person's own.
    expect(text).toContain('*Your data*');
    expect(text).toContain('/learning forget-me');

    // Two team channels: a picker, showing the one shown.
    const picker = JSON.stringify(home.blocks);
    expect(picker).toContain(`"action_id":"${HOME_ACTIONS.portraitChannel}"`);
    expect(picker).toContain('"text":"#second"');

    const picked = await pick(SECOND, home.private_metadata ?? '');
    const pickedText = textsIn(picked.blocks).join('\n');
    expect(pickedText).toContain(`*How <#${SECOND}> is learning*`);
    expect(pickedText).toContain(
      `Before-action reviews opened: *${quiet.reviews.filter((review) => inQuarter(review.createdAt, current)).length}*`,
    );
    expect(pickedText).not.toContain('hear from every family');
  });

  it('gives someone in no team channel the first step instead of an empty portrait', async () => {
    const from = h.slack.calls.length;
    await h.event(
      { type: 'app_home_opened', user: OUTSIDER, channel: 'D0HOME2', tab: 'home' },
      'Ev0PORTRAIT2',
    );
    const text = textsIn((await publishedFor(OUTSIDER, from)).blocks).join('\n');
    expect(text).toContain('*Your team’s portrait*');
    expect(text).toContain('`/learning rhythm`');
    expect(text).not.toContain('is learning*');
  });
});
