// The package as a user installs it: `npm pack`, installed into an empty folder elsewhere, then `npx gunicorn-lab
// check` from that folder on a copy of examples/flask: the verdict as from this repository, the run folder under
// the user's folder, nothing but the package's own dependencies installed.
import test from 'ava';
import { execa } from 'execa';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { leftovers, NOTHING_LEFT, requireDocker } from './helpers/docker-state.ts';
import { ROOT } from './helpers/run-cli.ts';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'lab-installed-'));

test.before(async () => {
  await requireDocker();
});

test.after.always(() => rmSync(scratch, { recursive: true, force: true }));

test('npm pack, installed in an empty folder: npx gunicorn-lab check on example (a) exits 1 there, its run folder under that folder', async (t) => {
  const packed = await execa('npm', ['pack', '--pack-destination', scratch, '--loglevel=error'], { cwd: ROOT, stdin: 'ignore' });
  const tarball = path.join(scratch, packed.stdout.trim().split('\n').at(-1)!);
  const user = path.join(scratch, 'my-project');
  cpSync(path.join(ROOT, 'examples', 'flask'), path.join(user, 'deploy'), { recursive: true });
  await execa('npm', ['init', '-y'], { cwd: user, stdin: 'ignore' });
  await execa('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', tarball], { cwd: user, stdin: 'ignore' });
  // Only the runtime's dependencies: no test runner, no type checker.
  const installed = readdirSync(path.join(user, 'node_modules'));
  t.false(installed.includes('ava') || installed.includes('typescript'), 'devDependencies were installed');
  const check = await execa(
    'npx',
    [
      'gunicorn-lab',
      'check',
      '--nginx',
      'deploy/nginx.conf',
      '--gunicorn-config',
      'deploy/gunicorn-sync.conf.py',
      '--app',
      'deploy',
      '--app-module',
      'app:app',
      '--path',
      '/download/report.bin',
      '--json',
    ],
    { cwd: user, reject: false, stdin: 'ignore' },
  );
  t.is(check.exitCode, 1, `${check.stdout.slice(-1500)}\n${check.stderr}`);
  const result = JSON.parse(check.stdout) as { runDir: string; observation: { gunicorn: { workerTimeouts: number } } };
  t.true(result.observation.gunicorn.workerTimeouts >= 1);
  t.true(path.resolve(user, result.runDir).startsWith(path.join(user, 'runs', 'check')), result.runDir);
  t.true(existsSync(path.join(user, 'runs', 'check', path.basename(result.runDir), 'verdict.json')));
  // A bad flag's hint names the command as this copy is run.
  const bad = await execa('npx', ['gunicorn-lab', 'check', '--bogus'], { cwd: user, reject: false, stdin: 'ignore' });
  t.is(bad.exitCode, 2);
  t.regex(bad.stderr, /hint: Run `npx gunicorn-lab check --help`/);
  t.deepEqual(await leftovers(), NOTHING_LEFT);
});
