// A comparison end to end in real containers: a small one (eight slow downloads, one sync worker against one gevent
// worker) passes its relation; with gevent replaced by sync (--worker sync) the same relation fails, as the physics
// says it must; a comparison refuses options that don't apply to it, before anything starts.
import test from 'ava';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { leftovers, NOTHING_LEFT, requireDocker } from './helpers/docker-state.ts';
import { ROOT, startCli } from './helpers/run-cli.ts';

// A labs folder beside labs/ (its files import ../../src/...), with one comparison in it.
const LABS = path.join(ROOT, `.test-labs-comparison-${process.pid}`);
const NAME = 'small-capacity';

test.before(async () => {
  await requireDocker();
  mkdirSync(path.join(LABS, 'comparisons'), { recursive: true });
  writeFileSync(
    path.join(LABS, 'comparisons', `${NAME}.ts`),
    `import { defineComparison } from '../../src/lab/comparison.ts';

export default defineComparison({
  hypothesis: 'Eight slow downloads at once: one gevent worker completes more of them than one sync worker.',
  fileSizeBytes: 2 * 1024 * 1024,
  gunicorn: { timeoutS: 2 },
  nginx: { proxyBuffering: false },
  client: { downloads: 8, rateBytesPerS: 512 * 1024, throttle: 'reader', maxSeconds: 10 },
  variants: { 'sync-1': { gunicorn: { worker: 'sync' } }, 'gevent-1': { gunicorn: { worker: 'gevent' } } },
  relations: [{ left: 'gevent-1', measure: 'completed', op: '>', right: 'sync-1' }],
});
`,
  );
});

test.after.always(() => rmSync(LABS, { recursive: true, force: true }));

interface ComparisonJson {
  passed: boolean;
  verdict: { checks: Array<{ name: string; actual: string; passed: boolean }> };
  variants: Array<{
    variant: string;
    runDir: string;
    observation: {
      gunicorn: { workerClass: string | null; workerTimeouts: number };
      capacity: { downloads: number; completed: number; cut: number; unfinished: number; waited: number };
    };
  }>;
}

async function compare(args: string[]): Promise<{ exitCode: number | undefined; json: ComparisonJson; stderr: string }> {
  const result = await startCli([NAME, '--json', ...args], { GUNICORN_LAB_LABS_DIR: LABS, GUNICORN_LAB_RUNS_DIR: path.join(LABS, 'runs') });
  let json: ComparisonJson;
  try {
    json = JSON.parse(String(result.stdout)) as ComparisonJson;
  } catch {
    throw new Error(`no JSON (exit ${result.exitCode}): ${String(result.stderr).slice(-1500)}`);
  }
  return { exitCode: result.exitCode, json, stderr: String(result.stderr) };
}

test('a comparison passes its relation: gevent completes every slow download, one sync worker fewer', async (t) => {
  const { exitCode, json, stderr } = await compare([]);
  t.is(exitCode, 0, stderr.slice(-1500));
  t.true(json.passed);
  const by = Object.fromEntries(json.variants.map((v) => [v.variant, v.observation]));
  t.is(by['gevent-1']!.gunicorn.workerClass, 'gevent');
  t.like(by['gevent-1']!.capacity, { downloads: 8, completed: 8 });
  t.true(by['sync-1']!.capacity.completed < 8, `sync-1 completed ${by['sync-1']!.capacity.completed}`);
  t.true(by['sync-1']!.gunicorn.workerTimeouts > 0, 'the sync worker was killed');
  t.regex(stderr, /variant 1 of 2, sync-1 \(sync ×1, --timeout 2, proxy_buffering off, bookworm\)/);
  t.deepEqual(await leftovers(), NOTHING_LEFT);
});

test('with gevent replaced by sync, the same relation fails (exit 1), from what was measured', async (t) => {
  const { exitCode, json } = await compare(['--worker', 'sync']);
  t.is(exitCode, 1);
  t.false(json.passed);
  t.true(json.variants.every((v) => v.observation.gunicorn.workerClass === 'sync'));
  const [relation] = json.verdict.checks;
  t.false(relation!.passed);
  t.regex(relation!.actual, /^gevent-1 \d, sync-1 \d$/);
  t.deepEqual(await leftovers(), NOTHING_LEFT);
});

test('a comparison refuses options that do not apply to it, before anything starts', async (t) => {
  for (const [args, message] of [
    [['--repeat', '2'], /--repeat does not apply to a comparison/],
    [['--release', 'all'], /A comparison runs on one release: --release bookworm, trixie or sid/],
    [['proxy-buffering-off'], /small-capacity is a comparison: run it alone/],
  ] as Array<[string[], RegExp]>) {
    const result = await startCli([NAME, ...args], { GUNICORN_LAB_LABS_DIR: LABS });
    t.is(result.exitCode, 2, args.join(' '));
    t.regex(String(result.stderr), message);
  }
  t.deepEqual(await leftovers(), NOTHING_LEFT);
});
