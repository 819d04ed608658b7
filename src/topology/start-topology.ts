// Starts one lab run's private network and containers (app, optional nginx, client), labelled for teardown.
import { Wait, type StartedTestContainer } from 'testcontainers';
import { ServiceStartError, describeError } from '../errors.ts';
import { getDocker } from '../docker/docker-client.ts';
import type { LabImages } from '../images/build-images.ts';
import type { Lab } from '../lab/schema.ts';
import { demuxDockerLog } from '../observe/docker-log.ts';
import { execStreaming, type ExecResult } from './exec-streaming.ts';
import { APP_PORT, READINESS_PATH, gunicornCommand } from './gunicorn-command.ts';
import { LabContainer } from './lab-container.ts';
import { containerName, networkName, runLabels, type Role } from './names.ts';
import { NGINX_PORT, SHARED_DATA_DIR, renderNginxConfig } from './nginx-config.ts';
import { LAB_SYSCTLS } from './sysctls.ts';
import { removeRun, type Removed } from './teardown.ts';

const STARTUP_TIMEOUT_MS = 30_000;

export const DATA_FILE = 'large.bin';

export interface Topology {
  labName: string;
  runId: string;
  network: string;
  containers: Partial<Record<Role, { id: string; name: string }>>;
  // Where the client sends its request: Nginx, or Gunicorn itself where the lab has no proxy.
  target: { host: string; port: number };
  fileSha256: string;
  // What the client's set-up command (its throttle) said, where the lab has one.
  clientSetup: ExecResult | null;
  exec(role: Role, cmd: string[], onLine?: (line: string) => void): Promise<ExecResult>;
  // Removes the run's containers, network and volume; called twice, it returns the first removal.
  teardown(): Promise<Removed>;
}

export interface TopologyOptions {
  // A command run in the client container once it is up, while the app boots (the tc throttle).
  clientSetup?: string[] | null;
}

async function lastLogLines(container: StartedTestContainer | string, count = 15): Promise<string[]> {
  try {
    const id = typeof container === 'string' ? container : container.getId();
    const buffer = (await getDocker().getContainer(id).logs({ stdout: true, stderr: true, tail: count })) as unknown as Buffer;
    const { stdout, stderr } = demuxDockerLog(buffer);
    return `${stdout}${stderr}`.split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

async function startRole(role: Role, build: () => LabContainer, runId: string, labName: string): Promise<StartedTestContainer> {
  try {
    return await build().withStartupTimeout(STARTUP_TIMEOUT_MS).start();
  } catch (error) {
    const name = containerName(labName, role, runId);
    throw new ServiceStartError(role, describeError(error), await lastLogLines(name), { cause: error });
  }
}

export async function startTopology(labName: string, lab: Lab, images: LabImages, runId: string, options: TopologyOptions = {}): Promise<Topology> {
  const docker = getDocker();
  const network = networkName(labName, runId);
  const containerFor = (role: Role, image: string) =>
    new LabContainer(image)
      .withName(containerName(labName, role, runId))
      .withLabels(runLabels(labName, runId, role))
      .withNetworkAlias(network, role)
      .withSysctls(LAB_SYSCTLS);

  const dataVolume = `${network}-data`;
  await Promise.all([
    docker.createNetwork({ Name: network, Driver: 'bridge', CheckDuplicate: true, Labels: runLabels(labName, runId) }),
    docker.createVolume({ Name: dataVolume, Labels: runLabels(labName, runId) }),
  ]);
  try {
    // All three start at once: Nginx resolves the app per request and shares the data volume, so it needs no app yet.
    const [app, client, nginx] = await Promise.all([
      startRole('app', () =>
        containerFor('app', images.app)
          .withBindMounts([{ source: dataVolume, target: SHARED_DATA_DIR, mode: 'rw' }])
          .withEnvironment({ FILE_SIZE_BYTES: String(lab.fileSizeBytes), DATA_DIR: SHARED_DATA_DIR })
          .withCommand(gunicornCommand(lab.gunicorn))
          .withWaitStrategy(Wait.forLogMessage(/Booting worker with pid/, lab.gunicorn.workers)), runId, labName),
      startRole('client', () =>
        containerFor('client', images.client).withAddedCapabilities('NET_ADMIN'), runId, labName),
      lab.nginx
        ? startRole('nginx', () =>
            containerFor('nginx', images.nginx)
              .withBindMounts([{ source: dataVolume, target: SHARED_DATA_DIR, mode: 'ro' }])
              .withCopyContentToContainer([{ content: renderNginxConfig(lab.nginx!), target: '/etc/nginx/nginx.conf' }])
              .withWaitStrategy(Wait.forSuccessfulCommand('test -s /run/nginx.pid')), runId, labName)
        : Promise.resolve(null),
    ]);

    // Concurrently: the client's own preparation (its throttle), the file's checksum, and the app's readiness
    // ("Booting worker" comes before the worker imports the app: wait until it really answers).
    const [clientSetup, sha, ready] = await Promise.all([
      options.clientSetup ? execStreaming(client.getId(), options.clientSetup) : Promise.resolve(null),
      app.exec(['cat', `${SHARED_DATA_DIR}/${DATA_FILE}.sha256`]),
      execStreaming(client.getId(), ['python3', '/client/wait-ready.py', 'app', String(APP_PORT), READINESS_PATH, String(STARTUP_TIMEOUT_MS / 1000)]),
    ]);
    if (ready.exitCode !== 0) {
      throw new ServiceStartError('app', `Gunicorn did not answer ${READINESS_PATH} (wait-ready exit ${ready.exitCode}): ${ready.stderr.trim() || "no message"}`, await lastLogLines(app));
    }
    let removal: Promise<Removed> | undefined;
    const containers: Topology['containers'] = {
      app: { id: app.getId(), name: app.getName().replace(/^\//, '') },
      client: { id: client.getId(), name: client.getName().replace(/^\//, '') },
      ...(nginx ? { nginx: { id: nginx.getId(), name: nginx.getName().replace(/^\//, '') } } : {}),
    };
    return {
      labName,
      runId,
      network,
      containers,
      target: nginx ? { host: 'nginx', port: NGINX_PORT } : { host: 'app', port: APP_PORT },
      fileSha256: sha.output.trim(),
      clientSetup,
      exec(role, cmd, onLine) {
        const container = containers[role];
        if (!container) throw new Error(`This lab has no ${role} container.`);
        return execStreaming(container.id, cmd, onLine);
      },
      teardown: () => (removal ??= removeRun(runId)),
    };
  } catch (error) {
    await removeRun(runId).catch(() => undefined);
    throw error;
  }
}
