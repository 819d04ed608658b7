// Comparisons without Docker: what several downloads at once come to, the schema of a comparison file, its variants
// resolved with overrides, relations judged on hand-written observations, and its reports.
import test from 'ava';
import { labPlan } from '../../src/client/transfer-plan.ts';
import type { ClientDownload, ClientProbe } from '../../src/client/client-output.ts';
import { comparisonReleases, resolveVariants, validateComparison, type Comparison, type ComparisonInput } from '../../src/lab/comparison.ts';
import type { ComparisonRun } from '../../src/run/comparison-run.ts';
import type { RunOfLab } from '../../src/run/lab-run.ts';
import { listComparisonNames, loadComparison } from '../../src/lab/load-lab.ts';
import { observeCapacity, peakConcurrent } from '../../src/observe/capacity.ts';
import type { Observation } from '../../src/observe/observation.ts';
import { comparisonTable, formatComparisonReport, renderComparisonJUnit, renderComparisonMarkdown } from '../../src/report/comparison-report.ts';
import { assessComparisonClaims, judgeRelation, judgeRelations } from '../../src/verdict/relations.ts';
import { MiB, quietObservation } from './helpers/observation.ts';

const SHA = 'a'.repeat(64);

const download = (index: number, change: Partial<ClientDownload> = {}): ClientDownload => ({
  index,
  status: 200,
  contentLength: 4 * MiB,
  chunked: false,
  bytesReceived: 4 * MiB,
  sha256: SHA,
  outcome: 'complete',
  error: null,
  headersMs: 5,
  firstByteMs: 10,
  durationMs: 8000,
  ...change,
});

const probe = (latencyMs: number | null): ClientProbe => ({
  path: '/ping',
  sentMs: 1000,
  status: latencyMs === null ? null : 200,
  latencyMs,
  error: latencyMs === null ? 'TimeoutError' : null,
});

test('capacity: completed needs the whole file and its checksum; cut got part of it; waited got no byte', (t) => {
  const downloads = [
    download(0),
    download(1, { sha256: 'b'.repeat(64) }),
    download(2, { outcome: 'truncated', bytesReceived: MiB, durationMs: 3000 }),
    download(3, { status: null, outcome: 'client-timeout', bytesReceived: 0, firstByteMs: null, headersMs: null, durationMs: 20000 }),
    download(4, { outcome: 'client-timeout', bytesReceived: 2 * MiB, firstByteMs: 9000, durationMs: 20000 }),
  ];
  const c = observeCapacity(downloads, [probe(3), probe(40), probe(null)], SHA, { bytes: 90 * MiB, kind: 'peak' });
  t.like(c, { downloads: 5, completed: 1, cut: 2, unfinished: 1, waited: 1, peakConcurrent: 3 });
  t.is(c.memoryPerDownloadBytes, 30 * MiB);
  t.deepEqual(c.quick, { sent: 3, answered: 2, p50Ms: 3, maxMs: 40 });
});

test('capacity: downloads fed one after the other count as one at a time; an end at t closes before a start at t', (t) => {
  const inTurn = [0, 1, 2].map((i) => download(i, { firstByteMs: i * 2000, durationMs: (i + 1) * 2000 }));
  t.is(peakConcurrent(inTurn), 1);
  t.is(peakConcurrent([...inTurn, download(3, { firstByteMs: 500, durationMs: 2500 })]), 2);
  t.is(peakConcurrent([]), 0);
});

test('capacity: no memory reading or no download fed gives no memory per download', (t) => {
  t.is(observeCapacity([download(0)], [], SHA, null).memoryPerDownloadBytes, null);
  const none = observeCapacity([download(0, { bytesReceived: 0, firstByteMs: null, outcome: 'client-timeout' })], [], SHA, { bytes: MiB, kind: 'peak' });
  t.is(none.memoryPerDownloadBytes, null);
  t.deepEqual(none.quick, { sent: 0, answered: 0, p50Ms: null, maxMs: null });
});

const base: ComparisonInput = {
  hypothesis: 'Async completes more slow downloads than sync.',
  client: { downloads: 4, throttle: 'reader' },
  variants: { 'sync-1': { gunicorn: { worker: 'sync' } }, 'gevent-1': { gunicorn: { worker: 'gevent' } } },
  relations: [{ left: 'gevent-1', measure: 'completed', op: '>', right: 'sync-1' }],
};

test('comparison schema: relations and claims name variants that exist, two variants at least', (t) => {
  t.truthy(validateComparison(base).comparison);
  const problems = (input: unknown) => validateComparison(input).problems ?? [];
  t.deepEqual(problems({ ...base, relations: [{ left: 'gevent-2', measure: 'completed', op: '>', right: 'sync-1' }] }), [
    'relations.0.left: "gevent-2" is not a variant (sync-1, gevent-1)',
  ]);
  t.deepEqual(problems({ ...base, relations: [{ left: 'sync-1', measure: 'completed', op: '<', right: 'sync-1' }] }), [
    'relations.0.right: a variant compared with itself',
  ]);
  t.deepEqual(problems({ ...base, relations: [] }), ['relations: must name at least one relation']);
  t.deepEqual(problems({ ...base, variants: { 'sync-1': {} } }), [
    'variants: must name at least two variants to compare',
    'relations.0.left: "gevent-1" is not a variant (sync-1)',
  ]);
  t.regex(
    problems({ ...base, relations: [{ left: 'gevent-1', measure: 'speed', op: '>', right: 'sync-1' }] })[0]!,
    /^relations\.0\.measure: must be one of completed, /,
  );
  t.deepEqual(problems({ ...base, claims: [{ quote: 'q', says: [{ left: 'x', measure: 'completed', op: '>', right: 'sync-1' }] }] }), [
    'claims.0.says.0.left: "x" is not a variant (sync-1, gevent-1)',
  ]);
});

const comparisonOf = (input: ComparisonInput): Comparison => validateComparison(input).comparison!;

test("variants: each lays its gunicorn and nginx over the comparison's; overrides over every variant; a variant expects nothing itself", (t) => {
  const c = comparisonOf({
    ...base,
    gunicorn: { timeoutS: 3 },
    nginx: { proxyBuffering: false },
    variants: { ...base.variants, buffered: { nginx: { proxyBuffering: true } }, direct: { nginx: null } },
  });
  const { variants, problems } = resolveVariants('cap', c);
  t.deepEqual(problems, []);
  const by = Object.fromEntries(variants.map((v) => [v.variant, v.lab]));
  t.is(by['gevent-1']!.gunicorn.worker, 'gevent');
  t.is(by['gevent-1']!.gunicorn.timeoutS, 3);
  t.is(by.buffered!.nginx?.proxyBuffering, true);
  t.is(by['sync-1']!.nginx?.proxyBuffering, false);
  t.is(by.direct!.nginx, null);
  t.deepEqual(by['sync-1']!.expect, {});
  t.is(by['sync-1']!.client.downloads, 4);
  const allSync = resolveVariants('cap', c, { worker: 'sync', release: 'trixie' }).variants;
  t.true(allSync.every((v) => v.lab.gunicorn.worker === 'sync' && v.lab.release === 'trixie'));
  // A variant the schema refuses is named with its path.
  const bad = resolveVariants('cap', comparisonOf({ ...base, client: { downloads: 4 } }));
  t.true(
    bad.problems.some((p) => p === 'variants.sync-1: client.throttle: must be "reader" where the client runs several downloads: each is paced on its own'),
  );
});

test("comparison releases: only where every variant's worker exists", (t) => {
  t.deepEqual(comparisonReleases(resolveVariants('c', comparisonOf(base)).variants), ['bookworm', 'trixie', 'sid']);
  t.deepEqual(
    comparisonReleases(resolveVariants('c', comparisonOf({ ...base, variants: { ...base.variants, e: { gunicorn: { worker: 'eventlet' } } } })).variants),
    ['bookworm', 'trixie'],
  );
});

const capacityObservation = (completed: number, memoryBytes: number | null, peak = completed): Observation =>
  quietObservation((o) => {
    o.capacity = {
      downloads: 20,
      completed,
      cut: 20 - completed,
      unfinished: 0,
      waited: 0,
      peakConcurrent: peak,
      memoryPerDownloadBytes: memoryBytes === null || peak === 0 ? null : memoryBytes / peak,
      quick: { sent: 0, answered: 0, p50Ms: null, maxMs: null },
    };
    o.resources.app = memoryBytes === null ? null : { bytes: memoryBytes, kind: 'peak' };
  });

test('relations: hold or fail by the measured numbers; a number not observed fails its relation', (t) => {
  const observations = { 'gevent-1': capacityObservation(20, 40 * MiB, 20), 'sync-1': capacityObservation(0, 30 * MiB, 1) };
  const more = judgeRelation({ left: 'gevent-1', measure: 'completed', op: '>', right: 'sync-1' }, observations);
  t.like(more, { passed: true, name: 'downloads completed: gevent-1 > sync-1', expected: 'gevent-1 more than sync-1', actual: 'gevent-1 20, sync-1 0' });
  t.false(judgeRelation({ left: 'gevent-1', measure: 'completed', op: '<', right: 'sync-1' }, observations).passed);
  // Equal numbers hold neither way.
  const equal = { a: capacityObservation(5, MiB), b: capacityObservation(5, MiB) };
  t.false(judgeRelation({ left: 'a', measure: 'completed', op: '>', right: 'b' }, equal).passed);
  t.false(judgeRelation({ left: 'a', measure: 'completed', op: '<', right: 'b' }, equal).passed);
  t.like(judgeRelation({ left: 'gevent-1', measure: 'memoryPerDownloadBytes', op: '<', right: 'sync-1' }, observations), {
    passed: true,
    actual: 'gevent-1 2 MiB, sync-1 30 MiB',
  });
  const unseen = { 'gevent-1': capacityObservation(20, null), 'sync-1': capacityObservation(0, 30 * MiB) };
  t.like(judgeRelation({ left: 'gevent-1', measure: 'appPeakBytes', op: '<', right: 'sync-1' }, unseen), {
    passed: false,
    actual: 'gevent-1 not observed, sync-1 30 MiB',
  });
  const single = { 'gevent-1': quietObservation(), 'sync-1': capacityObservation(0, MiB) };
  t.false(judgeRelation({ left: 'gevent-1', measure: 'completed', op: '>', right: 'sync-1' }, single).passed, 'one download has no capacity');
  const verdict = judgeRelations(
    [
      { left: 'gevent-1', measure: 'completed', op: '>', right: 'sync-1' },
      { left: 'gevent-1', measure: 'appPeakBytes', op: '<', right: 'sync-1' },
    ],
    observations,
  );
  t.false(verdict.passed);
  t.deepEqual(
    verdict.checks.map((c) => c.passed),
    [true, false],
  );
});

test('comparison claims: confirmed when all hold, refuted when none, nuanced between', (t) => {
  const observations = { g: capacityObservation(20, 40 * MiB, 20), s: capacityObservation(0, 30 * MiB, 1) };
  const [all, none, some] = assessComparisonClaims(
    [
      { quote: 'all', says: [{ left: 'g', measure: 'completed', op: '>', right: 's' }] },
      { quote: 'none', says: [{ left: 'g', measure: 'completed', op: '<', right: 's' }] },
      {
        quote: 'some',
        says: [
          { left: 'g', measure: 'appPeakBytes', op: '>', right: 's' },
          { left: 'g', measure: 'memoryPerDownloadBytes', op: '>', right: 's' },
        ],
      },
    ],
    observations,
  );
  t.is(all!.status, 'confirmed');
  t.is(none!.status, 'refuted');
  t.is(some!.status, 'nuanced');
});

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

test("the project's comparisons load, each variant a valid lab on every release it lists", async (t) => {
  const names = listComparisonNames();
  t.true(names.includes('capacity-sync-vs-gevent'));
  for (const name of names) {
    const { comparison, variants } = await loadComparison(name);
    t.true(variants.length >= 2, name);
    for (const release of comparisonReleases(variants)) t.deepEqual(resolveVariants(name, comparison, { release }).problems, [], `${name} on ${release}`);
  }
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
