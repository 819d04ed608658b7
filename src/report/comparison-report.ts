// A comparison's reports: one row per variant (what its downloads came to and what it cost), then the relations
// judged between them and the article's claims; as a terminal table, Markdown (summary.md), JUnit and JSON.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ComparisonRun } from '../lab/comparison-run.ts';
import { formatBytes } from '../lab/parse-size.ts';
import type { Lab } from '../lab/schema.ts';
import type { Check } from '../verdict/judge.ts';
import { escapeXml, junitCases } from './junit.ts';

// The variant's set-up in a few words: worker class and count, and what stands in front of Gunicorn.
export function describeVariant(lab: Lab): string {
  const g = lab.gunicorn;
  const worker = g.worker === 'gthread' ? `gthread ${g.workers}×${g.threads} threads` : `${g.worker} ×${g.workers}`;
  const front = lab.nginx === null ? 'no proxy' : `proxy_buffering ${lab.nginx.proxyBuffering ? 'on' : 'off'}`;
  return `${worker}, --timeout ${g.timeoutS ?? 'default'}, ${front}`;
}

const ms = (value: number | null) => (value === null ? '–' : value >= 1000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`);

export const COMPARISON_HEADER = ['variant', 'set-up', 'completed', 'cut', 'unfinished', 'waited', 'fed at once', 'app memory', 'per download', 'quick p50', 'quick max', 'WORKER TIMEOUT'];

export function comparisonRows(run: ComparisonRun): string[][] {
  return run.variants.map(({ variant, run: r }) => {
    const c = r.observation.capacity;
    const memory = r.observation.resources.app;
    const of = c ? `/${c.downloads}` : '';
    return [
      variant,
      describeVariant(r.lab),
      c ? `${c.completed}${of}` : '–',
      c ? String(c.cut) : '–',
      c ? String(c.unfinished) : '–',
      c ? String(c.waited) : '–',
      c ? String(c.peakConcurrent) : '–',
      memory ? `${formatBytes(memory.bytes)}${memory.kind === 'current' ? ' (at the end)' : ''}` : '–',
      c?.memoryPerDownloadBytes != null ? formatBytes(c.memoryPerDownloadBytes) : '–',
      c ? `${ms(c.quick.p50Ms)}${c.quick.answered < c.quick.sent ? ` (${c.quick.sent - c.quick.answered} of ${c.quick.sent} unanswered)` : ''}` : '–',
      c ? ms(c.quick.maxMs) : '–',
      `${r.observation.gunicorn.workerTimeouts}${r.observation.gunicorn.bootKills ? ` (+${r.observation.gunicorn.bootKills} while booting)` : ''}`,
    ];
  });
}

function checkLine(c: Check): string {
  return `${c.passed ? '✔' : '✘'} ${c.name}: ${c.actual}`;
}

export function formatComparisonReport(run: ComparisonRun): string {
  const rows = [COMPARISON_HEADER, ...comparisonRows(run)];
  const widths = COMPARISON_HEADER.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const table = rows.map((r) => r.map((v, i) => v.padEnd(widths[i]!)).join('  ').trimEnd());
  const passed = run.verdict.checks.filter((c) => c.passed).length;
  return [
    `${run.name} [${run.stack}]: ${run.comparison.hypothesis}`,
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
  const passed = run.verdict.checks.filter((c) => c.passed).length;
  const lines = [
    `# ${run.name} (${run.stack}): ${run.verdict.passed ? '✅ pass' : '❌ fail'} ${passed}/${run.verdict.checks.length} relations`,
    '',
    `*${run.comparison.hypothesis}*`,
    '',
    `| ${COMPARISON_HEADER.join(' | ')} |`,
    `| ${COMPARISON_HEADER.map(() => '---').join(' | ')} |`,
    ...comparisonRows(run).map((r) => `| ${r.map(cell).join(' | ')} |`),
    '',
    'Each download is paced on its own. Completed: the whole file, checksum and all; cut: part of it, then the end from the server\'s side; unfinished: still receiving when the client gave up; waited: not a byte before it gave up. Fed at once: the most downloads receiving bytes at the same moment; per download: the app container\'s peak memory over that number. Quick: side requests sent meanwhile, from the moment they were sent to their response headers.',
    '',
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
  const suite = `${run.name} [${run.stack}]`;
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
    stack: run.stack,
    hypothesis: run.comparison.hypothesis,
    passed: run.verdict.passed,
    verdict: run.verdict,
    claims: run.claims,
    wallMs: run.wallMs,
    table: { header: COMPARISON_HEADER, rows: comparisonRows(run) },
    variants: run.variants.map(({ variant, run: r }) => ({ variant, runDir: r.runDir, lab: r.lab, observation: r.observation })),
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
