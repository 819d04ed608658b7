// Makes sure a Docker engine answers: uses the one there is, or on a Debian/Ubuntu host as root installs and starts dockerd.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { DockerUnavailableError, SetupError, describeError } from '../errors.ts';
import { dockerEndpoint, pingDocker } from './docker-client.ts';

export interface EngineResult {
  how: 'already-running' | 'started' | 'installed-and-started';
  detail: string;
}

const START_TIMEOUT_MS = 60_000;

// Installs Debian packages with apt-get, once the package lists are fresh.
export async function aptInstall(packages: string[]): Promise<void> {
  try {
    await execa('apt-get', ['update', '-qq'], { stdin: 'ignore' });
    // With recommends, as tested: docker.io wants apparmor and cgroupfs-mount, mmdebstrap wants gpg.
    await execa('apt-get', ['install', '-y', '-qq', ...packages], {
      stdin: 'ignore',
      env: { DEBIAN_FRONTEND: 'noninteractive' },
    });
  } catch (error) {
    throw new SetupError(`apt-get could not install ${packages.join(', ')}.`, 'Check that Debian\'s package mirror answers (`apt-get update`), then run `npm run setup` again.', { cause: error });
  }
}

export async function commandExists(name: string): Promise<boolean> {
  const { exitCode } = await execa('sh', ['-c', `command -v ${name}`], { reject: false, stdin: 'ignore' });
  return exitCode === 0;
}

export async function ensureEngine(stateDir: string): Promise<EngineResult> {
  if (await pingDocker()) return { how: 'already-running', detail: dockerEndpoint() };

  const canInstall = process.getuid?.() === 0 && existsSync('/usr/bin/apt-get') && !process.env.DOCKER_HOST;
  if (!canInstall) {
    throw new DockerUnavailableError(
      dockerEndpoint(),
      'Start a Docker engine and run this again: Docker Desktop, `sudo systemctl start docker`, or set DOCKER_HOST to a running engine. (Automatic install needs root on a Debian/Ubuntu host with no DOCKER_HOST set.)',
    );
  }

  let how: EngineResult['how'] = 'started';
  if (!(await commandExists('dockerd'))) {
    await aptInstall(['docker.io']);
    how = 'installed-and-started';
  }

  mkdirSync(stateDir, { recursive: true });
  const logFile = path.join(stateDir, 'dockerd.log');
  const log = openSync(logFile, 'a');
  // Detached, so the engine outlives this set-up step and serves the labs and tests that follow.
  const child = spawn('dockerd', [], { detached: true, stdio: ['ignore', log, log] });
  child.on('error', () => undefined);
  child.unref();

  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (await pingDocker(1000)) return { how, detail: `dockerd pid ${child.pid}, log ${logFile}` };
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  let tail = '';
  try {
    const { stdout } = await execa('tail', ['-n', '15', logFile], { reject: false });
    tail = stdout;
  } catch (error) {
    tail = describeError(error);
  }
  throw new DockerUnavailableError(dockerEndpoint(), `dockerd did not answer within ${START_TIMEOUT_MS / 1000} s. Its last log lines (${logFile}):\n${tail}`);
}
