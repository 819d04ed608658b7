// Running labs from the command line: one (its report printed as soon as the verdict is known) or several (a live
// status, then the summary table and the matrix reports), and resolving which labs on which releases to run.
import path from 'node:path';
import { UsageError } from '../errors.ts';
import type { RunRecord } from '../run/run-record.ts';
import { listComparisonNames, listLabNames, loadLab } from '../lab/load-lab.ts';
import { parseOverrides, releaseFlag } from '../lab/overrides.ts';
import { RELEASES, missingOn, type Release } from '../lab/vocabulary.ts';
import { mark } from '../phases.ts';
import { formatRepeatTable, repeatRows } from '../report/flakes.ts';
import { LiveStatus } from '../report/live-status.ts';
import { summarizeRun } from '../report/summarize.ts';
import { formatSummaryTable } from '../report/summary-table.ts';
import { formatProgress, formatRunReport } from '../report/terminal.ts';
import type { MatrixEntry } from '../run-matrix.ts';
import { startingRuns } from './process-exit.ts';
import { observationJson } from '../report/legacy-keys.ts';

const loadRunLab = () => startingRuns(() => import('../run-lab.ts'));
const loadRunMatrix = () => startingRuns(() => import('../run-matrix.ts'));

export async function runOne({ name, lab }: MatrixEntry, json: boolean, keep = false): Promise<number> {
  const live = !json && process.stdout.isTTY;
  const log = (line: string) => process.stderr.write(`${line}\n`);
  log(`${name}: starting (${lab.release})`);
  const { runLab } = await loadRunLab();
  mark('loaded');
  // The report is printed as soon as the verdict is known; the run's files and the removal follow.
  let printed = false;
  const print = (run: RunRecord) => {
    printed = true;
    if (live) process.stdout.write('\r\x1b[2K');
    if (json)
      process.stdout.write(
        `${JSON.stringify({ name: run.name, runId: run.runId, runDir: run.runDir, lab: run.lab, verdict: run.verdict, claims: run.claims, observation: observationJson(run.observation) }, null, 2)}\n`,
      );
    else process.stdout.write(`${formatRunReport(run)}\n`);
    mark('printed');
  };
  const run = await runLab(name, lab, {
    log,
    keep,
    onProgress: live ? (p) => process.stdout.write(`\r\x1b[2K${formatProgress(p.ms, p.bytes, lab.fileSizeBytes)}`) : undefined,
    onVerdict: print,
  });
  if (!printed) print(run);
  if (run.kept) {
    const { describeUp, readHostBuffers } = await import('./up.ts');
    (json ? process.stderr : process.stdout).write(`\n${describeUp(name, run.plan, run.kept, readHostBuffers())}\n`);
  }
  return run.verdict.passed ? 0 : 1;
}

export async function runMany(entries: MatrixEntry[], parallel: number, json: boolean, skipped: string[] = [], repeated = false): Promise<number> {
  const status = new LiveStatus(json ? process.stderr : process.stdout);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  log(`running ${entries.length} labs, ${Math.min(parallel, entries.length)} at a time`);
  const { runMatrix } = await loadRunMatrix();
  const result = await runMatrix(entries, { parallel, onEvent: (e) => status.handle(e), log, notes: skipped });
  status.finish();
  const failed = result.runs.filter((r) => !r.verdict.passed).length;
  const reportDir = path.relative(process.cwd(), result.reports.dir) || '.';
  if (json) {
    const summary = result.runs.map(summarizeRun);
    const repeats = repeated ? repeatRows(result.runs) : undefined;
    process.stdout.write(
      `${JSON.stringify({ passed: failed === 0 && result.errors.length === 0, wallMs: result.wallMs, summary, notes: result.notes, errors: result.errors, repeats, reportDir }, null, 2)}\n`,
    );
  } else {
    const lines = [
      '',
      formatSummaryTable(result.runs.map(summarizeRun), process.stdout.isTTY ? process.stdout.columns : undefined),
      ...result.notes.map((n) => `note: ${n}`),
      ...result.errors.map((e) => `error: ${e.key} could not run: ${e.message}`),
      ...(repeated ? ['', formatRepeatTable(repeatRows(result.runs)), ''] : []),
      `Wall time ${(result.wallMs / 1000).toFixed(1)} s. Reports: ${reportDir}/ (report.html, summary.md, junit.xml, result.json)`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  if (result.errors.length) return 2;
  return failed ? 1 : 0;
}

// Every lab asked for, on every release asked for, loaded and validated before anything starts. In a matrix
// (--all or --release all), a lab whose worker class or front a release lacks is left out there with a note; named alone, it is an error.
export async function resolveEntries(
  values: Record<string, string | boolean | undefined>,
  positionals: string[],
): Promise<{ entries: MatrixEntry[]; skipped: string[] }> {
  if (values.all && positionals.length) throw new UsageError(`--all runs every lab; name no lab with it (got ${positionals.join(', ')}).`);
  const names = values.all ? listLabNames() : positionals;
  if (!names.length) throw new UsageError('Name a lab to run.', 'Run `npm run lab -- --list` to see the labs, or `npm run lab -- --help`.');
  const allReleases = releaseFlag(values) === 'all';
  const overrides = parseOverrides({ ...values, release: allReleases ? undefined : releaseFlag(values), stack: undefined });
  const releases: Array<Release | undefined> = allReleases ? [...RELEASES] : [undefined];
  const matrix = Boolean(values.all) || allReleases;
  const entries: MatrixEntry[] = [];
  const skipped: string[] = [];
  for (const name of names) {
    // The lab on its own release says which worker class it needs.
    const { release: _asked, ...others } = overrides;
    const own = matrix ? (await loadLab(name, others)).lab : undefined;
    if (values.all && own?.slow && !values['include-slow']) {
      skipped.push(`${name} not run: a slow lab (a minute or more); --include-slow runs it with --all, or name it`);
      continue;
    }
    for (const release of releases) {
      const target = release ?? overrides.release;
      const missing = own && target ? missingOn(own, target) : undefined;
      if (missing) skipped.push(`${name} [${target}] not run: ${missing}`);
      else entries.push(await loadLab(name, release ? { ...overrides, release } : overrides));
    }
  }
  // A comparison runs its variants one after the other, by name: --all names it in a note.
  if (values.all)
    for (const name of listComparisonNames()) skipped.push(`${name} not run: a comparison of several set-ups, run by name (npm run lab -- ${name})`);
  return { entries, skipped };
}
