/**
 * How many single-character edits (insert, delete, replace, or swap two neighbours) turn one word into
 * the other: the optimal string alignment form of the Damerau-Levenshtein distance, in which the usual
 * slip of two letters typed the wrong way round ("digset") costs one edit, not two.
 */
export function editDistance(from: string, to: string): number {
  const a = [...from];
  const b = [...to];
  // Three rows are enough: a swap looks back two rows, everything else one.
  let beforeLast: number[] = [];
  let last = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const row = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const replace = a[i - 1] === b[j - 1] ? 0 : 1;
      let cost = Math.min(
        (last[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (last[j - 1] as number) + replace,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        cost = Math.min(cost, (beforeLast[j - 2] as number) + 1);
      }
      row.push(cost);
    }
    beforeLast = last;
    last = row;
  }
  return last[b.length] as number;
}

/**
 * How many slips a typed word may hold and still be taken for `word`: one in a word of four letters or
 * fewer, where two would leave half of it changed, and two in a longer one.
 */
export function slipsTolerated(word: string): number {
  return [...word].length <= 4 ? 1 : 2;
}

/** Letters a word cut short must keep before it is read as the one word it starts ("quest", "forget"). */
const SHORTEST_PREFIX = 3;

/**
 * The word among `words` that `typed` most likely meant: the fewest edits away within what that word
 * tolerates (the first listed on a tie), or else the only word it starts. Undefined when none is near.
 */
export function nearestWord(typed: string, words: readonly string[]): string | undefined {
  const typedLength = [...typed].length;
  let nearest: { word: string; distance: number } | undefined;
  for (const word of words) {
    const tolerated = slipsTolerated(word);
    // Lengths that far apart cannot be within reach, and a very long word is never compared in full.
    if (Math.abs(typedLength - [...word].length) > tolerated) continue;
    const distance = editDistance(typed, word);
    if (distance <= tolerated && (!nearest || distance < nearest.distance)) nearest = { word, distance };
  }
  if (nearest) return nearest.word;
  if (typedLength < SHORTEST_PREFIX) return undefined;
  const started = words.filter((word) => word.startsWith(typed));
  return started.length === 1 ? started[0] : undefined;
}
