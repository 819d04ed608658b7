// Runs many labs (and stacks) concurrently, each on its own network, and writes the matrix's summary reports.
import path from 'node:path';
import { estimatedTransferS } from './client/client-command.ts';
import { describeError } from './errors.ts';
import { ensureImages } from './images/build-images.ts';
import type { Lab, Release } from './lab/schema.ts';
import { compareReleases } from './report/compare-releases.ts';
import type { UnrunLab } from './report/unrun-lab.ts';
import { writeMatrixReports, type ReportFiles } from './report/write-reports.ts';
import type { RunRecord, MatrixEvent } from './run/run-record.ts';
import { runLab } from './run-lab.ts';
import { DEFAULT_RUNS_DIR, requireWritableRunsDir } from './run-session.ts';
import { newRunId } from './topology/names.ts';
import { ShuttingDownError } from './topology/active-runs.ts';

export interface MatrixEntry {
  name: string;
  lab: Lab;
  // The run's number where a lab is repeated (`--repeat N`), from 1.
  repeat?: number;
}

export interface MatrixResult {
  runs: RunRecord[];
  errors: UnrunLab[];
  notes: string[];
  reports: ReportFiles;
  wallMs: number;
}

export interface MatrixOptions {
  parallel: number;
  runsDir?: string;
  onEvent?: (event: MatrixEvent) => void;
  // Said before the stack comparison in every report (e.g. a lab left out on a stack).
  notes?: readonly string[];
  log?: (line: string) => void;
}

export const entryKey = (entry: MatrixEntry) => `${entry.name} [${entry.lab.release}]${entry.repeat ? ` #${entry.repeat}` : ''}`;

// Runs tasks with at most `limit` at once, in order of the list (start-ups are further limited to the cores, by
// topology's start slots; transfers, idle waits, overlap freely).
async function runPool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

export async function runMatrix(entries: readonly MatrixEntry[], options: MatrixOptions): Promise<MatrixResult> {
  const started = Date.now();
  const emit = options.onEvent ?? (() => undefined);
  await requireWritableRunsDir(options.runsDir ?? DEFAULT_RUNS_DIR);
  // Images first, one stack at a time, so concurrent runs never build the same image twice.
  for (const release of new Set<Release>(entries.map((e) => e.lab.release))) {
    await ensureImages(
      release,
      options.log,
      entries.some((e) => e.lab.release === release && e.lab.front !== null),
    );
  }
  const runs = new Map<MatrixEntry, RunRecord>();
  const errors: MatrixResult['errors'] = [];
  // The longest transfers start first, so that the matrix does not end waiting on one started last.
  const longestFirst = [...entries].sort((a, b) => estimatedTransferS(b.lab) - estimatedTransferS(a.lab));
  await runPool(longestFirst, options.parallel, async (entry) => {
    const key = entryKey(entry);
    emit({ type: 'start', key });
    try {
      const run = await runLab(entry.name, entry.lab, {
        runsDir: options.runsDir,
        log: options.log,
        onProgress: (progress) => emit({ type: 'progress', key, progress, totalBytes: entry.lab.fileSizeBytes }),
      });
      runs.set(entry, run);
      emit({ type: 'done', key, run });
    } catch (error) {
      // After a signal the pool winds down quietly: those labs were never started.
      if (error instanceof ShuttingDownError) return;
      errors.push({ key, message: describeError(error) });
      emit({ type: 'error', key, error });
    }
  });
  // Reports keep the order the labs were asked for, whatever order they finished in.
  const ordered = entries.flatMap((e) => (runs.has(e) ? [runs.get(e)!] : []));
  const notes = [...(options.notes ?? []), ...compareReleases(ordered)];
  const dir = path.join(options.runsDir ?? DEFAULT_RUNS_DIR, '_matrix', newRunId());
  const reports = await writeMatrixReports(dir, ordered, notes, errors);
  return { runs: ordered, errors, notes, reports, wallMs: Date.now() - started };
}
