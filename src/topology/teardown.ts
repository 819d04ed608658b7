// Removes what runs created, found by label: one run's containers in reverse start order, then its network.
import { getDocker } from '../docker/docker-client.ts';
import { PROJECT, PROJECT_LABEL, ROLE_LABEL, RUN_LABEL, type Role } from './names.ts';

const REMOVAL_ORDER: Role[] = ['client', 'nginx', 'app'];

export interface Removed {
  containers: string[];
  networks: string[];
}

// Gone already (404) or being removed by another call (409): either way it is on its way out.
function ignoreGone(error: { statusCode?: number }): void {
  if (error.statusCode !== 404 && error.statusCode !== 409) throw error;
}

async function removeMatching(filter: string): Promise<Removed> {
  const docker = getDocker();
  const containers = await docker.listContainers({ all: true, filters: { label: [filter] } });
  const rank = (labels: Record<string, string>) => {
    const index = REMOVAL_ORDER.indexOf(labels[ROLE_LABEL] as Role);
    return index < 0 ? REMOVAL_ORDER.length : index;
  };
  containers.sort((a, b) => rank(a.Labels) - rank(b.Labels));
  const removed: Removed = { containers: [], networks: [] };
  for (const info of containers) {
    // force: kill at once; a lab container holds nothing worth a graceful stop.
    await docker.getContainer(info.Id).remove({ force: true, v: true }).catch(ignoreGone);
    removed.containers.push(info.Names[0]?.replace(/^\//, '') ?? info.Id);
  }
  const networks = await docker.listNetworks({ filters: { label: [filter] } });
  for (const info of networks) {
    await docker.getNetwork(info.Id).remove().catch(ignoreGone);
    removed.networks.push(info.Name);
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
