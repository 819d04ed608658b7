// The start and end every run shares, whoever asked for it (a lab, check, a stack already running, `up`): a runs
// folder that can take the run, a run id tracked (Ctrl-C removes what it started), the leftovers of dead runs swept,
// the stack started (or joined), the run saved with its reports, and what it started removed unless it is kept up.
import { constants } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { ClientTransfer } from './client/run-client.ts';
import { SetupError, describeError } from './errors.ts';
import type { RunRecord } from './run/run-record.ts';
import type { Evidence } from './observe/collect-evidence.ts';
import { mark } from './phases.ts';
import { writeRun } from './report/write-run.ts';
import { writeRunReports } from './report/write-reports.ts';
import { removeAbandonedRuns, trackRun, untrackRun } from './topology/active-runs.ts';
import { newRunId, runLabels } from './topology/names.ts';
import { removeRun } from './topology/teardown.ts';
import type { TopologySpec } from './topology/topology-spec.ts';
import { startTopology, startupTimeoutMs, type Topology, type TopologyOptions } from './topology/start-topology.ts';
import { withStartSlot } from './topology/start-slots.ts';

// Where runs are saved: runs/ in the project, or GUNICORN_LAB_RUNS_DIR.
// Under the folder the command runs in (this repository's root with `npm run lab`, the user's own with `npx gunicorn-lab`).
export const DEFAULT_RUNS_DIR = path.resolve(process.env.GUNICORN_LAB_RUNS_DIR ?? 'runs');

// The runs folder must take a run before anything starts: a run that can't be saved is not started.
export async function requireWritableRunsDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
    await access(dir, constants.W_OK);
  } catch (error) {
    throw new SetupError(
      `The runs folder ${dir} can't take a run: ${describeError(error)}.`,
      'Fix its permissions, or set GUNICORN_LAB_RUNS_DIR to a folder you can write.',
      { cause: error },
    );
  }
}

export class RunSession {
  readonly runDir: string;
  readonly labels: Record<string, string>;
  // When the run began: its timings count from here.
  readonly started = Date.now();
  #topology: Topology | null = null;
  #removal: Promise<unknown> = Promise.resolve();
  #kept = false;

  constructor(
    readonly name: string,
    readonly runId: string,
    runsDir: string,
  ) {
    this.runDir = path.join(runsDir, name, runId);
    this.labels = runLabels(name, runId);
  }

  // The stack's containers on a network of the run's own; a stack still being rendered (its images checked) starts
  // with its network meanwhile.
  async start(spec: TopologySpec | Promise<TopologySpec>, options: TopologyOptions = {}): Promise<Topology> {
    this.#topology = await withStartSlot(() => startTopology(this.name, spec, this.runId, options));
    return this.#topology;
  }

  // A topology the caller put together itself (a client joined to a stack already running).
  adopt(topology: Topology): Topology {
    this.#topology = topology;
    return topology;
  }

  // The evidence is in: the containers may go while the verdict and the reports are written.
  removeEarly(): void {
    if (this.#topology) this.#removal = this.#topology.teardown();
  }

  // The run's files (and, unless reports is false, its own reports); the early removal waited for.
  async save(run: RunRecord, evidence: Evidence, transfer: ClientTransfer, reports = true): Promise<void> {
    await writeRun(run, evidence, transfer);
    if (reports) await writeRunReports(run);
    mark('saved');
    await this.#removal;
    mark('removed');
  }

  // The stack stays up after close (`--keep`, `up`): it is no longer this process's to remove.
  keepUp(): void {
    this.#kept = true;
  }

  // What the run started is removed: its topology, or, where none came to be (a start that failed halfway), whatever
  // carries the run's labels. That sweep never hides the run's own error: where the engine can't be asked (it never
  // answered), nothing of the run's can exist.
  async close(): Promise<void> {
    try {
      if (!this.#kept) await (this.#topology ? this.#topology.teardown() : removeRun(this.runId).catch(() => undefined));
    } finally {
      untrackRun(this.runId);
    }
  }
}

// A run begun: its folder can take it, it is tracked, and (unless sweep is false: the caller sweeps while it does
// something else) the leftovers of dead runs are gone.
export async function openRun(name: string, options: { runsDir?: string; sweep?: boolean } = {}): Promise<RunSession> {
  const runsDir = options.runsDir ?? DEFAULT_RUNS_DIR;
  await requireWritableRunsDir(runsDir);
  // A bad GUNICORN_LAB_STARTUP_TIMEOUT_S is refused before anything starts.
  startupTimeoutMs();
  if (options.sweep !== false) await removeAbandonedRuns();
  const session = new RunSession(name, newRunId(), runsDir);
  trackRun(session.runId);
  return session;
}
