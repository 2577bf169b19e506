import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, onTestFinished, TestRunner } from 'vitest';

const ROOT = new URL('../..', import.meta.url).pathname;
const TSX = join(ROOT, 'node_modules/tsx/dist/esm/index.mjs');

/** Long enough for an app to shut down cleanly; a child still running after a failed test is then killed. */
const STOP_GRACE_MS = 5_000;

export interface Started {
  child: ChildProcessWithoutNullStreams;
  output: () => string;
  exited: Promise<number | null>;
}

/**
 * Every child still running. Each is stopped when the test that started it finishes, or, when started
 * outside a test, when its file finishes: whether the test passed or not, so none outlives the run.
 */
const running = new Set<Started>();

export type Lifetime = 'test' | 'file';

/**
 * The settings that move this process's clock (libfaketime's preload and its options), so a child reads
 * the same time as the test that signs its requests and pins its schedule.
 */
function sameClock(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      (entry): entry is [string, string] => /^(LD_PRELOAD|FAKETIME)/.test(entry[0]) && entry[1] !== undefined,
    ),
  );
}

/**
 * Runs src/main.ts as `npm start` would, with the environment given and this process's clock. A child started in a test
 * lives until that test finishes; one started in a hook until the file finishes. A hook that starts a
 * child without awaiting it passes `'file'`, since a test may be running by the time it is spawned.
 */
export function startProcess(
  env: Record<string, string>,
  lifetime: Lifetime = TestRunner.getCurrentTest() ? 'test' : 'file',
): Started {
  const child = spawn(process.execPath, ['--import', TSX, join(ROOT, 'src/main.ts')], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...sameClock(), ...env },
  });
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr.on('data', (chunk) => {
    output += chunk;
  });
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', (code) => resolve(code));
    // A child that could not be spawned never exits.
    child.on('error', () => {
      if (child.pid === undefined) resolve(null);
    });
  });
  const started = { child, output: () => output, exited };
  running.add(started);
  void exited.then(() => running.delete(started));
  if (lifetime === 'test') onTestFinished(() => stopProcess(started));
  return started;
}

/** SIGTERM, and SIGKILL if the child has not exited after a grace; resolves once it has exited. */
export async function stopProcess(started: Started, graceMs = STOP_GRACE_MS): Promise<void> {
  const { child } = started;
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const graceOver = new Promise<'grace over'>((resolve) => {
    timer = setTimeout(() => resolve('grace over'), graceMs);
  });
  const outcome = await Promise.race([started.exited, graceOver]);
  clearTimeout(timer);
  if (outcome === 'grace over') {
    child.kill('SIGKILL');
    await started.exited;
  }
}

afterAll(async () => {
  await Promise.all([...running].map((started) => stopProcess(started)));
});

// Should the test worker itself go down, its children go with it.
process.once('exit', () => {
  for (const { child } of running) child.kill('SIGKILL');
});

/**
 * A cold start compiles the app on the fly and may create the embedded database: seconds on an idle
 * machine, well over half a minute on a loaded one.
 */
const READY_WITHIN_MS = 90_000;

export async function waitUntilReady(baseUrl: string, started: Started): Promise<void> {
  const deadline = Date.now() + READY_WITHIN_MS;
  while (Date.now() < deadline) {
    if (started.child.exitCode !== null || started.child.signalCode !== null) break;
    try {
      const response = await fetch(`${baseUrl}/readyz`);
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    // Polled, since a process gives no other sign of readiness than answering.
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`app never became ready:\n${started.output()}`);
}
