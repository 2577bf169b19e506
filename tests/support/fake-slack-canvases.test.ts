import { type Logger, LogLevel, WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from './fake-slack.js';

let fake: FakeSlack;

beforeEach(async () => {
  fake = await startFakeSlack({ teamId: 'T123', botUserId: 'UBOT', botId: 'BBOT' });
  fake.addChannel({ id: 'CTEAM', name: 'team' });
  fake.addChannel({ id: 'COTHER', name: 'other' });
  fake.addChannel({ id: 'COUTSIDE', name: 'outside', isMember: false });
  fake.addChannel({ id: 'CSECRET', name: 'secret', isPrivate: true, isMember: false });
  fake.addUser({ id: 'UALICE', name: 'alice' });
});

afterEach(async () => {
  await fake.close();
});

const quiet: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  setLevel: () => {},
  getLevel: () => LogLevel.ERROR,
  setName: () => {},
};

const client = () =>
  new WebClient('xoxb-test', { slackApiUrl: fake.url, retryConfig: { retries: 0 }, logger: quiet });

const markdown = (text: string) => ({ type: 'markdown' as const, markdown: text });

/** Slack's error code for a call, or 'ok'. */
async function answer(method: string, args: Record<string, unknown>): Promise<string> {
  try {
    await client().apiCall(method, args);
    return 'ok';
  } catch (error) {
    return String((error as { data?: { error?: string } }).data?.error);
  }
}

async function sectionIds(canvasId: string, criteria: Record<string, unknown>): Promise<string[]> {
  const result = await client().canvases.sections.lookup({ canvas_id: canvasId, criteria } as never);
  return (result.sections ?? []).map((s) => String(s.id));
}

async function onlySection(canvasId: string, criteria: Record<string, unknown>): Promise<string> {
  const ids = await sectionIds(canvasId, criteria);
  expect(ids).toHaveLength(1);
  return ids[0] ?? '';
}

const history = [
  '# Learning history',
  'What the team has learned, quarter by quarter.',
  '## Spring 2025',
  '- Loops closed: 3',
  '### Questions we answered',
  '- What will it take to reach new funders?',
  '## Summer 2025',
  '- Loops closed: 1',
].join('\n');

describe('canvases.create', () => {
  it('makes a standalone canvas the app owns, with its title and markdown', async () => {
    const result = await client().canvases.create({
      title: 'Spring review',
      document_content: markdown('# Spring review\n\nWhat we learned.'),
    });
    expect(result.canvas_id).toMatch(/^F/);
    const canvasId = String(result.canvas_id);
    expect(fake.canvasMarkdown(canvasId)).toBe('# Spring review\n\nWhat we learned.');
    expect(fake.canvases()).toEqual([
      expect.objectContaining({
        id: canvasId,
        title: 'Spring review',
        channelId: undefined,
        isChannelCanvas: false,
        ownerId: 'UBOT',
        access: { channels: {}, users: {} },
        deleted: false,
      }),
    ]);
    expect(fake.callsTo('canvases.create')).toHaveLength(1);
    expect(fake.violations).toEqual([]);
  });

  it('tabs a canvas in a channel with write access for its members when given channel_id', async () => {
    const result = await client().canvases.create({ channel_id: 'CTEAM', title: 'Notes' });
    const [canvas] = fake.canvases();
    expect(canvas).toMatchObject({ id: result.canvas_id, channelId: 'CTEAM', isChannelCanvas: false });
    expect(canvas?.access.channels).toEqual({ CTEAM: 'write' });
    expect(fake.canvasMarkdown(String(result.canvas_id))).toBe('');
    expect(fake.channelCanvasId('CTEAM')).toBeUndefined();
  });

  it('refuses document_content that is not { type: markdown, markdown }, as an argument error', async () => {
    expect(await answer('canvases.create', { document_content: { type: 'html', markdown: 'x' } })).toBe(
      'invalid_arguments',
    );
    expect(await answer('canvases.create', { document_content: 'plain text' })).toBe('invalid_arguments');
    expect(await answer('canvases.create', { document_content: markdown('x'.repeat(1_048_577)) })).toBe(
      'invalid_arguments',
    );
    expect(fake.violations).toHaveLength(3);
    expect(fake.canvases()).toEqual([]);
  });

  it('answers channel_not_found and not_in_channel for a channel the bot cannot put a canvas in', async () => {
    expect(await answer('canvases.create', { channel_id: 'CGONE' })).toBe('channel_not_found');
    expect(await answer('canvases.create', { channel_id: 'CSECRET' })).toBe('channel_not_found');
    expect(await answer('canvases.create', { channel_id: 'COUTSIDE' })).toBe('not_in_channel');
    expect(fake.violations).toEqual([]);
  });
});

describe('conversations.canvases.create', () => {
  it('makes the channel’s own canvas, which conversations.info then shows', async () => {
    const before = await client().conversations.info({ channel: 'CTEAM' });
    expect((before.channel as Record<string, unknown>).properties).toBeUndefined();

    const result = await client().conversations.canvases.create({
      channel_id: 'CTEAM',
      title: 'Learning history',
      document_content: markdown(history),
    });
    const canvasId = String(result.canvas_id);
    expect(fake.channelCanvasId('CTEAM')).toBe(canvasId);
    expect(fake.canvasMarkdown(canvasId)).toBe(
      [
        '# Learning history\nWhat the team has learned, quarter by quarter.',
        '## Spring 2025\n- Loops closed: 3',
        '### Questions we answered\n- What will it take to reach new funders?',
        '## Summer 2025\n- Loops closed: 1',
      ].join('\n\n'),
    );

    const info = await client().conversations.info({ channel: 'CTEAM' });
    expect((info.channel as Record<string, unknown>).properties).toEqual({
      canvas: { file_id: canvasId, is_empty: false, quip_thread_id: expect.any(String) },
    });
    expect(fake.canvases()[0]?.access.channels).toEqual({ CTEAM: 'write' });
  });

  it('allows one canvas per channel', async () => {
    expect(await answer('conversations.canvases.create', { channel_id: 'CTEAM' })).toBe('ok');
    expect(await answer('conversations.canvases.create', { channel_id: 'CTEAM' })).toBe(
      'channel_canvas_already_exists',
    );
    expect(await answer('conversations.canvases.create', { channel_id: 'COTHER' })).toBe('ok');
    expect(fake.canvases()).toHaveLength(2);
  });

  it('finds a channel canvas a person made before the app arrived', async () => {
    const canvasId = fake.addCanvas({ channelCanvasOf: 'CTEAM', ownerId: 'UALICE', markdown: '# Our norms' });
    expect(await answer('conversations.canvases.create', { channel_id: 'CTEAM' })).toBe(
      'channel_canvas_already_exists',
    );
    const info = await client().conversations.info({ channel: 'CTEAM' });
    expect(
      (info.channel as { properties?: { canvas?: { file_id?: string } } }).properties?.canvas?.file_id,
    ).toBe(canvasId);
    // The channel's members, the bot among them, may write in it.
    expect(
      await answer('canvases.edit', {
        canvas_id: canvasId,
        changes: [{ operation: 'insert_at_end', document_content: markdown('# Learning history') }],
      }),
    ).toBe('ok');
  });

  it('answers channel_not_found, not_in_channel and invalid_arguments as Slack does', async () => {
    expect(await answer('conversations.canvases.create', { channel_id: 'CGONE' })).toBe('channel_not_found');
    expect(await answer('conversations.canvases.create', { channel_id: 'CSECRET' })).toBe(
      'channel_not_found',
    );
    expect(await answer('conversations.canvases.create', { channel_id: 'COUTSIDE' })).toBe('not_in_channel');
    expect(fake.violations).toEqual([]);
    expect(await answer('conversations.canvases.create', {})).toBe('invalid_arguments');
    expect(fake.violations).toHaveLength(1);
  });
});

describe('canvases.sections.lookup', () => {
  it('finds header sections by type and by text, ignoring case, in document order', async () => {
    const canvasId = fake.addCanvas({ markdown: history });
    const ids = fake.canvases()[0]?.sections.map((s) => s.id) ?? [];
    expect(ids.every((id) => id.startsWith('temp:C:'))).toBe(true);
    const [h1, spring, questions, summer] = ids;

    expect(await sectionIds(canvasId, { section_types: ['h2'] })).toEqual([spring, summer]);
    expect(await sectionIds(canvasId, { section_types: ['any_header'] })).toEqual(ids);
    expect(await sectionIds(canvasId, { section_types: ['h1', 'h3'] })).toEqual([h1, questions]);
    expect(await sectionIds(canvasId, { section_types: ['h2'], contains_text: 'summer 2025' })).toEqual([
      summer,
    ]);
    expect(await sectionIds(canvasId, { section_types: ['any_header'], contains_text: 'autumn' })).toEqual(
      [],
    );
    // Only the header's own text counts, not what is under it.
    expect(await sectionIds(canvasId, { section_types: ['any_header'], contains_text: 'funders' })).toEqual(
      [],
    );
  });

  it('finds the text before the first header only when no section type is asked for', async () => {
    const canvasId = fake.addCanvas({ markdown: 'A note from Alice\n\n# Learning history' });
    const [intro, header] = fake.canvases()[0]?.sections ?? [];
    expect(intro?.type).toBe('text');
    expect(await sectionIds(canvasId, { contains_text: 'note from' })).toEqual([intro?.id]);
    expect(await sectionIds(canvasId, { contains_text: 'learning' })).toEqual([header?.id]);
    expect(await sectionIds(canvasId, { section_types: ['any_header'], contains_text: 'note' })).toEqual([]);
  });

  it('reads a header inside a fenced code block as text', async () => {
    const canvasId = fake.addCanvas({ markdown: '# Real\n```\n# not a header\n```\n#### Too deep' });
    expect(await sectionIds(canvasId, { section_types: ['any_header'] })).toHaveLength(1);
  });

  it('refuses criteria Slack would refuse, and answers canvas_not_found and canvas_deleted', async () => {
    const canvasId = fake.addCanvas({ markdown: history });
    expect(await answer('canvases.sections.lookup', { canvas_id: canvasId })).toBe('invalid_arguments');
    expect(await answer('canvases.sections.lookup', { canvas_id: canvasId, criteria: {} })).toBe(
      'invalid_arguments',
    );
    expect(
      await answer('canvases.sections.lookup', { canvas_id: canvasId, criteria: { section_types: ['h4'] } }),
    ).toBe('invalid_arguments');
    expect(fake.violations).toHaveLength(3);
    const criteria = { section_types: ['h1'] };
    expect(await answer('canvases.sections.lookup', { canvas_id: 'FGONE', criteria })).toBe(
      'canvas_not_found',
    );
    await client().canvases.delete({ canvas_id: canvasId });
    expect(await answer('canvases.sections.lookup', { canvas_id: canvasId, criteria })).toBe(
      'canvas_deleted',
    );
  });

  it('does not show the bot a canvas nobody shared with it', async () => {
    const canvasId = fake.addCanvas({ ownerId: 'UALICE', markdown: '# Private notes' });
    expect(
      await answer('canvases.sections.lookup', { canvas_id: canvasId, criteria: { section_types: ['h1'] } }),
    ).toBe('canvas_not_found');
  });
});

describe('canvases.edit', () => {
  it('replaces a section and everything under it, leaving a person’s own section untouched', async () => {
    const created = await client().conversations.canvases.create({
      channel_id: 'CTEAM',
      document_content: markdown(history),
    });
    const canvasId = String(created.canvas_id);
    // A person adds their own section in Slack, between the app's.
    fake.setCanvasMarkdown(
      canvasId,
      fake
        .canvasMarkdown(canvasId)
        .replace('## Summer 2025', '## Alice’s notes\nAsk the funders in June.\n\n## Summer 2025'),
    );

    const spring = await onlySection(canvasId, { section_types: ['h2'], contains_text: 'Spring 2025' });
    await client().canvases.edit({
      canvas_id: canvasId,
      changes: [
        {
          operation: 'replace',
          section_id: spring,
          document_content: markdown('## Spring 2025\n- Loops closed: 4'),
        },
      ],
    });

    expect(fake.canvasMarkdown(canvasId)).toBe(
      [
        '# Learning history\nWhat the team has learned, quarter by quarter.',
        '## Spring 2025\n- Loops closed: 4',
        '## Alice’s notes\nAsk the funders in June.',
        '## Summer 2025\n- Loops closed: 1',
      ].join('\n\n'),
    );
    // The section that was replaced is gone with its id; its replacement has a new one.
    expect(await sectionIds(canvasId, { section_types: ['h2'], contains_text: 'Spring' })).not.toEqual([
      spring,
    ]);
    expect(fake.callsTo('canvases.edit')).toHaveLength(1);
    expect(fake.violations).toEqual([]);
  });

  it('inserts before, after, at the start and at the end, around whole sections', async () => {
    const canvasId = fake.addCanvas({ markdown: '# A\n## A1\ntext\n# B' });
    const edit = (change: Record<string, unknown>) =>
      client().canvases.edit({ canvas_id: canvasId, changes: [change as never] });

    const a = await onlySection(canvasId, { section_types: ['h1'], contains_text: 'A' });
    await edit({ operation: 'insert_after', section_id: a, document_content: markdown('# After A') });
    await edit({ operation: 'insert_before', section_id: a, document_content: markdown('# Before A') });
    await edit({ operation: 'insert_at_start', document_content: markdown('Written by the app.') });
    await edit({ operation: 'insert_at_end', document_content: markdown('# Last') });

    expect(fake.canvasMarkdown(canvasId)).toBe(
      ['Written by the app.', '# Before A', '# A', '## A1\ntext', '# After A', '# B', '# Last'].join('\n\n'),
    );
  });

  it('reads text inserted after a section without a header as part of that section', async () => {
    const canvasId = fake.addCanvas({ markdown: '# A\n# B' });
    const a = await onlySection(canvasId, { section_types: ['h1'], contains_text: 'A' });
    await client().canvases.edit({
      canvas_id: canvasId,
      changes: [{ operation: 'insert_after', section_id: a, document_content: markdown('More about A.') }],
    });
    expect(fake.canvasMarkdown(canvasId)).toBe('# A\n\nMore about A.\n\n# B');
    expect(await sectionIds(canvasId, { section_types: ['h1'], contains_text: 'A' })).toEqual([a]);
  });

  it('deletes a whole section, and replaces the whole canvas when no section is named', async () => {
    const canvasId = fake.addCanvas({ markdown: history });
    const spring = await onlySection(canvasId, { section_types: ['h2'], contains_text: 'spring' });
    await client().canvases.edit({
      canvas_id: canvasId,
      changes: [{ operation: 'delete', section_id: spring }],
    });
    expect(fake.canvasMarkdown(canvasId)).toBe(
      '# Learning history\nWhat the team has learned, quarter by quarter.\n\n## Summer 2025\n- Loops closed: 1',
    );

    await client().canvases.edit({
      canvas_id: canvasId,
      changes: [{ operation: 'replace', document_content: markdown('# Learning history\nStarting afresh.') }],
    });
    expect(fake.canvasMarkdown(canvasId)).toBe('# Learning history\nStarting afresh.');
  });

  it('takes one change per call and refuses more, changing nothing', async () => {
    const canvasId = fake.addCanvas({ markdown: '# A' });
    const change = { operation: 'insert_at_end', document_content: markdown('# B') };
    expect(await answer('canvases.edit', { canvas_id: canvasId, changes: [change, change] })).toBe(
      'invalid_arguments',
    );
    expect(fake.canvasMarkdown(canvasId)).toBe('# A');
    expect(fake.violations).toEqual(['canvases.edit: only one change per call is supported; got 2']);
  });

  it('refuses a change without what its operation needs, as an argument error', async () => {
    const canvasId = fake.addCanvas({ markdown: '# A' });
    const a = fake.canvases()[0]?.sections[0]?.id;
    const refused = [
      { operation: 'insert_after', document_content: markdown('x') },
      { operation: 'insert_before', section_id: a },
      { operation: 'delete' },
      { operation: 'insert_at_end' },
      { operation: 'insert_at_start', section_id: a, document_content: markdown('x') },
      { operation: 'append', document_content: markdown('x') },
      { operation: 'replace', document_content: { type: 'markdown', text: 'x' } },
    ];
    for (const change of refused) {
      expect(await answer('canvases.edit', { canvas_id: canvasId, changes: [change] })).toBe(
        'invalid_arguments',
      );
    }
    expect(await answer('canvases.edit', { canvas_id: canvasId, changes: [] })).toBe('invalid_arguments');
    expect(fake.violations).toHaveLength(refused.length + 1);
    expect(fake.canvasMarkdown(canvasId)).toBe('# A');
  });

  it('answers canvas_editing_failed for a section that is no longer there', async () => {
    const canvasId = fake.addCanvas({ markdown: '# A\n# B' });
    const a = await onlySection(canvasId, { section_types: ['h1'], contains_text: 'A' });
    fake.setCanvasMarkdown(canvasId, '# B');
    expect(
      await answer('canvases.edit', {
        canvas_id: canvasId,
        changes: [{ operation: 'replace', section_id: a, document_content: markdown('# A again') }],
      }),
    ).toBe('canvas_editing_failed');
    expect(fake.canvasMarkdown(canvasId)).toBe('# B');
    expect(fake.violations).toEqual([]);
  });

  it('keeps ids through a person’s edit until the test renews them', async () => {
    const canvasId = fake.addCanvas({ markdown: '# A\nold\n# B' });
    const b = await onlySection(canvasId, { section_types: ['h1'], contains_text: 'B' });
    fake.setCanvasMarkdown(canvasId, '# A\nnew\n# B\nmore');
    expect(await sectionIds(canvasId, { section_types: ['h1'], contains_text: 'B' })).toEqual([b]);
    fake.renewCanvasSectionIds(canvasId);
    expect(await sectionIds(canvasId, { section_types: ['h1'], contains_text: 'B' })).not.toEqual([b]);
    expect(
      await answer('canvases.edit', {
        canvas_id: canvasId,
        changes: [{ operation: 'delete', section_id: b }],
      }),
    ).toBe('canvas_editing_failed');
  });

  it('renames a canvas with title_content', async () => {
    const canvasId = fake.addCanvas({ title: 'Old', markdown: '# A' });
    expect(
      await answer('canvases.edit', {
        canvas_id: canvasId,
        changes: [{ operation: 'rename', title_content: markdown('Learning history') }],
      }),
    ).toBe('ok');
    expect(fake.canvases()[0]?.title).toBe('Learning history');
  });

  it('answers canvas_not_found and restricted_action for canvases the bot may not edit', async () => {
    const change = { operation: 'insert_at_end', document_content: markdown('x') };
    expect(await answer('canvases.edit', { canvas_id: 'FGONE', changes: [change] })).toBe('canvas_not_found');
    const readOnly = fake.addCanvas({ ownerId: 'UALICE', markdown: '# Alice', users: { UBOT: 'read' } });
    expect(await answer('canvases.edit', { canvas_id: readOnly, changes: [change] })).toBe(
      'restricted_action',
    );
    const elsewhere = fake.addCanvas({
      ownerId: 'UALICE',
      markdown: '# Away',
      channels: { COUTSIDE: 'write' },
    });
    expect(await answer('canvases.edit', { canvas_id: elsewhere, changes: [change] })).toBe(
      'canvas_not_found',
    );
    expect(fake.violations).toEqual([]);
  });
});

describe('canvases.access.set', () => {
  it('shares a canvas with channels or with people at the level asked for', async () => {
    const { canvas_id } = await client().canvases.create({ title: 'Spring review' });
    const canvasId = String(canvas_id);
    await client().canvases.access.set({
      canvas_id: canvasId,
      access_level: 'read',
      channel_ids: ['CTEAM', 'COTHER'],
    });
    await client().canvases.access.set({ canvas_id: canvasId, access_level: 'write', user_ids: ['UALICE'] });
    expect(fake.canvases()[0]?.access).toEqual({
      channels: { CTEAM: 'read', COTHER: 'read' },
      users: { UALICE: 'write' },
    });
    expect(fake.callsTo('canvases.access.set').map((c) => c.params.access_level)).toEqual(['read', 'write']);
  });

  it('refuses both or neither of channel_ids and user_ids, and owner for a channel', async () => {
    const canvasId = fake.addCanvas({ markdown: '# A' });
    expect(
      await answer('canvases.access.set', {
        canvas_id: canvasId,
        access_level: 'read',
        channel_ids: ['CTEAM'],
        user_ids: ['UALICE'],
      }),
    ).toBe('invalid_parameters');
    expect(await answer('canvases.access.set', { canvas_id: canvasId, access_level: 'read' })).toBe(
      'invalid_parameters',
    );
    expect(
      await answer('canvases.access.set', {
        canvas_id: canvasId,
        access_level: 'owner',
        channel_ids: ['CTEAM'],
      }),
    ).toBe('invalid_arguments');
    expect(
      await answer('canvases.access.set', {
        canvas_id: canvasId,
        access_level: 'admin',
        channel_ids: ['CTEAM'],
      }),
    ).toBe('invalid_arguments');
    expect(fake.violations).toHaveLength(4);
  });

  it('answers channel_not_found, user_not_found and canvas_not_found', async () => {
    const canvasId = fake.addCanvas({ markdown: '# A' });
    expect(
      await answer('canvases.access.set', {
        canvas_id: canvasId,
        access_level: 'read',
        channel_ids: ['CGONE'],
      }),
    ).toBe('channel_not_found');
    expect(
      await answer('canvases.access.set', { canvas_id: canvasId, access_level: 'read', user_ids: ['UGONE'] }),
    ).toBe('user_not_found');
    expect(
      await answer('canvases.access.set', { canvas_id: 'FGONE', access_level: 'read', user_ids: ['UALICE'] }),
    ).toBe('canvas_not_found');
    expect(fake.canvases()[0]?.access).toEqual({ channels: {}, users: {} });
  });
});

describe('canvases.delete', () => {
  it('deletes a channel canvas, after which the channel has none and edits find nothing', async () => {
    const { canvas_id } = await client().conversations.canvases.create({ channel_id: 'CTEAM' });
    const canvasId = String(canvas_id);
    await client().canvases.delete({ canvas_id: canvasId });
    expect(fake.channelCanvasId('CTEAM')).toBeUndefined();
    expect(fake.canvases()[0]?.deleted).toBe(true);
    expect(
      await answer('canvases.edit', {
        canvas_id: canvasId,
        changes: [{ operation: 'insert_at_end', document_content: markdown('x') }],
      }),
    ).toBe('canvas_not_found');
    expect(await answer('conversations.canvases.create', { channel_id: 'CTEAM' })).toBe('ok');
  });
});

describe('plans and refusals', () => {
  it('answers as a free workspace does once the plan is free', async () => {
    const standalone = fake.addCanvas({ markdown: '# Standalone' });
    fake.setCanvasPlan('free');
    expect(await answer('conversations.canvases.create', { channel_id: 'CTEAM' })).toBe(
      'team_tier_cannot_create_channel_canvases',
    );
    expect(await answer('canvases.create', { title: 'Spring review' })).toBe(
      'free_teams_cannot_create_non_tabbed_canvases',
    );
    const change = { operation: 'insert_at_end', document_content: markdown('x') };
    expect(await answer('canvases.edit', { canvas_id: standalone, changes: [change] })).toBe(
      'free_teams_cannot_edit_standalone_canvases',
    );
    // A canvas tabbed in a channel is still allowed, and may be edited.
    const tabbed = await client().canvases.create({ channel_id: 'CTEAM', title: 'Learning history' });
    expect(await answer('canvases.edit', { canvas_id: tabbed.canvas_id, changes: [change] })).toBe('ok');
    expect(fake.violations).toEqual([]);
  });

  it('answers canvas_disabled_user_team to every canvas method when canvases are turned off', async () => {
    const canvasId = fake.addCanvas({ markdown: '# A' });
    fake.setCanvasPlan('canvases_disabled');
    expect(await answer('canvases.create', {})).toBe('canvas_disabled_user_team');
    expect(await answer('conversations.canvases.create', { channel_id: 'CTEAM' })).toBe(
      'canvas_disabled_user_team',
    );
    expect(
      await answer('canvases.sections.lookup', { canvas_id: canvasId, criteria: { section_types: ['h1'] } }),
    ).toBe('canvas_disabled_user_team');
    expect(
      await answer('canvases.edit', {
        canvas_id: canvasId,
        changes: [{ operation: 'insert_at_end', document_content: markdown('x') }],
      }),
    ).toBe('canvas_disabled_user_team');
    expect(
      await answer('canvases.access.set', {
        canvas_id: canvasId,
        access_level: 'read',
        user_ids: ['UALICE'],
      }),
    ).toBe('canvas_disabled_user_team');
  });

  it('plays any other refusal through the fault queue, per method or per channel', async () => {
    fake.failNext('canvases.create', { kind: 'error', error: 'missing_scope' });
    fake.failNextIn('conversations.canvases.create', 'CTEAM', { kind: 'error', error: 'restricted_action' });
    expect(await answer('canvases.create', {})).toBe('missing_scope');
    expect(await answer('conversations.canvases.create', { channel_id: 'COTHER' })).toBe('ok');
    expect(await answer('conversations.canvases.create', { channel_id: 'CTEAM' })).toBe('restricted_action');
    expect(fake.channelCanvasId('CTEAM')).toBeUndefined();
    expect(fake.callsTo('conversations.canvases.create').map((c) => c.fault)).toEqual([undefined, 'error']);
  });

  it('rate-limits a canvas method per canvas, with Retry-After', async () => {
    const canvasId = fake.addCanvas({ markdown: '# A' });
    const other = fake.addCanvas({ markdown: '# B' });
    fake.setRateLimit('canvases.edit', { perChannelPerSecond: 1, retryAfterSeconds: 7 });
    const change = { operation: 'insert_at_end', document_content: markdown('x') };
    const limited = new WebClient('xoxb-test', {
      slackApiUrl: fake.url,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      logger: quiet,
    });
    await limited.apiCall('canvases.edit', { canvas_id: canvasId, changes: [change] });
    await limited.apiCall('canvases.edit', { canvas_id: other, changes: [change] });
    const refused = await limited.apiCall('canvases.edit', { canvas_id: canvasId, changes: [change] }).then(
      () => undefined,
      (error: { code?: string; retryAfter?: number }) => error,
    );
    expect(refused).toMatchObject({ code: 'slack_webapi_rate_limited_error', retryAfter: 7 });
    expect(fake.canvasMarkdown(canvasId)).toBe('# A\n\nx');
  });
});
