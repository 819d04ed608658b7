// The fronts other than Nginx in real containers beyond their labs: a hidden parameter moves the verdict the way the
// physics says (a gevent worker behind streaming Caddy is never killed), `up` keeps a front's stack up and
// reachable, and `check --attach` judges a stack whose Caddy a user started with the docker CLI.
import test from 'ava';
import { execa } from 'execa';
import path from 'node:path';
import { ensureImages } from '../../src/images/build-images.ts';
import { loadLab } from '../../src/lab/load-lab.ts';
import { PROJECT_LABEL } from '../../src/topology/names.ts';
import { runLab } from '../../src/run-lab.ts';
import { leftovers, NOTHING_LEFT, requireDocker } from './helpers/docker-state.ts';
import { ROOT, runCli } from './helpers/run-cli.ts';

const NETWORK = `userfront-${process.pid}_default`;
const WEB = `userfront-${process.pid}-web-1`;
const CADDY = `userfront-${process.pid}-caddy-1`;
const PINNED = ['--sysctl', 'net.ipv4.tcp_wmem=4096 65536 131072', '--sysctl', 'net.ipv4.tcp_rmem=4096 65536 131072'];
const THEIRS = ['--label', `${PROJECT_LABEL}=user-stack`];

test.before(async () => {
  await requireDocker();
});

test.afterEach.always(async (t) => {
  await execa('docker', ['rm', '-f', WEB, CADDY], { reject: false });
  await execa('docker', ['network', 'rm', NETWORK], { reject: false });
  await runCli(['down']);
  t.deepEqual(await leftovers(), NOTHING_LEFT, 'a run left containers, networks or volumes behind');
});

test.serial("behind streaming Caddy, --worker gevent is never killed: the lab's own expectation fails, as it must", async (t) => {
  const { name, lab } = await loadLab('front-caddy', { worker: 'gevent' });
  const run = await runLab(name, lab);
  t.is(run.observation.gunicorn.workerTimeouts, 0);
  t.is(run.observation.client.outcome, 'complete');
  t.is(run.observation.front?.kind, 'caddy');
  t.false(run.verdict.passed);
});

test.serial('HAProxy says the server side ended the stream (SD) where the worker was killed, and nothing of the kind where it was not', async (t) => {
  const { name, lab } = await loadLab('front-haproxy');
  const killed = await runLab(name, lab);
  t.true(killed.verdict.passed, JSON.stringify(killed.verdict.checks));
  t.regex(killed.observation.front?.access[0]?.ending ?? '', /^SD/);
  const { lab: gthread } = await loadLab('front-haproxy', { worker: 'gthread' });
  const spared = await runLab(name, gthread);
  t.is(spared.observation.gunicorn.workerTimeouts, 0);
  t.is(spared.observation.front?.access[0]?.ending, '----');
  t.false(spared.verdict.passed);
});

test.serial("up keeps a front's stack up on 127.0.0.1: the front answers there, logs names its role, down takes it down", async (t) => {
  const up = await runCli(['up', 'front-apache']);
  t.is(up.exitCode, 0, up.stderr);
  const url = /at (http:\/\/127\.0\.0\.1:\d+) — 127\.0\.0\.1 only\./.exec(up.stdout)?.[1];
  t.truthy(url, up.stdout);
  const ping = await execa('curl', ['-sS', '--max-time', '5', '-D', '-', `${url}/ping`], { reject: false });
  t.regex(ping.stdout, /^HTTP\/1\.1 200/);
  const logs = await runCli(['logs', 'front-apache', 'front']);
  t.regex(logs.stdout, /"GET \/ping HTTP\/1\.1" 200/, "Apache's own access line: the request went through it");
  const down = await runCli(['down', 'front-apache']);
  t.regex(down.stdout, /^Took down front-apache \(run \S+\): 3 container\(s\)/);
});

test.serial("check --attach on a stack behind the user's own Caddy: the sync worker is killed, exit 1", async (t) => {
  const images = await ensureImages('bookworm', () => undefined, true);
  await execa('docker', ['network', 'create', NETWORK]);
  await execa('docker', [
    'run',
    '-d',
    '--name',
    WEB,
    '--network',
    NETWORK,
    '--network-alias',
    'web',
    ...PINNED,
    ...THEIRS,
    '-v',
    `${path.join(ROOT, 'examples/flask')}:/srv/app:ro`,
    '--entrypoint',
    '/usr/bin/env',
    images.app,
    'gunicorn',
    '--chdir',
    '/srv/app',
    '-b',
    '0.0.0.0:5000',
    '-w',
    '1',
    '--timeout',
    '3',
    'app:app',
  ]);
  await execa('docker', [
    'run',
    '-d',
    '--name',
    CADDY,
    '--network',
    NETWORK,
    '--network-alias',
    'caddy',
    ...PINNED,
    ...THEIRS,
    '-v',
    `${path.join(ROOT, 'examples/flask/Caddyfile')}:/etc/caddy/Caddyfile:ro`,
    images.front!,
    'caddy',
    'run',
    '--config',
    '/etc/caddy/Caddyfile',
    '--adapter',
    'caddyfile',
  ]);
  const { exitCode, stdout, stderr } = await runCli([
    'check',
    '--attach',
    NETWORK,
    '--url',
    'http://caddy:8080/download/report.bin',
    '--app-container',
    WEB,
    '--proxy-container',
    CADDY,
    '--json',
  ]);
  t.is(exitCode, 1, `${stdout.slice(-1500)}\n${stderr}`);
  const result = JSON.parse(stdout) as { observation: { gunicorn: { workerTimeouts: number }; client: { outcome: string } } };
  t.true(result.observation.gunicorn.workerTimeouts >= 1);
  t.is(result.observation.client.outcome, 'truncated');
});
