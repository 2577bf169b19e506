import type { ActionsBlock, InputBlock, KnownBlock, SectionBlock, View } from '@slack/types';
import { describe, expect, it } from 'vitest';
import type { RhythmKind } from '../../src/db/schema.js';
import {
  CONFIGURABLE_RHYTHMS,
  MAX_SKIP_DATES,
  parseSkipDates,
  RHYTHM_DEFAULTS,
  type RhythmSettingsDraft,
  type RhythmSettingsField,
  validateRhythmSettings,
} from '../../src/domain/rhythm-settings.js';
import { addCalendarDays, calendarDateIn } from '../../src/domain/time.js';
import { findTimeZones } from '../../src/domain/time-zones.js';
import { channelSettingsMetadataSchema as rhythmModalMetadataSchema } from '../../src/slack/forms/channel-settings.js';
import { readPromptsModal } from '../../src/slack/forms/prompts.js';
import { readRhythmModal, rhythmErrorsByBlock } from '../../src/slack/forms/rhythm-settings.js';
import {
  ACTIONS,
  CALLBACKS,
  PROMPT_ANSWER_INPUTS,
  PROMPT_INPUTS,
  RHYTHM_INPUTS,
  rhythmInput,
} from '../../src/slack/ids.js';
import {
  type AnswerMode,
  buildAnswerModal,
  buildPrompt,
  PROMPT_EVENT_TYPE,
  type PromptContent,
} from '../../src/slack/views/prompt.js';
import {
  buildChannelPausedNotice,
  buildPromptsModal,
  buildRhythmModal,
  buildRhythmSaved,
  buildTimeZoneOptions,
  buildWelcome,
  MAX_CUSTOM_PROMPTS,
  RHYTHM_DESCRIPTIONS,
  type RhythmModalInput,
  type SavedRhythms,
  TIME_ZONE_QUERY_LENGTH,
} from '../../src/slack/views/rhythms.js';
import { type RhythmAnswers, rhythmStateValues } from '../support/factories.js';
import { checkMessageBlocks, checkView } from '../support/fake-slack.js';

const CHANNEL = 'C0TEAM';
const OCCURRENCE_ID = '7d3e2c1b-4a5f-4e6d-8c7b-9a0f1e2d3c4b';
const MARKUP = '<!channel> what went <@U123> well? <https://evil.example|click>';
const NOW = new Date('2026-11-21T03:00:00Z');

/** Every piece of text Slack would render from these blocks, wherever it sits. */
function textsIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(textsIn);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, inner]) =>
    key === 'text' && typeof inner === 'string' ? [inner] : textsIn(inner),
  );
}

type LooseElement = Record<string, unknown> & {
  options?: Array<{ text: { text: string }; value: string }>;
  initial_options?: Array<{ text: { text: string }; value: string }>;
};

function blockById(view: View, blockId: string): Record<string, unknown> & { element: LooseElement } {
  const block = view.blocks.find((candidate) => candidate.block_id === blockId);
  if (!block) throw new Error(`no block ${blockId}`);
  return block as unknown as Record<string, unknown> & { element: LooseElement };
}

const sectionTexts = (blocks: readonly KnownBlock[] | View['blocks']) =>
  blocks.flatMap((block) => (block.type === 'section' ? [(block as SectionBlock).text?.text ?? ''] : []));

const values = (options: Array<{ value: string }> | undefined) => options?.map((option) => option.value);

function modalInput(overrides: Partial<RhythmModalInput> = {}): RhythmModalInput {
  return {
    channelId: CHANNEL,
    timeZone: 'Europe/London',
    workDays: [1, 2, 3, 4, 5],
    pauseUntil: null,
    skipDates: [],
    rhythms: {
      week_ahead: { enabled: true, days: [1], localTime: '09:30' },
      mid_week: { enabled: false, days: [3], localTime: '14:00' },
      look_back: { enabled: true, days: [4, 5], localTime: '15:45' },
      digest: { enabled: false, days: [5], localTime: '16:00' },
    },
    now: NOW,
    ...overrides,
  };
}

function eachRhythm(
  make: (kind: RhythmKind) => RhythmModalInput['rhythms'][RhythmKind],
): RhythmModalInput['rhythms'] {
  return {
    week_ahead: make('week_ahead'),
    mid_week: make('mid_week'),
    look_back: make('look_back'),
    digest: make('digest'),
  };
}

/** What a channel with no rhythms yet is offered: every rhythm off at its usual day and time. */
const firstTimeInput = modalInput({
  rhythms: eachRhythm((kind) => ({ enabled: false, ...RHYTHM_DEFAULTS[kind] })),
});

const everyRhythmOn = eachRhythm(() => ({ enabled: true, days: [1, 2, 3, 4, 5, 6, 7], localTime: '23:59' }));

const maxSkipDates = Array.from({ length: MAX_SKIP_DATES }, (_, i) => addCalendarDays('2027-01-01', i * 3));

const fullInput = modalInput({
  timeZone: 'America/Argentina/Buenos_Aires',
  workDays: [1, 2, 3, 4, 5, 6, 7],
  pauseUntil: '2027-06-30',
  skipDates: maxSkipDates,
  rhythms: everyRhythmOn,
});

describe('buildRhythmModal', () => {
  it.each([
    ['a channel setting up for the first time', firstTimeInput],
    ['every field filled, with the most skip dates allowed', fullInput],
  ])('is a modal Slack accepts for %s', (_name, input) => {
    const view = buildRhythmModal(input);
    expect(checkView(view)).toEqual([]);
    expect(view.callback_id).toBe(CALLBACKS.rhythmSettings);
    expect(view.submit).toMatchObject({ text: 'Save' });
  });

  it('remembers which channel it is for', () => {
    const view = buildRhythmModal(modalInput());
    expect(rhythmModalMetadataSchema.parse(JSON.parse(view.private_metadata ?? ''))).toEqual({
      channelId: CHANNEL,
    });
    expect(sectionTexts(view.blocks)[0]).toContain(`<#${CHANNEL}>`);
  });

  it('fits on one short page: an introduction, the calendar, and two inputs per rhythm', () => {
    const view = buildRhythmModal(modalInput());
    expect(view.blocks.map((block) => block.block_id ?? block.type)).toEqual([
      'section',
      RHYTHM_INPUTS.timeZone.block,
      RHYTHM_INPUTS.workDays.block,
      ...CONFIGURABLE_RHYTHMS.flatMap((kind) => [
        rhythmInput(kind, 'days').block,
        rhythmInput(kind, 'time').block,
      ]),
      RHYTHM_INPUTS.pauseUntil.block,
      RHYTHM_INPUTS.skipDates.block,
    ]);
    expect(view.blocks).toHaveLength(13);
  });

  it('leaves "(optional)" to Slack, on just the inputs that may be left empty', () => {
    const view = buildRhythmModal(modalInput());
    const inputs = view.blocks.filter((block): block is InputBlock => block.type === 'input');
    for (const input of inputs) expect(input.label.text).not.toMatch(/optional/i);
    expect(inputs.filter((input) => input.optional).map((input) => input.block_id)).toEqual([
      ...CONFIGURABLE_RHYTHMS.map((kind) => rhythmInput(kind, 'days').block),
      RHYTHM_INPUTS.pauseUntil.block,
      RHYTHM_INPUTS.skipDates.block,
    ]);
  });

  it.each(CONFIGURABLE_RHYTHMS)('asks for the %s as its days, none meaning off, and its time', (kind) => {
    const { title, purpose } = RHYTHM_DESCRIPTIONS[kind];
    const view = buildRhythmModal(modalInput());
    const days = blockById(view, rhythmInput(kind, 'days').block);
    const time = blockById(view, rhythmInput(kind, 'time').block);
    expect(days).toMatchObject({ label: { text: title }, hint: { text: purpose } });
    expect(days.element).toMatchObject({
      type: 'multi_static_select',
      action_id: rhythmInput(kind, 'days').action,
      placeholder: { text: 'Off: pick days to turn it on' },
    });
    expect(days.element.options?.map((option) => option.text.text)).toEqual([
      'Monday',
      'Tuesday',
      'Wednesday',
      'Thursday',
      'Friday',
      'Saturday',
      'Sunday',
    ]);
    expect(time).toMatchObject({ label: { text: `Time of the ${title.toLowerCase()}` } });
    expect(time.element).toMatchObject({ type: 'timepicker', action_id: rhythmInput(kind, 'time').action });
  });

  it.each([
    ['in winter', NOW, 'Europe/London', 'Europe/London (GMT+0)'],
    ['in summer', new Date('2026-07-01T12:00:00Z'), 'Europe/London', 'Europe/London (GMT+1)'],
    ['half an hour off the hour', NOW, 'Asia/Kolkata', 'Asia/Kolkata (GMT+5:30)'],
    ['behind UTC, with a space for the underscore', NOW, 'America/New_York', 'America/New York (GMT-5)'],
  ])('offers the time zone as a search, starting from the channel’s, %s', (_when, now, timeZone, shown) => {
    const zone = blockById(buildRhythmModal(modalInput({ timeZone, now })), RHYTHM_INPUTS.timeZone.block);
    expect(zone.element).toMatchObject({
      type: 'external_select',
      min_query_length: TIME_ZONE_QUERY_LENGTH,
      initial_option: { text: { type: 'plain_text', text: shown }, value: timeZone },
    });
    expect(TIME_ZONE_QUERY_LENGTH).toBeGreaterThanOrEqual(1);
    expect(TIME_ZONE_QUERY_LENGTH).toBeLessThanOrEqual(2);
  });

  it('asks for the zone, work days, pause and skip dates under the ids the save handler reads', () => {
    const view = buildRhythmModal(modalInput());
    for (const ids of Object.values(RHYTHM_INPUTS)) {
      expect(blockById(view, ids.block).element.action_id).toBe(ids.action);
    }
  });

  it('pre-selects what the channel saved last time', () => {
    const view = buildRhythmModal(
      modalInput({
        workDays: [1, 2, 3, 4],
        pauseUntil: '2026-12-01',
        skipDates: ['2026-12-24', '2026-12-25'],
      }),
    );
    expect(blockById(view, RHYTHM_INPUTS.timeZone.block).element.initial_option).toMatchObject({
      value: 'Europe/London',
    });
    expect(values(blockById(view, RHYTHM_INPUTS.workDays.block).element.initial_options)).toEqual([
      '1',
      '2',
      '3',
      '4',
    ]);
    expect(blockById(view, RHYTHM_INPUTS.pauseUntil.block).element.initial_date).toBe('2026-12-01');
    const skipText = String(blockById(view, RHYTHM_INPUTS.skipDates.block).element.initial_value);
    expect(parseSkipDates(skipText)).toEqual({ dates: ['2026-12-24', '2026-12-25'] });

    expect(values(blockById(view, rhythmInput('week_ahead', 'days').block).element.initial_options)).toEqual([
      '1',
    ]);
    // Off shows as no days, whatever days it ran on before.
    expect(blockById(view, rhythmInput('mid_week', 'days').block).element.initial_options).toBeUndefined();
    expect(blockById(view, rhythmInput('mid_week', 'time').block).element.initial_time).toBe('14:00');
    const lookBackDays = blockById(view, rhythmInput('look_back', 'days').block).element.initial_options;
    expect(lookBackDays?.map((option) => option.text.text)).toEqual(['Thursday', 'Friday']);
    expect(blockById(view, rhythmInput('look_back', 'time').block).element.initial_time).toBe('15:45');
  });

  it('leaves the pause and skip dates empty when none are saved', () => {
    const view = buildRhythmModal(modalInput());
    expect(blockById(view, RHYTHM_INPUTS.pauseUntil.block).element).not.toHaveProperty('initial_date');
    expect(blockById(view, RHYTHM_INPUTS.skipDates.block).element).not.toHaveProperty('initial_value');
  });

  it('pre-fills the most skip dates allowed whole, so none is lost on the next save', () => {
    const view = buildRhythmModal(fullInput);
    const skipText = String(blockById(view, RHYTHM_INPUTS.skipDates.block).element.initial_value);
    expect(parseSkipDates(skipText)).toEqual({ dates: maxSkipDates });
  });

  it('says what the weekly digest slot brings', () => {
    const view = buildRhythmModal(modalInput());
    const digest = String(
      (blockById(view, rhythmInput('digest', 'days').block).hint as { text: string }).text,
    );
    expect(digest).toMatch(/themes emerging from the team’s own words/);
    expect(digest).not.toMatch(/not posted yet/);
  });
});

const EMPTY_DRAFT: RhythmSettingsDraft = {
  timeZone: '',
  workDays: [],
  pauseUntil: null,
  skipDatesText: '',
  rhythms: {
    week_ahead: { enabled: false, days: [], localTime: null },
    mid_week: { enabled: false, days: [], localTime: null },
    look_back: { enabled: false, days: [], localTime: null },
    digest: { enabled: false, days: [], localTime: null },
  },
};

function answers(overrides: Partial<RhythmAnswers> = {}): RhythmAnswers {
  return {
    timeZone: 'Asia/Kolkata',
    workDays: [1, 2, 3, 4, 6],
    pauseUntil: '2026-12-01',
    skipDates: '2026-12-24, 2026-12-25\n2027-01-01',
    rhythms: {
      week_ahead: { enabled: true, days: [1], time: '09:30' },
      mid_week: { enabled: false, days: [3, 4], time: '14:00' },
      look_back: { enabled: true, days: [6], time: '17:15' },
    },
    ...overrides,
  };
}

describe('readRhythmModal', () => {
  it('reads back exactly what was chosen', () => {
    expect(readRhythmModal(rhythmStateValues(answers()))).toEqual({
      timeZone: 'Asia/Kolkata',
      workDays: [1, 2, 3, 4, 6],
      pauseUntil: '2026-12-01',
      skipDatesText: '2026-12-24, 2026-12-25\n2027-01-01',
      rhythms: {
        week_ahead: { enabled: true, days: [1], localTime: '09:30' },
        mid_week: { enabled: false, days: [], localTime: '14:00' },
        look_back: { enabled: true, days: [6], localTime: '17:15' },
        digest: { enabled: false, days: [], localTime: null },
      },
    });
  });

  it('reads a rhythm whose days were cleared as off, keeping its time', () => {
    const draft = readRhythmModal(
      rhythmStateValues(answers({ rhythms: { look_back: { enabled: false, days: [6], time: '17:15' } } })),
    );
    expect(draft.rhythms.look_back).toEqual({ enabled: false, days: [], localTime: '17:15' });
  });

  it('reads cleared fields as empty', () => {
    const draft = readRhythmModal(
      rhythmStateValues(answers({ pauseUntil: null, skipDates: '', workDays: [] })),
    );
    expect(draft.pauseUntil).toBeNull();
    expect(draft.skipDatesText).toBe('');
    expect(draft.workDays).toEqual([]);
  });

  it('reads a state with no blocks at all as an empty draft', () => {
    expect(readRhythmModal({})).toEqual(EMPTY_DRAFT);
  });

  const chosen = readRhythmModal(rhythmStateValues(answers()));
  const withRhythm = (kind: RhythmKind, change: Partial<RhythmSettingsDraft['rhythms'][RhythmKind]>) => ({
    ...chosen,
    rhythms: { ...chosen.rhythms, [kind]: { ...chosen.rhythms[kind], ...change } },
  });

  it.each<[string, string, unknown, RhythmSettingsDraft]>([
    ['a zone block that is text', RHYTHM_INPUTS.timeZone.block, 'oops', { ...chosen, timeZone: '' }],
    [
      'a zone value that is a number',
      RHYTHM_INPUTS.timeZone.block,
      { value: { selected_option: { value: 42 } } },
      { ...chosen, timeZone: '' },
    ],
    [
      'a zone typed as text instead of picked',
      RHYTHM_INPUTS.timeZone.block,
      { value: { type: 'plain_text_input', value: 'Europe/London' } },
      { ...chosen, timeZone: '' },
    ],
    [
      'work days that are not a list',
      RHYTHM_INPUTS.workDays.block,
      { value: { selected_options: '1' } },
      { ...chosen, workDays: [] },
    ],
    [
      'a work day whose value is not a number',
      RHYTHM_INPUTS.workDays.block,
      { value: { selected_options: [{ value: '2' }, { value: 'Monday' }] } },
      { ...chosen, workDays: [2] },
    ],
    [
      'a pause that is a number',
      RHYTHM_INPUTS.pauseUntil.block,
      { value: { selected_date: 20261201 } },
      { ...chosen, pauseUntil: null },
    ],
    ['a pause block that is null', RHYTHM_INPUTS.pauseUntil.block, null, { ...chosen, pauseUntil: null }],
    [
      'skip dates under another action',
      RHYTHM_INPUTS.skipDates.block,
      { other: { value: '2026-12-24' } },
      { ...chosen, skipDatesText: '' },
    ],
    [
      'days given as numbers instead of text',
      rhythmInput('look_back', 'days').block,
      { value: { selected_options: [{ value: 6 }] } },
      withRhythm('look_back', { enabled: false, days: [] }),
    ],
    [
      'a time that is a number',
      rhythmInput('week_ahead', 'time').block,
      { value: { selected_time: 930 } },
      withRhythm('week_ahead', { localTime: null }),
    ],
  ])('treats %s as unanswered and keeps the other answers', (_name, blockId, garbled, expected) => {
    const state = { ...rhythmStateValues(answers()), [blockId]: garbled } as Parameters<
      typeof readRhythmModal
    >[0];
    expect(readRhythmModal(state)).toEqual(expected);
  });

  it('lets a saved set-up be saved again unchanged', () => {
    const today = (zone: string) => calendarDateIn(NOW, zone);
    const first = validateRhythmSettings(readRhythmModal(rhythmStateValues(answers())), today);
    if (!first.ok) throw new Error(JSON.stringify(first.errors));
    const { calendar, rhythms } = first.settings;
    const reopened = buildRhythmModal({ channelId: CHANNEL, ...calendar, rhythms, now: NOW });
    expect(checkView(reopened)).toEqual([]);
    const skipText = String(blockById(reopened, RHYTHM_INPUTS.skipDates.block).element.initial_value);
    expect(parseSkipDates(skipText)).toEqual({ dates: calendar.skipDates });
  });

  it('turns an empty submission into messages shown under the modal’s own blocks', () => {
    const result = validateRhythmSettings(readRhythmModal({}), (zone) => calendarDateIn(NOW, zone));
    if (result.ok) throw new Error('an empty submission must not be accepted');
    const byBlock = rhythmErrorsByBlock(result.errors);
    const blockIds = new Set(buildRhythmModal(modalInput()).blocks.map((block) => block.block_id));
    expect(Object.keys(byBlock)).toHaveLength(Object.keys(result.errors).length);
    for (const blockId of Object.keys(byBlock)) expect(blockIds.has(blockId)).toBe(true);
    expect(byBlock[RHYTHM_INPUTS.timeZone.block]).toMatch(/time zone/);
    expect(byBlock[RHYTHM_INPUTS.workDays.block]).toMatch(/work day/);
  });
});

describe('rhythmErrorsByBlock', () => {
  const fields: Array<[RhythmSettingsField, string]> = [
    ['timeZone', RHYTHM_INPUTS.timeZone.block],
    ['workDays', RHYTHM_INPUTS.workDays.block],
    ['pauseUntil', RHYTHM_INPUTS.pauseUntil.block],
    ['skipDates', RHYTHM_INPUTS.skipDates.block],
    ...CONFIGURABLE_RHYTHMS.flatMap((kind) =>
      (['days', 'time'] as const).map((part): [RhythmSettingsField, string] => [
        `${kind}.${part}`,
        rhythmInput(kind, part).block,
      ]),
    ),
  ];

  it.each(fields)('puts a %s error under block %s', (field, block) => {
    expect(rhythmErrorsByBlock({ [field]: 'Fix this.' })).toEqual({ [block]: 'Fix this.' });
  });

  it('maps several errors at once, and nothing when there are none', () => {
    expect(rhythmErrorsByBlock({ timeZone: 'Z', 'mid_week.days': 'D' })).toEqual({
      rhythm_time_zone: 'Z',
      rhythm_mid_week_days: 'D',
    });
    expect(rhythmErrorsByBlock({})).toEqual({});
  });
});

describe('buildRhythmSaved', () => {
  const saved = (overrides: Partial<SavedRhythms> = {}): SavedRhythms => ({
    channelId: CHANNEL,
    timeZone: 'Europe/London',
    pauseUntil: null,
    upcoming: {
      week_ahead: [
        new Date('2026-11-23T09:30:00Z'),
        new Date('2026-11-30T09:30:00Z'),
        new Date('2026-12-07T09:30:00Z'),
      ],
      mid_week: null,
      look_back: [],
      digest: [
        new Date('2026-11-27T16:00:00Z'),
        new Date('2026-12-04T16:00:00Z'),
        new Date('2026-12-11T16:00:00Z'),
      ],
    },
    ...overrides,
  });

  const lineFor = (view: View, kind: RhythmKind) =>
    sectionTexts(view.blocks).find((text) => text.startsWith(`*${RHYTHM_DESCRIPTIONS[kind].title}*`)) ?? '';

  it('is a modal Slack accepts, closed with "Done"', () => {
    const view = buildRhythmSaved(saved({ pauseUntil: '2026-12-01' }));
    expect(checkView(view)).toEqual([]);
    expect(view.callback_id).toBe(CALLBACKS.rhythmSaved);
    expect(view.close).toMatchObject({ text: 'Done' });
  });

  it('lists the next three times of each rhythm that is on, in each reader’s own zone', () => {
    const view = buildRhythmSaved(saved());
    expect(sectionTexts(view.blocks)[0]).toBe(
      `Saved for <#${CHANNEL}>, on Europe/London time. The next times, as Slack shows them in your own time zone:`,
    );
    expect(lineFor(view, 'week_ahead').split('\n').slice(1)).toEqual([
      '• <!date^1795426200^{date_long_pretty} at {time}|Monday 23 November 2026, 09:30>',
      '• <!date^1796031000^{date_long_pretty} at {time}|Monday 30 November 2026, 09:30>',
      '• <!date^1796635800^{date_long_pretty} at {time}|Monday 7 December 2026, 09:30>',
    ]);
    expect(lineFor(view, 'digest').split('\n').slice(1)).toEqual([
      '• <!date^1795795200^{date_long_pretty} at {time}|Friday 27 November 2026, 16:00>',
      '• <!date^1796400000^{date_long_pretty} at {time}|Friday 4 December 2026, 16:00>',
      '• <!date^1797004800^{date_long_pretty} at {time}|Friday 11 December 2026, 16:00>',
    ]);
  });

  it('writes the fallback as the channel’s clock reads it, not UTC', () => {
    const view = buildRhythmSaved(saved({ timeZone: 'Asia/Kolkata' }));
    expect(lineFor(view, 'week_ahead')).toContain(
      '• <!date^1795426200^{date_long_pretty} at {time}|Monday 23 November 2026, 15:00>',
    );
  });

  it('says "off" for a rhythm that is off, and why an enabled one has no times', () => {
    const view = buildRhythmSaved(saved());
    expect(lineFor(view, 'mid_week')).toBe(`*${RHYTHM_DESCRIPTIONS.mid_week.title}*: off`);
    expect(lineFor(view, 'look_back')).toMatch(/^\*Look-back\*: on, but no day/);
  });

  it('notes the pause in words, and only when there is one', () => {
    const paused = textsIn(buildRhythmSaved(saved({ pauseUntil: '2026-12-01' })).blocks).join('\n');
    expect(paused).toContain('Paused until <!date^1796126400^{date_long_pretty}|Tuesday 1 December 2026>.');
    expect(textsIn(buildRhythmSaved(saved()).blocks).join('\n')).not.toContain('Paused');
  });
});

describe('buildTimeZoneOptions', () => {
  it('answers "london" with Europe/London, labelled with how far it is from UTC', () => {
    expect(buildTimeZoneOptions(findTimeZones('london', NOW))).toEqual({
      options: [{ text: { type: 'plain_text', text: 'Europe/London (GMT+0)' }, value: 'Europe/London' }],
    });
  });

  it('keeps a broad search within one menu Slack accepts', () => {
    const { options } = buildTimeZoneOptions(findTimeZones('a', NOW));
    expect(options).toHaveLength(100);
    expect(new Set(options.map((option) => option.value)).size).toBe(100);
    for (const option of options) expect(option.text.text.length).toBeLessThanOrEqual(75);
  });
});

describe('buildWelcome', () => {
  const welcome = buildWelcome(CHANNEL);

  it('is a valid message that promises nothing is posted until a rhythm is set', () => {
    expect(checkMessageBlocks(welcome.blocks)).toEqual([]);
    expect(welcome.text).toMatch(/Nothing is posted .* until someone sets up a rhythm/);
    expect(textsIn(welcome.blocks).join('\n')).toMatch(
      /Nothing is posted here until someone sets up a rhythm/,
    );
  });

  it('offers a "Set up a rhythm" button for this channel', () => {
    const buttons = welcome.blocks.flatMap((block) =>
      block.type === 'section' && block.accessory ? [block.accessory] : [],
    );
    expect(buttons).toEqual([
      expect.objectContaining({
        type: 'button',
        action_id: ACTIONS.setUpRhythm,
        text: expect.objectContaining({ text: 'Set up a rhythm' }),
        value: CHANNEL,
      }),
    ]);
  });
});

describe('buildChannelPausedNotice', () => {
  it.each([
    ['channel_not_found', /can no longer see the channel/],
    ['is_archived', /the channel is archived/],
    ['not_in_channel', /no longer a member of the channel/],
    ['restricted_action', /only lets certain people post/],
  ])('explains %s in words and how to start again', (error, reason) => {
    const notice = buildChannelPausedNotice(CHANNEL, error);
    expect(checkMessageBlocks(notice.blocks)).toEqual([]);
    for (const text of [notice.text, ...textsIn(notice.blocks)]) {
      expect(text).toMatch(reason);
      expect(text).not.toContain(error);
      expect(text).toContain('`/learning rhythm`');
      expect(text).toContain(`<#${CHANNEL}>`);
      expect(text).toMatch(/paused/);
    }
  });

  it('quotes an unfamiliar error as text instead of acting on it', () => {
    const notice = buildChannelPausedNotice(CHANNEL, '<!channel>');
    expect(checkMessageBlocks(notice.blocks)).toEqual([]);
    for (const text of [notice.text, ...textsIn(notice.blocks)]) {
      expect(text).toContain('Slack refused the post (&lt;!channel&gt;)');
      expect(text).not.toContain('<!channel>');
      expect(text).toContain('`/learning rhythm`');
    }
  });

  it('keeps a very long unfamiliar error within the limits', () => {
    const notice = buildChannelPausedNotice(CHANNEL, '&'.repeat(5000));
    expect(checkMessageBlocks(notice.blocks)).toEqual([]);
    expect(notice.text.length).toBeLessThanOrEqual(3000);
  });
});

describe('buildPromptsModal', () => {
  const customPrompts = (count: number) =>
    Array.from({ length: count }, (_, i) => ({
      id: `0b9f3c1e-5d7a-4c2b-9e8f-${String(i).padStart(12, '0')}`,
      text: `Prompt ${i}: ${'What did the pilot with the partner schools show us about attendance? '.repeat(4)}`.slice(
        0,
        300,
      ),
    }));

  it('with no prompts of the channel’s own, offers only a place to add some', () => {
    const view = buildPromptsModal({ channelId: CHANNEL, libraryCount: 30, custom: [] });
    expect(checkView(view)).toEqual([]);
    expect(view.callback_id).toBe(CALLBACKS.channelPrompts);
    expect(blockById(view, PROMPT_INPUTS.add.block).element.action_id).toBe(PROMPT_INPUTS.add.action);
    expect(view.blocks.some((block) => block.block_id === PROMPT_INPUTS.retire.block)).toBe(false);
    expect(sectionTexts(view.blocks)[0]).toContain('30 built-in prompts');
  });

  it(`with 150 long prompts, lists the first ${MAX_CUSTOM_PROMPTS} to retire, shortened to fit`, () => {
    const custom = customPrompts(150);
    const view = buildPromptsModal({ channelId: CHANNEL, libraryCount: 30, custom });
    expect(checkView(view)).toEqual([]);
    const options = blockById(view, PROMPT_INPUTS.retire.block).element.options ?? [];
    expect(options).toHaveLength(MAX_CUSTOM_PROMPTS);
    expect(options.map((option) => option.value)).toEqual(
      custom.slice(0, MAX_CUSTOM_PROMPTS).map((prompt) => prompt.id),
    );
    for (const option of options) {
      expect(option.text.text.length).toBeLessThanOrEqual(75);
      expect(option.text.text.endsWith('…')).toBe(true);
    }
    expect(options[0]?.text.text.startsWith('Prompt 0: What did the pilot')).toBe(true);
  });

  it('shows a short prompt whole', () => {
    const view = buildPromptsModal({
      channelId: CHANNEL,
      libraryCount: 30,
      custom: [{ id: 'p1', text: 'Who did we not hear from?' }],
    });
    expect(blockById(view, PROMPT_INPUTS.retire.block).element.options?.[0]?.text.text).toBe(
      'Who did we not hear from?',
    );
  });
});

describe('readPromptsModal', () => {
  const state = (added: string | null, retired: string[] = []) => ({
    [PROMPT_INPUTS.add.block]: { [PROMPT_INPUTS.add.action]: { type: 'plain_text_input', value: added } },
    [PROMPT_INPUTS.retire.block]: {
      [PROMPT_INPUTS.retire.action]: {
        type: 'multi_static_select',
        selected_options: retired.map((value) => ({ value })),
      },
    },
  });

  it.each<[string, string | null, string[]]>([
    ['one prompt', 'Who did we not hear from?', ['Who did we not hear from?']],
    [
      'one prompt a line, trimmed',
      '  Who did we not hear from?  \n\tWhat would we stop doing?\n',
      ['Who did we not hear from?', 'What would we stop doing?'],
    ],
    ['blank lines between', 'First?\n\n   \nSecond?', ['First?', 'Second?']],
    ['Windows line ends', 'First?\r\nSecond?\r\n', ['First?', 'Second?']],
    ['nothing typed', null, []],
    ['only blanks', ' \n \n', []],
  ])('reads %s', (_name, added, expected) => {
    expect(readPromptsModal(state(added)).add).toEqual(expected);
  });

  it('reads which prompts to retire', () => {
    expect(readPromptsModal(state(null, ['p1', 'p2'])).retire).toEqual(['p1', 'p2']);
  });

  it('reads a state with no blocks as nothing to change', () => {
    expect(readPromptsModal({})).toEqual({ add: [], retire: [] });
  });
});

const NUDGE_KINDS: Array<[PromptContent['kind'], string]> = [
  ['week_ahead', 'Week-ahead check-in'],
  ['mid_week', 'Mid-week reflection'],
  ['look_back', 'Look-back'],
];

describe.each(NUDGE_KINDS)('buildPrompt for %s', (kind, title) => {
  const promptMessage = buildPrompt({
    occurrenceId: OCCURRENCE_ID,
    kind,
    promptText: 'What surprised you this week?',
  });
  const actions = promptMessage.blocks.find((block): block is ActionsBlock => block.type === 'actions');
  const elements = (actions?.elements ?? []) as unknown as Array<LooseElement>;

  it('is a valid message headed by the rhythm’s name and the prompt', () => {
    expect(checkMessageBlocks(promptMessage.blocks)).toEqual([]);
    expect(sectionTexts(promptMessage.blocks)[0]).toBe(`*${title}*\nWhat surprised you this week?`);
    expect(promptMessage.text).toBe(`${title}: What surprised you this week?`);
  });

  it('offers to answer privately or anonymously for this occurrence', () => {
    expect(elements).toContainEqual(
      expect.objectContaining({
        type: 'button',
        action_id: ACTIONS.answerPrivately,
        text: expect.objectContaining({ text: 'Answer privately' }),
        value: OCCURRENCE_ID,
      }),
    );
    expect(elements).toContainEqual(
      expect.objectContaining({
        type: 'button',
        action_id: ACTIONS.answerAnonymously,
        text: expect.objectContaining({ text: 'Answer anonymously' }),
        value: OCCURRENCE_ID,
      }),
    );
  });

  it('lets people skip with a reason, including that it is not safe to say', () => {
    const skip = elements.find((element) => element.action_id === ACTIONS.skipPrompt);
    expect(skip?.type).toBe('static_select');
    const options = skip?.options ?? [];
    expect(options.map((option) => option.value)).toEqual([
      `${OCCURRENCE_ID}|not_relevant`,
      `${OCCURRENCE_ID}|no_capacity`,
      `${OCCURRENCE_ID}|not_safe`,
      `${OCCURRENCE_ID}|other`,
    ]);
    for (const option of options) expect(option.value.length).toBeLessThanOrEqual(150);
    expect(options.map((option) => option.text.text)).toContain('Not safe to say');
  });

  it('tags the message with its occurrence so a lost post can be found again', () => {
    expect(promptMessage.metadata).toEqual({
      event_type: PROMPT_EVENT_TYPE,
      event_payload: { occurrence_id: OCCURRENCE_ID },
    });
  });

  it('stays within the limits with a 3000-character prompt of "<"', () => {
    const extreme = buildPrompt({ occurrenceId: OCCURRENCE_ID, kind, promptText: '<'.repeat(3000) });
    expect(checkMessageBlocks(extreme.blocks)).toEqual([]);
    expect(extreme.text.length).toBeLessThanOrEqual(3000);
    expect(extreme.text.startsWith(`${title}: &lt;`)).toBe(true);
    for (const text of [extreme.text, ...textsIn(extreme.blocks)]) expect(text).not.toContain('<');
  });

  it('shows markup in a prompt as typed instead of acting on it', () => {
    const marked = buildPrompt({ occurrenceId: OCCURRENCE_ID, kind, promptText: MARKUP });
    for (const text of [marked.text, ...textsIn(marked.blocks)]) {
      expect(text).not.toContain('<!channel>');
      expect(text).not.toContain('<@U123>');
      expect(text).not.toContain('<https://');
    }
    expect(sectionTexts(marked.blocks)[0]).toContain('&lt;!channel&gt;');
    expect(marked.text).toContain('&lt;!channel&gt;');
  });
});

describe.each<[AnswerMode, string, RegExp]>([
  ['private', 'Answer privately', /saved with your name .*not posted in the channel/],
  ['anonymous', 'Answer anonymously', /saved with no name and no user id/],
])('buildAnswerModal when answering %s', (mode, title, kept) => {
  const metadata = JSON.stringify({ occurrenceId: OCCURRENCE_ID });
  const view = buildAnswerModal({ mode, promptText: 'What surprised you this week?', metadata });

  it(`is a modal Slack accepts, titled "${title}"`, () => {
    expect(checkView(view)).toEqual([]);
    expect(view.title.text).toBe(title);
    expect(view.title.text.length).toBeLessThanOrEqual(24);
    expect(view.callback_id).toBe(CALLBACKS.promptAnswer);
    expect(view.private_metadata).toBe(metadata);
  });

  it('shows the prompt and asks for the answer under the id the save handler reads', () => {
    expect(sectionTexts(view.blocks)[0]).toBe('What surprised you this week?');
    expect(blockById(view, PROMPT_ANSWER_INPUTS.answer.block).element).toMatchObject({
      type: 'plain_text_input',
      action_id: PROMPT_ANSWER_INPUTS.answer.action,
    });
  });

  it('says what is kept with the answer', () => {
    expect(textsIn(view.blocks).join('\n')).toMatch(kept);
  });

  it('stays within the limits, escaped, with a 3000-character prompt of "<"', () => {
    const extreme = buildAnswerModal({ mode, promptText: '<'.repeat(3000), metadata });
    expect(checkView(extreme)).toEqual([]);
    for (const text of textsIn(extreme.blocks)) expect(text).not.toContain('<');
  });
});
