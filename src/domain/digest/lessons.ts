import { textFeatures } from './text.js';

/** What an after-action review taught, as the before-action review form offers it. */
export interface PastLesson {
  id: string;
  action: string;
  sustain: string;
  change: string;
  whyDifferent: string;
  revisedHypothesis: string | null;
  createdAt: Date;
}

export const MAX_LESSONS = 3;
// BM25's usual constants: term saturation and document-length normalisation.
const BM25_K1 = 1.2;
const BM25_B = 0.75;

function lessonTerms(lesson: PastLesson): string[] {
  return textFeatures(
    [lesson.action, lesson.sustain, lesson.change, lesson.whyDifferent, lesson.revisedHypothesis ?? ''].join(
      '. ',
    ),
  ).terms;
}

/**
 * The past lessons most related to what a team is about to do, ranked by BM25 over the same lemmas
 * and phrases the digest uses. With nothing to match on (no action written yet), the most recent
 * lessons stand in; unrelated lessons are never offered as related.
 */
export function relatedLessons(
  about: string,
  lessons: readonly PastLesson[],
): { basis: 'related' | 'recent'; lessons: PastLesson[] } {
  const recent = [...lessons].sort(
    (a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? -1 : 1),
  );
  const query = textFeatures(about).terms;
  if (query.length === 0) return { basis: 'recent', lessons: recent.slice(0, MAX_LESSONS) };
  const documents = recent.map(lessonTerms);
  const averageLength =
    documents.reduce((sum, terms) => sum + terms.length, 0) / Math.max(1, documents.length);
  const containing = new Map<string, number>();
  for (const terms of documents)
    for (const term of new Set(terms)) containing.set(term, (containing.get(term) ?? 0) + 1);
  const scored = recent.map((lesson, index) => {
    const terms = new Set(documents[index]);
    const length = documents[index]?.length ?? 0;
    let score = 0;
    for (const term of query) {
      if (!terms.has(term)) continue;
      const found = containing.get(term) ?? 0;
      const idf = Math.log(1 + (documents.length - found + 0.5) / (found + 0.5));
      score +=
        (idf * (BM25_K1 + 1)) / (1 + BM25_K1 * (1 - BM25_B + (BM25_B * length) / Math.max(1, averageLength)));
    }
    return { lesson, score };
  });
  const related = scored
    .filter((entry) => entry.score > 0)
    .sort((a, b) => b.score - a.score)
    .slice(0, MAX_LESSONS)
    .map((entry) => entry.lesson);
  return { basis: 'related', lessons: related };
}
