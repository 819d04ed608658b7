// Keeps track of this process's runs, so Ctrl-C can tear them down, and removes runs whose process died.
import { getDocker } from '../docker/docker-client.ts';
import { OWNER_LABEL, OWNER_NS_LABEL, PROJECT, PROJECT_LABEL, RUN_LABEL, ownPidNamespace } from './names.ts';
import { removeAllRuns, removeRun, removeUnlabelledVolumes, type Removed } from './teardown.ts';

const active = new Set<string>();
const LATE_CREATION_GRACE_MS = 500;
// Once the process is shutting down (a signal), no new run may start: a matrix's pool would go on starting labs.
let shuttingDown = false;

export class ShuttingDownError extends Error {}

export function trackRun(runId: string): void {
  if (shuttingDown) throw new ShuttingDownError('this process is shutting down: no new run starts');
  active.add(runId);
}

export function untrackRun(runId: string): void {
  active.delete(runId);
}

// Called on SIGINT/SIGTERM/SIGHUP: stops new runs from starting, then removes every run this process started, pass
// after pass, until a pass finds nothing new: a container whose creation was on its way during one pass (a
// loaded machine takes seconds) is caught by the next. Bounded: at most 20 passes.
export async function teardownActiveRuns(): Promise<string[]> {
  shuttingDown = true;
  const runs = [...active];
  let quietPasses = 0;
  for (let pass = 0; pass < 20 && runs.length && quietPasses < 2; pass++) {
    const removed = await Promise.all(runs.map((runId) => removeRun(runId, { fresh: true }).catch(() => null)));
    const found = removed.reduce((n, r) => n + (r ? r.containers.length + r.networks.length + r.volumes.length : 0), 0);
    quietPasses = found === 0 ? quietPasses + 1 : 0;
    if (quietPasses < 2) await new Promise((r) => setTimeout(r, LATE_CREATION_GRACE_MS));
  }
  active.clear();
  return runs;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

type RunState = 'abandoned' | 'running' | 'kept' | 'unknown';

// Each run of ours by its labels: its owner gone (abandoned), still going, kept on purpose (`up`), or owned by
// a process in another PID namespace (a CI job sharing the engine): that one this process cannot judge.
async function runStates(): Promise<Map<string, RunState>> {
  const docker = getDocker();
  const filters = { label: [`${PROJECT_LABEL}=${PROJECT}`] };
  const [containers, networks, volumes] = await Promise.all([
    docker.listContainers({ all: true, filters }),
    docker.listNetworks({ filters }),
    docker.listVolumes({ filters }),
  ]);
  const ours = ownPidNamespace();
  const states = new Map<string, RunState>();
  for (const { Labels } of [...containers, ...networks, ...(volumes.Volumes ?? [])]) {
    const runId = Labels?.[RUN_LABEL];
    if (!runId || states.has(runId)) continue;
    const pid = Number(Labels?.[OWNER_LABEL]);
    const namespace = Labels?.[OWNER_NS_LABEL];
    let state: RunState;
    if (pid === 0) state = 'kept';
    else if (!Number.isInteger(pid) || pid < 0 || Number.isNaN(pid)) state = 'abandoned';
    else if (namespace && ours && namespace !== ours) state = 'unknown';
    else state = active.has(runId) || processAlive(pid) ? 'running' : 'abandoned';
    states.set(runId, state);
  }
  return states;
}

// Runs of ours whose owning process is gone (killed with -9, machine slept...) are removed before a new one starts.
export async function removeAbandonedRuns(): Promise<string[]> {
  const abandoned = [...(await runStates())].filter(([, state]) => state === 'abandoned').map(([runId]) => runId);
  await Promise.all(abandoned.map((runId) => removeRun(runId)));
  return abandoned;
}

// `clean`: what killed runs and `up` left; runs still going (or not ours to judge) stay unless forced.
export async function removeLeftovers(options: { force: boolean }): Promise<Removed & { running: string[] }> {
  if (options.force) return { ...(await removeAllRuns()), running: [] };
  const states = await runStates();
  const removable = [...states].filter(([, state]) => state === 'abandoned' || state === 'kept').map(([runId]) => runId);
  const removed = await Promise.all(removable.map((runId) => removeRun(runId)));
  const orphans = await removeUnlabelledVolumes();
  return {
    containers: removed.flatMap((r) => r.containers),
    networks: removed.flatMap((r) => r.networks),
    volumes: [...removed.flatMap((r) => r.volumes), ...orphans],
    running: [...states].filter(([, state]) => state === 'running' || state === 'unknown').map(([runId]) => runId),
  };
}
