// Removes what runs created, found by label: a run's containers, then its network and data volume.
import { getDocker } from '../docker/docker-client.ts';
import { PROJECT, PROJECT_LABEL, RUN_LABEL } from './names.ts';

export interface Removed {
  containers: string[];
  networks: string[];
  volumes: string[];
}

// Gone already (404) or being removed by another call (409): either way it is on its way out.
function ignoreGone(error: { statusCode?: number }): void {
  if (error.statusCode !== 404 && error.statusCode !== 409) throw error;
}

async function removeMatching(filter: string): Promise<Removed> {
  const docker = getDocker();
  const containers = await docker.listContainers({ all: true, filters: { label: [filter] } });
  const removed: Removed = { containers: [], networks: [], volumes: [] };
  // Force-removed (killed) together: a lab container holds nothing worth a graceful stop, and with a kill the
  // order no longer matters; only the network and the volume wait until every container is gone.
  await Promise.all(containers.map((info) => docker.getContainer(info.Id).remove({ force: true, v: true }).catch(ignoreGone)));
  removed.containers.push(...containers.map((info) => info.Names[0]?.replace(/^\//, '') ?? info.Id));
  const networks = await docker.listNetworks({ filters: { label: [filter] } });
  for (const info of networks) {
    await docker.getNetwork(info.Id).remove().catch(ignoreGone);
    removed.networks.push(info.Name);
  }
  const { Volumes: volumes } = await docker.listVolumes({ filters: { label: [filter] } });
  for (const info of volumes ?? []) {
    await docker.getVolume(info.Name).remove().catch(ignoreGone);
    removed.volumes.push(info.Name);
  }
  return removed;
}

// One removal at a time per run: Ctrl-C and the pipeline's own teardown may both ask for it at once.
const inFlight = new Map<string, Promise<Removed>>();

export function removeRun(runId: string): Promise<Removed> {
  let removal = inFlight.get(runId);
  if (!removal) {
    removal = removeMatching(`${RUN_LABEL}=${runId}`).finally(() => inFlight.delete(runId));
    inFlight.set(runId, removal);
  }
  return removal;
}

// What `clean` removes: everything of this project's, from any run, killed or not.
export function removeAllRuns(): Promise<Removed> {
  return removeMatching(`${PROJECT_LABEL}=${PROJECT}`);
}
