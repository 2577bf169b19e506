/**
 * Benchmarks print one JSON object per line so runs can be compared by script. Usage:
 *   npm run bench -- <name>      (names: bar-ack, scheduler, digest, digest-quality, long-reply, home)
 * Set BENCH_DATABASE_URL to measure against Postgres instead of embedded PGlite.
 */
import { barAck } from './bar-ack.js';
import { digestBench } from './digest.js';
import { digestQualityBench } from './digest-quality.js';
import { homeBench } from './home.js';
import { longReplyBench } from './long-reply.js';
import { schedulerBench } from './scheduler.js';

const BENCHES: Record<string, () => Promise<void>> = {
  'bar-ack': barAck,
  scheduler: schedulerBench,
  digest: digestBench,
  'digest-quality': digestQualityBench,
  'long-reply': longReplyBench,
  home: homeBench,
};

const name = process.argv[2];
const bench = name ? BENCHES[name] : undefined;
if (!bench) {
  process.stderr.write(`Usage: npm run bench -- <name>\nBenchmarks: ${Object.keys(BENCHES).join(', ')}\n`);
  process.exit(2);
}
await bench();
