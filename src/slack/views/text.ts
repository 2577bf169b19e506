/**
 * Slack's text limits, and the one place user text is made safe for mrkdwn. Every builder goes through
 * these helpers so no message or view can exceed a limit Slack would reject.
 */
export const LIMITS = {
  sectionText: 3000,
  fieldText: 2000,
  headerText: 150,
  contextText: 3000,
  modalTitle: 24,
  buttonText: 75,
  optionText: 75,
  privateMetadata: 3000,
  messageBlocks: 50,
  modalBlocks: 100,
  fallbackText: 3000,
} as const;

export const FOLD_MARKER = '…';

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

function splitGraphemes(text: string): string[] {
  return Array.from(graphemes.segment(text), (part) => part.segment);
}

/**
 * Slack reads &, < and > as control characters in mrkdwn and plain message text: `<!channel>` would
 * notify everyone and `<https://x|y>` would disguise a link. Escaping them shows exactly what was written.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

type Encode = (value: string) => string;

const plain: Encode = (value) => value;

/**
 * Index (in graphemes) where a piece of at most `budget` encoded characters ends, preferring the last
 * whitespace so words stay whole.
 */
function cutPoint(parts: string[], start: number, budget: number, encode: Encode): number {
  let used = 0;
  let end = start;
  while (end < parts.length && used + encode(parts[end] as string).length <= budget) {
    used += encode(parts[end] as string).length;
    end += 1;
  }
  if (end >= parts.length) return end;
  for (let index = end; index > start; index -= 1) {
    if (/\s/.test(parts[index] as string)) return index;
  }
  return end;
}

/** Escaped mrkdwn of at most `limit` characters; when shortened, ends with a visible marker. */
export function foldMrkdwn(text: string, limit: number): string {
  return fold(text, limit, escapeMrkdwn);
}

/** Plain text (headers, titles, button labels) of at most `limit` characters, marked when shortened. */
export function foldPlain(text: string, limit: number): string {
  return fold(text, limit, plain);
}

/** Room past a cut for the grapheme it falls in; longer clusters (stacked combining marks) end earlier. */
const GRAPHEME_MARGIN = 64;

/**
 * The graphemes a piece of at most `limit` characters can be taken from. Segmenting takes time that grows
 * with the square of the length (100 KB blocked the process for seconds), so only the start is segmented,
 * less its last grapheme, which the slice may have cut.
 */
function leadingGraphemes(text: string, limit: number): string[] {
  if (text.length <= limit + GRAPHEME_MARGIN) return splitGraphemes(text);
  const parts = splitGraphemes(text.slice(0, limit + GRAPHEME_MARGIN));
  parts.pop();
  return parts;
}

function fold(text: string, limit: number, encode: Encode): string {
  const whole = encode(text);
  if (whole.length <= limit) return whole;
  const parts = leadingGraphemes(text, limit);
  const end = cutPoint(parts, 0, limit - FOLD_MARKER.length, encode);
  return `${encode(parts.slice(0, end).join('').trimEnd())}${FOLD_MARKER}`;
}

/** Splits text into escaped mrkdwn pieces of at most `limit` characters each, so nothing is lost. */
export function chunkMrkdwn(text: string, limit: number): string[] {
  const parts = splitGraphemes(text);
  const chunks: string[] = [];
  let start = 0;
  while (start < parts.length) {
    const end = Math.max(cutPoint(parts, start, limit, escapeMrkdwn), start + 1);
    chunks.push(escapeMrkdwn(parts.slice(start, end).join('')));
    start = end;
  }
  return chunks.length > 0 ? chunks : [''];
}
