// The one Docker client of the project, and the check that an engine answers.
import { statSync } from 'node:fs';
import path from 'node:path';
import Docker from 'dockerode';
import { DockerUnavailableError, describeError } from '../errors.ts';

// Testcontainers' reaper (Ryuk) is an image from a registry; the project removes its own containers instead.
process.env.TESTCONTAINERS_RYUK_DISABLED = 'true';

let docker: Docker | undefined;

export const DOCKER_SOCKET = '/var/run/docker.sock';
// Where Podman's Docker-compatible service listens as root (`podman system service`, podman.socket).
export const PODMAN_ROOT_SOCKET = '/run/podman/podman.sock';

// The sockets an engine is looked for on where DOCKER_HOST is unset, in this order: Docker's, Podman's as root, then
// the rootless ones in the user's runtime folder (Podman's podman.socket, rootless Docker's).
export function engineSockets(env: NodeJS.ProcessEnv = process.env): string[] {
  const runtime = env.XDG_RUNTIME_DIR;
  return [DOCKER_SOCKET, PODMAN_ROOT_SOCKET, ...(runtime ? [path.join(runtime, 'podman', 'podman.sock'), path.join(runtime, 'docker.sock')] : [])];
}

// Where the engine is looked for: DOCKER_HOST (set by findEngine where it found one elsewhere), else the default socket.
export function dockerEndpoint(): string {
  return process.env.DOCKER_HOST ?? `unix://${DOCKER_SOCKET}`;
}

// Where a command says it looked: DOCKER_HOST alone where set, else every socket it tried.
export function engineSearchDescription(env: NodeJS.ProcessEnv = process.env): string {
  return env.DOCKER_HOST ?? engineSockets(env).join(', ');
}

export function getDocker(): Docker {
  docker ??= new Docker();
  return docker;
}

async function answers(client: Docker, timeoutMs: number): Promise<boolean> {
  try {
    await Promise.race([client.ping(), new Promise((_, reject) => setTimeout(() => reject(new Error('ping timed out')), timeoutMs).unref())]);
    return true;
  } catch {
    return false;
  }
}

const isSocket = (file: string) => {
  try {
    return statSync(file).isSocket();
  } catch {
    return false;
  }
};

// The socket of the first engine that answers, or null. DOCKER_HOST, where set, is the only place looked at. An engine
// found elsewhere than Docker's default socket is written to DOCKER_HOST, so that this process's clients (dockerode,
// testcontainers) and the commands it starts all speak to it.
export async function findEngine(timeoutMs = 3000, env: NodeJS.ProcessEnv = process.env, sockets = engineSockets(env)): Promise<string | null> {
  if (env.DOCKER_HOST) return (await answers(getDocker(), timeoutMs)) ? env.DOCKER_HOST : null;
  for (const socket of sockets) {
    if (!isSocket(socket) || !(await answers(new Docker({ socketPath: socket }), timeoutMs))) continue;
    if (socket !== DOCKER_SOCKET) {
      env.DOCKER_HOST = `unix://${socket}`;
      docker = undefined;
    }
    return `unix://${socket}`;
  }
  return null;
}

// True where the engine answers a ping within the time given.
export function pingDocker(timeoutMs = 3000): Promise<boolean> {
  return answers(getDocker(), timeoutMs);
}

export type EngineKind = 'docker' | 'podman';
let engine: EngineKind = 'docker';

// Which engine answers on the socket, as it says itself (Podman's compatible API names its own component): where a
// mount or security option differs between them, the form is picked by this.
export function engineKind(): EngineKind {
  return engine;
}

// The engine's own answer to /version: Podman's compatible API names itself among the components.
async function askVersion(): Promise<{ kind: EngineKind; name: string }> {
  const version = await getDocker().version();
  const podman = version.Components?.find((c) => /podman/i.test(c.Name));
  return podman ? { kind: 'podman', name: `Podman ${podman.Version}` } : { kind: 'docker', name: `Docker ${version.Version}` };
}

// Whether each container has a memory cgroup of its own: not under rootless Podman on cgroup v1, where containers stay
// in the user's cgroup ("Resource limits are not supported and ignored on cgroups V1 rootless systems"), so a reading
// inside one is the whole user's. Asked once of Podman's own API; Docker and rootful Podman always have them.
let ownCgroups: Promise<boolean> | null = null;
export function containersHaveOwnCgroups(): Promise<boolean> {
  ownCgroups ??= (async () => {
    if (engine !== 'podman') return true;
    const info = await new Promise<{ host?: { cgroupVersion?: string; security?: { rootless?: boolean } } } | null>((resolve) => {
      getDocker().modem.dial({ path: '/v4.0.0/libpod/info', method: 'GET', statusCodes: { 200: true } }, (error, data) =>
        resolve(error ? null : (data as { host?: { cgroupVersion?: string; security?: { rootless?: boolean } } })),
      );
    });
    return !(info?.host?.security?.rootless && info.host.cgroupVersion === 'v1');
  })();
  return ownCgroups;
}

// The engine as it names itself, for the description line: "Podman 4.3.1", "Docker 28.2.2".
export async function engineName(): Promise<string> {
  return (await askVersion()).name;
}

// Returns the client where an engine answers; otherwise says how to get one.
export async function requireDocker(): Promise<Docker> {
  try {
    if (!process.env.DOCKER_HOST) await findEngine();
    await getDocker().ping();
    engine = (await askVersion()).kind;
    return getDocker();
  } catch (error) {
    throw new DockerUnavailableError(
      engineSearchDescription(),
      `Run \`npm run setup\` (on Debian/Ubuntu as root it installs and starts dockerd), or start an engine yourself: Docker Desktop, \`systemctl start docker\`, Podman's \`podman system service\` (or \`systemctl start podman.socket\`), or set DOCKER_HOST. (${describeError(error)})`,
      { cause: error },
    );
  }
}
