// The pipeline of one lab run: images, topology, transfer, observation, verdict, saved run; teardown whatever happens.
import { constants } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { OverloadError, SetupError, describeError } from './errors.ts';
import type { ClientProgress } from './client/client-output.ts';
import { throttleCommand } from './client/throttle.ts';
import { ensureImages } from './images/build-images.ts';
import { expectationFor, type Lab } from './lab/schema.ts';
import { writeRun } from './report/write-run.ts';
import { observeTransfer } from './observe-transfer.ts';
import { loadChartLibrary } from './report/chart.ts';
import { writeRunReports } from './report/write-reports.ts';
import { newRunId } from './topology/names.ts';
import { pauseAt } from './pause-at.ts';
import { mark } from './phases.ts';
import { removeAbandonedRuns, trackRun, untrackRun } from './topology/active-runs.ts';
import { labStack } from './topology/lab-stack.ts';
import { preloadContainerModule, startTopology, startupTimeoutMs } from './topology/start-topology.ts';
import { withStartSlot } from './topology/start-slots.ts';
import { assessClaims, judge } from './verdict/judge.ts';
import type { LabRun } from './lab/lab-run.ts';

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


export interface RunOptions {
  runsDir?: string;
  onProgress?: (progress: ClientProgress) => void;
  log?: (line: string) => void;
  // Leave the stack up after the verdict, published on 127.0.0.1 (`--keep`); it is removed if the run fails.
  keep?: boolean;
  // Called with the judged run as soon as the verdict is known, before the run's files and reports are written and
  // its containers removed: a person reads the verdict while the rest is done.
  onVerdict?: (run: LabRun) => void;
  // false: the run's files are saved, but not its own reports (a comparison's variant: the comparison reports it).
  reports?: boolean;
  // false: workers killed while booting after the download started are reported, not an error (a comparison's
  // variant, where a worker respawned under the load of many downloads is part of what is measured).
  voidOnBootKills?: boolean;
}


export async function runLab(name: string, lab: Lab, options: RunOptions = {}): Promise<LabRun> {
  const started = Date.now();
  const log = options.log ?? (() => undefined);
  preloadContainerModule().catch(() => undefined);
  await requireWritableRunsDir(options.runsDir ?? DEFAULT_RUNS_DIR);
  // A bad GUNICORN_LAB_STARTUP_TIMEOUT_S is refused before images are built.
  startupTimeoutMs();
  const runId = newRunId();
  trackRun(runId);
  try {
    // The images are checked (and the leftovers of dead runs swept) while the run's network is created.
    const checked = Promise.all([ensureImages(lab.stack, log), removeAbandonedRuns()]).then(([images]) => {
      mark('images');
      return { images, spec: labStack(lab, images) };
    });
    checked.catch(() => undefined);
    const topology = await withStartSlot(() => startTopology(name, checked.then((c) => c.spec), runId, { clientSetup: throttleCommand(lab.client), keep: options.keep, publish: options.keep, log }));
    const { images, spec } = await checked;
    let keeping = false;
    // The chart library loads while the transfer runs (the machine is idle then), not after it.
    void loadChartLibrary().catch(() => undefined);
    try {
      const expectation = expectationFor(lab);
      // The evidence is in hand: the containers go while the verdict and the reports are written.
      let removal: Promise<unknown> = Promise.resolve();
      const { transfer, evidence, observation } = await observeTransfer(topology, lab, {
        started,
        fileSha256: topology.fileSha256,
        expectation,
        onProgress: options.onProgress,
        onEvidence: () => {
          if (!options.keep) removal = topology.teardown();
        },
      });
      const run: LabRun = {
        name,
        runId,
        runDir: path.join(options.runsDir ?? DEFAULT_RUNS_DIR, name, runId),
        lab,
        images,
        client: { command: transfer.command, throttle: transfer.throttle },
        kept: options.keep ? { published: topology.published, containers: topology.containers, target: topology.target, runId } : null,
        spec,
        observation,
        verdict: judge(expectation, observation),
        claims: assessClaims(lab.claims, observation),
      };
      // Workers killed while booting after the download started: the run measured the machine, and gives no verdict.
      const overloaded = options.voidOnBootKills !== false && observation.gunicorn.bootKills > 0;
      if (!overloaded) options.onVerdict?.(run);
      await pauseAt('report');
      await writeRun(run, evidence, transfer);
      if (options.reports !== false && !overloaded) await writeRunReports(run);
      mark('saved');
      await removal;
      mark('removed');
      if (overloaded) throw new OverloadError(name, observation.gunicorn.bootKills, run.runDir);
      keeping = Boolean(options.keep);
      return run;
    } finally {
      if (!keeping) await topology.teardown();
    }
  } finally {
    untrackRun(runId);
  }
}
