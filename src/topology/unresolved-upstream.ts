// Nginx resolves a static `proxy_pass http://web:5000` once, at start. Docker's DNS answers for a container's alias
// as soon as it runs; Podman's (aardvark-dns) may not yet, and Nginx then exits with `[emerg] host not found in
// upstream`. Started again once, it finds the name: this watch does that, once, and says so. Any other exit, or a
// second one, is left to the readiness wait, which names it with Nginx's last lines.
import { getDocker } from '../docker/docker-client.ts';

export const UNRESOLVED_UPSTREAM = 'host not found in upstream';
const POLL_MS = 250;
const RESTART_AFTER_MS = 500;

export interface ExitState {
  running: boolean;
  exitCode: number;
}

// Whether an exited proxy is worth one more start: it exited, and its last lines say it could not resolve its upstream.
export function exitedUnresolved(state: ExitState | null, lastLines: readonly string[]): boolean {
  return state !== null && !state.running && lastLines.some((line) => line.includes(UNRESOLVED_UPSTREAM));
}

async function exitState(id: string): Promise<ExitState | null> {
  try {
    const info = await getDocker().getContainer(id).inspect();
    return { running: info.State.Running, exitCode: info.State.ExitCode };
  } catch {
    return null;
  }
}

// Watches the proxy until `settled` (its readiness wait ended, either way); restarts it once where it exited unresolved.
export async function restartOnceIfUnresolved(
  id: string,
  settled: Promise<unknown>,
  lastLines: () => Promise<string[]>,
  log: (line: string) => void = () => undefined,
): Promise<void> {
  let done = false;
  const ended = settled.then(
    () => (done = true),
    () => (done = true),
  );
  while (!done) {
    // The poll ends at once when the wait does: no run waits on this watch.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([new Promise((resolve) => (timer = setTimeout(resolve, POLL_MS))), ended]);
    clearTimeout(timer);
    if (done) return;
    const state = await exitState(id);
    if (state === null) return;
    if (state.running) continue;
    const lines = await lastLines();
    if (!exitedUnresolved(state, lines)) return;
    await new Promise((resolve) => setTimeout(resolve, RESTART_AFTER_MS));
    log(`Nginx exited at start ("${UNRESOLVED_UPSTREAM}": the engine's DNS did not answer for the app yet); started it again, once`);
    await getDocker().getContainer(id).start();
    return;
  }
}
