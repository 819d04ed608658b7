// Removes what runs created, found by label: one run's containers in reverse start order, then its network.
import { getDocker } from '../docker/docker-client.ts';
import { PROJECT, PROJECT_LABEL, ROLE_LABEL, RUN_LABEL, type Role } from './names.ts';

const REMOVAL_ORDER: Role[] = ['client', 'nginx', 'app'];

export interface Removed {
  containers: string[];
  networks: string[];
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
    await docker.getContainer(info.Id).remove({ force: true, v: true }).catch((error: { statusCode?: number }) => {
      if (error.statusCode !== 404) throw error;
    });
    removed.containers.push(info.Names[0]?.replace(/^\//, '') ?? info.Id);
  }
  const networks = await docker.listNetworks({ filters: { label: [filter] } });
  for (const info of networks) {
    await docker.getNetwork(info.Id).remove().catch((error: { statusCode?: number }) => {
      if (error.statusCode !== 404) throw error;
    });
    removed.networks.push(info.Name);
  }
  return removed;
}

export function removeRun(runId: string): Promise<Removed> {
  return removeMatching(`${RUN_LABEL}=${runId}`);
}

// What `clean` removes: everything of this project's, from any run, killed or not.
export function removeAllRuns(): Promise<Removed> {
  return removeMatching(`${PROJECT_LABEL}=${PROJECT}`);
}
