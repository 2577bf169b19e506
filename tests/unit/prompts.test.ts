import { describe, expect, it } from 'vitest';
import {
  choosePrompt,
  LOOK_BACK_PROMPT,
  MAX_PROMPT_LENGTH,
  PROMPT_LIBRARY,
  PROMPT_THEMES,
  type Prompt,
  WEEK_AHEAD_PROMPT,
} from '../../src/domain/prompts.js';

/** Runs the rotation `times` times, posting each pick, as a channel would week after week. */
function rotate<T extends { key: string }>(available: readonly T[], times: number, used: string[] = []): T[] {
  const picked: T[] = [];
  for (let turn = 0; turn < times; turn++) {
    const prompt = choosePrompt(available, used);
    if (!prompt) throw new Error('expected a prompt');
    picked.push(prompt);
    used.push(prompt.key);
  }
  return picked;
}

const keys = (prompts: readonly { key: string }[]) => prompts.map((prompt) => prompt.key);

const custom = (n: number): Prompt => ({
  key: `custom:${n}`,
  text: `What did the pilot with the ${n} schools show us this week?`,
  theme: 'noticing',
});

describe('PROMPT_LIBRARY', () => {
  it('has at least 24 prompts', () => {
    expect(PROMPT_LIBRARY.length).toBeGreaterThanOrEqual(24);
  });

  it.each(PROMPT_THEMES)('has at least four %s prompts', (theme) => {
    expect(PROMPT_LIBRARY.filter((prompt) => prompt.theme === theme).length).toBeGreaterThanOrEqual(4);
  });

  it('uses only the known themes', () => {
    for (const prompt of PROMPT_LIBRARY) expect(PROMPT_THEMES).toContain(prompt.theme);
  });

  it('has unique keys and unique texts', () => {
    expect(new Set(keys(PROMPT_LIBRARY)).size).toBe(PROMPT_LIBRARY.length);
    expect(new Set(PROMPT_LIBRARY.map((prompt) => prompt.text.toLowerCase())).size).toBe(
      PROMPT_LIBRARY.length,
    );
  });

  it('keys each prompt as library:<theme>-<n>, so stored keys stay readable', () => {
    for (const prompt of PROMPT_LIBRARY)
      expect(prompt.key).toMatch(new RegExp(`^library:${prompt.theme}-\\d+$`));
  });

  it('keeps the keys that have already been stored', () => {
    // Keys are saved with every posted prompt; renaming one would make old posts look unused.
    expect(keys(PROMPT_LIBRARY)).toEqual(
      expect.arrayContaining([
        'library:noticing-1',
        'library:surprise-1',
        'library:assumption-1',
        'library:voices-1',
        'library:hypothesis-1',
        'library:differently-1',
      ]),
    );
  });
});

describe('prompt texts', () => {
  const texts: [string, string][] = [
    ...PROMPT_LIBRARY.map((prompt): [string, string] => [prompt.key, prompt.text]),
    ['WEEK_AHEAD_PROMPT', WEEK_AHEAD_PROMPT],
    ['LOOK_BACK_PROMPT', LOOK_BACK_PROMPT],
  ];

  it('allows a useful length', () => {
    expect(MAX_PROMPT_LENGTH).toBe(300);
  });

  it.each(texts)('%s is one short question in plain words', (_, text) => {
    expect([...text].length).toBeLessThan(MAX_PROMPT_LENGTH);
    expect(text).toBe(text.trim());
    expect(text).not.toMatch(/\s{2,}|\n/);
    expect(text).toMatch(/^[A-Z]/);
    expect(text.endsWith('?')).toBe(true);
    expect(text.slice(0, -1)).not.toContain('?');
    expect(text).not.toMatch(
      /synerg|leverage|stakeholder|learnings|deliverable|paradigm|ecosystem|bandwidth/i,
    );
  });

  it.each(texts)('%s is about this week’s or next week’s real work', (_, text) => {
    expect(text).toMatch(/\b(this|next) week|\bright now\b|\bcurrent\b|\bnext few weeks\b/i);
  });

  it('asks the week ahead about learning questions, and the look-back about expectations', () => {
    expect(WEEK_AHEAD_PROMPT).toMatch(/this week/);
    expect(WEEK_AHEAD_PROMPT).toMatch(/learning questions/);
    expect(LOOK_BACK_PROMPT).toMatch(/this week/);
    expect(LOOK_BACK_PROMPT).toMatch(/expected/);
  });
});

describe('choosePrompt', () => {
  it('returns undefined when nothing is available', () => {
    expect(choosePrompt([], [])).toBeUndefined();
    expect(choosePrompt([], ['library:noticing-1'])).toBeUndefined();
  });

  it('starts a fresh channel with the first prompt', () => {
    expect(choosePrompt(PROMPT_LIBRARY, [])).toBe(PROMPT_LIBRARY[0]);
  });

  it('uses every prompt exactly once before any repeats, then starts again', () => {
    const n = PROMPT_LIBRARY.length;
    const used: string[] = [];
    const firstCycle = rotate(PROMPT_LIBRARY, n, used);
    expect(new Set(keys(firstCycle)).size).toBe(n);
    expect(keys(firstCycle).sort()).toEqual(keys(PROMPT_LIBRARY).sort());

    const secondCycle = rotate(PROMPT_LIBRARY, n, used);
    expect(new Set(keys(secondCycle)).size).toBe(n);
    expect(keys(secondCycle)).toEqual(keys(firstCycle));
  });

  it('reads `used` as history, oldest first, and continues the cycle under way', () => {
    const used = keys(PROMPT_LIBRARY.slice(0, 5));
    expect(choosePrompt(PROMPT_LIBRARY, used)).toBe(PROMPT_LIBRARY[5]);
    const [a, b, c] = [{ key: 'a' }, { key: 'b' }, { key: 'c' }];
    // Second cycle under way (a, b done): c comes next, never a repeat of a or b.
    expect(choosePrompt([a, b, c], ['a', 'b', 'c', 'a', 'b'])).toBe(c);
    // Cycle complete: the prompt used longest ago starts the next one.
    expect(choosePrompt([a, b, c], ['b', 'c', 'a'])).toBe(b);
    expect(choosePrompt([a, b, c], ['b', 'c'])).toBe(a);
  });

  it('uses a prompt added after many cycles once, then rotates it like the rest, never twice in a row', () => {
    const [a, b] = [{ key: 'a' }, { key: 'b' }];
    const late = { key: 'late' };
    const used = ['a', 'b', 'a', 'b', 'a', 'b'];
    const picks = rotate([a, b, late], 6, used);
    expect(keys(picks)).toEqual(['late', 'a', 'b', 'late', 'a', 'b']);
  });

  it('ignores unknown and retired keys in `used`', () => {
    const used = ['library:retired-7', 'custom:deleted', '', 'library:retired-7'];
    expect(choosePrompt(PROMPT_LIBRARY, used)).toBe(PROMPT_LIBRARY[0]);
    const cycle = rotate(PROMPT_LIBRARY, PROMPT_LIBRARY.length, [...used]);
    expect(new Set(keys(cycle)).size).toBe(PROMPT_LIBRARY.length);
  });

  it('picks a newly added prompt before repeating any other', () => {
    const used = keys(rotate(PROMPT_LIBRARY, PROMPT_LIBRARY.length));
    const withCustom = [...PROMPT_LIBRARY, custom(12)];
    expect(choosePrompt(withCustom, used)).toEqual(custom(12));
  });

  it('fits a prompt added mid-cycle into the cycle under way', () => {
    const used = keys(rotate(PROMPT_LIBRARY, 10));
    const withCustom = [...PROMPT_LIBRARY, custom(3)];
    const rest = rotate(withCustom, withCustom.length - 10, used);
    expect(new Set(keys(rest)).size).toBe(rest.length);
    expect(keys(rest)).toContain('custom:3');
    // Everything has now been used once, so the next pick starts the second cycle from the top.
    expect(choosePrompt(withCustom, used)).toBe(PROMPT_LIBRARY[0]);
  });

  it('keeps rotating fairly when a prompt is retired', () => {
    const used = keys(rotate(PROMPT_LIBRARY, 3));
    const withoutFirst = PROMPT_LIBRARY.slice(1);
    const rest = rotate(withoutFirst, withoutFirst.length - 2, used);
    expect(keys(rest)).not.toContain(PROMPT_LIBRARY[0]?.key);
    expect(new Set(keys(rest)).size).toBe(rest.length);
  });

  it('returns the caller’s own object, so channel prompts keep their extra fields', () => {
    const own = { key: 'custom:1', text: 'What did the funder ask us this week?', authorId: 'U123' };
    expect(choosePrompt([own], [])).toBe(own);
  });
});
