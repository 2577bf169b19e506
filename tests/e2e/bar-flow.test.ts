import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { beforeActionReviews, reviewPeople } from '../../src/db/schema.js';
import { ACTIONS, BAR_INPUTS, CALLBACKS } from '../../src/slack/ids.js';
import { DRIVERS } from '../support/databases.js';
import { barAnswers, barStateValues } from '../support/factories.js';
import { AUTHOR, CHANNEL, type Harness, startHarness, TEAMMATE } from '../support/harness.js';

const NOW = new Date('2026-11-21T10:00:00Z');

describe.each(DRIVERS)('before-action review end to end (%s)', (driver) => {
  let h: Harness;
  let viewCounter = 0;

  beforeAll(async () => {
    h = await startHarness({ driver, now: () => NOW });
  });
  afterAll(async () => {
    await h.stop();
  });
  afterEach(() => {
    expect(h.slack.violations).toEqual([]);
    h.slack.reset();
  });

  async function openModal(text: string, actor?: { channelId?: string; userId?: string }) {
    const response = await h.command('/bar', text, actor);
    expect(response.status).toBe(200);
    const call = await h.slack.waitForCall('views.open');
    const view = call.params.view as {
      callback_id: string;
      private_metadata: string;
      title: { text: string };
      blocks: Array<Record<string, any>>;
    };
    viewCounter += 1;
    return { ...view, id: `V0MODAL${driver}${viewCounter}` };
  }

  async function reviews() {
    return h.app.database.db.select().from(beforeActionReviews);
  }

  it('opens a prefilled modal, stores the review, and posts a summary the channel can read', async () => {
    const modal = await openModal('Run the first community listening session in Leeds');
    expect(modal.title.text).toBe('Before-action review');
    expect(modal.callback_id).toBe(CALLBACKS.barModal);
    const actionBlock = modal.blocks.find((block) => block.block_id === BAR_INPUTS.action.block);
    expect(actionBlock?.element.initial_value).toBe('Run the first community listening session in Leeds');
    const dateBlock = modal.blocks.find((block) => block.block_id === BAR_INPUTS.lookBackOn.block);
    expect(dateBlock?.element.initial_date).toBe('2026-11-28');
    const peopleBlock = modal.blocks.find((block) => block.block_id === BAR_INPUTS.people.block);
    expect(peopleBlock?.element.initial_users).toEqual([AUTHOR]);
    const channelBlock = modal.blocks.find((block) => block.block_id === BAR_INPUTS.channelId.block);
    expect(channelBlock?.element.initial_conversation).toBe(CHANNEL);

    const submitted = await h.submitView(modal, barStateValues(barAnswers()));
    expect(submitted.status).toBe(200);
    expect(submitted.body).toBe('');

    const post = await h.slack.waitForCall('chat.postMessage', (call) => call.params.channel === CHANNEL);
    const blocks = post.params.blocks as Array<Record<string, any>>;
    expect(blocks[0]).toMatchObject({ type: 'header', text: { text: 'Before-action review' } });
    const rendered = JSON.stringify(blocks);
    expect(rendered).toContain('Run the first community listening session in Leeds');
    expect(rendered).toContain(
      'If we co-host with a group residents already trust, then we expect more first-time',
    );
    expect(rendered).toContain('Saturday 28 November 2026');
    expect(rendered).toContain(`<@${AUTHOR}>, <@${TEAMMATE}>`);
    for (const label of [
      'Intended results',
      'Challenges we anticipate',
      'Lessons from before',
      'What will make us successful',
    ]) {
      expect(rendered).toContain(label);
    }

    await expect.poll(async () => (await reviews())[0]?.summaryTs).toBeTruthy();
    const [stored] = await reviews();
    expect(stored).toMatchObject({
      teamId: 'T0FAKETEAM',
      channelId: CHANNEL,
      authorId: AUTHOR,
      action: 'Run the first community listening session in Leeds',
      lookBackOn: '2026-11-28',
      status: 'open',
      timeZone: 'Europe/London',
      summaryTs: (post as unknown as { response?: { ts: string } }).response?.ts ?? stored?.summaryTs,
    });
    const people = await h.app.database.db
      .select()
      .from(reviewPeople)
      .where(eq(reviewPeople.reviewId, stored!.id));
    expect(people.map((person) => person.userId).sort()).toEqual([AUTHOR, TEAMMATE].sort());
  });
});
