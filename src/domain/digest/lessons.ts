import { coverage } from './meaning.js';
import { type ClauseWord, clausesOf } from './text.js';
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
/** A lesson this close in meaning to what the team is about to do is offered as related: the same bar
 *  a cause must reach to count as anticipated. */
export const RELATED_LESSON_SIMILARITY = 0.55;

function wordsOf(text: string): ClauseWord[] {
  return clausesOf(text).flatMap((clause) => clause.words);
}

function lessonWords(lesson: PastLesson): ClauseWord[] {
  return wordsOf(
    [lesson.action, lesson.sustain, lesson.change, lesson.whyDifferent, lesson.revisedHypothesis ?? ''].join(
      '. ',
    ),
  );
}

/**
 * The past lessons most related to what a team is about to do, ranked by meaning: how much of the
 * action the lesson's words already speak of, word by word ("a recruitment drive" meets "hiring took
 * longer"). With nothing to match on (no action written yet), the most recent lessons stand in;
 * unrelated lessons are never offered as related.
 */
export function relatedLessons<Lesson extends PastLesson>(
  about: string,
  lessons: readonly Lesson[],
): { basis: 'related' | 'recent'; lessons: Lesson[] } {
  const recent = [...lessons].sort(
    (a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? -1 : 1),
  );
  const query = wordsOf(about);
  if (query.length === 0) return { basis: 'recent', lessons: recent.slice(0, MAX_LESSONS) };
  const related = recent
    .map((lesson) => ({ lesson, score: coverage(query, lessonWords(lesson)) }))
    .filter((entry) => entry.score >= RELATED_LESSON_SIMILARITY)
    .sort((a, b) => b.score - a.score)
    .slice(0, MAX_LESSONS)
    .map((entry) => entry.lesson);
  return { basis: 'related', lessons: related };
}
