// The benchmark: measures on this machine a fresh clone to the main lab's verdict, each lab's warm wall time, overhead
// and CPU, `--all` against the longest single lab and against the floor the machine's cores allow, and how close the
// client's achieved rate is to the asked rate. It also runs one lab from the command line against the same lab done by
// hand with the docker CLI (the run's own reproduce.sh: the same images, rendered config and commands), alternating,
// and breaks the tool's run into phases. It also times `check` at Gunicorn's default 30 s timeout on examples (a) and
// (b), `--try-remedies` on (a), and `--capacity` on (a) and on a 3-worker site.
// Its parts are in scripts/bench/; usage: see BENCH_USAGE in scripts/bench/options.ts.
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { requireDocker } from '../src/docker/docker-client.ts';
import { ensureImages } from '../src/images/build-images.ts';
import { listLabNames, loadLab } from '../src/lab/load-lab.ts';
import { missingOn } from '../src/lab/vocabulary.ts';
import { DEFAULT_RUNS_DIR } from '../src/run-session.ts';
import { teardownActiveRuns } from '../src/topology/active-runs.ts';
import { newRunId } from '../src/topology/names.ts';
import { measureCheck, type CheckTimings } from './bench/check.ts';
import { engineText, labFloorCpuS, measureEngine, type EngineCosts } from './bench/engine.ts';
import { freshText, measureFreshMachine, type FreshSetup } from './bench/fresh.ts';
import { freshHostText, measureFreshHost } from './bench/fresh-host.ts';
import { allText, labsText, measureCliStart, rateSample, ratesText, timeAll, timeLab, type AllTiming, type LabTiming, type RateSample } from './bench/labs.ts';
import { parseBenchArgs, type BenchOptions } from './bench/options.ts';
import { comparePeer, type PeerComparison } from './bench/peer.ts';
import { seconds } from './bench/format.ts';

// What bench.json holds.
interface BenchResults {
  release: string;
  parallel: number;
  machine: { cores: number };
  freshMachine: FreshSetup | null;
  cliStartMs: number;
  engine: EngineCosts;
  peer: PeerComparison;
  check: CheckTimings | null;
  slowLabsLeftOut: string[];
  labs: LabTiming[];
  rates: RateSample[];
  all: AllTiming;
}

// The warm runs of every lab that is not slow (slow labs measure the physics, not the tool, as `--all` leaves them out),
// then the reader throttle on two of them, then `--all`.
async function measureLabs(options: BenchOptions, cores: number, engine: EngineCosts) {
  const { release } = options;
  // A lab whose worker, front or HTTP/2 the release lacks is left out, as `--all` leaves it out.
  const runnable: string[] = [];
  for (const name of listLabNames()) if (!missingOn((await loadLab(name)).lab, release)) runnable.push(name);
  const loaded = await Promise.all(runnable.map((name) => loadLab(name, { release })));
  const entries = loaded.filter((entry) => !entry.lab.slow);
  const slowLabsLeftOut = loaded.filter((entry) => entry.lab.slow).map((entry) => entry.name);
  const labs: LabTiming[] = [];
  const rates: RateSample[] = [];
  const noteRate = (sample: RateSample | null) => void (sample && rates.push(sample));
  for (const { name } of entries) {
    console.error(`warm run: ${name}`);
    const { timing, run } = await timeLab(release, name);
    labs.push(timing);
    noteRate(rateSample(run));
  }
  for (const name of ['gevent-worker', 'raised-timeout']) {
    console.error(`warm run: ${name} --throttle reader`);
    noteRate(rateSample((await timeLab(release, name, { throttle: 'reader' })).run));
  }
  console.error(`--all with --parallel ${options.parallel}…`);
  // The fronts' image is built before the clock starts (`setup --fronts`), as the other images are.
  await ensureImages(release, () => undefined, true);
  const all = await timeAll(entries, labs, options.parallel, cores, labFloorCpuS(engine));
  return { slowLabsLeftOut, labs, rates, all };
}

async function main(options: BenchOptions): Promise<void> {
  const { release } = options;
  // Before any engine is asked for: this one removes it.
  if (options.freshHost) {
    const rounds = await measureFreshHost(options.rounds, (line) => console.error(line));
    const dir = path.join(DEFAULT_RUNS_DIR, '_bench', newRunId());
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'fresh-host.json'), `${JSON.stringify(rounds, null, 2)}\n`);
    console.log(freshHostText(rounds));
    console.log(
      `\nWritten: ${path.relative(process.cwd(), dir)}/fresh-host.json. Docker is installed again, with the bookworm images (the README's first command); \`npm test\` sets up the others.`,
    );
    return;
  }
  await requireDocker();
  const cores = os.cpus().length;
  if (options.freshOnly) {
    console.error(`a fresh clone with the ${release} images removed, to the main lab's verdict…`);
    console.log(freshText(release, await measureFreshMachine(release)));
    return;
  }
  let freshMachine: FreshSetup | null = null;
  if (options.cold && !options.peerOnly && !options.checkOnly) {
    console.error(`a fresh clone with the ${release} images removed, to the main lab's verdict…`);
    freshMachine = await measureFreshMachine(release);
  }
  // Every image the labs need, the fronts' among them: the fresh measure removed that one with the base it is built
  // on, and a warm run must not build it.
  await ensureImages(release, () => undefined, true);
  if (options.checkOnly) {
    console.log((await measureCheck(release)).text);
    return;
  }
  const cliStartMs = await measureCliStart();
  console.error('Docker on its own: a network, a container and an exec, 5 times…');
  const engine = await measureEngine((await ensureImages(release)).client, 5);
  const peer = await comparePeer(release, options.rounds);
  if (options.peerOnly) {
    console.log(`${peer.text}\n\n${engineText(engine)}`);
    return;
  }
  const check = options.check ? await measureCheck(release) : null;
  const measured = await measureLabs(options, cores, engine);
  const results: BenchResults = {
    release,
    parallel: options.parallel,
    machine: { cores },
    freshMachine,
    cliStartMs,
    engine,
    peer: peer.json,
    check: check?.json ?? null,
    ...measured,
  };
  const out = [
    `Benchmark on ${release}, ${cores} cores (times in seconds)`,
    '',
    labsText(measured.labs),
    `CLI start (node, the compiled CLI, labs loaded): ${seconds(cliStartMs)} s, on top of a run from the command line`,
    allText(measured.all, measured.slowLabsLeftOut, peer.json.peerCpuS),
    freshText(release, freshMachine ?? undefined),
    '',
    ratesText(measured.rates),
    '',
    peer.text,
    '',
    check?.text ?? 'check: skipped (--no-check)',
    '',
    engineText(engine),
  ].join('\n');
  const dir = path.join(DEFAULT_RUNS_DIR, '_bench', newRunId());
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'bench.json'), `${JSON.stringify(results, null, 2)}\n`);
  await writeFile(path.join(dir, 'bench.txt'), `${out}\n`);
  console.log(out);
  console.log(`\nWritten: ${path.relative(process.cwd(), dir)}/bench.json and bench.txt`);
}

// Ctrl-C removes the run under way before exiting.
process.on('SIGINT', () => void teardownActiveRuns().finally(() => process.exit(130)));
// A refusal or a failed step is said in one line (its message names what to do), exit 2, its runs removed first.
try {
  await main(parseBenchArgs(process.argv.slice(2)));
} catch (error) {
  await teardownActiveRuns();
  console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
}
process.exit(0);
