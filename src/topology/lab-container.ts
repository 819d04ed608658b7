// GenericContainer with what testcontainers 11 has no setter for: sysctls, and an alias on a single network.
import { GenericContainer } from 'testcontainers';
import { confinementEnv, confinementHostConfig, type Confinement } from './confinement.ts';

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
}
