// How the CLI ends: every exit, and every Ctrl-C, kill or closed terminal, first removes this process's runs.
import { mark, phasesLine } from '../phases.ts';

// Set once runs may exist, so that an exit tears them down; only then is the module that tracks them loaded.
let runsStarted = false;
// The engine is found first (DOCKER_HOST, else Docker's socket, else Podman's), before any client is made.
export async function startingRuns<T>(load: () => Promise<T>): Promise<T> {
  runsStarted = true;
  const findEngine = async () => {
    if (!process.env.DOCKER_HOST) await (await import('../docker/docker-client.ts')).findEngine();
  };
  const [loaded] = await Promise.all([load(), findEngine()]);
  return loaded;
}
const loadActiveRuns = () => import('../topology/active-runs.ts');

// Every exit goes through here, after this process's runs are removed. Once a signal has started the exit,
// the pipeline's own ending (its transfer was cut by the teardown) must not exit first.
let exiting: Promise<void> | undefined;
export function exitAfterTeardown(code: number): Promise<void> {
  const exit = () => {
    mark('exit');
    const line = phasesLine();
    if (line) process.stderr.write(line);
    process.exit(code);
  };
  // Only a process that started runs has loaded the module that tracks them.
  exiting ??= (runsStarted ? loadActiveRuns().then((m) => m.teardownActiveRuns()) : Promise.resolve([])).then(exit, exit);
  return exiting;
}

// `on`, not `once`: a loader that exits when no listener is left (tsx does) must keep seeing ours.
// Exit codes as a shell reports a death by each signal (128 + its number): Ctrl-C, kill, a closed terminal.
const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;
export function exitOnSignals(): void {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      if (exiting) return;
      process.stderr.write(`\n${signal}: removing this run's containers, network and volume…\n`);
      void exitAfterTeardown(SIGNAL_EXIT[signal]);
    });
  }
}

export function isExiting(): boolean {
  return exiting !== undefined;
}
