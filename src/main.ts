import { loadConfig } from './config.js';
import { startLearningThread } from './server.js';

const loaded = loadConfig(process.env);
if (!loaded.ok) {
  process.stderr.write(`${loaded.message}\n`);
  process.exit(1);
}

try {
  const running = await startLearningThread(loaded.config);
  const shutdown = (signal: NodeJS.Signals) => {
    running.log.info({ signal }, 'signal received');
    running.stop().then(
      () => process.exit(0),
      (error: Error) => {
        running.log.error({ err: { type: error.name } }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
} catch (error) {
  // Start-up failures are usually configuration (an unreachable database): one line, not a stack trace.
  process.stderr.write(`Learning Thread could not start: ${(error as Error).message}\n`);
  process.exit(1);
}
