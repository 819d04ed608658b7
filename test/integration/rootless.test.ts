// Rootless Podman, as a user without root runs it (Podman's default on Fedora and RHEL): a user of its own, its own
// `podman system service` on $XDG_RUNTIME_DIR/podman/podman.sock, a copy of the project it owns, and no DOCKER_HOST:
// the CLI finds that socket by itself, the main lab and a remedy pass, and check on example (a) gives its exit each
// time. The images are the ones the set-up built on Docker, loaded into the user's own store (`docker save | podman
// load`, base included, so their tags match and nothing is rebuilt). The user and everything of it are removed after.
import test from 'ava';
import Docker from 'dockerode';
import { execa } from 'execa';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout } from 'node:timers/promises';
import { ensureImages } from '../../src/images/build-images.ts';
import { leftovers, NOTHING_LEFT, requireDocker } from './helpers/docker-state.ts';
import { ROOT } from './helpers/run-cli.ts';
import { exampleA } from './helpers/example-a.ts';

const USER = 'gunicorn-lab-rootless';
const state = { uid: 0, home: '', runtime: '', socket: '', dir: '' };
// The user's command with only its own environment (no DOCKER_HOST of the test's): what it finds, it finds itself.
const userCommand = (command: string[]) => [
  'runuser',
  '-u',
  USER,
  '--',
  'env',
  '-i',
  `HOME=${state.home}`,
  `XDG_RUNTIME_DIR=${state.runtime}`,
  'PATH=/usr/local/bin:/usr/bin:/bin',
  'FORCE_COLOR=0',
  'TSX_DISABLE_CACHE=1',
  ...command,
];
const asUser = (command: string[], options: { cwd?: string } = {}) => {
  const [program, ...args] = userCommand(command);
  return execa(program!, args, { cwd: options.cwd ?? '/', reject: false, stdin: 'ignore' });
};
const lab = (args: string[]) => asUser([process.execPath, 'scripts/lab.mjs', ...args], { cwd: state.dir });
const podman = () => new Docker({ socketPath: state.socket });

// The user, its runtime folder (no login session makes one here), Podman's overlay on FUSE where the kernel offers it
// (else Podman picks vfs, which copies each image whole per container), and its service.
async function startUserPodman(): Promise<void> {
  if ((await execa('id', ['-u', USER], { reject: false })).exitCode !== 0) await execa('useradd', ['-m', '-s', '/bin/sh', USER]);
  state.uid = Number((await execa('id', ['-u', USER])).stdout);
  state.home = (await execa('sh', ['-c', `getent passwd ${USER} | cut -d: -f6`])).stdout.trim();
  state.runtime = `/run/user/${state.uid}`;
  state.socket = path.join(state.runtime, 'podman/podman.sock');
  mkdirSync(path.dirname(state.socket), { recursive: true });
  await execa('chown', ['-R', `${USER}:`, state.runtime]);
  await execa('chmod', ['700', state.runtime]);
  if (existsSync('/dev/fuse') && existsSync('/usr/bin/fuse-overlayfs')) {
    const config = path.join(state.home, '.config/containers');
    mkdirSync(config, { recursive: true });
    writeFileSync(path.join(config, 'storage.conf'), '[storage]\ndriver = "overlay"\n[storage.options.overlay]\nmount_program = "/usr/bin/fuse-overlayfs"\n');
    await execa('chown', ['-R', `${USER}:`, path.join(state.home, '.config')]);
  }
  const service = asUser(['podman', 'system', 'service', '-t', '0', `unix://${state.socket}`]);
  service.catch(() => undefined);
  for (let i = 0; i < 100; i += 1) {
    if (
      await podman()
        .ping()
        .then(
          () => true,
          () => false,
        )
    )
      return;
    await setTimeout(100);
  }
  throw new Error(`rootless Podman's service did not answer at ${state.socket}`);
}

test.before(async (t) => {
  t.timeout(5 * 60_000, 'a user, its Podman, the images loaded into its store');
  await requireDocker();
  await startUserPodman();
  const images = await ensureImages('bookworm');
  const quoted = (words: string[]) => words.map((w) => `'${w}'`).join(' ');
  const load = await execa(
    'bash',
    [
      '-o',
      'pipefail',
      '-c',
      `docker save ${quoted(['gunicorn-lab/base:bookworm', images.app, images.nginx, images.client])} | ${quoted(userCommand(['podman', 'load']))}`,
    ],
    // From /: the project's own folder may be its owner's alone (mktemp -d makes it 0700), which the user can't enter.
    {
      cwd: '/',
      reject: false,
      stdin: 'ignore',
    },
  );
  if (load.exitCode !== 0) throw new Error(`docker save | podman load as ${USER} failed: ${load.stderr}`);
  // The project as the user's own copy (the files git tracks or would), node_modules hard-linked where it can be.
  state.dir = mkdtempSync(path.join(os.tmpdir(), 'gunicorn-lab-rootless-'));
  await execa('sh', ['-c', `git ls-files -co --exclude-standard -z | tar --null -T - -cf - | tar -xf - -C '${state.dir}'`], { cwd: ROOT });
  await execa('sh', ['-c', `cp -al node_modules '${state.dir}/' 2>/dev/null || cp -a node_modules '${state.dir}/'`], { cwd: ROOT });
  await execa('chmod', ['755', state.dir]);
  await execa('chown', ['-R', `${USER}:`, state.dir]);
});

// Everything of the user goes: its store, its processes (waited for: userdel refuses a user that still runs one), the
// user itself (the name is this project's, so one a stopped run left behind goes too), its runtime folder, the copy,
// and the lock file its Podman keeps in /dev/shm (named by the user's uid, not removed by `system reset`).
test.after.always(async () => {
  if (state.dir) rmSync(state.dir, { recursive: true, force: true });
  if (state.socket && existsSync(state.socket)) await asUser(['podman', 'system', 'reset', '-f']);
  for (let i = 0; i < 50 && (await execa('pkill', ['-KILL', '-u', USER], { reject: false })).exitCode === 0; i += 1) await setTimeout(200);
  await execa('userdel', ['-r', USER], { reject: false });
  if (state.runtime) await execa('rm', ['-rf', state.runtime], { reject: false });
  if (state.uid) rmSync(`/dev/shm/libpod_rootless_lock_${state.uid}`, { force: true });
});

test.afterEach.always(async (t) => {
  t.deepEqual(await leftovers(podman()), NOTHING_LEFT, "a run left containers, networks or volumes behind in the user's Podman");
});

test.serial('as a user on rootless Podman, no DOCKER_HOST: the socket is found, the sync worker dies behind proxy_buffering off', async (t) => {
  const { exitCode, stdout, stderr } = await lab(['proxy-buffering-off', '--json']);
  t.is(exitCode, 0, `${stdout.slice(-1500)}\n${stderr}`);
  const run = JSON.parse(stdout) as {
    verdict: { passed: boolean };
    observation: { gunicorn: { workerTimeouts: number }; client: { status: number; outcome: string }; resources: { app: unknown } };
  };
  t.true(run.verdict.passed);
  t.true(run.observation.gunicorn.workerTimeouts >= 1);
  t.like(run.observation.client, { status: 200, outcome: 'truncated' });
  // Rootless Podman on cgroup v1 keeps the containers in the user's cgroup: no reading is taken for theirs.
  const v1 = (await execa('stat', ['-fc', '%T', '/sys/fs/cgroup'])).stdout.trim() !== 'cgroup2fs';
  if (v1) t.is(run.observation.resources.app, null, "a memory reading that would be the whole user's");
});

test.serial('as a user on rootless Podman: the remedy (proxy_buffering on) keeps the worker alive', async (t) => {
  const { exitCode, stdout, stderr } = await lab(['proxy-buffering-on', '--json']);
  t.is(exitCode, 0, `${stdout.slice(-1500)}\n${stderr}`);
  const run = JSON.parse(stdout) as { observation: { gunicorn: { workerTimeouts: number }; client: { outcome: string } } };
  t.is(run.observation.gunicorn.workerTimeouts, 0);
  t.is(run.observation.client.outcome, 'complete');
});

// Nginx's upstream must resolve as it starts, which Podman's DNS did not always answer in time right after a set-up.
test.serial('as a user on rootless Podman: check on example (a) loses a worker and exits 1, three times in a row', async (t) => {
  for (let i = 0; i < 3; i++) {
    const { exitCode, stdout, stderr } = await lab(exampleA('--json'));
    t.is(exitCode, 1, `run ${i + 1}: ${stdout.slice(-1500)}\n${stderr}`);
    const result = JSON.parse(stdout) as { observation: { gunicorn: { workerTimeouts: number } } };
    t.true(result.observation.gunicorn.workerTimeouts >= 1, `run ${i + 1}`);
  }
});
