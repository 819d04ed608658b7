// The one Docker client of the project, and the check that an engine answers.
import Docker from 'dockerode';
import { DockerUnavailableError, describeError } from '../errors.ts';

// Testcontainers' reaper (Ryuk) is an image from a registry; the project removes its own containers instead.
process.env.TESTCONTAINERS_RYUK_DISABLED = 'true';

let docker: Docker | undefined;

// Where the engine is looked for: DOCKER_HOST, else the default socket.
export function dockerEndpoint(): string {
  return process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock';
}

export function getDocker(): Docker {
  docker ??= new Docker();
  return docker;
}

// True where the engine answers a ping within the time given.
export async function pingDocker(timeoutMs = 3000): Promise<boolean> {
  try {
    await Promise.race([
      getDocker().ping(),
      new Promise((_, reject) => setTimeout(() => reject(new Error('ping timed out')), timeoutMs).unref()),
    ]);
    return true;
  } catch {
    return false;
  }
}

export type EngineKind = 'docker' | 'podman';
let engine: EngineKind = 'docker';

// Which engine answers on the socket, as it says itself (Podman's compatible API names its own component): where a
// mount or security option differs between them, the form is picked by this.
export function engineKind(): EngineKind {
  return engine;
}

async function askEngine(): Promise<EngineKind> {
  const version = await getDocker().version();
  return version.Components?.some((c) => /podman/i.test(c.Name)) ? 'podman' : 'docker';
}

// Returns the client where an engine answers; otherwise says how to get one.
export async function requireDocker(): Promise<Docker> {
  try {
    await getDocker().ping();
    engine = await askEngine();
    return getDocker();
  } catch (error) {
    throw new DockerUnavailableError(
      dockerEndpoint(),
      `Run \`npm run setup\` (on Debian/Ubuntu as root it installs and starts dockerd), or start an engine yourself: Docker Desktop, \`systemctl start docker\`, or set DOCKER_HOST. (${describeError(error)})`,
      { cause: error },
    );
  }
}
