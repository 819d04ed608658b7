// A fresh host, as a new user's Debian machine is: no Docker engine, no mmdebstrap. Each round purges Debian's
// docker.io, containerd, runc and mmdebstrap, removes Docker's and containerd's data and apt's downloaded packages, then
// times a new clone's `npm run setup && npm run lab -- proxy-buffering-off`, each output line stamped with its second.
// It wipes the host's Docker: it runs only when asked by name (`--fresh-host`), as root on a Debian host, and refuses
// where Docker holds anything that is not the lab's (an image not tagged gunicorn-lab*, any container) or where another
// engine would answer the set-up instead (DOCKER_HOST, Podman's root socket).
import { execa } from 'execa';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { median, table } from './format.ts';

export const FRESH_HOST_TARGET_S = 45;
const DOCKER_DATA = '/var/lib/docker';
const PODMAN_ROOT_SOCKET = '/run/podman/podman.sock';

// Seconds from the start at which each step ended (null where its line did not come).
export interface FreshHostRound {
  totalS: number;
  npmS: number | null;
  mmdebstrapS: number | null;
  aptS: number | null;
  engineS: number | null;
  bootstrapS: number | null;
  importS: number | null;
  imagesS: number | null;
  labS: number | null;
}

// Why this host can't be measured, or null: the checks before anything is removed.
export function freshHostRefusal(facts: {
  uid: number;
  hasApt: boolean;
  dockerHost: string | undefined;
  podmanSocket: boolean;
  foreignTags: string[];
  containers: number;
}): string | null {
  if (facts.uid !== 0) return 'it purges Debian packages: run it as root.';
  if (!facts.hasApt) return 'it needs a Debian host (apt-get): here there is none.';
  if (facts.dockerHost) return `DOCKER_HOST is set (${facts.dockerHost}): the set-up would use that engine, not a fresh one. Unset it.`;
  if (facts.podmanSocket) return `Podman's service answers on ${PODMAN_ROOT_SOCKET}: the set-up would use it. Stop it first.`;
  if (facts.foreignTags.length)
    return `Docker holds images that are not the lab's (${facts.foreignTags.slice(0, 3).join(', ')}): it would remove them. Not run.`;
  if (facts.containers)
    return `Docker holds ${facts.containers} container(s): it would remove them. Remove them first (\`npm run lab -- clean\` for the lab's).`;
  return null;
}

// The image tags Docker's own record lists (its engine need not run), those not the lab's.
function foreignTags(): string[] {
  const file = path.join(DOCKER_DATA, 'image/overlay2/repositories.json');
  if (!existsSync(file)) return [];
  const repos = (JSON.parse(readFileSync(file, 'utf8')) as { Repositories?: Record<string, Record<string, string>> }).Repositories ?? {};
  return Object.values(repos)
    .flatMap((tags) => Object.keys(tags))
    .filter((tag) => !tag.startsWith('gunicorn-lab'));
}

// A socket file left by a stopped service refuses connections: only one that accepts counts.
function socketAnswers(file: string): Promise<boolean> {
  if (!existsSync(file)) return Promise.resolve(false);
  return new Promise((resolve) => {
    const socket = connect(file, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

function containerCount(): number {
  const dir = path.join(DOCKER_DATA, 'containers');
  return existsSync(dir) ? readdirSync(dir).length : 0;
}

// Reads the stamped output ("12.3 ✔ npm dependencies (9 s)") into the steps' ends.
export function freshHostSteps(stamped: string, totalS: number, mmdebstrapS: number | null): FreshHostRound {
  const at = (pattern: RegExp): number | null => {
    const line = stamped.split('\n').find((l) => pattern.test(l));
    return line ? Number(line.trim().split(/\s+/)[0]) : null;
  };
  const importLine = stamped.split('\n').find((l) => / imported the bootstrap of Debian \S+ made beside npm in [\d.]+ s/.test(l));
  const importedAt = importLine ? Number(importLine.trim().split(/\s+/)[0]) : null;
  const importTook = importLine ? Number(/ in ([\d.]+) s/.exec(importLine)![1]) : null;
  return {
    totalS,
    npmS: at(/ ✔ npm dependencies/),
    mmdebstrapS,
    aptS: at(/ ✔ Debian packages docker\.io and mmdebstrap/),
    engineS: at(/ ✔ container engine/),
    bootstrapS: importedAt === null || importTook === null ? null : Number((importedAt - importTook).toFixed(1)),
    importS: importedAt,
    imagesS: at(/ ✔ images for /),
    labS: at(/ Verdict: /),
  };
}

// The host's cgroup hierarchies as mounted (mount point, type and options): a round must leave them as they were.
export function cgroupMounts(mounts: string): string[] {
  return mounts
    .split('\n')
    .map((line) => line.split(' '))
    .filter((f) => f[2] === 'cgroup' || f[2] === 'cgroup2')
    .map((f) => `${f[1]} ${f[2]} ${f[3]}`)
    .sort();
}

// Debian's cgroupfs-mount (docker.io recommends it) unmounts the host's cgroup hierarchies when it is removed, and a
// controller left unmounted may then be taken by cgroup v2, where crun refuses a hybrid layout (Podman stops
// working). The rounds keep it: marked as installed by hand while they run, its mark put back after.
const KEPT = 'cgroupfs-mount';

async function purgeDocker(): Promise<void> {
  // The engine stops first (its pid file), and its containerd with it.
  const pidFile = '/var/run/docker.pid';
  if (existsSync(pidFile)) {
    await execa('kill', [readFileSync(pidFile, 'utf8').trim()], { reject: false });
    for (let i = 0; i < 100 && (await execa('pgrep', ['-x', 'dockerd'], { reject: false })).exitCode === 0; i++) await new Promise((r) => setTimeout(r, 200));
  }
  await execa('pkill', ['-x', 'containerd'], { reject: false });
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  await execa('apt-get', ['purge', '-y', '-qq', 'docker.io', 'containerd', 'runc', 'mmdebstrap'], { env, reject: false });
  await execa('apt-get', ['autoremove', '-y', '-qq'], { env, reject: false });
  // /var/lib/docker may be a mount point: its contents go, the folder stays.
  for (const dir of [DOCKER_DATA, '/var/lib/containerd', '/run/docker', '/run/containerd'])
    if (existsSync(dir)) await execa('sh', ['-c', `find '${dir}' -mindepth 1 -maxdepth 1 -exec rm -rf {} +`], { reject: false });
  await execa('sh', ['-c', 'rm -f /var/cache/apt/archives/*.deb'], { reject: false });
  if ((await execa('sh', ['-c', 'command -v dockerd || command -v mmdebstrap'], { reject: false })).exitCode === 0)
    throw new Error('docker.io or mmdebstrap is still installed after the purge: the round would not start fresh.');
}

async function freshHostRound(): Promise<FreshHostRound> {
  const cgroups = cgroupMounts(readFileSync('/proc/mounts', 'utf8'));
  await purgeDocker();
  const clone = await mkdtemp(path.join(tmpdir(), 'gunicorn-lab-fresh-host-'));
  try {
    await execa('git', ['clone', '--quiet', process.cwd(), clone]);
    const started = Date.now();
    const lines: string[] = [];
    const child = execa('sh', ['-c', 'npm run setup --silent && npm run lab --silent -- proxy-buffering-off'], {
      cwd: clone,
      all: true,
      reject: false,
      stdin: 'ignore',
    });
    let rest = '';
    child.all!.on('data', (chunk: Buffer) => {
      const parts = (rest + chunk.toString()).split('\n');
      rest = parts.pop()!;
      for (const line of parts) lines.push(`${((Date.now() - started) / 1000).toFixed(1)} ${line}`);
    });
    const { exitCode } = await child;
    const totalS = (Date.now() - started) / 1000;
    const stamped = lines.join('\n');
    if (exitCode !== 0) throw new Error(`the fresh clone's set-up and lab exited ${exitCode}:\n${stamped.slice(-1500)}`);
    const done = path.join(clone, '.lab/mmdebstrap.done');
    const mmdebstrapS = existsSync(done) ? Number(((statSync(done).mtimeMs - started) / 1000).toFixed(1)) : null;
    const after = cgroupMounts(readFileSync('/proc/mounts', 'utf8'));
    if (after.join('\n') !== cgroups.join('\n'))
      throw new Error(
        `the host's cgroup mounts changed during the round: before\n${cgroups.join('\n')}\nafter\n${after.join('\n')}\nMount them back before running containers.`,
      );
    return freshHostSteps(stamped, Number(totalS.toFixed(1)), mmdebstrapS);
  } finally {
    await rm(clone, { recursive: true, force: true });
  }
}

export async function measureFreshHost(rounds: number, log: (line: string) => void): Promise<FreshHostRound[]> {
  const refusal = freshHostRefusal({
    uid: process.getuid?.() ?? -1,
    hasApt: existsSync('/usr/bin/apt-get'),
    dockerHost: process.env.DOCKER_HOST,
    podmanSocket: await socketAnswers(PODMAN_ROOT_SOCKET),
    foreignTags: foreignTags(),
    containers: containerCount(),
  });
  if (refusal) throw new Error(`--fresh-host: ${refusal}`);
  const installed = (await execa('dpkg-query', ['-W', '-f=${Status}', KEPT], { reject: false })).stdout.includes('install ok installed');
  const auto = installed && (await execa('apt-mark', ['showauto', KEPT], { reject: false })).stdout.trim() === KEPT;
  if (auto) await execa('apt-mark', ['manual', KEPT]);
  const results: FreshHostRound[] = [];
  try {
    for (let i = 1; i <= rounds; i++) {
      log(`fresh host, round ${i} of ${rounds}: docker.io and mmdebstrap purged, Docker's data removed, then a new clone's two commands…`);
      results.push(await freshHostRound());
      log(`  ${results.at(-1)!.totalS} s`);
    }
  } finally {
    if (auto) await execa('apt-mark', ['auto', KEPT], { reject: false });
  }
  return results;
}

export function freshHostText(rounds: FreshHostRound[]): string {
  const cell = (v: number | null) => (v === null ? '–' : v.toFixed(1));
  const totals = rounds.map((r) => r.totalS);
  const head = ['round', 'npm', 'mmdebstrap there', 'apt done', 'engine', 'bootstrap done', 'imported', 'images', 'lab verdict', 'total'];
  const rows = rounds.map((r, i) => [
    String(i + 1),
    cell(r.npmS),
    cell(r.mmdebstrapS),
    cell(r.aptS),
    cell(r.engineS),
    cell(r.bootstrapS),
    cell(r.importS),
    cell(r.imagesS),
    cell(r.labS),
    cell(r.totalS),
  ]);
  return [
    `A fresh host (docker.io and mmdebstrap purged, Docker's data and apt's downloaded packages removed, npm's cache warm): a new clone's \`npm run setup && npm run lab -- proxy-buffering-off\`, seconds from its start at which each step ended`,
    table(head, rows),
    `median ${median(totals).toFixed(1)} s, from ${Math.min(...totals)} to ${Math.max(...totals)} s (target ≤ ${FRESH_HOST_TARGET_S} s)`,
  ].join('\n');
}
