// Starts one run's private network and containers (app, an optional proxy in front: Nginx or another front, client) from
// a stack, labelled for teardown.
import type { ClientTarget, HostPort } from './endpoint.ts';
import { ServiceStartError, UsageError, describeError } from '../errors.ts';
import { pauseAt } from '../pause-at.ts';
import { engineKind, getDocker } from '../docker/docker-client.ts';
import { demuxDockerLog } from '../docker/docker-log.ts';
import { execStreaming, type ExecResult } from './exec-streaming.ts';
import { readFileChecksum } from './file-checksum.ts';
import type { LabContainer, StartedLabContainer } from './lab-container.ts';
import { runOnce } from '../docker/run-once.ts';
import { SHAPER, dataVolumeDriverOpts } from '../docker/confinement.ts';
import type { Front } from '../lab/schema.ts';
import { containerName, networkName, runLabels, type Role } from './names.ts';
import { RUN_SOCKET_VOLUME, RUN_VOLUME, proxyOf, SOCKET_VOLUME_OPTIONS, usesSocketVolume, type RoleSpec, type TopologySpec } from './topology-spec.ts';
import { waitReady as waitForRole } from './wait-ready.ts';
import { restartOnceIfUnresolved } from './unresolved-upstream.ts';
import { removeRun, type Removed } from './teardown.ts';
import { createWhenPoolFree } from './run-network.ts';
import { mark } from '../phases.ts';

// How long a container may take to become ready: 30 s, or GUNICORN_LAB_STARTUP_TIMEOUT_S (1 to 600) on a slow machine.
export function startupTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const text = env.GUNICORN_LAB_STARTUP_TIMEOUT_S;
  if (text === undefined || text === '') return 30_000;
  const seconds = Number(text);
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > 600) {
    throw new UsageError(
      `GUNICORN_LAB_STARTUP_TIMEOUT_S=${text}: must be a whole number of seconds from 1 to 600.`,
      'Unset it for the default of 30 s, or give a whole number of seconds.',
    );
  }
  return seconds * 1000;
}

// The container module brings testcontainers, the largest module a run loads: it loads while Docker checks the
// images and creates the network (runLab asks for it first thing), not before.
let containerModule: Promise<typeof import('./lab-container.ts')> | undefined;
export function preloadContainerModule(): Promise<typeof import('./lab-container.ts')> {
  return (containerModule ??= import('./lab-container.ts'));
}

// The client's tc throttle as run: its command and what it said.
export type Shaping = ExecResult & { command: string[] };

export interface Topology {
  labName: string;
  runId: string;
  network: string;
  containers: Partial<Record<Role, { id: string; name: string }>>;
  // Where the client sends its request: the proxy in front (Nginx or another front), or Gunicorn itself where there is none.
  target: ClientTarget;
  // The target as published on the host's loopback (options.publish), else null.
  published: HostPort | null;
  // The served file's checksum where the stack keeps one (a lab's own file); '' where it serves its own.
  fileSha256: string;
  // The client's shaping (its tc throttle) and what it said, where the run has one: the one place a run's throttle
  // is recorded, for the transfer and the saved run alike. Set at the start, or by shape(); read-only otherwise.
  readonly shaping: Shaping | null;
  // Where the Nginx container keeps the peak bytes of its temp files (a lab's Nginx), else null.
  nginxTempPeakFile: string | null;
  // The front in Nginx's place (a lab's Caddy, HAProxy, Apache or Varnish), whose lines the observation parses.
  frontKind?: Front | null;
  // Roles whose containers are the user's own, already running (`check --attach`): never exec'd into, their logs
  // read from logsSinceS (epoch seconds) on, their memory from Docker's stats.
  foreignRoles?: Role[];
  logsSinceS?: number;
  exec(role: Role, cmd: string[], onLine?: (line: string) => void): Promise<ExecResult>;
  // Runs the client's throttle in a throwaway container in its network namespace, the one holder of NET_ADMIN, and
  // records it as the run's shaping.
  shape(cmd: string[]): Promise<ExecResult>;
  // The container's last log lines (stdout and stderr), for an error message.
  lastLogLines(role: Role, count?: number): Promise<string[]>;
  // Removes the run's containers, network and volume; called twice, it returns the first removal.
  teardown(): Promise<Removed>;
}

export interface TopologyOptions {
  // The client's shaping command (the tc throttle), run once its container is up, while the app boots.
  shapingCommand?: string[] | null;
  // Left up after this process (`up`, `--keep`): labelled without an owner, so no later run removes it.
  keep?: boolean;
  // Publish the client's target (Nginx, else Gunicorn) on 127.0.0.1 at a port Docker picks.
  publish?: boolean;
  // Progress worth a line (e.g. waiting for a free network address pool).
  log?: (line: string) => void;
}

export async function lastLogLines(container: StartedLabContainer | string, count = 15): Promise<string[]> {
  try {
    const id = typeof container === 'string' ? container : container.id;
    const buffer = (await getDocker().getContainer(id).logs({ stdout: true, stderr: true, tail: count })) as unknown as Buffer;
    const { stdout, stderr } = demuxDockerLog(buffer);
    return `${stdout}${stderr}`.split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

async function startRole(role: Role, build: () => LabContainer, runId: string, labName: string): Promise<StartedLabContainer> {
  try {
    return await build().createAndStart();
  } catch (error) {
    const name = containerName(labName, role, runId);
    throw new ServiceStartError(role, describeError(error), await lastLogLines(name), { cause: error });
  }
}

// The host port Docker picked for a port published on 127.0.0.1.
async function loopbackPort(id: string, port: number): Promise<HostPort> {
  const info = await getDocker().getContainer(id).inspect();
  const binding = info.NetworkSettings.Ports[`${port}/tcp`]?.[0];
  if (!binding?.HostPort) throw new ServiceStartError('target', `Docker published no host port for ${port}/tcp`, []);
  return { host: binding.HostIp || '127.0.0.1', port: Number(binding.HostPort) };
}

// A role's config files, written by a shell before its command (Docker copies nothing into a read-only root):
// each file's content comes in an environment variable, and the role's own entrypoint, if any, runs after.
function withFiles(spec: RoleSpec): { entrypoint?: string[]; env?: Record<string, string> } {
  if (!spec.files?.length) return { entrypoint: spec.entrypoint, env: spec.env };
  if (!spec.command) throw new Error(`A role with config files needs an explicit command (${spec.alias}).`);
  const env = { ...spec.env };
  const writes = spec.files.map((file, i) => {
    env[`LAB_FILE_${i}`] = file.content;
    return `printf '%s' "$LAB_FILE_${i}" > '${file.target}'`;
  });
  return { entrypoint: ['/bin/sh', '-c', `${writes.join(' && ')} && exec "$@"`, 'lab-files', ...(spec.entrypoint ?? [])], env };
}

// The client's throttle (tc on its eth0), run by a throwaway container of the client's image that shares the
// client's network namespace: the only one that ever holds NET_ADMIN, for the second it runs.
// Given `removals`, its result is in once it has ended and its removal goes on meanwhile, handed over there for the
// run's teardown to await; without, it is removed before this returns.
async function shapeClient(
  clientId: string,
  image: string,
  cmd: string[],
  name: string,
  labels: Record<string, string>,
  removals?: Array<Promise<unknown>>,
): Promise<ExecResult> {
  return runOnce(image, cmd, {
    name,
    labels,
    networkMode: `container:${clientId}`,
    confinement: SHAPER,
    timeoutMs: 15_000,
    ...(removals ? { onRemoval: (removal: Promise<unknown>) => removals.push(removal) } : {}),
  });
}

// Where the client sends its request: the proxy in front (Nginx or another front), else the app's port (an app on a
// Unix socket only needs Nginx in front).
function clientTarget(stack: TopologySpec): ClientTarget & { role: Role } {
  const proxy = proxyOf(stack);
  if (proxy) return { role: proxy.role, host: proxy.spec.alias, port: proxy.spec.port, ...(stack.nginx?.tls ? { tls: stack.nginx.tls } : {}) };
  if (stack.app.port === null)
    throw new UsageError(
      'This stack has no Nginx and its app listens on a Unix socket only: the client has nothing to reach.',
      'Give an Nginx config that proxies to the socket.',
    );
  return { role: 'app', host: stack.app.alias, port: stack.app.port };
}

// A run's names and labels, fixed before anything is created.
interface RunNames {
  labName: string;
  runId: string;
  network: string;
  dataVolume: string;
  socketVolume: string;
  labels: (role?: Role) => Record<string, string>;
  timeoutMs: number;
}

function runNames(labName: string, runId: string, options: TopologyOptions): RunNames {
  const network = networkName(labName, runId);
  const kept = options.keep ? { since: new Date().toISOString() } : undefined;
  return {
    labName,
    runId,
    network,
    dataVolume: `${network}-data`,
    socketVolume: `${network}-socket`,
    labels: (role?: Role) => runLabels(labName, runId, role, process.pid, kept),
    timeoutMs: startupTimeoutMs(),
  };
}

// The network (waiting for a free address pool where every default one is taken) and the volumes the stack uses,
// while the container module loads; the stack may still be on its way (its images being checked).
async function createNetworkAndVolumes(names: RunNames, stackReady: Promise<TopologySpec>, options: TopologyOptions) {
  const docker = getDocker();
  const [{ LabContainer }, , stack] = await Promise.all([
    preloadContainerModule(),
    createWhenPoolFree(() => docker.createNetwork({ Name: names.network, Driver: 'bridge', CheckDuplicate: true, Labels: names.labels() }), {
      deadlineMs: names.timeoutMs,
      onWait: () => options.log?.(`${names.labName}: waiting for Docker to free an address pool for its network (every default pool is in use)`),
      countNetworks: async () => (await docker.listNetworks({ filters: { driver: ['bridge'] } })).length,
    }),
    stackReady.then(async (stack) => {
      await Promise.all([
        stack.dataVolume ? docker.createVolume({ Name: names.dataVolume, Labels: names.labels(), DriverOpts: dataVolumeDriverOpts() }) : null,
        usesSocketVolume(stack) ? docker.createVolume({ Name: names.socketVolume, Labels: names.labels(), DriverOpts: SOCKET_VOLUME_OPTIONS }) : null,
      ]);
      return stack;
    }),
  ]);
  mark('network');
  return { LabContainer, stack };
}

// A role's container as the stack specifies it, on the run's network, its mounts on the run's volumes.
function containerBuilder(
  LabContainer: typeof import('./lab-container.ts').LabContainer,
  names: RunNames,
  stack: TopologySpec,
  published: Role | null,
): (role: Role, spec: RoleSpec) => LabContainer {
  return (role, spec) => {
    const container = new LabContainer(spec.image)
      .withName(containerName(names.labName, role, names.runId))
      .withLabels(names.labels(role))
      .withNetworkAlias(names.network, spec.alias)
      .withSysctls(stack.sysctls);
    const files = withFiles(spec);
    if (files.entrypoint) container.withEntrypoint(files.entrypoint);
    if (spec.command) container.withCommand(spec.command);
    if (files.env) container.withEnvironment(files.env);
    if (spec.mounts?.length)
      container.withBindMounts(
        spec.mounts.map((m) => ({ ...m, source: m.source === RUN_VOLUME ? names.dataVolume : m.source === RUN_SOCKET_VOLUME ? names.socketVolume : m.source })),
      );
    container.withConfinement(spec.confinement);
    if (role === published) container.withLoopbackPort(clientTarget(stack).port);
    return container;
  };
}

// The containers on their way, and the client's throttle once the client runs.
interface Starts {
  app: Promise<StartedLabContainer>;
  proxy: ReturnType<typeof proxyOf>;
  proxyStarted: Promise<StartedLabContainer | null>;
  client: Promise<StartedLabContainer>;
  shaping: Promise<Shaping | null>;
  // The shaper's removal, awaited by the run's teardown (a stack left up has none in this process).
  shaperRemovals: Array<Promise<unknown>>;
}

// All three start at once: Nginx resolves the app per request and shares the data volume, so it needs no app yet.
// Each role goes on as soon as its own container runs, not when the slowest of the three does: Docker's starts are
// CPU-bound, and the throttle, the waits and Gunicorn's boot fill the gaps between them. On Podman one after another
// (app, proxy, client): its DNS (aardvark-dns) may not answer for a name whose container started beside another,
// for seconds (Nginx's "host not found in upstream", the client's EAI_AGAIN).
function startContainers(names: RunNames, stack: TopologySpec, build: (role: Role, spec: RoleSpec) => LabContainer, options: TopologyOptions): Starts {
  const { labName, runId } = names;
  const oneByOne = engineKind() === 'podman';
  const after = (previous: Promise<unknown>) => (oneByOne ? previous.catch(() => undefined) : Promise.resolve());
  const app = startRole('app', () => build('app', stack.app), runId, labName);
  // The proxy in front: Nginx, or another front.
  const proxy = proxyOf(stack);
  const proxyStarted = proxy ? after(app).then(() => startRole(proxy.role, () => build(proxy.role, proxy.spec), runId, labName)) : Promise.resolve(null);
  const client = after(proxyStarted).then(() => startRole('client', () => build('client', stack.client), runId, labName));
  const shaperRemovals: Array<Promise<unknown>> = [];
  const command = options.shapingCommand;
  const shaping = command
    ? client.then(async (started) => ({
        ...(await shapeClient(
          started.id,
          stack.client.image,
          command,
          containerName(labName, 'shaper', runId),
          names.labels(),
          options.keep ? undefined : shaperRemovals,
        )),
        command,
      }))
    : Promise.resolve(null);
  return { app, proxy, proxyStarted, client, shaping, shaperRemovals };
}

// What the client's one readiness wait asks, in order, from the moment it runs: Gunicorn really answers (its worker
// has imported the app), then Nginx accepts connections (it resolves the app per request), or another front passes
// the app's readiness request on (HAProxy and Varnish resolve the app themselves, and may not have yet). An app on a
// Unix socket only is ready by its log line (its arbiter binds the socket before any worker boots).
function readinessTargets(stack: TopologySpec, proxy: Starts['proxy']): Array<{ role: Role; args: string[] }> {
  return [
    ...(stack.app.port === null ? [] : [{ role: 'app' as const, args: [stack.app.alias, String(stack.app.port), stack.app.readinessPath ?? '-'] }]),
    ...(proxy
      ? [{ role: proxy.role, args: [proxy.spec.alias, String(proxy.spec.port), proxy.role === 'front' ? (stack.app.readinessPath ?? '-') : '-'] }]
      : []),
  ];
}

// A role's own readiness (a log line); on failure, the error carries its last log lines. The app's ends the wait at
// once where its container exits.
async function roleReady(role: Role, container: StartedLabContainer, spec: RoleSpec, timeoutMs: number): Promise<void> {
  try {
    await waitForRole(container.id, spec.ready, timeoutMs);
  } catch (error) {
    throw new ServiceStartError(role, describeError(error), await lastLogLines(container), { cause: error });
  }
}

// Every role ready, each blamed by name where it is not; resolves with the served file's checksum (where kept).
async function waitUntilReady(stack: TopologySpec, starts: Starts, timeoutMs: number, log?: (line: string) => void): Promise<{ stdout: string }> {
  const targets = readinessTargets(stack, starts.proxy);
  const answered = starts.client.then((client) =>
    execStreaming(client.id, ['python3', '/client/wait-ready.py', ...targets.flatMap((t) => t.args), String(timeoutMs / 1000)]),
  );
  // The role the wait blames (by its number in the exit code, 1 for the first), or null where it ended well;
  // 'client' where the wait itself failed.
  const blamed = (waited: ExecResult): Role | null => (waited.exitCode === 0 ? null : (targets[(waited.exitCode ?? 0) - 1]?.role ?? 'client'));
  const [sha] = await Promise.all([
    appReady(stack, starts.app, answered, blamed, timeoutMs),
    proxyReady(stack, starts, answered, blamed, timeoutMs, log),
    answered.then(async (waited) => {
      if (blamed(waited) !== 'client') return;
      const message = `The client's readiness wait failed (exit ${waited.exitCode}): ${waited.stderr.trim() || 'no message'}`;
      throw new ServiceStartError('client', message, await lastLogLines(await starts.client));
    }),
  ]);
  return sha;
}

type Blame = (waited: ExecResult) => Role | null;

async function appReady(stack: TopologySpec, started: Promise<StartedLabContainer>, answered: Promise<ExecResult>, blamed: Blame, timeoutMs: number) {
  const app = await started;
  await roleReady('app', app, stack.app, timeoutMs);
  // The checksum is written before the server starts, so it is whole once a worker boots; a server with no boot line
  // to wait for (Waitress, Uvicorn, Hypercorn) has it once it answers.
  const readSha = async () => ({ stdout: stack.app.fileChecksumPath ? await readFileChecksum(app.id, stack.app.fileChecksumPath) : '' });
  const [sha, waited] = stack.app.ready === null ? await answered.then(async (w) => [await readSha(), w] as const) : await Promise.all([readSha(), answered]);
  if (blamed(waited) === 'app') {
    const what = stack.app.readinessPath
      ? `Gunicorn did not answer ${stack.app.readinessPath}`
      : `Nothing accepted connections on ${stack.app.alias}:${stack.app.port}`;
    throw new ServiceStartError('app', `${what} (wait-ready exit ${waited.exitCode}): ${waited.stderr.trim() || 'no message'}`, await lastLogLines(app));
  }
  return sha;
}

async function proxyReady(stack: TopologySpec, starts: Starts, answered: Promise<ExecResult>, blamed: Blame, timeoutMs: number, log?: (line: string) => void) {
  const { proxy } = starts;
  const started = await starts.proxyStarted;
  if (!proxy || !started) return;
  await roleReady(proxy.role, started, proxy.spec, timeoutMs);
  // Nginx that could not resolve the app at its start (Podman's DNS, a moment late) is started again, once.
  const restarted = proxy.role === 'nginx' ? restartOnceIfUnresolved(started.id, answered, () => lastLogLines(started), log) : null;
  const waited = await answered;
  await restarted;
  if (blamed(waited) === proxy.role) {
    const what =
      proxy.role === 'nginx' ? 'Nginx did not accept connections' : `${stack.front?.kind ?? 'The front'} did not pass the app's readiness request on`;
    throw new ServiceStartError(proxy.role, `${what} on port ${proxy.spec.port}: ${waited.stderr.trim() || 'no message'}`, await lastLogLines(started));
  }
}

// The started stack as the rest of a run uses it: exec into a role, shape the client, read logs, tear down.
function runningTopology(
  names: RunNames,
  stack: TopologySpec,
  containers: Partial<Record<Role, StartedLabContainer>>,
  ready: { published: HostPort | null; fileSha256: string; shaping: Shaping | null; shaperRemovals: Array<Promise<unknown>> },
): Topology {
  const { labName, runId } = names;
  const target = clientTarget(stack);
  let removal: Promise<Removed> | undefined;
  let shaping = ready.shaping;
  return {
    labName,
    runId,
    network: names.network,
    containers,
    target: { host: target.host, port: target.port, ...(target.tls ? { tls: target.tls } : {}) },
    published: ready.published,
    fileSha256: ready.fileSha256,
    get shaping() {
      return shaping;
    },
    nginxTempPeakFile: stack.nginx?.tempPeakFile ?? null,
    frontKind: stack.front?.kind ?? null,
    exec(role, cmd, onLine) {
      const container = containers[role];
      if (!container) throw new Error(`This lab has no ${role} container.`);
      return execStreaming(container.id, cmd, onLine);
    },
    // Off the lab's start path (`check` shapes after its own checks): the shaper is removed before this returns.
    async shape(cmd) {
      const result = await shapeClient(containers.client!.id, stack.client.image, cmd, containerName(labName, 'shaper', runId), names.labels());
      shaping = { ...result, command: cmd };
      return result;
    },
    lastLogLines: (role, count) => lastLogLines(containers[role]?.id ?? containerName(labName, role, runId), count),
    // The shaper's own removal was under way since it ended: it is done first, then the run's by label.
    teardown: () => (removal ??= Promise.allSettled(ready.shaperRemovals).then(() => removeRun(runId))),
  };
}

// The stack may still be on its way (its images being checked): the network is created meanwhile.
export async function startTopology(
  labName: string,
  stackInput: TopologySpec | Promise<TopologySpec>,
  runId: string,
  options: TopologyOptions = {},
): Promise<Topology> {
  const stackReady = Promise.resolve(stackInput);
  // Awaited below, after the network is asked for: no unhandled rejection in between.
  stackReady.catch(() => undefined);
  const names = runNames(labName, runId, options);
  let starts: Starts | undefined;
  try {
    const { LabContainer, stack } = await createNetworkAndVolumes(names, stackReady, options);
    // A stack the client can't reach is refused before any container starts.
    const target = clientTarget(stack);
    const publishedRole = options.publish ? target.role : null;
    await pauseAt('start');
    starts = startContainers(names, stack, containerBuilder(LabContainer, names, stack, publishedRole), options);
    const started = Promise.all([starts.app, starts.client, starts.proxyStarted]).then(async (all) => {
      mark('started');
      await pauseAt('ready');
      return all;
    });
    const [[app, client, proxyContainer], shaping, sha] = await Promise.all([
      started,
      starts.shaping,
      waitUntilReady(stack, starts, names.timeoutMs, options.log),
    ]);
    mark('ready');
    const proxy = starts.proxy;
    const containers = { app, client, ...(proxy && proxyContainer ? { [proxy.role]: proxyContainer } : {}) };
    const published = options.publish ? await loopbackPort((proxyContainer ?? app).id, target.port) : null;
    return runningTopology(names, stack, containers, { published, fileSha256: sha.stdout.trim(), shaping, shaperRemovals: starts.shaperRemovals });
  } catch (error) {
    // Whatever failed, nothing of the run may be created after its removal: every start and the shaper settle first.
    if (starts) {
      await Promise.allSettled([starts.app, starts.client, starts.proxyStarted, starts.shaping]);
      await Promise.allSettled(starts.shaperRemovals);
    }
    await removeRun(runId).catch(() => undefined);
    throw error;
  }
}
