// A lab container: described with testcontainers' GenericContainer (plus what testcontainers 11 has no setter for:
// sysctls, confinement, an alias on a single network, a loopback-only port), then created and started with one
// Docker API call each. GenericContainer's own start() first discovers the container runtime (docker info, a
// Compose probe, host IPs), checks the image for a pull and inspects the container until its ports are bound:
// round trips a lab does not need, paid before the first container exists.
import { GenericContainer } from 'testcontainers';
import type { ContainerCreateOptions } from 'dockerode';
import { getDocker } from '../docker/docker-client.ts';
import { confinementEnv, confinementHostConfig, type Confinement } from '../docker/confinement.ts';

export interface StartedLabContainer {
  id: string;
  name: string;
}

export class LabContainer extends GenericContainer {
  constructor(image: string) {
    super(image);
    // The project removes its own containers by label (Ryuk's image can't be pulled here); no reaper, no lock file.
    this.withAutoCleanup(false);
  }

  withSysctls(sysctls: Record<string, string>): this {
    this.hostConfig.Sysctls = { ...this.hostConfig.Sysctls, ...sysctls };
    return this;
  }

  // Every capability dropped and only the role's added back, no new privileges, its user, read-only root, limits.
  withConfinement(c: Confinement): this {
    if (c.user) this.createOpts.User = c.user;
    Object.assign(this.hostConfig, confinementHostConfig(c));
    if (c.home) this.withEnvironment(confinementEnv(c));
    return this;
  }

  // Published on the host's loopback only, at a port Docker picks: never reachable from other machines.
  withLoopbackPort(port: number): this {
    this.createOpts.ExposedPorts = { ...this.createOpts.ExposedPorts, [`${port}/tcp`]: {} };
    this.hostConfig.PortBindings = { ...this.hostConfig.PortBindings, [`${port}/tcp`]: [{ HostIp: '127.0.0.1', HostPort: '' }] };
    return this;
  }

  // testcontainers' withNetworkAliases first attaches the default bridge too; this keeps one interface (eth0).
  withNetworkAlias(network: string, alias: string): this {
    this.withNetworkMode(network);
    this.createOpts.NetworkingConfig = { EndpointsConfig: { [network]: { Aliases: [alias] } } };
    return this;
  }

  // What Docker is asked to create: the container as described, on its one network.
  createOptions(): ContainerCreateOptions {
    return { ...this.createOpts, HostConfig: { ...this.hostConfig, NetworkMode: this.networkMode } } as ContainerCreateOptions;
  }

  // Created and started; ready is the caller's to wait for (a log line, a command), as Docker knows nothing of it.
  async createAndStart(): Promise<StartedLabContainer> {
    const options = this.createOptions();
    const container = await getDocker().createContainer(options);
    await container.start();
    return { id: container.id, name: options.name ?? container.id };
  }
}
