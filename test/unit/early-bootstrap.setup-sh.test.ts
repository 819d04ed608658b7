// The early bootstrap as scripts/setup.sh starts it, run for real in a copy of the project, with stand-ins on PATH for
// the programs around it (mmdebstrap writes 1 MiB after a pause; no Docker image is there; npm and node do nothing):
// one bootstrap of a release at a time, and never a tar said whole before it is.
import { spawn } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import test from 'ava';
import { fromRoot } from '../../src/project-root.ts';

const MiB = 1024 * 1024;

function project(t: { teardown: (fn: () => void) => void }): { dir: string; env: NodeJS.ProcessEnv } {
  const dir = mkdtempSync(path.join(tmpdir(), 'setup-sh-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(path.join(dir, 'scripts'));
  for (const file of ['setup.sh', 'bootstrap-base.sh']) cpSync(fromRoot('scripts', file), path.join(dir, 'scripts', file));
  for (const role of ['app', 'nginx', 'client']) {
    mkdirSync(path.join(dir, 'images', role), { recursive: true });
    cpSync(fromRoot('images', role, 'Dockerfile'), path.join(dir, 'images', role, 'Dockerfile'));
  }
  const bin = path.join(dir, 'bin');
  mkdirSync(bin);
  const stand = (name: string, body: string) => {
    writeFileSync(path.join(bin, name), `#!/bin/sh\n${body}\n`);
    chmodSync(path.join(bin, name), 0o755);
  };
  stand('mmdebstrap', 'sleep 2; head -c 1048576 /dev/zero');
  stand('docker', 'exit 1');
  stand('npm', 'sleep 1');
  stand('node', 'exit 0');
  // DOCKER_HOST set: the set-up never installs Docker with apt here; no Docker data root that records a base.
  return { dir, env: { PATH: `${bin}:/usr/bin:/bin`, DOCKER_HOST: 'unix:///nonexistent.sock', GUNICORN_LAB_DOCKER_DATA_ROOT: path.join(dir, 'no-docker') } };
}

function setup(dir: string, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn('sh', ['scripts/setup.sh', '--release', 'sid'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', () => resolve(out));
  });
}

const size = (file: string) => (existsSync(file) ? statSync(file).size : null);

// Watches the state folder until the job has said how it ended (at most 15 s): each time a status of 0 is there, the
// tar's size then.
async function watch(lab: string): Promise<number[]> {
  const seen: number[] = [];
  for (const started = Date.now(); Date.now() - started < 15_000; await new Promise((r) => setTimeout(r, 20))) {
    if (existsSync(path.join(lab, 'base-sid.status')) && readFileSync(path.join(lab, 'base-sid.status'), 'utf8').trim() === '0') {
      seen.push(size(path.join(lab, 'base-sid.tar')) ?? -1);
      if (seen.length > 5) break;
    }
  }
  return seen;
}

test('a second set-up while the first one bootstraps uses that bootstrap: the tar is whole whenever it is said done', async (t) => {
  const { dir, env } = project(t);
  const lab = path.join(dir, '.lab');
  const first = setup(dir, env);
  const watching = watch(lab);
  await new Promise((r) => setTimeout(r, 500));
  const second = await setup(dir, env);
  await first;
  const seen = await watching;
  t.true(seen.length > 0, 'the bootstrap said it ended well');
  t.deepEqual([...new Set(seen)], [MiB], 'whenever its status said 0, its tar was whole');
  t.regex(second, /Debian sid base: the bootstrap an earlier set-up started beside npm still runs; this set-up uses it/);
  t.deepEqual(
    readdirSync(lab).filter((f) => f.includes('.part')),
    [],
  );
});

test("a job whose mark another set-up's has replaced leaves the tar and the status to that one", async (t) => {
  const { dir, env } = project(t);
  const lab = path.join(dir, '.lab');
  const done = setup(dir, env);
  for (const started = Date.now(); !existsSync(path.join(lab, 'base-sid.owner')) && Date.now() - started < 5000;) await new Promise((r) => setTimeout(r, 20));
  writeFileSync(path.join(lab, 'base-sid.owner'), 'another-set-up\n');
  await done;
  // The job ends 2 s after it starts; it must then write nothing of its own.
  await new Promise((r) => setTimeout(r, 3000));
  t.false(existsSync(path.join(lab, 'base-sid.status')));
  t.false(existsSync(path.join(lab, 'base-sid.tar')));
  t.deepEqual(
    readdirSync(lab).filter((f) => f.includes('.part')),
    [],
  );
});
