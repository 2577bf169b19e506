import { describe, expect, it } from 'vitest';
import { chunkMrkdwn, escapeMrkdwn, FOLD_MARKER, foldMrkdwn, foldPlain } from '../../src/slack/views/text.js';
import { seededRandom } from '../support/seeded-random.js';

const FAMILY = '👩‍👩‍👧';
const FLAG = '🇬🇧';
const THUMBS = '👍🏽';
const E_ACUTE = 'e\u0301';

function unescapeMrkdwn(mrkdwn: string): string {
  const entities: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>' };
  return mrkdwn.replace(/&(?:amp|lt|gt);/g, (entity) => entities[entity] as string);
}

const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** Offsets (in UTF-16 units) where a user-perceived character starts or the text ends. */
function graphemeBoundaries(text: string): Set<number> {
  const boundaries = new Set([text.length]);
  for (const { index } of segmenter.segment(text)) boundaries.add(index);
  return boundaries;
}

/** True when every & starts an entity and no raw < or > remains, i.e. Slack cannot read it as markup. */
function isInertMrkdwn(text: string): boolean {
  return !/[<>]/.test(text) && !/&(?!(?:amp|lt|gt);)/.test(text);
}

/** What is left of the author's text once the fold marker is taken off. */
function keptOf(folded: string, escaped: boolean): string {
  const body = folded.endsWith(FOLD_MARKER) ? folded.slice(0, -FOLD_MARKER.length) : folded;
  return escaped ? unescapeMrkdwn(body) : body;
}

const PIECES = [
  'a',
  'word',
  'unbrokenlongword',
  ' ',
  ' ',
  ' ',
  '\n',
  '\t',
  '&',
  '<',
  '>',
  '&amp;',
  '&lt;',
  '<!channel>',
  '<@U123>',
  '<https://evil.example|click>',
  '*bold*',
  '_it_',
  '`code`',
  '~',
  '😀',
  FAMILY,
  FLAG,
  THUMBS,
  E_ACUTE,
  'ñ',
  '学',
  '…',
];

function generated(seed: number, pieces: number): string {
  const next = seededRandom(seed);
  let text = '';
  for (let i = 0; i < pieces; i += 1) text += PIECES[Math.floor(next() * PIECES.length)];
  return text;
}

const SAMPLES: Array<[number, number, number]> = [];
for (let seed = 1; seed <= 40; seed += 1) {
  const pieces = [3, 20, 80, 400, 1500][seed % 5] as number;
  const limit = [10, 17, 40, 300, 3000][Math.floor(seed / 5) % 5] as number;
  SAMPLES.push([seed, pieces, limit]);
}

describe('escapeMrkdwn', () => {
  it.each([
    ['&', '&amp;'],
    ['<', '&lt;'],
    ['>', '&gt;'],
    ['<!channel>', '&lt;!channel&gt;'],
    ['<!here> <!everyone>', '&lt;!here&gt; &lt;!everyone&gt;'],
    ['<@U123>', '&lt;@U123&gt;'],
    ['<https://evil.example|click here>', '&lt;https://evil.example|click here&gt;'],
    ['Tom & Jerry', 'Tom &amp; Jerry'],
    // Someone who typed an entity sees the entity, not the character it stands for.
    ['&lt;', '&amp;lt;'],
    ['*bold* _it_ `code`', '*bold* _it_ `code`'],
    ['', ''],
  ])('shows %j exactly as typed', (text, escaped) => {
    expect(escapeMrkdwn(text)).toBe(escaped);
    expect(isInertMrkdwn(escapeMrkdwn(text))).toBe(true);
  });
});

describe('foldMrkdwn', () => {
  it('leaves text that fits alone, apart from escaping', () => {
    expect(foldMrkdwn('Tom & Jerry <3', 100)).toBe('Tom &amp; Jerry &lt;3');
  });

  it('does not add a marker to text that fits exactly', () => {
    expect(foldMrkdwn('abcde', 5)).toBe('abcde');
    expect(foldMrkdwn('a&b', 7)).toBe('a&amp;b');
  });

  it('keeps a marker the author typed themselves without adding another', () => {
    expect(foldMrkdwn('to be continued…', 100)).toBe('to be continued…');
  });

  it.each([
    ['<', 3000],
    ['>', 3000],
    ['&', 3000],
    ['<', 2000],
    ['&', 280],
  ])('stays within the limit when escaping %j grows the text (limit %d)', (character, limit) => {
    const folded = foldMrkdwn(character.repeat(limit), limit);
    expect(folded.length).toBeLessThanOrEqual(limit);
    expect(folded.endsWith(FOLD_MARKER)).toBe(true);
    expect(isInertMrkdwn(folded)).toBe(true);
    expect(keptOf(folded, true)).toMatch(new RegExp(`^\\${character}+$`));
  });

  it('cuts between words', () => {
    expect(foldMrkdwn('the quick brown fox jumps', 16)).toBe('the quick brown…');
    expect(foldMrkdwn('the quick brown fox jumps', 15)).toBe('the quick…');
  });

  it('cuts at a line break as readily as at a space', () => {
    expect(foldMrkdwn('first line\nsecond line', 15)).toBe('first line…');
  });

  it('cuts a single long word only because there is nowhere else to cut', () => {
    const folded = foldMrkdwn('x'.repeat(5000), 3000);
    expect(folded).toBe(`${'x'.repeat(2999)}…`);
  });

  it.each([
    ['family emoji', FAMILY],
    ['flags', FLAG],
    ['skin-toned emoji', THUMBS],
    ['combining accents', E_ACUTE],
    ['plain emoji', '😀'],
  ])('never splits %s', (_name, grapheme) => {
    const text = grapheme.repeat(400);
    for (const limit of [5, 9, 10, 11, 12, 13, 100, 101, 299, 300]) {
      const folded = foldMrkdwn(text, limit);
      expect(folded.length).toBeLessThanOrEqual(limit);
      const kept = keptOf(folded, true);
      expect(kept.length % grapheme.length).toBe(0);
      expect(kept).toBe(grapheme.repeat(kept.length / grapheme.length));
    }
  });

  it('never splits an entity', () => {
    for (let limit = 6; limit <= 30; limit += 1) {
      const folded = foldMrkdwn('a&b<c>d'.repeat(10), limit);
      expect(folded.length).toBeLessThanOrEqual(limit);
      expect(isInertMrkdwn(folded)).toBe(true);
    }
  });

  it('makes markup typed by the author inert even when it is cut', () => {
    const folded = foldMrkdwn(`<!channel> ${'look at this '.repeat(50)}<https://evil.example|click>`, 100);
    expect(folded).not.toContain('<');
    expect(folded.startsWith('&lt;!channel&gt; ')).toBe(true);
  });

  it.each(SAMPLES)(
    'keeps its promises for generated text (seed %d, %d pieces, limit %d)',
    (seed, pieces, limit) => {
      const text = generated(seed, pieces);
      const folded = foldMrkdwn(text, limit);
      expect(folded.length).toBeLessThanOrEqual(limit);
      expect(isInertMrkdwn(folded.replace(/…$/, ''))).toBe(true);
      if (escapeMrkdwn(text).length <= limit) {
        expect(folded).toBe(escapeMrkdwn(text));
        return;
      }
      expect(folded.endsWith(FOLD_MARKER)).toBe(true);
      const kept = keptOf(folded, true);
      expect(text.startsWith(kept)).toBe(true);
      expect(graphemeBoundaries(text).has(kept.length)).toBe(true);
      // Once there was a space to cut at, what follows the kept text is that space, not the rest of a word.
      if (/\s/.test(kept.slice(1))) expect(text.charAt(kept.length)).toMatch(/\s/);
    },
  );
});

describe('foldPlain', () => {
  it('returns text that fits unchanged, markup and all', () => {
    expect(foldPlain('Tom & Jerry <3', 14)).toBe('Tom & Jerry <3');
  });

  it('cuts between words and marks the cut', () => {
    expect(foldPlain('Before-action review for the launch', 24)).toBe('Before-action review…');
  });

  it('counts characters as written, not as escaped', () => {
    expect(foldPlain('&'.repeat(75), 75)).toBe('&'.repeat(75));
    expect(foldPlain('&'.repeat(76), 75)).toBe(`${'&'.repeat(74)}…`);
  });

  it.each([
    ['family emoji', FAMILY],
    ['flags', FLAG],
    ['combining accents', E_ACUTE],
  ])('never splits %s', (_name, grapheme) => {
    for (const limit of [10, 24, 75, 150]) {
      const folded = foldPlain(grapheme.repeat(100), limit);
      expect(folded.length).toBeLessThanOrEqual(limit);
      const kept = keptOf(folded, false);
      expect(kept).toBe(grapheme.repeat(kept.length / grapheme.length));
    }
  });

  it.each(SAMPLES)(
    'keeps its promises for generated text (seed %d, %d pieces, limit %d)',
    (seed, pieces, limit) => {
      const text = generated(seed, pieces);
      const folded = foldPlain(text, limit);
      expect(folded.length).toBeLessThanOrEqual(limit);
      if (text.length <= limit) {
        expect(folded).toBe(text);
        return;
      }
      expect(folded.endsWith(FOLD_MARKER)).toBe(true);
      const kept = keptOf(folded, false);
      expect(text.startsWith(kept)).toBe(true);
      expect(graphemeBoundaries(text).has(kept.length)).toBe(true);
      if (/\s/.test(kept.slice(1))) expect(text.charAt(kept.length)).toMatch(/\s/);
    },
  );
});

describe('chunkMrkdwn', () => {
  it('keeps short text in one piece', () => {
    expect(chunkMrkdwn('Tom & Jerry', 3000)).toEqual(['Tom &amp; Jerry']);
  });

  it('splits between words', () => {
    expect(chunkMrkdwn('aaaa bbbb cccc', 9)).toEqual(['aaaa bbbb', ' cccc']);
    expect(chunkMrkdwn('aaaa bbbb cccc', 8)).toEqual(['aaaa', ' bbbb', ' cccc']);
  });

  it('splits 3000 escaped "<" into pieces Slack accepts', () => {
    const chunks = chunkMrkdwn('<'.repeat(3000), 3000);
    expect(chunks).toHaveLength(4);
    for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(3000);
    expect(unescapeMrkdwn(chunks.join(''))).toBe('<'.repeat(3000));
  });

  it.each(SAMPLES)(
    'loses nothing and respects the limit for generated text (seed %d, %d pieces, limit %d)',
    (seed, pieces, limit) => {
      const text = generated(seed, pieces);
      const chunks = chunkMrkdwn(text, limit);
      for (const chunk of chunks) {
        expect(chunk.length).toBeLessThanOrEqual(limit);
        expect(isInertMrkdwn(chunk)).toBe(true);
      }
      expect(chunks.map(unescapeMrkdwn).join('')).toBe(text);
      let offset = 0;
      const boundaries = graphemeBoundaries(text);
      for (const chunk of chunks) {
        offset += unescapeMrkdwn(chunk).length;
        expect(boundaries.has(offset)).toBe(true);
      }
    },
  );

  it.each([
    ['family emoji', FAMILY, 10],
    ['flags', FLAG, 9],
    ['ampersands', '&', 12],
    ['a long word', 'x', 7],
  ])('gives back exactly the original text made of %s', (_name, unit, limit) => {
    const text = unit.repeat(500);
    const chunks = chunkMrkdwn(text, limit);
    expect(chunks.map(unescapeMrkdwn).join('')).toBe(text);
    for (const chunk of chunks) {
      expect(chunk.length).toBeLessThanOrEqual(limit);
      expect(chunk.length).toBeGreaterThan(0);
    }
  });
});
