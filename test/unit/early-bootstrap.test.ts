// The base bootstrap setup.sh starts beside npm, as the set-up finds it: its files in a real folder, its job a real
// process (a shell with a child, as setup.sh's job runs mmdebstrap).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import test from 'ava';
import { awaitEarlyBootstrap, dropEarlyBootstrap, earlyBootstrapFiles, isRunning } from '../../src/images/early-bootstrap.ts';

function stateDir(t: { teardown: (fn: () => void) => void }): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'early-bootstrap-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

// A job like setup.sh's: a shell waiting on a child that has a child of its own (mmdebstrap running apt), the
// grandchild's pid written to `below` where given; ended (and reaped) at the test's end in any case.
function job(t: { teardown: (fn: () => void) => void }, below = '/dev/null'): number {
  // Its own process group, so that the teardown ends all of it.
  const child = spawn('sh', ['-c', `sh -c 'sleep 30 & echo $! > ${below}; wait' & wait`], { stdio: 'ignore', detached: true });
  t.teardown(() => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // gone
    }
  });
  return child.pid!;
}

// Polls until `done` holds (a loaded machine starts and reaps processes late), failing the test after 10 s.
async function until(done: () => boolean, what: string): Promise<void> {
  for (const started = Date.now(); !done(); await new Promise((resolve) => setTimeout(resolve, 20))) {
    if (Date.now() - started > 10_000) throw new Error(`after 10 s, still not: ${what}`);
  }
}

test('no pid file: no early bootstrap', async (t) => {
  t.deepEqual(await awaitEarlyBootstrap(earlyBootstrapFiles('bookworm', stateDir(t))), { kind: 'none' });
});

test('a finished bootstrap: its tar where it exited 0, a failure with the log to read where not', async (t) => {
  const files = earlyBootstrapFiles('trixie', stateDir(t));
  writeFileSync(files.pid, '999999\n');
  writeFileSync(files.tar, 'tar');
  writeFileSync(files.status, '0\n');
  t.deepEqual(await awaitEarlyBootstrap(files), { kind: 'ready', tar: files.tar });
  writeFileSync(files.status, '2\n');
  const failed = await awaitEarlyBootstrap(files);
  t.is(failed.kind, 'failed');
  t.regex(failed.kind === 'failed' ? failed.why : '', /exited with code 2 \(log: .*base-trixie\.log\)/);
});

test('a job that is gone without a status (Ctrl-C, a killed set-up) counts as failed, not as running', async (t) => {
  const files = earlyBootstrapFiles('sid', stateDir(t));
  writeFileSync(files.pid, '999999\n');
  t.false(isRunning(999999));
  t.deepEqual(await awaitEarlyBootstrap(files), { kind: 'failed', why: 'it was stopped before it ended' });
});

test('a running job is waited for, said once, and its tar taken when its status comes', async (t) => {
  const files = earlyBootstrapFiles('bookworm', stateDir(t));
  writeFileSync(files.pid, `${job(t)}\n`);
  let said = 0;
  setTimeout(() => {
    writeFileSync(files.tar, 'tar');
    writeFileSync(files.status, '0\n');
  }, 300);
  t.deepEqual(await awaitEarlyBootstrap(files, () => (said += 1), 50), { kind: 'ready', tar: files.tar });
  t.is(said, 1);
});

test('dropping a running job stops it and every process below it and removes its files; the log stays where asked', async (t) => {
  const dir = stateDir(t);
  const files = earlyBootstrapFiles('bookworm', dir);
  const below = path.join(dir, 'below.pid');
  const pid = job(t, below);
  writeFileSync(files.pid, `${pid}\n`);
  writeFileSync(files.owner, '42-1');
  writeFileSync(`${files.part}-42-1`, 'half a tar');
  writeFileSync(files.log, 'mmdebstrap says');
  await until(() => existsSync(below) && readFileSync(below, 'utf8').trim() !== '', 'the job wrote the pid of its child');
  t.true(isRunning(pid));
  const grandchild = Number(readFileSync(below, 'utf8'));
  t.true(isRunning(grandchild));
  dropEarlyBootstrap(files, { keepLog: true });
  await until(() => !isRunning(pid) && !isRunning(grandchild), 'the job and its child are gone');
  t.false(existsSync(files.pid));
  t.false(existsSync(`${files.part}-42-1`));
  t.false(existsSync(files.owner));
  t.true(existsSync(files.log));
});

test('the bootstrapped base has every package the three lab images install, read from their Dockerfiles', async (t) => {
  const { execa } = await import('execa');
  const { readFileSync } = await import('node:fs');
  const { fromRoot } = await import('../../src/project-root.ts');
  const { stdout } = await execa('sh', [fromRoot('scripts', 'bootstrap-base.sh'), '--packages']);
  const listed = stdout.trim().split(',');
  for (const role of ['app', 'nginx', 'client']) {
    const line = /^RUN pkgs="([^"]+)"/m.exec(readFileSync(fromRoot('images', role, 'Dockerfile'), 'utf8'));
    t.truthy(line, `images/${role}/Dockerfile has no one-line pkgs="…"`);
    for (const pkg of line![1]!.split(' ')) t.true(listed.includes(pkg), `${pkg} (images/${role}) is not in the bootstrap's list`);
  }
  // The fronts' packages are left to their own build.
  t.false(listed.includes('caddy'));
});
