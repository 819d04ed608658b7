// `check --try-remedies`: the user's stack as it is, then with each remedy laid over it, at the same slow rate;
// one row each: did it survive, and what it cost (Gunicorn busy time, memory, a second request's wait).
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { LabError, describeError } from '../errors.ts';
import { isClientRequest } from '../observe/observation.ts';
import { killLine } from '../observe/app-server-words.ts';
import type { CapacitySearch } from '../observe/capacity-search.ts';
import { formatBytes } from '../lab/parse-size.ts';
import { DEFAULT_RUNS_DIR } from '../run-session.ts';
import { newRunId } from '../topology/names.ts';
import type { CheckOptions } from './check-options.ts';
import type { Pace } from './pace.ts';
import { remediesFor, type Remedy } from './remedies.ts';
import { nextSteps } from './next-steps.ts';
import { writeRunReports } from '../report/write-reports.ts';
import type { Mount } from '../topology/topology-spec.ts';
import type { RemedyRow } from './remedy-table.ts';
import { runCheck } from './run-check.ts';
import type { CheckRun, CheckRunOptions } from './check-run.ts';
import type { CheckServer } from './gunicorn-facts.ts';

export function rowOf(remedy: string, run: CheckRun): RemedyRow {
  const o = run.observation;
  if (o.capacitySearch) return capacityRowOf(remedy, run, o.capacitySearch);
  const download = o.gunicorn.access.filter((a) => isClientRequest(o, a.request)).sort((a, b) => b.durationMs - a.durationMs)[0];
  const timeouts = o.gunicorn.workerTimeouts;
  // An upload's answer is not compared byte for byte: its status says it.
  const detail = run.verdict.passed
    ? o.upload
      ? `answered ${o.client.status}`
      : `whole body, ${o.client.status}`
    : [
        timeouts ? `${killLine(o)} ×${timeouts}` : null,
        o.upload || o.client.checksumMatches ? null : `${formatBytes(o.client.bytesReceived)} of ${formatBytes(o.file.sizeBytes)}`,
        `${o.client.status ?? 'no status'}`,
      ]
        .filter(Boolean)
        .join(', ');
  // Runs side by side share the machine: a worker killed while booting says this row measured the machine.
  const busy = o.gunicorn.bootKills > 0 ? ` (a worker was killed while booting: the machine was too busy for this row; run it alone)` : '';
  return {
    remedy,
    result: run.verdict.passed ? 'survived' : 'hurt',
    detail: `${detail}${busy}`,
    gunicornBusyMs: download ? Math.round(download.durationMs) : null,
    appMemoryBytes: o.resources.app?.bytes ?? null,
    secondRequestWaitMs: o.client.probes[0]?.latencyMs ?? null,
    runDir: run.runDir,
  };
}

// A capacity check's row: the slow clients held, where the probe stalled, the workers lost meanwhile.
export function capacityRowOf(remedy: string, run: CheckRun, search: CapacitySearch): RemedyRow {
  const o = run.observation;
  const timeouts = o.gunicorn.workerTimeouts;
  const detail = [
    search.stalledAt === null ? 'probe never stalled' : `probe stalled at ${search.stalledAt} (${((search.probeWaitMs ?? 0) / 1000).toFixed(1)} s)`,
    timeouts ? `WORKER TIMEOUT ×${timeouts}` : null,
    search.heldBy ? `held by the ${search.heldBy === 'app' ? 'app server' : search.heldBy === 'front' ? 'front' : 'socket buffers'}` : null,
  ]
    .filter(Boolean)
    .join(', ');
  return {
    remedy,
    result: run.verdict.passed ? 'survived' : 'hurt',
    detail,
    gunicornBusyMs: null,
    appMemoryBytes: o.resources.app?.bytes ?? null,
    secondRequestWaitMs: null,
    capacityHeld: search.stalledAt === null ? `≥ ${search.held}` : String(search.held),
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

const unrun = (remedy: string, result: RemedyRow['result'], detail: string): RemedyRow => ({
  remedy,
  result,
  detail,
  gunicornBusyMs: null,
  appMemoryBytes: null,
  secondRequestWaitMs: null,
  runDir: null,
});

// A promise with its settlers, for what the baseline learns on the way (its settings, its client's pace).
function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

// The baseline and every remedy side by side, each on its own network: the remedies start once the baseline has read
// Gunicorn's timeout and Nginx's files (which remedies apply), and their slow clients read at the baseline's pace.
// Sharing the machine is said where it showed (a worker killed while booting: a row measured the machine).
export async function tryRemedies(options: CheckOptions, runOptions: CheckRunOptions = {}): Promise<{ baseline: CheckRun; rows: RemedyRow[] }> {
  const log = runOptions.log ?? (() => undefined);
  const read = deferred<{ timeoutS: number; nginxFiles: ReadonlyMap<string, string> | null; server?: CheckServer }>();
  const paced = deferred<Pace>();
  const baselineRun = runCheck(options, { ...runOptions, log: (line) => log(`as it is: ${line}`), onRead: read.resolve, onPace: paced.resolve });
  baselineRun.catch((error: unknown) => {
    read.reject(error);
    paced.reject(error);
  });
  let remedyRuns: Array<Promise<RemedyRow>> = [];
  let server: CheckServer | undefined;
  try {
    const { timeoutS, nginxFiles: readFiles, server: readServer } = await read.promise;
    server = readServer;
    const dir = path.join(runOptions.runsDir ?? DEFAULT_RUNS_DIR, 'check', '_remedies', newRunId());
    // Every remedy with the baseline's client, so their outcomes compare.
    const same: CheckOptions = { ...options, pace: paced.promise };
    remedyRuns = remediesFor(timeoutS, options.nginxPath !== null, options.upload !== null, server).map(async (remedy) => {
      let nginxFiles: Mount[] | undefined;
      if (remedy.nginxConf && readFiles) {
        const changed = await changedCopies(remedy, readFiles, dir);
        if ('reason' in changed) return unrun(remedy.name, 'not applicable', changed.reason);
        nginxFiles = changed.mounts;
      }
      try {
        const run = await runCheck(same, {
          ...runOptions,
          onProgress: undefined,
          log: (line) => log(`${remedy.name}: ${line}`),
          overlay: { name: remedy.name, gunicornArgs: remedy.gunicornArgs, uwsgiArgs: remedy.uwsgiArgs, nginxFiles },
        });
        return rowOf(remedy.name, run);
      } catch (error) {
        // The baseline's own failure is the command's; a remedy's is its row.
        if (
          !(error instanceof LabError) ||
          (await paced.promise.then(
            () => false,
            () => true,
          ))
        )
          throw error;
        return unrun(remedy.name, 'could not run', describeError(error).split('\n').slice(0, 3).join(' '));
      }
    });
  } finally {
    // Every run to its end before any error is thrown, so no stack outlives the command.
    await Promise.allSettled([baselineRun, ...remedyRuns]);
  }
  const baseline = await baselineRun;
  const rows = [rowOf('as it is', baseline), ...(await Promise.all(remedyRuns))];
  // The baseline's report ends with the remedies that survived, best first: written again with them.
  baseline.next = nextSteps(baseline.verdict.passed, rows, null, options.nginxPath !== null, options.upload !== null, server);
  await writeRunReports(baseline);
  return { baseline, rows };
}
