import { type Clause, type ClauseWord, clausesOf } from './text.js';
import { rarity, vectorOf, wordSimilarity } from './word-vectors.js';

/**
 * What a clause means, compared by the meaning of its words rather than their spelling: each telling
 * word of one clause is matched with its nearest word in the other, and the matches are averaged,
 * rarer words counting more. Whole-clause averages blur ("the venue was double-booked" and "the room
 * may be too small" average out alike); word-by-word, a shared topic word cannot stand in for the rest.
 */

/** A cause this close to an anticipated challenge was seen coming. Measured on pairs a team would
 *  judge: "we moved rooms" against "the room may be too small" scores 0.68, "not enough volunteers
 *  turned up" against "finding enough volunteers" 0.80; "the venue was double-booked" against the room
 *  0.46, "the school holiday started" against the volunteers 0.36. */
export const ANTICIPATED_SIMILARITY = 0.55;
/** Two challenges this close, read either way, are the same challenge told again: "parking near the
 *  hall" and "parking was a nightmare again" score 0.76; finance approval and the room, 0.55. */
export const SAME_CHALLENGE_SIMILARITY = 0.62;
/** Words this close in meaning count as one topic ("recruit" and "hire" 0.68, "budget" and "funding"
 *  0.68; "volunteer" and "staff" 0.58 stay apart). Word vectors also put opposites and siblings close
 *  ("late" and "early" 0.90), so a merged topic is named by the phrase people used most. */
export const SYNONYM_SIMILARITY = 0.65;

/** The forms of a word the vocabulary knows: as written when it knows it, else its dictionary forms. */
function forms(word: ClauseWord): string[] {
  return vectorOf(word.written) ? [word.written] : word.lemmas;
}

function weightOf(word: string): number {
  return 0.2 + rarity(word);
}

/** How much of `from` the clause `to` already says, from 0 to 1. Not symmetric. */
export function coverage(from: readonly ClauseWord[], to: readonly ClauseWord[]): number {
  const targets = to.flatMap(forms);
  const targetLemmas = new Set(to.flatMap((word) => word.lemmas));
  let total = 0;
  let weight = 0;
  for (const word of from) {
    for (const form of forms(word)) {
      const w = weightOf(form);
      const best = word.lemmas.some((lemma) => targetLemmas.has(lemma))
        ? 1
        : Math.max(0, ...targets.map((target) => wordSimilarity(form, target)));
      total += w * best;
      weight += w;
    }
  }
  return weight > 0 ? total / weight : 0;
}

export function sameChallenge(left: readonly ClauseWord[], right: readonly ClauseWord[]): boolean {
  return Math.max(coverage(left, right), coverage(right, left)) >= SAME_CHALLENGE_SIMILARITY;
}

/** Whether `cause` was seen coming by any of the anticipated clauses. */
export function anticipated(cause: readonly ClauseWord[], challenges: readonly Clause[]): boolean {
  return challenges.some((challenge) => coverage(cause, challenge.words) >= ANTICIPATED_SIMILARITY);
}

/** The most telling words of some clauses, at most `max`, in the order they were written. */
export function tellingWords(words: readonly ClauseWord[], max: number): string[] {
  const ranked = words
    .map((word, position) => ({ word, position, weight: Math.max(...forms(word).map(rarity)) }))
    .sort((a, b) => b.weight - a.weight || a.position - b.position)
    .slice(0, max)
    .sort((a, b) => a.position - b.position);
  return [...new Set(ranked.map((entry) => entry.word.written))];
}

/**
 * Modal verbs mark a risk rather than a result ("approval could hold us up"): such a clause is never a
 * strength, however warm its words.
 */
const RISK_WORDS =
  /\b(could|might|may|worried|worry|risk|afraid|unless|not|no|never|nobody|without|late|lost)\b/i;
/** wink's sentiment above which a clause says something went well. */
export const WENT_WELL_SENTIMENT = 0.25;

export type Polarity = 'got_in_the_way' | 'went_well';

/**
 * Each clause of a cause or answer, told apart as something that got in the way or something that went
 * well. A clause is a strength when its tone is clearly warm and it names no risk, or when it merely
 * continues one ("good preparation and a clear agenda"); anything else in a field about what happened
 * is read as what got in the way.
 */
export function withPolarity(text: string): { clause: Clause; polarity: Polarity }[] {
  let previous: Polarity | undefined;
  return clausesOf(text).map((clause) => {
    const warm = clause.sentiment >= WENT_WELL_SENTIMENT && !RISK_WORDS.test(clause.text);
    const carried =
      clause.continues && previous === 'went_well' && clause.sentiment >= 0 && !RISK_WORDS.test(clause.text);
    const polarity: Polarity = warm || carried ? 'went_well' : 'got_in_the_way';
    previous = polarity;
    return { clause, polarity };
  });
}

/** Runs of up to three adjacent content words, as written: the phrases a label can be chosen from. */
export function phrasesOf(clause: Clause): { written: string; key: string; position: number }[] {
  const phrases: { written: string; key: string; position: number }[] = [];
  const words = clause.words;
  for (let start = 0; start < words.length; start += 1) {
    for (let length = 1; length <= 3 && start + length <= words.length; length += 1) {
      const run = words.slice(start, start + length);
      const adjacent = run.every(
        (word, index) => index === 0 || word.position === (run[index - 1] as ClauseWord).end + 1,
      );
      if (!adjacent) break;
      phrases.push({
        written: run.map((word) => word.written).join(' '),
        key: run.map((word) => word.lemmas.join('-')).join(' '),
        position: start,
      });
    }
  }
  return phrases;
}

/**
 * The name a group of texts goes by: the phrase they use most often that speaks of `about`, counted
 * once per text, together with `earlier` (how often the phrase's key was used in earlier weeks) so that a
 * theme keeps its name from week to week. A longer phrase wins when it is used at least half as often as
 * its shorter part ("referral backlog" over "referral").
 */
export function mostUsedPhrase(
  clauses: readonly (readonly Clause[])[],
  about: (key: string) => boolean,
  earlier: (key: string) => number = () => 0,
): string | undefined {
  const counts = new Map<string, { texts: number; position: number; written: Map<string, number> }>();
  for (const text of clauses) {
    const seen = new Set<string>();
    for (const clause of text)
      for (const candidate of phrasesOf(clause)) {
        if (!about(candidate.key)) continue;
        const entry = counts.get(candidate.key) ?? {
          texts: 0,
          position: Number.POSITIVE_INFINITY,
          written: new Map(),
        };
        entry.position = Math.min(entry.position, candidate.position);
        if (!seen.has(candidate.key)) entry.texts += 1;
        seen.add(candidate.key);
        entry.written.set(candidate.written, (entry.written.get(candidate.written) ?? 0) + 1);
        counts.set(candidate.key, entry);
      }
  }
  const ranked = [...counts.entries()]
    .map(([key, entry]) => ({
      key,
      ...entry,
      words: key.split(' ').length,
      total: entry.texts + earlier(key),
    }))
    // Ties go to the longer phrase, then the one said first: what a clause is about usually comes before
    // what is said of it ("parking near the hall").
    .sort(
      (a, b) => b.total - a.total || b.words - a.words || a.position - b.position || (a.key < b.key ? -1 : 1),
    );
  const top = ranked[0];
  if (!top) return undefined;
  // A longer phrase containing the top one, used in most of the same texts, says more.
  const longer = ranked
    .filter(
      (entry) =>
        entry.words > top.words && entry.key.split(' ').some((word) => top.key.split(' ').includes(word)),
    )
    .find((entry) => entry.total * 2 >= top.total && entry.total >= 2);
  const chosen = longer ?? top;
  return [...chosen.written.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0];
}
