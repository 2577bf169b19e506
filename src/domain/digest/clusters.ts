/**
 * Groups near-duplicate texts (the same answer pasted twice, "+1, same as above" with the same words)
 * so that one thought counts once as evidence. Texts are compared by the cosine of their TF-IDF
 * vectors; each text is compared only with the clusters that share its two rarest terms, which keeps
 * a 10,000-answer week linear instead of quadratic.
 */

/** Two answers this close say the same thing in nearly the same words. */
export const NEAR_DUPLICATE_COSINE = 0.8;
/** A bucket compares a new text with at most this many earlier clusters. */
const MAX_LEADERS_PER_BUCKET = 24;

type Vector = Map<string, number>;

function norm(vector: Vector): number {
  let sum = 0;
  for (const weight of vector.values()) sum += weight * weight;
  return Math.sqrt(sum);
}

function cosine(left: Vector, leftNorm: number, right: Vector, rightNorm: number): number {
  if (leftNorm === 0 || rightNorm === 0) return 0;
  const [small, large] = left.size <= right.size ? [left, right] : [right, left];
  let dot = 0;
  for (const [term, weight] of small) dot += weight * (large.get(term) ?? 0);
  return dot / (leftNorm * rightNorm);
}

/** Inverse document frequency over the given texts' term sets. */
export function inverseDocumentFrequency(termSets: readonly (readonly string[])[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const terms of termSets) for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
  const idf = new Map<string, number>();
  for (const [term, count] of counts) idf.set(term, Math.log((1 + termSets.length) / (1 + count)) + 1);
  return idf;
}

/**
 * For each text (in the order given), the index of the first text of its cluster. Deterministic: the
 * same texts in the same order always cluster the same way.
 */
export function clusterNearDuplicates(termSets: readonly (readonly string[])[]): number[] {
  const idf = inverseDocumentFrequency(termSets);
  const vectors = termSets.map((terms) => new Map(terms.map((term) => [term, idf.get(term) ?? 0])));
  const norms = vectors.map(norm);
  const leadersByBucket = new Map<string, number[]>();
  const clusterOf: number[] = [];
  termSets.forEach((terms, index) => {
    const rarest = [...terms]
      .sort((x, y) => (idf.get(y) ?? 0) - (idf.get(x) ?? 0) || (x < y ? -1 : 1))
      .slice(0, 2);
    const bucket = rarest.sort().join('\u0000');
    const leaders = leadersByBucket.get(bucket) ?? [];
    const vector = vectors[index] as Vector;
    const match =
      terms.length === 0
        ? undefined
        : leaders.find(
            (leader) =>
              cosine(vector, norms[index] as number, vectors[leader] as Vector, norms[leader] as number) >=
              NEAR_DUPLICATE_COSINE,
          );
    if (match !== undefined) {
      clusterOf.push(match);
      return;
    }
    clusterOf.push(index);
    if (leaders.length < MAX_LEADERS_PER_BUCKET) leadersByBucket.set(bucket, [...leaders, index]);
  });
  return clusterOf;
}
