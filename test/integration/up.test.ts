// By hand: `up`, `status`, `logs`, `down` keep a lab's stack up on 127.0.0.1 and print commands that reproduce it
// (the lab's own client; curl from the host with a file the host's buffers can't hold); a run folder's reproduce.sh.
import test from 'ava';
import { execa } from 'execa';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { leftovers, NOTHING_LEFT, requireDocker } from './helpers/docker-state.ts';
import { runCli } from './helpers/run-cli.ts';
import { splitWords } from '../../src/check/check-options.ts';

test.before(async () => {
  await requireDocker();
});

test.afterEach.always(async (t) => {
  await runCli(['down']);
  t.deepEqual(await leftovers(), NOTHING_LEFT, 'up/down left containers, networks or volumes behind');
});

test.serial('up prints a URL on 127.0.0.1 and a client command that reproduces the kill; status, logs and down follow it', async (t) => {
  const up = await runCli(['up', 'proxy-buffering-off']);
  t.is(up.exitCode, 0, up.stderr);
  const url = /at (http:\/\/127\.0\.0\.1:\d+) — 127\.0\.0\.1 only\./.exec(up.stdout)?.[1];
  t.truthy(url, up.stdout);
  const inside = /^ {2}(docker exec .* --summary)$/m.exec(up.stdout)?.[1] ?? '';
  const [command, ...args] = splitWords(inside);
  const repro = await execa(command ?? 'docker', args, { reject: false });
  t.regex(repro.stdout, /^HTTP 200, truncated: \d+ bytes of 8388608 in [\d.]+ s/, `${repro.stdout}${repro.stderr}`);
  const logs = await runCli(['logs', 'proxy-buffering-off', 'app']);
  t.regex(logs.stdout, /\[CRITICAL\] WORKER TIMEOUT/);
  const status = await runCli(['status']);
  t.regex(status.stdout, new RegExp(`^proxy-buffering-off {2}${url} {2}up \\d+ s {2}run \\S+ {2}.*app:running`, 'm'));
  // The 8 MiB file fits in the host's buffers: up says so and names a size that doesn't.
  t.regex(up.stdout, /fits in this host's socket buffers .* Run `up` with --file-size \d+m to reproduce from the host/);
  const down = await runCli(['down', 'proxy-buffering-off']);
  t.regex(down.stdout, /^Took down proxy-buffering-off \(run \S+\): 3 container\(s\)/);
  t.regex((await runCli(['status'])).stdout, /^Nothing is up/);
});

test.serial("from the host, curl at the lab's rate kills the worker once the file outgrows the host's socket buffers", async (t) => {
  const first = await runCli(['up', 'proxy-buffering-off']);
  const size = /--file-size (\d+m)/.exec(first.stdout)?.[1];
  t.truthy(size, first.stdout);
  await runCli(['down']);
  const up = await runCli(['up', 'proxy-buffering-off', '--file-size', size!]);
  t.is(up.exitCode, 0, up.stderr);
  t.regex(up.stdout, /is larger than this host's socket buffers/);
  const curl = splitWords(/^ {2}(curl .*)$/m.exec(up.stdout)?.[1] ?? '');
  t.is(curl[0], 'curl');
  // Bounded: the kill comes within the worker's 2 s timeout once the buffers are full; 12 s is plenty.
  const args = curl.slice(1).map((word, i, all) => (all[i - 1] === '--max-time' ? '12' : word));
  await execa('curl', args, { reject: false });
  const logs = await runCli(['logs', 'proxy-buffering-off', 'app']);
  t.regex(logs.stdout, /\[CRITICAL\] WORKER TIMEOUT/);
});

test.serial('logs and down say what is wrong with their input', async (t) => {
  const none = await runCli(['logs', 'proxy-buffering-off']);
  t.is(none.exitCode, 2);
  t.regex(none.stderr, /Nothing of proxy-buffering-off is up/);
  const role = await runCli(['logs', 'proxy-buffering-off', 'db']);
  t.is(role.exitCode, 2);
  t.regex(role.stderr, /the role must be one of app, nginx, front, client/);
  const unknown = await runCli(['up', 'no-such-lab']);
  t.is(unknown.exitCode, 2);
  t.regex(unknown.stderr, /Unknown lab "no-such-lab"/);
  t.regex((await runCli(['down'])).stdout, /^Nothing was up\./);
});

test.serial("a run folder's reproduce.sh starts the same stack with the docker CLI alone, reproduces the kill, and removes it", async (t) => {
  const { exitCode, stdout, stderr } = await runCli(['proxy-buffering-off', '--json']);
  t.is(exitCode, 0, stderr);
  const { runDir } = JSON.parse(stdout) as { runDir: string };
  const repro = await execa('sh', [path.join(runDir, 'reproduce.sh')], { reject: false, timeout: 120_000 });
  t.is(repro.exitCode, 0, `${repro.stdout}\n${repro.stderr}`);
  t.regex(repro.stdout, /^client: HTTP 200, truncated: \d+ bytes of 8388608 in [\d.]+ s$/m);
  t.regex(repro.stdout, /^gunicorn: .*\[CRITICAL\] WORKER TIMEOUT/m);
  t.regex(repro.stdout, /^nginx: .*upstream prematurely closed connection/m);
  t.regex(readFileSync(path.join(runDir, 'stack', 'nginx.conf'), 'utf8'), /proxy_buffering off;/);
});

test.serial("--keep leaves a run's stack up after its verdict, found by status and removed by down; --keep with many labs is refused", async (t) => {
  const run = await runCli(['gevent-worker', '--keep']);
  t.is(run.exitCode, 0, run.stderr);
  t.regex(run.stdout, /Verdict: PASS/);
  t.regex(run.stdout, /gevent-worker is up \(run \S+\) at http:\/\/127\.0\.0\.1:\d+/);
  t.regex((await runCli(['status'])).stdout, /^gevent-worker {2}http:\/\/127\.0\.0\.1:\d+ {2}up /m);
  // Another run's start-up removes abandoned runs, never a kept one.
  t.is((await runCli(['fast-client-control'])).exitCode, 0);
  t.regex((await runCli(['status'])).stdout, /^gevent-worker /m);
  t.regex((await runCli(['down'])).stdout, /^Took down gevent-worker/);
  const many = await runCli(['--all', '--keep']);
  t.is(many.exitCode, 2);
  t.regex(many.stderr, /--keep leaves one lab's stack up/);
});
