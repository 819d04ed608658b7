// A comparison's reports: one row per variant (what its downloads came to and what it cost), then the relations
// judged between them and the article's claims; as a terminal table, Markdown (summary.md), JUnit and JSON.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ComparisonRun } from '../run/comparison-run.ts';
import { formatBytes } from '../lab/parse-size.ts';
import type { Lab } from '../lab/schema.ts';
import type { RunRecord } from '../run/run-record.ts';
import type { CapacitySearch } from '../observe/capacity-search.ts';
import type { CapacityObservation } from '../observe/capacity.ts';
import { gunicornBusyMs, type Check } from '../verdict/judge.ts';
import { escapeXml, junitCases } from './junit.ts';
import { observationJson } from './legacy-keys.ts';

// The variant's set-up in a few words: worker class and count (or the other app server and its own settings), and what
// stands in front of it.
export function describeVariant(lab: Lab): string {
  const front = lab.nginx === null ? 'no proxy' : `proxy_buffering ${lab.nginx.proxyBuffering ? 'on' : 'off'}`;
  const s = lab.server;
  if (s.kind === 'uwsgi') return `uwsgi ×${s.processes}${s.harakiriS === null ? ', no harakiri' : `, --harakiri ${s.harakiriS}`}, ${front}`;
  if (s.kind === 'waitress') return `waitress ${s.threads} threads, ${front}`;
  if (s.kind === 'mod_wsgi')
    return `mod_wsgi ${s.processes}×${s.threads}${s.requestTimeoutS === null ? '' : `, request-timeout ${s.requestTimeoutS}`}, ${front}`;
  if (s.kind !== 'gunicorn') return `${s.kind}, ${front}`;
  const g = lab.gunicorn;
  const worker = g.worker === 'gthread' ? `gthread ${g.workers}×${g.threads} threads` : `${g.worker} ×${g.workers}`;
  return `${worker}, --timeout ${g.timeoutS ?? 'default'}, ${front}`;
}

const ms = (value: number | null) => (value === null ? '–' : value >= 1000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`);

// Columns: each a header and a cell from a variant's run. Several downloads at once get the capacity columns; one
// download gets the client's end, Gunicorn's time on it and Nginx's temp files.
type Column = [string, (r: RunRecord) => string];

const memory = (r: RunRecord) => {
  const m = r.observation.resources.app;
  return m ? `${formatBytes(m.bytes)}${m.kind === 'current' ? ' (at the end)' : ''}` : '–';
};
const timeouts = (r: RunRecord) =>
  `${r.observation.gunicorn.workerTimeouts}${r.observation.gunicorn.bootKills ? ` (+${r.observation.gunicorn.bootKills} while booting)` : ''}`;
const capacity = (r: RunRecord, cell: (c: CapacityObservation) => string) => (r.observation.capacity ? cell(r.observation.capacity) : '–');

const CAPACITY_COLUMNS: Column[] = [
  ['completed', (r) => capacity(r, (c) => `${c.completed}/${c.downloads}`)],
  ['cut', (r) => capacity(r, (c) => String(c.cut))],
  ['unfinished', (r) => capacity(r, (c) => String(c.unfinished))],
  ['waited', (r) => capacity(r, (c) => String(c.waited))],
  ['fed at once', (r) => capacity(r, (c) => String(c.peakConcurrent))],
  ['app memory', memory],
  ['per download', (r) => capacity(r, (c) => (c.memoryPerDownloadBytes === null ? '–' : formatBytes(c.memoryPerDownloadBytes)))],
  [
    'quick p50',
    (r) =>
      capacity(r, (c) => `${ms(c.quick.p50Ms)}${c.quick.answered < c.quick.sent ? ` (${c.quick.sent - c.quick.answered} of ${c.quick.sent} unanswered)` : ''}`),
  ],
  ['quick max', (r) => capacity(r, (c) => ms(c.quick.maxMs))],
  ['WORKER TIMEOUT', timeouts],
];

// The capacity search's variants: slow clients held, where the probe stalled, the layer that held them.
const search = (r: RunRecord, cell: (c: CapacitySearch) => string) => (r.observation.capacitySearch ? cell(r.observation.capacitySearch) : '–');
const SEARCH_COLUMNS: Column[] = [
  ['slow clients held', (r) => search(r, (c) => (c.stalledAt === null ? `≥ ${c.held} (cap)` : String(c.held)))],
  ['probe stalled at', (r) => search(r, (c) => (c.stalledAt === null ? '–' : `${c.stalledAt} (${ms(c.probeWaitMs)})`))],
  ['held by', (r) => search(r, (c) => c.heldBy ?? '–')],
  ['app memory', memory],
  ['WORKER TIMEOUT', timeouts],
];

const SINGLE_COLUMNS: Column[] = [
  ['file', (r) => formatBytes(r.plan.expectedBytes)],
  ['client', (r) => `${r.observation.client.outcome}, ${formatBytes(r.observation.client.bytesReceived)} in ${ms(r.observation.client.durationMs)}`],
  ['Gunicorn busy', (r) => ms(gunicornBusyMs(r.observation))],
  ['Nginx temp at most', (r) => (r.observation.nginx?.tempPeakBytes == null ? '–' : formatBytes(r.observation.nginx.tempPeakBytes))],
  ['app memory', memory],
  ['WORKER TIMEOUT', timeouts],
];

export function comparisonTable(run: ComparisonRun): { header: string[]; rows: string[][] } {
  const columns = run.variants.some(({ run: r }) => r.observation.capacitySearch)
    ? SEARCH_COLUMNS
    : run.variants.some(({ run: r }) => r.observation.capacity)
      ? CAPACITY_COLUMNS
      : SINGLE_COLUMNS;
  return {
    header: ['variant', 'set-up', ...columns.map(([name]) => name)],
    rows: run.variants.map(({ variant, run: r }) => [variant, describeVariant(r.lab), ...columns.map(([, cell]) => cell(r))]),
  };
}

function checkLine(c: Check): string {
  return `${c.passed ? '✔' : '✘'} ${c.name}: ${c.actual}`;
}

export function formatComparisonReport(run: ComparisonRun): string {
  const { header, rows: body } = comparisonTable(run);
  const rows = [header, ...body];
  const widths = header.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const table = rows.map((r) =>
    r
      .map((v, i) => v.padEnd(widths[i]!))
      .join('  ')
      .trimEnd(),
  );
  const passed = run.verdict.checks.filter((c) => c.passed).length;
  return [
    `${run.name} [${run.release}]: ${run.comparison.hypothesis}`,
    '',
    ...table,
    '',
    'Relations:',
    ...run.verdict.checks.map((c) => `  ${checkLine(c)}`),
    ...run.claims.flatMap((claim) => ['', `Article: "${claim.quote}" — ${claim.status}`, ...claim.checks.map((c) => `  ${checkLine(c)}`)]),
    '',
    `Verdict: ${run.verdict.passed ? 'PASS' : 'FAIL'} (${passed}/${run.verdict.checks.length} relations) in ${(run.wallMs / 1000).toFixed(1)} s`,
    `Saved: ${path.relative(process.cwd(), run.runDir) || '.'}`,
  ].join('\n');
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function renderComparisonMarkdown(run: ComparisonRun): string {
  const table = comparisonTable(run);
  const passed = run.verdict.checks.filter((c) => c.passed).length;
  const lines = [
    `# ${run.name} (${run.release}): ${run.verdict.passed ? '✅ pass' : '❌ fail'} ${passed}/${run.verdict.checks.length} relations`,
    '',
    `*${run.comparison.hypothesis}*`,
    '',
    `| ${table.header.join(' | ')} |`,
    `| ${table.header.map(() => '---').join(' | ')} |`,
    ...table.rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
    '',
    ...(table.header.includes('completed')
      ? [
          "Each download is paced on its own. Completed: the whole file, checksum and all; cut: part of it, then the end from the server's side; unfinished: still receiving when the client gave up; waited: not a byte before it gave up. Fed at once: the most downloads receiving bytes at the same moment; per download: the app container's peak memory over that number. Quick: side requests sent meanwhile, from the moment they were sent to their response headers.",
          '',
        ]
      : []),
    '| relation | expected | observed | |',
    '| --- | --- | --- | --- |',
    ...run.verdict.checks.map((c) => `| ${cell(c.name)} | ${cell(c.expected)} | ${cell(c.actual)} | ${c.passed ? '✅' : '❌'} |`),
  ];
  for (const claim of run.claims) {
    lines.push('', `Article: "${claim.quote}" — **${claim.status}**`);
    for (const c of claim.checks) lines.push(`  - ${checkLine(c)}`);
  }
  return `${lines.join('\n')}\n`;
}

// One suite, a case per relation: CI renders the comparison's verdict like any lab's.
export function renderComparisonJUnit(run: ComparisonRun): string {
  const suite = `${run.name} [${run.release}]`;
  const failed = run.verdict.checks.filter((c) => !c.passed).length;
  const cases = junitCases(suite, run.verdict.checks);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="gunicorn-slow-client-lab" tests="${run.verdict.checks.length}" failures="${failed}" errors="0">`,
    `  <testsuite name="${escapeXml(suite)}" tests="${run.verdict.checks.length}" failures="${failed}" errors="0" time="${(run.wallMs / 1000).toFixed(3)}">`,
    `    <properties><property name="hypothesis" value="${escapeXml(run.comparison.hypothesis)}"/><property name="run" value="${escapeXml(run.runId)}"/></properties>`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

// The comparison as JSON: its verdict, claims and rows, and each variant's lab, observation and run folder.
export function comparisonJson(run: ComparisonRun): object {
  return {
    name: run.name,
    runId: run.runId,
    runDir: run.runDir,
    release: run.release,
    hypothesis: run.comparison.hypothesis,
    passed: run.verdict.passed,
    verdict: run.verdict,
    claims: run.claims,
    wallMs: run.wallMs,
    table: comparisonTable(run),
    variants: run.variants.map(({ variant, run: r }) => ({ variant, runDir: r.runDir, lab: r.lab, observation: observationJson(r.observation) })),
  };
}

export async function writeComparisonReports(run: ComparisonRun): Promise<void> {
  await mkdir(run.runDir, { recursive: true });
  await Promise.all([
    writeFile(path.join(run.runDir, 'result.json'), `${JSON.stringify(comparisonJson(run), null, 2)}\n`),
    writeFile(path.join(run.runDir, 'summary.md'), renderComparisonMarkdown(run)),
    writeFile(path.join(run.runDir, 'junit.xml'), renderComparisonJUnit(run)),
  ]);
}
