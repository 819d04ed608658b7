// The foundation lab in real containers: the slow client gets the sync worker killed, a fast one does not,
// so a verdict that ignored the observation would fail one of the two; the CLI's exits and cleanup.
import test from 'ava';
import { loadLab } from '../../src/lab/load-lab.ts';
import { runLab } from '../../src/run-lab.ts';
import { leftovers, NOTHING_LEFT, requireDocker } from './helpers/docker-state.ts';
import { runCli, startCliUntil } from './helpers/run-cli.ts';

test.before(async () => {
  await requireDocker();
});

test.afterEach.always(async (t) => {
  t.deepEqual(await leftovers(), NOTHING_LEFT, 'a run left containers, networks or volumes behind');
});

test.serial('slow client: WORKER TIMEOUT, truncated 200, Nginx sees the upstream close', async (t) => {
  const { name, lab } = await loadLab('proxy-buffering-off');
  const run = await runLab(name, lab);
  const o = run.observation;
  t.true(run.verdict.passed, JSON.stringify(run.verdict.checks, null, 2));
  t.true(o.gunicorn.workerTimeouts >= 1);
  t.is(o.client.status, 200);
  t.is(o.client.outcome, 'truncated');
  t.true(o.client.bytesReceived > 0 && o.client.bytesReceived < (o.client.contentLength ?? 0));
  // The kill comes after the timeout, not before: the worker held the transfer for at least --timeout seconds.
  const timeout = o.gunicorn.events.find((e) => e.kind === 'timeout');
  t.true((timeout?.atMs ?? 0) >= (lab.gunicorn.timeoutS ?? 30) * 1000 - 500, `timeout at ${timeout?.atMs} ms`);
  t.true(o.client.timeline.length >= (o.client.durationMs / 1000) * 10 - 2, 'the timeline samples at least 10 times a second');
  t.deepEqual(
    run.claims.map((c) => c.status),
    ['confirmed', 'confirmed', 'refuted'],
  );
});

test.serial('fast client on the same stack: completes, no WORKER TIMEOUT, so the same expectation fails', async (t) => {
  const { name, lab } = await loadLab('proxy-buffering-off', { rateBytesPerS: null });
  const run = await runLab(name, lab);
  const o = run.observation;
  t.is(o.client.outcome, 'complete');
  t.true(o.client.checksumMatches);
  t.is(o.gunicorn.workerTimeouts, 0);
  t.false(run.verdict.passed);
});

test.serial('CLI: --json prints only the result and exits 0; a fast --rate exits 1', async (t) => {
  const slow = await runCli(['proxy-buffering-off', '--json']);
  t.is(slow.exitCode, 0, slow.stderr);
  const result = JSON.parse(slow.stdout) as { verdict: { passed: boolean }; observation: { gunicorn: { workerTimeouts: number } } };
  t.true(result.verdict.passed);
  t.true(result.observation.gunicorn.workerTimeouts >= 1);

  const fast = await runCli(['proxy-buffering-off', '--rate', '100m']);
  t.is(fast.exitCode, 1, fast.stderr);
  t.regex(fast.stdout, /Verdict: FAIL/);
  t.regex(fast.stdout, /Gunicorn logs WORKER TIMEOUT: expected at least once, observed never/);
});

test.serial('CLI: bad input exits 2 with the fix, and starts nothing', async (t) => {
  const unknown = await runCli(['no-such-lab']);
  t.is(unknown.exitCode, 2);
  t.regex(unknown.stderr, /Unknown lab "no-such-lab"[\s\S]*Available labs: .*proxy-buffering-off/);
  const badRate = await runCli(['proxy-buffering-off', '--rate', '10']);
  t.is(badRate.exitCode, 2);
  t.regex(badRate.stderr, /--rate 10: must be a size from 1 KiB to 1 GiB/);
});

const interruptTearsDown = test.macro(async (t, signal: 'SIGINT' | 'SIGTERM', exitCode: number) => {
  // Signalled once the client's first body bytes have arrived: the run is mid-transfer.
  const { child } = await startCliUntil(['proxy-buffering-off', '--rate', '256k'], 'reached transfer', {
    env: { GUNICORN_LAB_PAUSE_AT: 'transfer' },
    deadlineMs: 60_000,
  });
  const before = await leftovers();
  t.true(before.containers.length >= 3, `containers during the run: ${before.containers.join(' ')}`);
  child.kill(signal);
  const result = await child;
  t.is(result.exitCode, exitCode, String(result.stderr));
  t.regex(String(result.stderr), new RegExp(`${signal}: removing this run's containers, network and volume`));
});

test.serial('CLI: Ctrl-C mid-transfer tears the run down', interruptTearsDown, 'SIGINT', 130);
test.serial('CLI: SIGTERM mid-transfer tears the run down', interruptTearsDown, 'SIGTERM', 143);

// A matrix interrupted while its labs start, and again while they transfer: its pool must stop starting labs and
// every container, network and volume it made must go, however late its creation came.
// phase: where the signal lands, as the run itself says it reached it (a lab held at its start while the others start,
// or the first lab's transfer under way while others start).
const interruptMatrix = test.macro(async (t, phase: 'start' | 'transfer') => {
  const marker = phase === 'start' ? 'paused at start' : 'reached transfer';
  const { child } = await startCliUntil(['--all', '--release', 'all', '--parallel', '6'], marker, {
    env: { GUNICORN_LAB_PAUSE_AT: phase },
    deadlineMs: 90_000,
  });
  child.kill('SIGINT');
  const result = await child;
  t.is(result.exitCode, 130, String(result.stderr).slice(-1500));
  t.deepEqual(await leftovers(), NOTHING_LEFT, 'the interrupted matrix left containers, networks or volumes behind');
});

test.serial('Ctrl-C on --all while its first labs start leaves nothing', interruptMatrix, 'start');
test.serial('Ctrl-C on --all while a lab transfers and others start leaves nothing', interruptMatrix, 'transfer');

test.serial('clean removes what a killed run left, leaves a run still going unless --force', async (t) => {
  const { getDocker } = await import('../../src/docker/docker-client.ts');
  const { runLabels } = await import('../../src/topology/names.ts');
  await getDocker().createNetwork({ Name: 'lab-leftover-test', Labels: runLabels('leftover', 'test-run', undefined, 999_999) });
  // Owned by this test process, which is alive: a run in progress.
  await getDocker().createNetwork({ Name: 'lab-in-progress-test', Labels: runLabels('in-progress', 'live-run', undefined, process.pid) });
  const cleaned = await runCli(['clean']);
  t.is(cleaned.exitCode, 0, cleaned.stderr);
  t.regex(cleaned.stdout, /Removed \d+ container\(s\), \d+ network\(s\) and \d+ volume\(s\): .*lab-leftover-test/);
  t.notRegex(cleaned.stdout, /lab-in-progress-test/);
  t.regex(cleaned.stdout, /Left 1 run\(s\) whose process is still going \(live-run\); `clean --force` removes them too/);
  // A data volume Docker re-created without labels (a container created while its run was removed) is ours too.
  await getDocker().createVolume({ Name: 'lab-orphan-20261128-000000-abcd-data' });
  const orphan = await runCli(['clean']);
  t.regex(orphan.stdout, /lab-orphan-20261128-000000-abcd-data/);
  const forced = await runCli(['clean', '--force']);
  t.is(forced.exitCode, 0, forced.stderr);
  t.regex(forced.stdout, /lab-in-progress-test/);
});
