// Unit tests of src/report/comparison-report.ts.
import test from 'ava';
import { labPlan } from '../../src/client/transfer-plan.ts';
import { resolveVariants } from '../../src/lab/comparison.ts';
import { type ComparisonRun } from '../../src/run/comparison-run.ts';
import { type RunOfLab } from '../../src/run/run-record.ts';
import { type Observation } from '../../src/observe/observation.ts';
import {
  comparisonTable,
  describeVariant,
  formatComparisonReport,
  renderComparisonJUnit,
  renderComparisonMarkdown,
} from '../../src/report/comparison-report.ts';
import { validateLab } from '../../src/lab/schema.ts';
import { judgeRelation, judgeRelations } from '../../src/verdict/relations.ts';
import { MiB, quietObservation } from './helpers/observation.ts';
import { base, comparisonOf, capacityObservation } from './helpers/comparison.ts';

test('comparison reports: a row per variant, the relations with their verdict, JUnit with a failure per broken relation', (t) => {
  const c = comparisonOf({
    ...base,
    relations: [
      { left: 'gevent-1', measure: 'completed', op: '>', right: 'sync-1' },
      { left: 'gevent-1', measure: 'completed', op: '<', right: 'sync-1' },
    ],
  });
  const { variants } = resolveVariants('cap', c);
  const observations: Record<string, Observation> = { 'sync-1': capacityObservation(0, 30 * MiB, 1), 'gevent-1': capacityObservation(20, 40 * MiB, 20) };
  const run: ComparisonRun = {
    name: 'cap',
    runId: 'r1',
    runDir: 'runs/cap/r1',
    release: 'bookworm',
    comparison: c,
    variants: variants.map(({ variant, lab }) => ({
      variant,
      run: { name: `cap.${variant}`, lab, plan: labPlan(lab), observation: observations[variant]! } as RunOfLab,
    })),
    verdict: judgeRelations(c.relations, observations),
    claims: [],
    wallMs: 42_000,
  };
  const { rows } = comparisonTable(run);
  t.deepEqual(
    rows.map((r) => r.slice(0, 7)),
    [
      ['sync-1', 'sync ×1, --timeout 2, proxy_buffering off', '0/20', '20', '0', '0', '1'],
      ['gevent-1', 'gevent ×1, --timeout 2, proxy_buffering off', '20/20', '0', '0', '0', '20'],
    ],
  );
  const text = formatComparisonReport(run);
  t.regex(text, /✔ downloads completed: gevent-1 > sync-1: gevent-1 20, sync-1 0/);
  t.regex(text, /✘ downloads completed: gevent-1 < sync-1/);
  t.regex(text, /Verdict: FAIL \(1\/2 relations\) in 42\.0 s/);
  t.regex(renderComparisonMarkdown(run), /^# cap \(bookworm\): ❌ fail 1\/2 relations/);
  const junit = renderComparisonJUnit(run);
  t.regex(junit, /<testsuite name="cap \[bookworm\]" tests="2" failures="1" errors="0"/);
  t.is(junit.match(/<failure /g)?.length, 1);
});

test("a comparison of single downloads shows the client, Gunicorn's time and Nginx's temp files; a variant may set its own file size", (t) => {
  const c = comparisonOf({
    hypothesis: 'Bigger files spill more to Nginx.',
    nginx: { proxyBuffering: true },
    variants: { small: { fileSizeBytes: 4 * MiB }, big: { fileSizeBytes: 32 * MiB } },
    relations: [{ left: 'big', measure: 'nginxTempPeakBytes', op: '>', right: 'small' }],
  });
  const { variants } = resolveVariants('sizes', c);
  t.deepEqual(
    variants.map((v) => v.lab.fileSizeBytes),
    [4 * MiB, 32 * MiB],
  );
  // A variant without a size of its own takes the comparison's, not the lab schema's default.
  const sized = comparisonOf({ ...base, fileSizeBytes: 2 * MiB, variants: { ...base.variants, big: { fileSizeBytes: 16 * MiB } } });
  t.deepEqual(
    resolveVariants('sized', sized).variants.map((v) => v.lab.fileSizeBytes),
    [2 * MiB, 2 * MiB, 16 * MiB],
  );
  t.deepEqual(resolveVariants('sized', comparisonOf({ ...base, variants: { ...base.variants, huge: { fileSizeBytes: 2 * 1024 * MiB } } })).problems, [
    'variants.huge: fileSizeBytes: must be from 1 KiB (1024) to 1024 MiB (1073741824) bytes',
  ]);
  t.deepEqual(
    resolveVariants('sizes', c, { fileSizeBytes: 8 * MiB }).variants.map((v) => v.lab.fileSizeBytes),
    [8 * MiB, 8 * MiB],
    '--file-size lays over every variant',
  );
  const observations: Record<string, Observation> = {
    small: quietObservation((o) => {
      o.nginx!.tempPeakBytes = 3 * MiB;
      o.gunicorn.access.push({ atMs: 30, status: 200, bytes: 4 * MiB, durationMs: 27, request: 'GET /download HTTP/1.1' });
    }),
    big: quietObservation((o) => {
      o.nginx!.tempPeakBytes = 31 * MiB;
    }),
  };
  const run: ComparisonRun = {
    name: 'sizes',
    runId: 'r2',
    runDir: 'runs/sizes/r2',
    release: 'bookworm',
    comparison: c,
    variants: variants.map(({ variant, lab }) => ({
      variant,
      run: { name: `sizes.${variant}`, lab, plan: labPlan(lab), observation: observations[variant]! } as RunOfLab,
    })),
    verdict: judgeRelations(c.relations, observations),
    claims: [],
    wallMs: 1000,
  };
  const { header, rows } = comparisonTable(run);
  t.deepEqual(header, ['variant', 'set-up', 'file', 'client', 'Gunicorn busy', 'Nginx temp at most', 'app memory', 'WORKER TIMEOUT']);
  t.deepEqual(
    rows.map((r) => [r[0], r[2], r[4], r[5]]),
    [
      ['small', '4 MiB', '27 ms', '3 MiB'],
      ['big', '32 MiB', '–', '31 MiB'],
    ],
  );
  t.true(run.verdict.passed);
  t.like(judgeRelation({ left: 'big', measure: 'gunicornBusyMs', op: '>', right: 'small' }, observations), {
    passed: false,
    actual: 'big not observed, small 27 ms',
  });
  t.false(renderComparisonMarkdown(run).includes('Each download is paced'), 'the capacity legend only where there are capacity columns');
});

test("a variant's set-up in words: Gunicorn's worker and timeout, or the other server's own settings; the front", (t) => {
  const lab = (input: object) => {
    const result = validateLab({ hypothesis: 'A variant of a comparison, as its lab.', expect: { workerTimeout: false }, ...input });
    if (!result.lab) throw new Error(result.problems.join('; '));
    return result.lab;
  };
  t.is(
    describeVariant(lab({ gunicorn: { worker: 'gthread', workers: 1, threads: 8, timeoutS: 60 }, nginx: null })),
    'gthread 1×8 threads, --timeout 60, no proxy',
  );
  t.is(describeVariant(lab({ server: { kind: 'uwsgi', processes: 8, harakiriS: null }, nginx: null })), 'uwsgi ×8, no harakiri, no proxy');
  t.is(describeVariant(lab({ server: { kind: 'waitress', threads: 8 }, nginx: { proxyBuffering: true } })), 'waitress 8 threads, proxy_buffering on');
  t.is(describeVariant(lab({ server: { kind: 'uvicorn' }, nginx: null })), 'uvicorn, no proxy');
});
