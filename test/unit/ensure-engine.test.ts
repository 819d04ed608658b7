// Unit tests of src/docker/ensure-engine.ts.
import test, { type ExecutionContext } from 'ava';
import os from 'node:os';
import path from 'node:path';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { isStalePidFile, removeStalePidFiles } from '../../src/docker/ensure-engine.ts';

function withDirs(run: (t: ExecutionContext, root: string, proc: string) => void) {
  return (t: ExecutionContext) => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'lab-pid-'));
    try {
      run(t, root, path.join(root, 'proc'));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  };
}

function processNamed(proc: string, pid: number, comm: string) {
  mkdirSync(path.join(proc, String(pid)), { recursive: true });
  writeFileSync(path.join(proc, String(pid), 'comm'), `${comm}\n`);
}

test(
  'a pid file is stale when its process is gone, is another program, or holds no pid; live or absent is not stale',
  withDirs((t, root, proc) => {
    const file = path.join(root, 'docker.pid');
    processNamed(proc, 8001, 'binary_backend');
    processNamed(proc, 4242, 'dockerd');
    t.false(isStalePidFile(file, 'dockerd', proc), 'no pid file: nothing stale');
    writeFileSync(file, '4242');
    t.false(isStalePidFile(file, 'dockerd', proc), 'the pid is a running dockerd');
    writeFileSync(file, '8001\n');
    t.true(isStalePidFile(file, 'dockerd', proc), 'the pid was reused by another program');
    writeFileSync(file, '31337');
    t.true(isStalePidFile(file, 'dockerd', proc), 'no such process');
    writeFileSync(file, 'garbage');
    t.true(isStalePidFile(file, 'dockerd', proc), 'no pid in the file');
  }),
);

test(
  'removeStalePidFiles removes the stale files only and names them',
  withDirs((t, root, proc) => {
    processNamed(proc, 10, 'dockerd');
    processNamed(proc, 11, 'sshd');
    const live = path.join(root, 'docker.pid');
    const stale = path.join(root, 'containerd.pid');
    writeFileSync(live, '10');
    writeFileSync(stale, '11');
    const files = [
      { file: live, program: 'dockerd' },
      { file: stale, program: 'containerd' },
    ];
    t.deepEqual(removeStalePidFiles(files, proc), [stale]);
    t.true(existsSync(live));
    t.false(existsSync(stale));
  }),
);
