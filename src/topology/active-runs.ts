// Keeps track of this process's runs, so Ctrl-C can tear them down, and removes runs whose process died.
import { getDocker } from '../docker/docker-client.ts';
import { OWNER_LABEL, PROJECT, PROJECT_LABEL, RUN_LABEL } from './names.ts';
import { removeRun } from './teardown.ts';

const active = new Set<string>();
const LATE_CREATION_GRACE_MS = 500;

export function trackRun(runId: string): void {
  active.add(runId);
}

export function untrackRun(runId: string): void {
  active.delete(runId);
}

// Called on SIGINT/SIGTERM: removes every run this process started and has not yet removed.
// A second pass catches a container whose creation was already on its way when the first pass listed the run.
export async function teardownActiveRuns(): Promise<string[]> {
  const runs = [...active];
  const removeAll = () => Promise.all(runs.map((runId) => removeRun(runId).catch(() => undefined)));
  await removeAll();
  if (runs.length) {
    await new Promise((r) => setTimeout(r, LATE_CREATION_GRACE_MS));
    await removeAll();
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

// Runs of ours whose owning process is gone (killed with -9, machine slept...) are removed before a new one starts.
export async function removeAbandonedRuns(): Promise<string[]> {
  const docker = getDocker();
  const filters = { label: [`${PROJECT_LABEL}=${PROJECT}`] };
  const [containers, networks, volumes] = await Promise.all([
    docker.listContainers({ all: true, filters }),
    docker.listNetworks({ filters }),
    docker.listVolumes({ filters }),
  ]);
  const owners = new Map<string, number>();
  for (const { Labels } of [...containers, ...networks, ...(volumes.Volumes ?? [])]) {
    const runId = Labels?.[RUN_LABEL];
    const pid = Number(Labels?.[OWNER_LABEL]);
    if (runId && Number.isInteger(pid) && pid > 0) owners.set(runId, pid);
  }
  const abandoned = [...owners].filter(([runId, pid]) => !active.has(runId) && !processAlive(pid)).map(([runId]) => runId);
  await Promise.all(abandoned.map((runId) => removeRun(runId)));
  return abandoned;
}
