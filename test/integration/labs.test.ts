// Every lab in labs/ against real containers, judged on what it observed; the slow-client modes; outcomes follow parameters.
import test, { type ExecutionContext } from 'ava';
import { listLabNames, loadLab } from '../../src/lab/load-lab.ts';
import type { Overrides } from '../../src/lab/overrides.ts';
import { runLab } from '../../src/run-lab.ts';
import { runMatrix, type MatrixEntry, type MatrixResult } from '../../src/run-matrix.ts';
import type { RunRecord } from '../../src/run/run-record.ts';
import type { Lab } from '../../src/lab/schema.ts';
import { leftovers, NOTHING_LEFT, requireDocker } from './helpers/docker-state.ts';
import { runCli } from './helpers/run-cli.ts';

test.before(async () => {
  await requireDocker();
});

test.afterEach.always(async (t) => {
  t.deepEqual(await leftovers(), NOTHING_LEFT, 'a run left containers, networks or volumes behind');
});

// A lab's run, judged on what it observed: it passed, asserts at least three things, names its claim or source, and
// really transferred something (an upload: its body, at least in part).
function assertPassed(t: ExecutionContext, name: string, lab: Lab, run: RunRecord) {
  const failed = run.verdict.checks.filter((c) => !c.passed).map((c) => `${c.name}: expected ${c.expected}, observed ${c.actual}`);
  t.true(run.verdict.passed, `${name}: ${failed.join('; ')}`);
  t.true(run.verdict.checks.length >= 3, 'a lab asserts at least three things');
  t.true(run.claims.length >= 1 || Boolean(lab.hypothesisFrom), 'a lab names the article claim it tests, or where its hypothesis comes from');
  const o = run.observation;
  t.true(o.upload ? o.upload.sentBytes > 0 : o.client.status !== null && o.client.bytesReceived > 0);
}

const passes = test.macro({
  async exec(t: ExecutionContext, name: string, overrides: Overrides = {}) {
    const { lab } = await loadLab(name, overrides);
    assertPassed(t, name, lab, await runLab(name, lab));
  },
  title: (providedTitle, name: string, overrides: Overrides = {}) =>
    providedTitle ?? `${name}${Object.keys(overrides).length ? ` ${JSON.stringify(overrides)}` : ''} passes`,
});

// Every lab once, each on its own release (the slow one too), four at a time as `--all` runs them: one lab's
// stack never sees another's, so running them together proves each as running it alone would, in less time.
// Each lab is then a test of its own, read from that one matrix.
let every: Promise<{ entries: MatrixEntry[]; result: MatrixResult }> | null = null;
// Started by the first lab's test (after the engine was found), awaited by every other.
function everyLab() {
  every ??= (async () => {
    const entries: MatrixEntry[] = [];
    for (const name of listLabNames()) entries.push({ name, lab: (await loadLab(name)).lab });
    return { entries, result: await runMatrix(entries, { parallel: 4 }) };
  })();
  return every;
}

for (const name of listLabNames())
  test.serial(`${name} passes`, async (t) => {
    t.timeout(10 * 60_000, 'every lab, four at a time');
    const { entries, result } = await everyLab();
    const entry = entries.find((e) => e.name === name)!;
    const run = result.runs.find((r) => r.name === name);
    t.truthy(run, result.errors.find((e) => e.key.startsWith(`${name} `))?.message ?? `${name} did not run`);
    if (run) assertPassed(t, name, entry.lab, run);
  });

test.serial('the problem with a paced reader instead of tc', passes, 'proxy-buffering-off', { throttle: 'reader' });
test.serial('gevent with a paced reader instead of tc', passes, 'gevent-worker', { throttle: 'reader' });

test.serial('--worker sync on gevent-worker fails: the outcome follows the worker class', async (t) => {
  const { exitCode, stdout, stderr } = await runCli(['gevent-worker', '--worker', 'sync']);
  t.is(exitCode, 1, stderr);
  t.regex(stdout, /✘ Gunicorn logs WORKER TIMEOUT: expected never, observed 1 time/);
});

// The capacity search follows the physics: one sync worker holds no slow client with the probe answered; a response
// that fits in the buffers on the way holds no worker, so the stack takes every client the search opens.
test.serial('--worker sync on capacity-gthread fails: one sync worker holds no slow client', async (t) => {
  const { exitCode, stdout, stderr } = await runCli(['capacity-gthread', '--worker', 'sync']);
  t.is(exitCode, 1, stderr);
  t.regex(stdout, /✘ slow clients held while the probe was answered in time: expected exactly 3, observed held 0 slow client\(s\); the probe stalled at 1/);
});

test.serial('--file-size 128k on capacity-sync-unbuffered fails: the response fits in the buffers, no worker is held', async (t) => {
  const { exitCode, stdout, stderr } = await runCli(['capacity-sync-unbuffered', '--file-size', '128k']);
  t.is(exitCode, 1, stderr);
  t.regex(stdout, /✘ slow clients held while the probe was answered in time: expected exactly 2, observed held at least 64 \(the cap\)/);
});

// uWSGI's harakiri is the app server's timeout: raised past the transfer, the worker is never killed.
test.serial('--timeout 20 on uwsgi-harakiri fails: --harakiri past the transfer kills nothing', async (t) => {
  const { exitCode, stdout, stderr } = await runCli(['uwsgi-harakiri', '--timeout', '20']);
  t.is(exitCode, 1, stderr);
  t.regex(stdout, /uwsgi --processes 1 --harakiri 20 · nginx uwsgi_pass, uwsgi_buffering off/);
  t.regex(stdout, /✘ uWSGI logs HARAKIRI: expected at least once, observed never/);
  t.regex(stdout, /✘ client transfer ends: expected truncated, observed complete/);
});

test.serial('--timeout on a Waitress lab is refused: Waitress has no worker timeout', async (t) => {
  const { exitCode, stderr } = await runCli(['waitress-slow-clients', '--timeout', '5']);
  t.is(exitCode, 2);
  t.regex(stderr, /--timeout 5: this lab's server, waitress, has no worker timeout to set\./);
});

test.serial('--timeout 1 on raised-timeout fails: the outcome follows the timeout', async (t) => {
  const { exitCode, stdout, stderr } = await runCli(['raised-timeout', '--timeout', '1']);
  t.is(exitCode, 1, stderr);
  t.regex(stdout, /✘ client transfer ends: expected complete, observed truncated/);
});

// The probe rules against real servers, each way: a side request that is answered at once fails "held", and one
// held behind a sync worker's download fails "immediate".
test.serial('--worker gevent on raised-timeout fails: the side request is answered at once, not held', async (t) => {
  const { exitCode, stdout, stderr } = await runCli(['raised-timeout', '--worker', 'gevent']);
  t.is(exitCode, 1, stderr);
  t.regex(
    stdout,
    /✘ side requests during the download: expected held for at least half of the download time left, observed \/ping: 200 after [\d.]+ ms \(download had \d+ ms left\)/,
  );
});

test.serial('--worker sync --timeout 30 on gthread-worker fails: the side request waits behind the download', async (t) => {
  const { exitCode, stdout, stderr } = await runCli(['gthread-worker', '--worker', 'sync', '--timeout', '30']);
  t.is(exitCode, 1, stderr);
  t.regex(stdout, /✘ side requests during the download: expected answered within 1000 ms, observed \/\S+: 200 after \d{4,}(\.\d+)? ms/);
});

test.serial('--rate off on buffering-disk-cost fails: a client that keeps up leaves Nginx little to keep on disk', async (t) => {
  const { exitCode, stdout, stderr } = await runCli(['buffering-disk-cost', '--rate', 'off']);
  t.is(exitCode, 1, stderr);
  t.regex(
    stdout,
    /✘ Nginx's temp files \(proxy buffers on disk\), at most at once: expected at least 90 % of the file \(28\.8 MiB\), observed [\d.]+ (KiB|MiB|B) \([1-8]?\d % of the file\)/,
  );
});

test.serial('--worker gevent on monitor-worker-timeouts fails: no kill, so no alert, while other statsd metrics arrive', async (t) => {
  const { exitCode, stdout, stderr } = await runCli(['monitor-worker-timeouts', '--worker', 'gevent']);
  t.is(exitCode, 1, stderr);
  t.regex(
    stdout,
    /✘ statsd alert on WORKER TIMEOUT: expected gunicorn\.log\.critical within 3 s of the kill, observed no gunicorn\.log\.critical \([1-9]\d* other metric\(s\)\)/,
  );
});

test.serial('--worker uvicorn on nginx-static fails: its access log is not observable, and "0 lines" is not taken as evidence', async (t) => {
  const { exitCode, stdout, stderr } = await runCli(['nginx-static', '--worker', 'uvicorn']);
  t.is(exitCode, 1, stderr);
  t.regex(stdout, /✘ Gunicorn access lines: expected 0, observed not observable: Gunicorn wrote no access line at all/);
});

test.serial('--repeat 2 runs a lab twice and reports no flake where the verdict held', async (t) => {
  const { exitCode, stdout, stderr } = await runCli(['fast-client-control', '--repeat', '2', '--json']);
  t.is(exitCode, 0, stderr);
  const { repeats } = JSON.parse(stdout) as { repeats: Array<{ key: string; runs: number; passed: number; flaky: boolean }> };
  t.deepEqual(
    repeats.map((r) => [r.key, r.runs, r.passed, r.flaky]),
    [['fast-client-control [bookworm]', 2, 2, false]],
  );
});
