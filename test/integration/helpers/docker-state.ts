// What the integration tests check Docker for: an engine (fail loudly without one) and leftovers of ours.
import type Docker from 'dockerode';
import { getDocker, requireDocker } from '../../../src/docker/docker-client.ts';
import { PROJECT, PROJECT_LABEL } from '../../../src/topology/names.ts';
import { RUN_VOLUME_NAME } from '../../../src/topology/teardown.ts';

// Throws DockerUnavailableError, whose message says where it looked and how to start an engine.
export { requireDocker };

// Of the engine this process speaks to, or of another one (the Podman test looks at both).
export async function leftovers(docker: Docker = getDocker()): Promise<{ containers: string[]; networks: string[]; volumes: string[] }> {
  const filters = { label: [`${PROJECT_LABEL}=${PROJECT}`] };
  // Volumes by name too: a data volume Docker re-created without our labels is a leftover all the same.
  const [containers, networks, volumes] = await Promise.all([
    docker.listContainers({ all: true, filters }),
    docker.listNetworks({ filters }),
    docker.listVolumes().then((v) => ({ Volumes: (v.Volumes ?? []).filter((x) => x.Labels?.[PROJECT_LABEL] === PROJECT || RUN_VOLUME_NAME.test(x.Name)) })),
  ]);
  return {
    containers: containers.map((c) => c.Names.join(',')),
    networks: networks.map((n) => n.Name),
    volumes: (volumes.Volumes ?? []).map((v) => v.Name),
  };
}

export const NOTHING_LEFT = { containers: [], networks: [], volumes: [] };
