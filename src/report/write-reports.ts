// Writes the reports: each run's into its own folder, and a matrix's summary (JSON, JUnit, Markdown, HTML) into one folder.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { RunRecord } from '../run/run-record.ts';
import { renderChartSvg } from './chart.ts';
import { capacityChartSvg } from './capacity-chart.ts';
import { renderHtml } from './html.ts';
import { renderJUnit } from './junit.ts';
import { renderMarkdown } from './markdown.ts';
import { summarizeRun } from './summarize.ts';
import type { UnrunLab } from './unrun-lab.ts';
import { fromRoot } from '../project-root.ts';
import { runJson } from './legacy-keys.ts';

export interface ReportFiles {
  dir: string;
  files: string[];
}

// The whole result as JSON: the runs without their long timelines' duplicates, plus the summary rows.
export function resultJson(runs: readonly RunRecord[], notes: readonly string[] = [], unrun: readonly UnrunLab[] = []): string {
  const passed = unrun.length === 0 && runs.every((r) => r.verdict.passed);
  return `${JSON.stringify({ passed, summary: runs.map(summarizeRun), notes, errors: unrun, runs: runs.map(runJson) }, null, 2)}\n`;
}

async function writeAll(
  dir: string,
  runs: readonly RunRecord[],
  notes: readonly string[],
  unrun: readonly UnrunLab[],
  chartFile: (run: RunRecord) => string,
): Promise<ReportFiles> {
  await mkdir(dir, { recursive: true });
  const charts = new Map<RunRecord, string>();
  // A capacity search's chart is its probe wait against slow clients; a download's, its bytes over time.
  for (const run of runs) charts.set(run, run.observation.capacitySearch ? capacityChartSvg(run.observation.capacitySearch) : await renderChartSvg(run));
  const files: Array<[string, string]> = [
    ['result.json', resultJson(runs, notes, unrun)],
    ['junit.xml', renderJUnit(runs, unrun)],
    ['summary.md', renderMarkdown(runs, notes, unrun)],
    ['report.html', renderHtml(runs, charts, unrun, undefined, (lab) => `${path.relative(dir, fromRoot('docs', 'labs.md'))}#${lab}`)],
    ...runs.map((run) => [chartFile(run), charts.get(run)!] as [string, string]),
  ];
  await Promise.all(files.map(([name, text]) => writeFile(path.join(dir, name), text)));
  return { dir, files: files.map(([name]) => name) };
}

export function writeRunReports(run: RunRecord): Promise<ReportFiles> {
  return writeAll(run.runDir, [run], [], [], () => 'chart.svg');
}

export function writeMatrixReports(dir: string, runs: readonly RunRecord[], notes: readonly string[], unrun: readonly UnrunLab[] = []): Promise<ReportFiles> {
  return writeAll(dir, runs, notes, unrun, (run) => `chart-${run.name}-${run.release}.svg`);
}
