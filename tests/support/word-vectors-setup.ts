import { wordVectors } from '../../src/domain/digest/word-vectors.js';

/**
 * Before any test file starts: a fresh install has no word-vector cache yet, and every process that
 * needed one at once would each parse the package's 300 MB file.
 */
export default function setup(): void {
  wordVectors();
}
