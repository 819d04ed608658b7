// Makes sure a Docker engine answers: uses the one there is, or on a Debian/Ubuntu host as root installs and starts dockerd.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { DockerUnavailableError, SetupError, describeError } from '../errors.ts';
import { PODMAN_ROOT_SOCKET, dockerEndpoint, engineName, engineSearchDescription, findEngine, pingDocker } from './docker-client.ts';

// execa only where a program must run (apt, a shell test, a log's tail): a lab run never loads it (80 ms of start-up).
export const loadExeca = () => import('execa').then((m) => m.execa);

export interface EngineResult {
  how: 'already-running' | 'started' | 'installed-and-started';
  detail: string;
}

const START_TIMEOUT_MS = 60_000;

// Where dockerd (as root, with no flags) and the containerd it supervises write their pid files.
export const ENGINE_PID_FILES = [
  { file: '/var/run/docker.pid', program: 'dockerd' },
  { file: '/var/run/docker/containerd/containerd.pid', program: 'containerd' },
] as const;

// A pid file is stale when the process it names is gone or is another program: a machine restored from a
// snapshot keeps /var/run but not its processes, and the pid may belong to something else by now. dockerd refuses
// to start while its pid file names a live process ("pid file found, ensure docker is not running").
// `procRoot` is a seam for the unit test.
export function isStalePidFile(file: string, program: string, procRoot = '/proc'): boolean {
  let pid: number;
  try {
    pid = Number.parseInt(readFileSync(file, 'utf8').trim(), 10);
  } catch {
    return false;
  }
  if (!Number.isInteger(pid) || pid <= 0) return true;
  let comm: string;
  try {
    comm = readFileSync(path.join(procRoot, String(pid), 'comm'), 'utf8').trim();
  } catch {
    return true;
  }
  return comm !== program;
}

// Removes the engine's stale pid files (called only when no engine answers) and says which it removed.
export function removeStalePidFiles(files: ReadonlyArray<{ file: string; program: string }> = ENGINE_PID_FILES, procRoot = '/proc'): string[] {
  const removed: string[] = [];
  for (const { file, program } of files) {
    if (isStalePidFile(file, program, procRoot)) {
      rmSync(file, { force: true });
      removed.push(file);
    }
  }
  return removed;
}

// Installs Debian packages with apt-get, once the package lists are fresh.
export async function aptInstall(packages: string[]): Promise<void> {
  try {
    const execa = await loadExeca();
    await execa('apt-get', ['update', '-qq'], { stdin: 'ignore' });
    // With recommends, as tested: docker.io wants apparmor and cgroupfs-mount, mmdebstrap wants gpg.
    await execa('apt-get', ['install', '-y', '-qq', ...packages], {
      stdin: 'ignore',
      env: { DEBIAN_FRONTEND: 'noninteractive' },
    });
  } catch (error) {
    throw new SetupError(
      `apt-get could not install ${packages.join(', ')}.`,
      "Check that Debian's package mirror answers (`apt-get update`), then run `npm run setup` again.",
      { cause: error },
    );
  }
}

export async function commandExists(name: string): Promise<boolean> {
  const execa = await loadExeca();
  const { exitCode } = await execa('sh', ['-c', `command -v ${name}`], { reject: false, stdin: 'ignore' });
  return exitCode === 0;
}

export async function ensureEngine(stateDir: string): Promise<EngineResult> {
  // DOCKER_HOST, else Docker's socket, else Podman's (as root, then rootless).
  const found = await findEngine();
  if (found) return { how: 'already-running', detail: `${await engineName()} at ${found}` };

  const canInstall = process.getuid?.() === 0 && existsSync('/usr/bin/apt-get') && !process.env.DOCKER_HOST;
  if (!canInstall) {
    throw new DockerUnavailableError(
      engineSearchDescription(),
      'Start an engine and run this again: Docker Desktop, `sudo systemctl start docker`, Podman (`systemctl --user start podman.socket`, or as root `podman system service -t 0 unix:///run/podman/podman.sock &`), or set DOCKER_HOST to a running engine. (Automatic install needs root on a Debian/Ubuntu host with no DOCKER_HOST set.)',
    );
  }

  let how: EngineResult['how'] = 'started';
  if (!(await commandExists('dockerd'))) {
    await aptInstall(['docker.io']);
    how = 'installed-and-started';
  }

  const removed = removeStalePidFiles();
  const stale = removed.length > 0 ? `, removed stale ${removed.join(' and ')}` : '';
  const started = await startDaemon(stateDir, 'dockerd', []);
  return { how, detail: `${started}${stale}` };
}

// Starts an engine's daemon detached (so it outlives this set-up step and serves the labs and tests that follow), its
// output in the state folder's <program>.log, and waits until the engine answers; says where it is, or why it isn't.
async function startDaemon(stateDir: string, program: string, args: string[]): Promise<string> {
  mkdirSync(stateDir, { recursive: true });
  const logFile = path.join(stateDir, `${program}.log`);
  const log = openSync(logFile, 'a');
  const child = spawn(program, args, { detached: true, stdio: ['ignore', log, log] });
  child.on('error', () => undefined);
  child.unref();
  const what = [program, ...args.slice(0, 2)].join(' ');
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (await pingDocker(1000)) return `${what} pid ${child.pid}, log ${logFile}`;
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  let tail = '';
  try {
    const execa = await loadExeca();
    const { stdout } = await execa('tail', ['-n', '15', logFile], { reject: false });
    tail = stdout;
  } catch (error) {
    tail = describeError(error);
  }
  const ended = child.exitCode !== null ? `${what} exited with code ${child.exitCode}` : `${what} did not answer within ${START_TIMEOUT_MS / 1000} s`;
  throw new DockerUnavailableError(dockerEndpoint(), `${ended}. Its last log lines (${logFile}):\n${tail}`);
}

// Podman's Docker-compatible service as root, for `setup --podman` (the tests' second engine): the one that answers
// on DOCKER_HOST or Podman's root socket, else Debian's podman (installed with apt where missing) serving that socket
// in the background (log in the state folder). Afterwards DOCKER_HOST names it, so the images build there.
export async function ensurePodman(stateDir: string): Promise<EngineResult> {
  const socket = process.env.DOCKER_HOST ?? `unix://${PODMAN_ROOT_SOCKET}`;
  process.env.DOCKER_HOST = socket;
  if (await pingDocker()) return { how: 'already-running', detail: `${await engineName()} at ${socket}` };
  if (socket !== `unix://${PODMAN_ROOT_SOCKET}`) {
    throw new DockerUnavailableError(
      socket,
      `Start Podman's service there (\`podman system service -t 0 ${socket} &\`), or unset DOCKER_HOST to let the set-up start it on ${PODMAN_ROOT_SOCKET}.`,
    );
  }
  if (process.getuid?.() !== 0) {
    throw new DockerUnavailableError(
      socket,
      "Start Podman's service as root (`systemctl start podman.socket`, or `podman system service -t 0 unix:///run/podman/podman.sock &`), or as your user (`systemctl --user start podman.socket`) with DOCKER_HOST=unix://$XDG_RUNTIME_DIR/podman/podman.sock.",
    );
  }
  let how: EngineResult['how'] = 'started';
  if (!(await commandExists('podman'))) {
    if (!existsSync('/usr/bin/apt-get'))
      throw new SetupError(
        'Podman is not installed.',
        'Install it (Debian/Ubuntu: `apt-get install podman`; Fedora: `dnf install podman`) and run this again.',
      );
    await aptInstall(['podman']);
    how = 'installed-and-started';
  }
  // The service binds the socket but makes no folder for it: on a fresh host /run/podman is not there yet.
  mkdirSync(path.dirname(PODMAN_ROOT_SOCKET), { recursive: true });
  // -t 0: the service stays up between calls (it would stop after 5 s idle).
  return { how, detail: await startDaemon(stateDir, 'podman', ['system', 'service', '-t', '0', socket]) };
}
