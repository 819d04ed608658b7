// Removes what runs created, found by label: a run's containers, then its network and data volume. A data volume
// is also found by its name: a container created while its run was being removed makes Docker create the volume
// again, without our labels.
import { getDocker } from '../docker/docker-client.ts';
import { pauseAt } from '../pause-at.ts';
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

// A run's data or socket volume: lab-<lab>-<run id>-data, -socket (topology names them after the run's network).
export const RUN_VOLUME_NAME = /^lab-.+-\d{8}-\d{6}-[0-9a-f]{4}-(data|socket)$/;

async function removeMatching(filter: string, unlabelledVolume: (name: string) => boolean): Promise<Removed> {
  const docker = getDocker();
  const containers = await docker.listContainers({ all: true, filters: { label: [filter] } });
  const removed: Removed = { containers: [], networks: [], volumes: [] };
  // Force-removed (killed) together: a lab container holds nothing worth a graceful stop, and with a kill the
  // order no longer matters; only the network and the volume wait until every container is gone.
  await Promise.all(containers.map((info) => docker.getContainer(info.Id).remove({ force: true, v: true }).catch(ignoreGone)));
  removed.containers.push(...containers.map((info) => info.Names[0]?.replace(/^\//, '') ?? info.Id));
  await pauseAt('teardown');
  // The network and the volumes, listed and removed at once: neither waits on the other.
  const [networks, { Volumes: labelled }, { Volumes: all }] = await Promise.all([
    docker.listNetworks({ filters: { label: [filter] } }),
    docker.listVolumes({ filters: { label: [filter] } }),
    docker.listVolumes(),
  ]);
  const names = [
    ...new Set([
      ...(labelled ?? []).map((v) => v.Name),
      ...(all ?? []).filter((v) => !v.Labels?.[PROJECT_LABEL] && unlabelledVolume(v.Name)).map((v) => v.Name),
    ]),
  ];
  await Promise.all([
    ...networks.map((info) => docker.getNetwork(info.Id).remove().catch(ignoreGone)),
    ...names.map((name) => docker.getVolume(name).remove().catch(ignoreGone)),
  ]);
  removed.networks.push(...networks.map((info) => info.Name));
  removed.volumes.push(...names);
  return removed;
}

// One removal at a time per run: Ctrl-C and the pipeline's own teardown may both ask for it at once.
const inFlight = new Map<string, Promise<Removed>>();

// fresh: a removal of its own even while another is under way (a signal must not wait on one that hangs).
export function removeRun(runId: string, options: { fresh?: boolean } = {}): Promise<Removed> {
  const matching = () => removeMatching(`${RUN_LABEL}=${runId}`, (name) => name.endsWith(`-${runId}-data`) || name.endsWith(`-${runId}-socket`));
  if (options.fresh) return matching();
  let removal = inFlight.get(runId);
  if (!removal) {
    removal = matching().finally(() => inFlight.delete(runId));
    inFlight.set(runId, removal);
  }
  return removal;
}

// What `clean` removes: everything of this project's, from any run, killed or not.
export function removeAllRuns(): Promise<Removed> {
  return removeMatching(`${PROJECT_LABEL}=${PROJECT}`, (name) => RUN_VOLUME_NAME.test(name));
}

// Data volumes of ours that lost their labels (see above): no run owns them; `clean` removes them. One still in use
// is refused by Docker and left.
export async function removeUnlabelledVolumes(): Promise<string[]> {
  const docker = getDocker();
  const { Volumes: all } = await docker.listVolumes();
  const orphans = (all ?? []).filter((v) => !v.Labels?.[PROJECT_LABEL] && RUN_VOLUME_NAME.test(v.Name)).map((v) => v.Name);
  const removed: string[] = [];
  for (const name of orphans) {
    const gone = await docker
      .getVolume(name)
      .remove()
      .then(
        () => true,
        (error: { statusCode?: number }) => error.statusCode === 404,
      );
    if (gone) removed.push(name);
  }
  return removed;
}
