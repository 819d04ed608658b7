// The pipeline of one lab run: images, topology, transfer, observation, verdict, saved run; teardown whatever happens.
import { OverloadError } from './errors.ts';
import type { ClientProgress } from './client/client-output.ts';
import { throttleCommand } from './client/throttle.ts';
import { ensureImages } from './images/build-images.ts';
import type { Lab } from './lab/schema.ts';
import { expectationFor } from './lab/vocabulary.ts';
import { observeTransfer } from './observe-transfer.ts';
import { loadChartLibrary } from './report/chart.ts';
import { describeRun, withFallback } from './report/terminal.ts';
import { pauseAt } from './pause-at.ts';
import { mark } from './phases.ts';
import { removeAbandonedRuns } from './topology/active-runs.ts';
import { labStack } from './topology/lab-stack.ts';
import { preloadContainerModule } from './topology/start-topology.ts';
import { openRun } from './run-session.ts';
import { labPlan } from './client/transfer-plan.ts';
import { assessClaims, judge } from './verdict/judge.ts';
import type { RunRecord, RunOfLab } from './run/run-record.ts';

export interface RunOptions {
  runsDir?: string;
  onProgress?: (progress: ClientProgress) => void;
  log?: (line: string) => void;
  // Leave the stack up after the verdict, published on 127.0.0.1 (`--keep`); it is removed if the run fails.
  keep?: boolean;
  // Called with the judged run as soon as the verdict is known, before the run's files and reports are written and
  // its containers removed: a person reads the verdict while the rest is done.
  onVerdict?: (run: RunRecord) => void;
  // false: the run's files are saved, but not its own reports (a comparison's variant: the comparison reports it).
  reports?: boolean;
  // false: workers killed while booting after the download started are reported, not an error (a comparison's
  // variant, where a worker respawned under the load of many downloads is part of what is measured).
  voidOnBootKills?: boolean;
}

// A lab's stack started, its client's transfer observed, judged against the lab's expectation on its release, saved.
export async function runLab(name: string, lab: Lab, options: RunOptions = {}): Promise<RunOfLab> {
  preloadContainerModule().catch(() => undefined);
  const session = await openRun(name, { runsDir: options.runsDir, sweep: false });
  try {
    // The images are checked (and the leftovers of dead runs swept) while the run's network is created.
    const checked = Promise.all([ensureImages(lab.release, options.log, lab.front !== null), removeAbandonedRuns()]).then(([images]) => {
      mark('images');
      return { images, spec: labStack(lab, images) };
    });
    checked.catch(() => undefined);
    const plan = labPlan(lab);
    const topology = await session.start(
      checked.then((c) => c.spec),
      { shapingCommand: throttleCommand(plan.client), keep: options.keep, publish: options.keep, log: options.log },
    );
    const { images, spec } = await checked;
    // The chart library loads while the transfer runs (the machine is idle then), not after it.
    void loadChartLibrary().catch(() => undefined);
    const expectation = expectationFor(lab);
    const observed = await observeTransfer(topology, plan, {
      started: session.started,
      onFallback: (why) => options.log?.(`${name}: ${why}`),
      fileSha256: topology.fileSha256,
      expectation,
      onProgress: options.onProgress,
      onEvidence: () => {
        if (!options.keep) session.removeEarly();
      },
    });
    const { transfer, evidence, observation, throttleFallback } = observed;
    const run: RunOfLab = {
      name,
      runId: session.runId,
      runDir: session.runDir,
      lab,
      release: lab.release,
      hypothesis: lab.hypothesis,
      plan: observed.plan,
      expectation,
      description: withFallback(describeRun({ ...lab, client: observed.plan.client }), throttleFallback),
      images,
      client: { command: transfer.command, throttle: transfer.throttle },
      kept: options.keep ? { published: topology.published, containers: topology.containers, target: topology.target, runId: session.runId } : null,
      spec,
      observation,
      verdict: judge(expectation, observation),
      claims: assessClaims(lab.claims, observation),
    };
    // Workers killed while booting after the download started: the run measured the machine, and gives no verdict.
    const overloaded = options.voidOnBootKills !== false && observation.gunicorn.bootKills > 0;
    if (!overloaded) options.onVerdict?.(run);
    await pauseAt('report');
    await session.save(run, evidence, transfer, options.reports !== false && !overloaded);
    if (overloaded) throw new OverloadError(name, observation.gunicorn.bootKills, run.runDir);
    if (options.keep) session.keepUp();
    return run;
  } finally {
    await session.close();
  }
}
