import { describe, expect, it } from 'vitest';
import {
  analysableText,
  MAX_ANALYSED_LENGTH,
  MAX_ANALYSED_TOKEN_LENGTH,
  sentenceAbout,
  textFeatures,
} from '../../src/domain/digest/text.js';

/** The longest message Slack lets anyone send. */
const SLACK_MESSAGE_LIMIT = 40_000;
const fill = (unit: string) =>
  unit.repeat(Math.ceil(SLACK_MESSAGE_LIMIT / unit.length)).slice(0, SLACK_MESSAGE_LIMIT);

/** Messages of Slack's greatest length whose tokens cost wink's patterns the square of their length. */
const HOSTILE: Record<string, string> = {
  'one repeated token': fill('a1'),
  'mixed punctuation': fill('.@-_:/a1!?,;'),
  'one endless link': fill('http://a.b/'),
  'dotted letters': fill('a.'),
  'punctuation between spaces': fill('!? '),
  'ordinary words': fill('the rota worked well '),
  'words with one endless token inside': `We moved the rota. ${'x'.repeat(39_960)} Volunteers liked it.`,
};

const longestRun = (text: string) => Math.max(0, ...text.split(/\s+/).map((run) => run.length));

describe('what the language model is handed', () => {
  it.each(Object.entries(HOSTILE))(
    '%s: bounded in length and in every run without a space',
    (_shape, text) => {
      expect(text.length).toBe(SLACK_MESSAGE_LIMIT);
      const analysed = analysableText(text);
      expect(analysed.length).toBeLessThanOrEqual(MAX_ANALYSED_LENGTH);
      expect(longestRun(analysed)).toBeLessThanOrEqual(MAX_ANALYSED_TOKEN_LENGTH);
    },
  );

  it('leaves an ordinary answer as it was', () => {
    const answer =
      'The funder meeting on Thursday: it tests our question about trust. See https://example.org/x.';
    expect(analysableText(answer)).toBe(answer);
  });

  it('keeps the words either side of an over-long run, and breaks the phrase there', () => {
    const analysed = analysableText(`volunteer ${'q'.repeat(MAX_ANALYSED_TOKEN_LENGTH + 1)} rota`);
    expect(analysed).toBe('volunteer … rota');
    expect(textFeatures(analysed).terms).not.toContain('volunteer rota');
  });

  it('cuts a long text at a space, never inside a word', () => {
    const text = fill('volunteers ');
    const analysed = analysableText(text);
    expect(text.startsWith(analysed)).toBe(true);
    expect(analysed.endsWith('volunteers')).toBe(true);
  });

  it.each(Object.entries(HOSTILE))('%s: no term is longer than a word', (_shape, text) => {
    const { terms } = textFeatures(text);
    for (const term of terms)
      for (const word of term.split(' ')) expect(word.length).toBeLessThanOrEqual(MAX_ANALYSED_TOKEN_LENGTH);
  });

  it('quotes from the part it read', () => {
    const text = `We moved the rota. ${'x'.repeat(39_000)} Volunteers liked it.`;
    expect(sentenceAbout(text, 'rota')).toBe('We moved the rota.');
    expect(sentenceAbout(text, 'volunteer').length).toBeLessThanOrEqual(MAX_ANALYSED_LENGTH);
  });
});
