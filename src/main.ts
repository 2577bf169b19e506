import { format } from 'node:util';
import { loadConfig } from './config.js';
import { createLogger, describeError } from './logger.js';
import { startLearningThread } from './server.js';
import { SlackRefusedError } from './slack/connection.js';

const loaded = loadConfig(process.env);
if (!loaded.ok) {
  process.stderr.write(`${loaded.message}\n`);
  process.exit(1);
}

/** One line on stderr and exit 1: a problem an operator fixes in the configuration, not a crash. */
function refuse(problem: string): never {
  process.stderr.write(`Learning Thread could not start: ${problem}\n`);
  process.exit(1);
}

// Every line on stdout is pino JSON, whatever a library prints to the console. What it prints is kept
// short: a library's message is ours to pass on, but it must not fill the log.
const processLog = createLogger(loaded.config.logLevel).child({ module: 'console' });
const toLog =
  (level: 'debug' | 'info' | 'warn' | 'error') =>
  (...parts: unknown[]) =>
    processLog[level]({ text: format(...parts).slice(0, 300) }, 'library wrote to the console');
console.log = toLog('info');
console.info = toLog('info');
console.debug = toLog('debug');
console.warn = toLog('warn');
console.error = toLog('error');

// A last guard, not the way errors are handled: anything that reaches it is a bug to fix, logged by kind
// and code so that a transient failure nobody awaited does not end a running process.
process.on('unhandledRejection', (reason) => {
  processLog.error({ err: describeError(reason) }, 'unhandled rejection');
});

try {
  const running = await startLearningThread(loaded.config, { onSlackRefused: refuse });
  const shutdown = (signal: NodeJS.Signals) => {
    running.log.info({ signal }, 'signal received');
    running.stop().then(
      () => process.exit(0),
      (error: Error) => {
        running.log.error({ err: describeError(error) }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
} catch (error) {
  if (error instanceof SlackRefusedError) refuse(error.message);
  // Other start-up failures are usually configuration too (an unreachable database): one line, no stack.
  const { type, code } = describeError(error);
  refuse(`${(error as Error).message || type}${code ? ` (${code})` : ''}`);
}
