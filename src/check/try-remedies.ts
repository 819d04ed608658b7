// `check --try-remedies`: the user's stack as it is, then with each remedy laid over it, at the same slow rate;
// one row each: did it survive, and what it cost (Gunicorn busy time, memory, a second request's wait).
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { LabError, describeError } from '../errors.ts';
import { formatBytes } from '../lab/parse-size.ts';
import { DEFAULT_RUNS_DIR } from '../run-session.ts';
import { newRunId } from '../topology/names.ts';
import type { CheckOptions } from './check-options.ts';
import { remediesFor, type Remedy } from './remedies.ts';
import { nextSteps } from './next-steps.ts';
import { writeRunReports } from '../report/write-reports.ts';
import type { Mount } from '../topology/stack-spec.ts';
import type { RemedyRow } from './remedy-table.ts';
import { runCheck, type CheckRun, type CheckRunOptions } from './run-check.ts';

export function rowOf(remedy: string, run: CheckRun): RemedyRow {
  const o = run.observation;
  const download = o.gunicorn.access.filter((a) => a.request.startsWith(`GET ${o.client.path}`)).sort((a, b) => b.durationMs - a.durationMs)[0];
  const timeouts = o.gunicorn.workerTimeouts;
  const detail = run.verdict.passed
    ? `whole body, ${o.client.status}`
    : [timeouts ? `WORKER TIMEOUT ×${timeouts}` : null, o.client.checksumMatches ? null : `${formatBytes(o.client.bytesReceived)} of ${formatBytes(o.file.sizeBytes)}`, `${o.client.status ?? 'no status'}`]
        .filter(Boolean)
        .join(', ');
  return {
    remedy,
    result: run.verdict.passed ? 'survived' : 'hurt',
    detail,
    gunicornBusyMs: download ? Math.round(download.durationMs) : null,
    appMemoryBytes: o.resources.app?.bytes ?? null,
    secondRequestWaitMs: o.client.probes[0]?.latencyMs ?? null,
    runDir: run.runDir,
  };
}

// Changed copies, beside the runs, of the files Nginx read that the remedy changes (their own are never touched), each
// to be mounted where Nginx reads the original; none changed: the remedy's reason.
async function changedCopies(remedy: Remedy, files: ReadonlyMap<string, string>, dir: string): Promise<{ mounts: Mount[] } | { reason: string }> {
  const mounts: Mount[] = [];
  let reason = 'it changes nothing in your Nginx config';
  for (const [file, text] of files) {
    const changed = remedy.nginxConf!(text);
    if ('reason' in changed) {
      reason = changed.reason;
      continue;
    }
    await mkdir(dir, { recursive: true });
    const copy = path.join(dir, `${remedy.name.replace(/\W+/g, '-')}${file.replace(/\//g, '_')}`);
    await writeFile(copy, changed.text);
    mounts.push({ source: copy, target: file, mode: 'ro' });
  }
  return mounts.length ? { mounts } : { reason };
}

export async function tryRemedies(options: CheckOptions, runOptions: CheckRunOptions = {}): Promise<{ baseline: CheckRun; rows: RemedyRow[] }> {
  const log = runOptions.log ?? (() => undefined);
  log('as it is:');
  const baseline = await runCheck(options, runOptions);
  const rows = [rowOf('as it is', baseline)];
  // Every remedy with the baseline's client, so their outcomes compare.
  const same: CheckOptions = { ...options, pace: baseline.pace };
  const timeoutS = baseline.gunicorn?.timeoutS ?? 30;
  const dir = path.join(runOptions.runsDir ?? DEFAULT_RUNS_DIR, 'check', '_remedies', newRunId());
  for (const remedy of remediesFor(timeoutS, options.nginxPath !== null)) {
    log(`with ${remedy.name}:`);
    let nginxFiles: Mount[] | undefined;
    if (remedy.nginxConf && baseline.nginxFiles) {
      const changed = await changedCopies(remedy, baseline.nginxFiles, dir);
      if ('reason' in changed) {
        rows.push({ remedy: remedy.name, result: 'not applicable', detail: changed.reason, gunicornBusyMs: null, appMemoryBytes: null, secondRequestWaitMs: null, runDir: null });
        continue;
      }
      nginxFiles = changed.mounts;
    }
    try {
      const run = await runCheck(same, { ...runOptions, overlay: { name: remedy.name, gunicornArgs: remedy.gunicornArgs, nginxFiles } });
      rows.push(rowOf(remedy.name, run));
    } catch (error) {
      if (!(error instanceof LabError)) throw error;
      rows.push({ remedy: remedy.name, result: 'could not run', detail: describeError(error).split('\n').slice(0, 3).join(' '), gunicornBusyMs: null, appMemoryBytes: null, secondRequestWaitMs: null, runDir: null });
    }
  }
  // The baseline's report ends with the remedies that survived, best first: written again with them.
  baseline.next = nextSteps(baseline.verdict.passed, rows, null, options.nginxPath !== null);
  await writeRunReports(baseline);
  return { baseline, rows };
}

