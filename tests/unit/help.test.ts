import type { KnownBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { editDistance, nearestWord } from '../../src/domain/nearest-word.js';
import { ACTIONS } from '../../src/slack/ids.js';
import {
  buildAllCommands,
  buildHelp,
  buildUnknownSubcommand,
  LEARNING_SUBCOMMANDS,
} from '../../src/slack/views/help.js';
import { checkMessageBlocks, checkView } from '../support/fake-slack.js';

/** Every piece of text Slack would render from these blocks, wherever it sits. */
function textsIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(textsIn);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, inner]) =>
    key === 'text' && typeof inner === 'string' ? [inner] : textsIn(inner),
  );
}

const bulletsIn = (text: string) => text.split('\n').filter((line) => line.startsWith('• '));
const buttonsIn = (blocks: KnownBlock[]) =>
  blocks.flatMap((block) => (block.type === 'actions' ? block.elements : []));

describe('buildHelp', () => {
  const help = buildHelp();
  const shown = textsIn(help.blocks).join('\n');

  it('shows at most five things, short enough to read at a glance', () => {
    expect(checkMessageBlocks(help.blocks)).toEqual([]);
    expect(bulletsIn(shown).length).toBeLessThanOrEqual(5);
    expect(shown.length).toBeLessThan(700);
    for (const command of ['/bar', '/aar', '/learning digest', '/learning rhythm']) {
      expect(shown).toContain(command);
    }
    expect(help.text).toMatch(/\S/);
  });

  it('keeps the rest one click away', () => {
    const [more, ...others] = buttonsIn(help.blocks);
    expect(others).toEqual([]);
    expect(more).toMatchObject({
      type: 'button',
      action_id: ACTIONS.moreCommands,
      text: { text: 'More commands' },
    });
  });
});

describe('buildAllCommands', () => {
  const view = buildAllCommands();
  const listed = textsIn(view.blocks).join('\n');

  it('is a window Slack opens', () => {
    expect(checkView(view)).toEqual([]);
  });

  it('names every subcommand, and the two review commands', () => {
    for (const subcommand of LEARNING_SUBCOMMANDS) expect(listed).toContain(`\`/learning ${subcommand}`);
    expect(listed).toContain('`/learning digest post`');
    expect(listed).toContain('`/bar');
    expect(listed).toContain('`/aar`');
  });
});

describe('buildUnknownSubcommand', () => {
  it('suggests the nearest command in one line', () => {
    const answer = buildUnknownSubcommand('digset', 'digest');
    expect(answer.text).toBe('No command “digset”. Did you mean `/learning digest`?');
    expect(textsIn(answer.blocks)).toEqual([answer.text]);
    expect(checkMessageBlocks(answer.blocks)).toEqual([]);
  });

  it('points to help in one line when nothing is near', () => {
    const answer = buildUnknownSubcommand('dance', undefined);
    expect(answer.text).toBe('No command “dance”. `/learning help` shows what you can do.');
    expect(answer.text).not.toContain('\n');
  });

  it('repeats what was typed escaped and cut short, so it notifies nobody and stays one line', () => {
    const mention = buildUnknownSubcommand('<!channel>', undefined);
    expect(mention.text).toContain('“&lt;!channel&gt;”');
    expect(textsIn(mention.blocks).join('\n')).not.toContain('<!channel>');

    const long = buildUnknownSubcommand('&'.repeat(5000), undefined);
    expect(checkMessageBlocks(long.blocks)).toEqual([]);
    expect(long.text).toContain('…');
    expect(long.text.length).toBeLessThan(300);
  });
});

describe('editDistance', () => {
  it.each([
    ['digest', 'digest', 0],
    ['digset', 'digest', 1],
    ['exprot', 'export', 1],
    ['rythm', 'rhythm', 1],
    ['forgetme', 'forget-me', 1],
    ['prompt', 'prompts', 1],
    ['hepl', 'help', 1],
    ['stweards', 'stewards', 1],
    ['kitten', 'sitting', 3],
    // Optimal string alignment: a swapped pair is not edited again.
    ['ca', 'abc', 3],
    ['', 'help', 4],
    ['help', '', 4],
  ])('%s → %s is %i', (from, to, distance) => {
    expect(editDistance(from, to)).toBe(distance);
    expect(editDistance(to, from)).toBe(distance);
  });

  it('counts characters, not UTF-16 units', () => {
    expect(editDistance('digest😀', 'digest')).toBe(1);
  });
});

describe('nearestWord among the subcommands', () => {
  it.each([
    ['digset', 'digest'],
    ['exprot', 'export'],
    ['rythm', 'rhythm'],
    ['rhytm', 'rhythm'],
    ['promtps', 'prompts'],
    ['question', 'questions'],
    ['stewart', 'stewards'],
    ['forgetme', 'forget-me'],
    ['forget_me', 'forget-me'],
    ['delete-channel', 'delete-channel-data'],
    ['quest', 'questions'],
    ['hlep', 'help'],
  ])('%s means %s', (typed, meant) => {
    expect(nearestWord(typed, LEARNING_SUBCOMMANDS)).toBe(meant);
  });

  it.each(['dance', 'hi', 'post', 'de', 'delete-everything', 'xyz', 'a'.repeat(5000)])(
    '%s is near nothing',
    (typed) => {
      expect(nearestWord(typed, LEARNING_SUBCOMMANDS)).toBeUndefined();
    },
  );

  it('takes the fewest edits, and the first listed on a tie', () => {
    expect(nearestWord('cat', ['bat', 'cart', 'cat'])).toBe('cat');
    expect(nearestWord('cut', ['cat', 'cot'])).toBe('cat');
  });

  it('tolerates one slip in a short word, two in a longer one', () => {
    expect(nearestWord('hxlx', ['help'])).toBeUndefined();
    expect(nearestWord('dxgxst', ['digest'])).toBe('digest');
    expect(nearestWord('dxgxxt', ['digest'])).toBeUndefined();
  });
});
