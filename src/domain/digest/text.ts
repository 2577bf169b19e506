import { createRequire } from 'node:module';
import type WinkModel from 'wink-eng-lite-web-model';
import type winkNLP from 'wink-nlp';
import type { ItemSentence, ItsFunction } from 'wink-nlp';

const require = createRequire(import.meta.url);

/**
 * The English pipeline is loaded once, on first use: the model takes a moment to read and is the same
 * for every text. Negation and sentiment come with it; lemmas let "volunteers" and "volunteer" meet.
 */
let pipeline: ReturnType<typeof winkNLP> | undefined;
function nlp() {
  // Required on first use rather than imported, so starting the app does not wait for the model to load.
  if (!pipeline) {
    const load = require('wink-nlp') as typeof winkNLP;
    const model = require('wink-eng-lite-web-model') as typeof WinkModel;
    pipeline = load(model, ['sbd', 'pos', 'negation', 'sentiment']);
  }
  return pipeline;
}

/** Parts of speech that carry what people talk about; function words and adverbs say little on their own. */
const CONTENT_TAGS: ReadonlySet<string> = new Set(['NOUN', 'PROPN', 'ADJ', 'VERB']);
const PHRASE_HEADS: ReadonlySet<string> = new Set(['NOUN', 'PROPN']);

/**
 * Words the app's own prompts and the practice put in everyone's mouth ("this week we learned …").
 * They appear in almost every answer, so as themes they would only echo the question back.
 */
export const PROMPT_ECHO_WORDS: ReadonlySet<string> = new Set([
  'week',
  'team',
  'thing',
  'time',
  'think',
  'feel',
  'get',
  'make',
  'go',
  'do',
  'have',
  'be',
  'say',
  'know',
  'want',
  'need',
  'try',
  'learn',
  'notice',
  'surprise',
  'surprised',
  'way',
  'lot',
  'bit',
  'day',
  'today',
  'yesterday',
  'tomorrow',
  'good',
  'great',
  'bad',
  'well',
  'work',
  'next',
  'last',
  'still',
  'much',
  'many',
  'other',
  'same',
  'new',
  'able',
  'sure',
  'seem',
  'look',
  'see',
  'take',
  'keep',
  'come',
  'use',
  'let',
  'start',
  'people',
  // What every "challenges we anticipate" answer says about itself.
  'problem',
  'issue',
  'challenge',
  'risk',
  'enough',
]);

/** Enough for a long answer's distinct ideas; beyond it a pasted document would swamp a week's counts. */
const MAX_TERMS_PER_TEXT = 60;
const MIN_TERM_LENGTH = 3;

export interface TextFeatures {
  /** Distinct lemmas and two-word noun phrases, sorted: what the text is about. */
  terms: string[];
  /** wink's sentiment score, from -1 (negative) to 1 (positive). */
  sentiment: number;
}

interface TokenColumns {
  types: string[];
  stopWords: boolean[];
  tags: string[];
  lemmas: string[];
}

/** One sentence's tokens, a column per attribute: wink reads them out in bulk far faster than one by one. */
function columnsOf(sentence: ItemSentence): TokenColumns {
  const its = nlp().its;
  const tokens = sentence.tokens();
  return {
    types: tokens.out(its.type) as string[],
    stopWords: tokens.out(its.stopWordFlag) as unknown as boolean[],
    tags: tokens.out(its.pos) as string[],
    lemmas: (tokens.out(its.lemma as ItsFunction<string>) as string[]).map((lemma) => lemma.toLowerCase()),
  };
}

function isContent(columns: TokenColumns, index: number): boolean {
  if (columns.types[index] !== 'word' || columns.stopWords[index]) return false;
  if (!CONTENT_TAGS.has(columns.tags[index] ?? '')) return false;
  const lemma = columns.lemmas[index] ?? '';
  return lemma.length >= MIN_TERM_LENGTH && !PROMPT_ECHO_WORDS.has(lemma) && /\p{L}/u.test(lemma);
}

/**
 * Longest run of characters without a space that the language model reads. wink's token patterns (emails,
 * URLs) cost the square of a token's length: one 40,000-character token held the process for seconds.
 * Longer words than this are rare ("internationalisation" has 20 letters); what is longer is a link, a
 * hash or a paste, which names no theme.
 */
export const MAX_ANALYSED_TOKEN_LENGTH = 32;
/** How much of one text is read for its terms and tone: a long answer in full, the start of a pasted document. */
export const MAX_ANALYSED_LENGTH = 8_000;
/** What stands in for an over-long run, so the words either side are not read as one phrase. */
const ELISION = '…';

/**
 * The part of a text the language model reads: at most MAX_ANALYSED_LENGTH characters, cut at a space,
 * with every run longer than MAX_ANALYSED_TOKEN_LENGTH replaced by an ellipsis. Stored answers keep
 * their whole text; only the analysis is bounded, so no reply can hold the process.
 */
export function analysableText(text: string): string {
  const long = new RegExp(`\\S{${MAX_ANALYSED_TOKEN_LENGTH + 1},}`, 'g');
  const elided = text.replace(long, ELISION);
  if (elided.length <= MAX_ANALYSED_LENGTH) return elided;
  const cut = elided.slice(0, MAX_ANALYSED_LENGTH + 1);
  const lastSpace = Math.max(cut.lastIndexOf(' '), cut.lastIndexOf('\n'), cut.lastIndexOf('\t'));
  return cut.slice(0, lastSpace > 0 ? lastSpace : MAX_ANALYSED_LENGTH);
}

/** The terms and tone of one piece of writing. Deterministic: the same text always gives the same features. */
export function textFeatures(text: string): TextFeatures {
  const its = nlp().its;
  const doc = nlp().readDoc(analysableText(readableSlackText(text)));
  const terms = new Set<string>();
  doc.sentences().each((sentence: ItemSentence) => {
    const columns = columnsOf(sentence);
    let previous: string | undefined;
    columns.lemmas.forEach((lemma, index) => {
      if (!isContent(columns, index)) {
        // Punctuation and function words break a phrase: "rota, volunteers" is not one idea.
        if (columns.types[index] !== 'word' || columns.stopWords[index]) previous = undefined;
        return;
      }
      terms.add(lemma);
      if (previous && PHRASE_HEADS.has(columns.tags[index] ?? '') && previous !== lemma)
        terms.add(`${previous} ${lemma}`);
      previous = lemma;
    });
  });
  const sentiment = Number(doc.out(its.sentiment)) || 0;
  return {
    terms: [...terms].sort().slice(0, MAX_TERMS_PER_TEXT),
    sentiment: Math.round(sentiment * 1000) / 1000,
  };
}

/**
 * The sentence of a text that speaks of a term, for quoting: a whole answer is often too long to
 * quote, and the reader should see the words that put it in the theme.
 */
export function sentenceAbout(text: string, term: string): string {
  const sentences = nlp().readDoc(analysableText(text)).sentences().out() as string[];
  const wanted = term.split(' ');
  const match = sentences.find((sentence) => {
    const found = textFeatures(sentence).terms;
    return wanted.every((word) => found.includes(word));
  });
  return (match ?? sentences[0] ?? analysableText(text)).trim();
}

/**
 * What a Slack message says, as a reader sees it: mentions become "@someone" (a quote should not point
 * at people), channel and link markup become their labels, and Slack's three escaped characters are
 * restored. Message events carry this markup; text typed into a form does not, and passes unchanged.
 */
export function readableSlackText(text: string): string {
  return text
    .replace(/<@[UW][A-Z0-9]+(?:\|[^>]*)?>/g, '@someone')
    .replace(/<#C[A-Z0-9]+\|([^>]*)>/g, '#$1')
    .replace(/<#C[A-Z0-9]+>/g, '#channel')
    .replace(/<!(here|channel|everyone)(?:\|[^>]*)?>/g, '@$1')
    .replace(/<!subteam\^[A-Z0-9]+(?:\|([^>]*))?>/g, (_, label: string | undefined) => label ?? '@team')
    .replace(/<(?:https?|mailto):[^|>]+\|([^>]+)>/g, '$1')
    .replace(/<((?:https?|mailto):[^>]+)>/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** A word that carries meaning in a clause: as written ("double-booked") and its dictionary forms. */
export interface ClauseWord {
  written: string;
  lemmas: string[];
  /** The first and last token of the word in its sentence: "double-booked" spans three. */
  position: number;
  end: number;
}

export interface Clause {
  text: string;
  /** Content words in the order written, prompt echoes and function words left out. */
  words: ClauseWord[];
  /** wink's sentiment of the clause alone, from -1 to 1. */
  sentiment: number;
  /** The word or mark that joined it to the clause before in the same sentence ("and", "so", ","); null
   *  for a sentence's first clause. */
  joinedBy: string | null;
}

/** Tokens that end one idea and start another: "finance could hold us up; the room may be too small". */
const CLAUSE_BREAK_TAGS: ReadonlySet<string> = new Set(['CCONJ', 'SCONJ']);
const CLAUSE_BREAK_PUNCTUATION = /^[;:,–—]$/;

/**
 * The clauses of a text, each with its content words: a field that names several things ("finance
 * approval could hold us up again; the room may be too small") names each in its own clause, and each
 * is judged on its own.
 */
export function clausesOf(text: string): Clause[] {
  const its = nlp().its;
  const doc = nlp().readDoc(analysableText(readableSlackText(text)));
  const clauses: Clause[] = [];
  doc.sentences().each((sentence: ItemSentence) => {
    const columns = columnsOf(sentence);
    const tokens = sentence.tokens();
    const written = tokens.out() as string[];
    const spaces = tokens.out(its.precedingSpaces) as string[];
    let start = 0;
    let joinedBy: string | undefined;
    let firstOfSentence = true;
    const flush = (end: number, breaker: string | undefined) => {
      const words: ClauseWord[] = [];
      for (let index = start; index < end; index += 1) {
        const hyphenated =
          index > start && written[index - 1] === '-' && !spaces[index] && !spaces[index - 1];
        const last = words.at(-1);
        if (hyphenated && last && last.end === index - 2) {
          last.written = `${last.written}-${(written[index] as string).toLowerCase()}`;
          last.end = index;
          if (isContent(columns, index)) last.lemmas.push(columns.lemmas[index] as string);
          continue;
        }
        if (isContent(columns, index))
          words.push({
            written: (written[index] as string).toLowerCase(),
            lemmas: [columns.lemmas[index] as string],
            position: index,
            end: index,
          });
      }
      const clauseText = written
        .slice(start, end)
        .map((token, offset) => (offset === 0 ? token : `${spaces[start + offset] ?? ''}${token}`))
        .join('')
        .trim();
      if (words.length > 0)
        clauses.push({
          text: clauseText,
          words,
          sentiment: sentimentOf(clauseText),
          // A sentence's first clause with words starts afresh, even after an opener ("Also, …").
          joinedBy: firstOfSentence ? null : (joinedBy?.toLowerCase() ?? null),
        });
      if (words.length > 0) firstOfSentence = false;
      joinedBy = breaker;
      start = end + 1;
    };
    joinedBy = undefined;
    columns.types.forEach((type, index) => {
      const breaks =
        CLAUSE_BREAK_TAGS.has(columns.tags[index] ?? '') ||
        (type === 'punctuation' && CLAUSE_BREAK_PUNCTUATION.test(written[index] ?? ''));
      if (breaks) flush(index, written[index]);
    });
    flush(columns.types.length, undefined);
  });
  return clauses;
}

function sentimentOf(text: string): number {
  return Number(nlp().readDoc(text).out(nlp().its.sentiment)) || 0;
}

/** Words as a reader would say them: "venue double-booked". */
export function phrase(words: readonly ClauseWord[]): string {
  return words.map((word) => word.written).join(' ');
}
