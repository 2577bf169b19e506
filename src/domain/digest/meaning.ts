import { type Clause, type ClauseWord, clausesOf } from './text.js';
import { rarity, vectorOf, wordSimilarity } from './word-vectors.js';

/**
 * What a clause means, compared by the meaning of its words rather than their spelling: each telling
 * word of one clause is matched with its nearest word in the other, and the matches are averaged,
 * rarer words counting more. Whole-clause averages blur ("the venue was double-booked" and "the room
 * may be too small" average out alike); word-by-word, a shared topic word cannot stand in for the rest.
 */

/** A cause this close to an anticipated challenge was seen coming. Measured on pairs a team would
 *  judge: "we moved rooms" against "the room may be too small" scores 0.77, "not enough volunteers
 *  turned up" against "finding enough volunteers" 0.80; "the venue was double-booked" against the room
 *  0.45, "the projector was stolen" against "the projector might not work" 0.36. */
export const ANTICIPATED_SIMILARITY = 0.55;
/** Two challenges this close, read either way, are the same challenge told again: "parking near the
 *  hall" and "parking was a nightmare again" score 0.76; finance approval and the room, 0.55. */
export const SAME_CHALLENGE_SIMILARITY = 0.62;
/** A clause this close to a challenge all but repeats it ("no wifi" and "the wifi may vanish"). */
export const RESTATED_SIMILARITY = 0.8;
/** Words this close in meaning count as one topic ("recruit" and "hire" 0.68, "budget" and "funding"
 *  0.68). Word vectors put siblings close too ("boiler" and "radiator", "cake" and "soup" reach 0.6), so
 *  the bar is high, only rarer words are joined, each close to every other word of its group, and the
 *  topic is named by the phrase people used most. Lower bars found more synonyms in the synthetic bank
 *  and more chance themes in quiet months. */
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

/** The most telling words of some clauses, at most `max`, in the order they were written. */
export function tellingWords(words: readonly ClauseWord[], max: number): string[] {
  const ranked = words
    .map((word, position) => ({ word, position, weight: Math.max(...forms(word).map(rarity)) }))
    .sort((a, b) => b.weight - a.weight || a.position - b.position)
    .slice(0, max)
    .sort((a, b) => a.position - b.position);
  return [...new Set(ranked.map((entry) => entry.word.written))];
}

/** Words that mark a risk or a problem rather than a result ("approval could hold us up", "not
 *  enough chairs"): an idea with one is never a strength, however warm its other words. */
const PROBLEM_CUES =
  /\b(could|might|may|worried|worry|risk|afraid|unless|not|no|never|nobody|without|late|lost|short|missing|failed|broke|cancel\w*)\b/i;
/** Words that say something worked: wink's tone misreads some ("paid off" scores as negative). */
const WORKED_CUES =
  /\b(helped|helps|worked|works|paid off|went well|smooth(ly)?|thanks to|success(ful)?|easier|glad|great|good|clear|well)\b/i;
/** Words that say the cause was seen coming: "as we feared", "as expected". */
const FORESEEN_CUES =
  /\bas (we )?(feared|expected|predicted|guessed|thought|worried|planned)\b|\bas (we )?(had )?(said|warned)\b/i;
/** What people write when nothing differed: "no real difference", "it went to plan". */
const AS_PLANNED_LEMMAS: ReadonlySet<string> = new Set([
  'different',
  'difference',
  'expect',
  'expected',
  'plan',
  'real',
  'much',
  'nothing',
  'usual',
  'normal',
  'thought',
  'think',
  'hope',
  'hoped',
]);
/** wink's sentiment above which an idea says something went well. */
export const WENT_WELL_SENTIMENT = 0.25;

export type Polarity = 'got_in_the_way' | 'went_well' | 'as_planned';

/**
 * One idea of a cause: a clause with those that only qualify it ("the microphone gave out, so we
 * shouted"; "the wifi vanished while people registered"). Ideas are told apart by "and", "but" and ";"
 * ("the venue was double-booked and we moved rooms" holds two).
 */
export interface Idea {
  text: string;
  words: ClauseWord[];
  clauses: Clause[];
  polarity: Polarity;
}

/** Joiners that start an idea of its own; others ("so", "while", a comma) only qualify the one before. */
const NEW_IDEA = /^(;|and|but|&|plus|also|because|as well as)$/;

/**
 * The ideas of a cause or answer, each told apart as something that got in the way, something that went
 * well, or a note that things went as planned. An idea is a strength when its tone is clearly warm (or it
 * says something worked) and it names no problem, or when it merely continues one ("good preparation and
 * a clear agenda"); anything else in a field about what happened is read as what got in the way.
 */
export function ideasOf(text: string): Idea[] {
  const groups: Clause[][] = [];
  for (const clause of clausesOf(text)) {
    const last = groups.at(-1);
    if (last && clause.joinedBy !== null && !NEW_IDEA.test(clause.joinedBy)) last.push(clause);
    else groups.push([clause]);
  }
  let previous: Idea | undefined;
  return groups.map((clauses) => {
    const ideaText = clauses
      .map((clause, index) =>
        index === 0 ? clause.text : `${clause.joinedBy === ',' ? ',' : ` ${clause.joinedBy}`} ${clause.text}`,
      )
      .join('');
    const words = clauses.flatMap((clause) => clause.words);
    const problem = PROBLEM_CUES.test(ideaText);
    const warm =
      !problem &&
      (clauses.some((clause) => clause.sentiment >= WENT_WELL_SENTIMENT) || WORKED_CUES.test(ideaText));
    const continuesWarm =
      !problem &&
      previous?.polarity === 'went_well' &&
      clauses[0]?.joinedBy === 'and' &&
      clauses.every((clause) => clause.sentiment >= 0);
    const asPlanned = words.every((word) => word.lemmas.every((lemma) => AS_PLANNED_LEMMAS.has(lemma)));
    const polarity: Polarity =
      warm || continuesWarm ? 'went_well' : asPlanned ? 'as_planned' : 'got_in_the_way';
    previous = { text: ideaText, words, clauses, polarity };
    return previous;
  });
}

/**
 * Whether an idea was seen coming: it says so ("as we feared"), one of its clauses all but repeats an
 * anticipated challenge ("no translator, so introductions dragged" after "our translator is away"), or
 * its meaning as a whole is covered by one. A word shared with a challenge is not enough ("the projector
 * was stolen" after "the projector might not work"), and an idea of its own is judged on its own, so
 * "we moved rooms" cannot cover "the venue was double-booked".
 */
export function foreseen(idea: Idea, challenges: readonly Idea[]): boolean {
  if (FORESEEN_CUES.test(idea.text)) return true;
  return challenges.some(
    (challenge) =>
      coverage(idea.words, challenge.words) >= ANTICIPATED_SIMILARITY ||
      idea.clauses.some((clause) => coverage(clause.words, challenge.words) >= RESTATED_SIMILARITY),
  );
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
  options: { companion?: boolean } = {},
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
  const written = (entry: { written: Map<string, number> }) =>
    [...entry.written.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0] ?? '';
  const companion = options.companion && chosen.words === 1 ? companionOf(clauses, chosen.key) : undefined;
  if (!companion) return written(chosen);
  return companion.before
    ? `${companion.written} ${written(chosen)}`
    : `${written(chosen)} ${companion.written}`;
}

/** A word counts as a label's companion when it comes with it in this share of the texts. */
const COMPANION_SHARE = 0.6;

/**
 * The word that comes with a one-word label in most texts ("the increase in our rent", "the rent
 * increase"): "increase" alone would not tell a reader what rose. It must stand next to the label in at
 * least one text, so the two read as a phrase someone wrote, and they are put in that order.
 */
function companionOf(
  clauses: readonly (readonly Clause[])[],
  key: string,
): { written: string; before: boolean } | undefined {
  interface Together {
    texts: number;
    before: number;
    after: number;
    written: Map<string, number>;
  }
  const together = new Map<string, Together>();
  let texts = 0;
  for (const text of clauses) {
    const seen = new Set<string>([key]);
    let found = false;
    for (const clause of text) {
      const own = clause.words.findIndex((word) => word.lemmas.join('-') === key);
      if (own >= 0) found = true;
      clause.words.forEach((word, index) => {
        const other = word.lemmas.join('-');
        const entry = together.get(other) ?? { texts: 0, before: 0, after: 0, written: new Map() };
        if (own >= 0 && index === own - 1 && word.end + 1 === (clause.words[own] as ClauseWord).position)
          entry.before += 1;
        if (own >= 0 && index === own + 1 && (clause.words[own] as ClauseWord).end + 1 === word.position)
          entry.after += 1;
        if (!seen.has(other)) {
          seen.add(other);
          entry.texts += 1;
        }
        entry.written.set(word.written, (entry.written.get(word.written) ?? 0) + 1);
        together.set(other, entry);
      });
    }
    if (found) texts += 1;
    else for (const other of seen) if (other !== key) (together.get(other) as Together).texts -= 1;
  }
  const best = [...together.entries()]
    .filter(
      ([other, entry]) =>
        other !== key &&
        entry.before + entry.after > 0 &&
        entry.texts >= 2 &&
        entry.texts >= COMPANION_SHARE * texts,
    )
    .sort((a, b) => b[1].texts - a[1].texts || (a[0] < b[0] ? -1 : 1))[0]?.[1];
  if (!best) return undefined;
  const form = [...best.written.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0];
  return form ? { written: form, before: best.before >= best.after } : undefined;
}
