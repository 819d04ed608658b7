// The benchmark: measures on this machine a fresh clone to the main lab's verdict, each lab's warm wall time and overhead, `--all`
// against the longest single lab, and how close the client's achieved rate is to the asked rate.
// It also runs one lab from the command line against the same lab done by hand with the docker CLI (the run's own
// reproduce.sh: the same images, rendered config and commands), alternating, and breaks the tool's run into phases.
// It also times `check` at Gunicorn's default 30 s timeout on examples (a) and (b), `--try-remedies` on (a), and `--capacity` on (a)
// and on a 3-worker site.
// Usage: npm run bench [-- --release trixie] [--no-cold] [--parallel N] [--peer-only] [--check-only] [--fresh-only] [--no-check] [--rounds N]
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { execa } from 'execa';
import { getDocker, requireDocker } from '../src/docker/docker-client.ts';
import { ensureImages } from '../src/images/build-images.ts';
import { listLabNames, loadLab } from '../src/lab/load-lab.ts';
import { formatBytes } from '../src/lab/parse-size.ts';
import type { Release } from '../src/lab/schema.ts';
import type { LabRun } from '../src/run/lab-run.ts';
import { runLab } from '../src/run-lab.ts';
import { DEFAULT_RUNS_DIR } from '../src/run-session.ts';
import { runMatrix } from '../src/run-matrix.ts';
import { teardownActiveRuns } from '../src/topology/active-runs.ts';
import { containerName, networkName, newRunId, runLabels } from '../src/topology/names.ts';
import { removeRun } from '../src/topology/teardown.ts';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';

const { values } = parseArgs({
  options: {
    release: { type: 'string' },
    'no-cold': { type: 'boolean' },
    parallel: { type: 'string' },
    'peer-only': { type: 'boolean' },
    'check-only': { type: 'boolean' },
    'no-check': { type: 'boolean' },
    'fresh-only': { type: 'boolean' },
    rounds: { type: 'string' },
  },
});
const release = (values.release ?? 'bookworm') as Release;
const parallel = Number(values.parallel ?? 6);
const seconds = (ms: number) => Number((ms / 1000).toFixed(2));

function table(header: string[], rows: Array<Array<string | number>>): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), line(widths.map((w) => '─'.repeat(w))), ...cells.slice(1).map(line)].join('\n');
}

// A fresh machine to the main lab's verdict, as the README's first command runs it: a new clone (no node_modules, no
// compiled CLI), the release's images removed (the base too), then `npm run setup && npm run lab -- proxy-buffering-off`.
// The engine stays as it is (a bench does not stop the user's engine): where it must start, setup prints that step's
// time, about a second here. npm installs from this machine's npm cache.
const FRESH_TARGET_S = 45;
interface FreshSetup {
  ms: number;
  removedImages: number;
  steps: Record<string, number>;
  exitCode: number;
}

async function measureFreshMachine(): Promise<FreshSetup> {
  const docker = getDocker();
  // The release's lab images, and its bootstrapped base with every image built on it (the fronts', the tests'
  // example images): by their parents, as the builder records them, the deepest first, since Docker refuses to remove
  // an image that others are built on.
  const images = await docker.listImages({ all: true });
  const ours = images.filter((i) => (i.RepoTags ?? []).some((tag) => /^gunicorn-lab\/(app|nginx|client):/.test(tag) && tag.includes(`:${release}`)));
  const levels: string[][] = [];
  const base = images.find((i) => (i.RepoTags ?? []).includes(`gunicorn-lab/base:${release}`));
  for (let level = base ? [base.Id] : []; level.length > 0; level = images.filter((i) => level.includes(i.ParentId)).map((i) => i.Id)) levels.push(level);
  const doomed = [...new Set([...ours.map((i) => i.Id), ...levels.reverse().flat()])];
  for (const id of doomed)
    await docker
      .getImage(id)
      .remove({ force: true })
      .catch(() => undefined);
  const left = (await docker.listImages({ filters: { reference: [`gunicorn-lab/base:${release}`] } })).length;
  if (left > 0)
    throw new Error(`gunicorn-lab/base:${release} could not be removed (an image built on it without a recorded parent?): the fresh measure needs it gone`);
  const clone = await mkdtemp(path.join(tmpdir(), 'gunicorn-lab-fresh-'));
  try {
    await execa('git', ['clone', '--quiet', process.cwd(), clone]);
    const started = Date.now();
    const releaseArgs = release === 'bookworm' ? '' : ` --release ${release}`;
    const { all, exitCode } = await execa(
      'sh',
      ['-c', `npm run setup --silent --${releaseArgs} && npm run lab --silent -- proxy-buffering-off${releaseArgs}`],
      { cwd: clone, all: true, reject: false, stdin: 'ignore' },
    );
    const ms = Date.now() - started;
    if (exitCode !== 0) throw new Error(`the fresh clone's set-up and lab exited ${exitCode}:\n${(all ?? '').slice(-1500)}`);
    // setup's own step lines: "✔ npm dependencies (9 s)", "✔ container engine (1.1 s): …", "✔ images for bookworm (40.2 s): …"
    const steps = Object.fromEntries([...(all ?? '').matchAll(/^✔ (.+?) \((\d+(?:\.\d+)?) s\)/gm)].map((m) => [m[1]!, Number(m[2])]));
    return {
      ms,
      removedImages: images.filter((i) => doomed.includes(i.Id) && (i.RepoTags ?? []).some((tag) => tag !== '<none>:<none>')).length,
      steps,
      exitCode: exitCode ?? 0,
    };
  } finally {
    await rm(clone, { recursive: true, force: true });
  }
}

async function measureCliStart(): Promise<number> {
  const started = Date.now();
  await execa('node', ['scripts/lab.mjs', '--list'], { env: { TSX_DISABLE_CACHE: '1' } });
  return Date.now() - started;
}

interface LabTiming {
  name: string;
  wallMs: number;
  transferMs: number;
  overheadMs: number;
  setupMs: number;
  afterTransferMs: number;
  passed: boolean;
}

async function timeLab(name: string, overrides = {}): Promise<{ timing: LabTiming; run: LabRun }> {
  const { lab } = await loadLab(name, { release, ...overrides });
  const started = Date.now();
  const run = await runLab(name, lab);
  const wallMs = Date.now() - started;
  const { setupMs } = run.observation.timings;
  // What the lab inherently needs: the client's transfer, however it ended (complete, or cut by the kill).
  const transferMs = run.observation.client.durationMs;
  return {
    run,
    timing: { name, wallMs, transferMs, overheadMs: wallMs - transferMs, setupMs, afterTransferMs: wallMs - setupMs - transferMs, passed: run.verdict.passed },
  };
}

// The lab the tool and its docker CLI peer both run, and how many times each.
const PEER_LAB = 'gevent-worker';
const rounds = Number(values.rounds ?? 5);
// The phases a run from the command line marks (src/phases.ts), in order, and what lies between each and the one before.
const PHASES: Array<[mark: string, what: string]> = [
  ['cli', 'node started, the compiled CLI loaded'],
  ['loaded', 'lab file loaded, the run pipeline (dockerode) imported'],
  ['network', 'images checked and the network and volume created, at once (testcontainers loading meanwhile)'],
  ['started', 'containers created and started, at once'],
  ['ready', 'the rest of the readiness (each role went on as soon as its own container ran) and the throttle'],
  ['transfer', 'to the transfer'],
  ['transferred', 'the transfer (the physics)'],
  ['evidence', 'logs settled'],
  ['printed', 'verdict judged and the report printed'],
  ['saved', 'run files and reports written'],
  ['removed', 'containers, network and volume removed (started when the evidence was in)'],
  ['exit', 'exit'],
];

interface ToolRound {
  wallMs: number;
  transferMs: number;
  phases: Record<string, number>;
  runDir: string;
  passed: boolean;
}

// One run from the command line, as a user starts it, with its phase marks.
async function toolRound(): Promise<ToolRound> {
  const started = performance.now();
  const { stdout, stderr, exitCode } = await execa('node', ['scripts/lab.mjs', PEER_LAB, '--release', release, '--json'], {
    env: { GUNICORN_LAB_PHASES: '1', TSX_DISABLE_CACHE: '1' },
    reject: false,
  });
  const wallMs = performance.now() - started;
  const phases = /^phases (.*)$/m.exec(stderr)?.[1];
  if (exitCode !== 0 || !phases) throw new Error(`${PEER_LAB} exited ${exitCode}: ${stderr.slice(-800)}`);
  const run = JSON.parse(stdout) as { runDir: string; verdict: { passed: boolean }; observation: { client: { durationMs: number } } };
  return {
    wallMs,
    transferMs: run.observation.client.durationMs,
    phases: JSON.parse(phases) as Record<string, number>,
    runDir: run.runDir,
    passed: run.verdict.passed,
  };
}

// The same lab by hand with the docker CLI: the tool's run's reproduce.sh; its client prints "... in 8.01 s".
async function peerRound(runDir: string): Promise<{ wallMs: number; transferMs: number }> {
  const started = performance.now();
  const { stdout } = await execa('sh', [path.join(runDir, 'reproduce.sh')]);
  const wallMs = performance.now() - started;
  const seconds = /^client: .* in (\d+\.\d+) s/m.exec(stdout)?.[1];
  if (!seconds) throw new Error(`reproduce.sh printed no client line: ${stdout.slice(-500)}`);
  return { wallMs, transferMs: Number(seconds) * 1000 };
}

// `check` as a user runs it, at Gunicorn's default 30 s timeout: the sync example (hurt), the gthread one (survives),
// and every remedy over the sync one; wall time from the command's start to its exit.
const CHECK_TIMEOUT_S = 30;
const CHECK_TARGETS = { checkS: 40, tryRemediesS: 60, capacityS: 60 };

async function timeCheck(config: string, extra: string[] = []): Promise<{ wallMs: number; exitCode: number }> {
  return timeCommand([
    'check',
    '--nginx',
    'examples/flask/nginx.conf',
    '--app',
    'examples/flask',
    '--app-module',
    'app:app',
    '--gunicorn-config',
    `examples/flask/gunicorn-${config}.conf.py`,
    '--gunicorn-args',
    `--timeout ${CHECK_TIMEOUT_S}`,
    '--path',
    '/download/report.bin',
    '--release',
    release,
    '--json',
    ...extra,
  ]);
}

// check --capacity on a 3-worker site at Gunicorn's default timeout: the site file with a Unix socket.
function timeCapacitySite(): Promise<{ wallMs: number; exitCode: number }> {
  return timeCommand([
    'check',
    '--nginx',
    'examples/flask/site-socket.conf',
    '--app',
    'examples/flask',
    '--app-module',
    'app:app',
    '--gunicorn-args',
    '--workers 3 --bind unix:/run/app/gunicorn.sock -m 007',
    '--path',
    '/download/report.bin',
    '--release',
    release,
    '--capacity',
    '--json',
  ]);
}

async function timeCommand(words: string[]): Promise<{ wallMs: number; exitCode: number }> {
  const args = ['scripts/lab.mjs', ...words];
  const started = Date.now();
  const { exitCode } = await execa('node', args, { env: { TSX_DISABLE_CACHE: '1' }, reject: false, stdin: 'ignore' });
  return { wallMs: Date.now() - started, exitCode: exitCode ?? 2 };
}

async function measureCheck(): Promise<{ text: string; json: unknown }> {
  console.error(`check at --timeout ${CHECK_TIMEOUT_S}: (a) sync, (b) gthread, --try-remedies on (a), --capacity on (a) and on a 3-worker site…`);
  const hurt = await timeCheck('sync');
  const survived = await timeCheck('gthread');
  const remedies = await timeCheck('sync', ['--try-remedies']);
  const capacity = await timeCheck('sync', ['--capacity']);
  const capacitySite = await timeCapacitySite();
  const row = (what: string, r: { wallMs: number; exitCode: number }, expected: number, target: number) => [
    what,
    seconds(r.wallMs),
    `exit ${r.exitCode}${r.exitCode === expected ? '' : ` (expected ${expected})`}`,
    `≤ ${target} s`,
  ];
  return {
    json: { timeoutS: CHECK_TIMEOUT_S, hurt, survived, remedies, capacity, capacitySite },
    text: [
      `check at Gunicorn's default --timeout ${CHECK_TIMEOUT_S} (examples/flask, 8 MiB, wall seconds from the command's start)`,
      table(
        ['check', 'wall', 'outcome', 'target'],
        [
          row('(a) sync, hurt', hurt, 1, CHECK_TARGETS.checkS),
          row('(b) gthread, survives', survived, 0, CHECK_TARGETS.checkS),
          row('(a) --try-remedies, 5 rows', remedies, 1, CHECK_TARGETS.tryRemediesS),
          row('(a) --capacity', capacity, 1, CHECK_TARGETS.capacityS),
          row('3-worker site --capacity', capacitySite, 1, CHECK_TARGETS.capacityS),
        ],
      ),
    ].join('\n'),
  };
}

async function comparePeer(): Promise<{ text: string; json: unknown }> {
  const tool: ToolRound[] = [];
  const peer: Array<{ wallMs: number; transferMs: number }> = [];
  // A first run of each, not counted: images checked, caches warm.
  const warm = await toolRound();
  await peerRound(warm.runDir);
  for (let i = 0; i < rounds; i += 1) {
    console.error(`peer comparison ${i + 1}/${rounds}: ${PEER_LAB} from the command line, then by hand with the docker CLI`);
    const round = await toolRound();
    tool.push(round);
    peer.push(await peerRound(round.runDir));
  }
  const toolOverhead = median(tool.map((r) => r.wallMs - r.transferMs));
  const peerOverhead = median(peer.map((r) => r.wallMs - r.transferMs));
  const verdictMs = median(tool.map((r) => r.phases.printed! - (r.phases.transferred! - r.phases.transfer!)));
  const rows = PHASES.map(([phase, what], i) => {
    const spans = tool.map((r) => r.phases[phase]! - (i === 0 ? 0 : r.phases[PHASES[i - 1]![0]]!));
    return [phase, what, seconds(median(spans)), seconds(Math.min(...spans)), seconds(Math.max(...spans))];
  });
  rows.push(['(process end)', 'after exit() until the parent saw the process end', seconds(median(tool.map((r) => r.wallMs - r.phases.exit!))), '', '']);
  const text = [
    `${PEER_LAB} on ${release}, ${rounds} rounds each, alternating (times in seconds, medians)`,
    table(
      ['run', 'wall', 'transfer', 'overhead'],
      [
        ['tool (npm run lab)', seconds(median(tool.map((r) => r.wallMs))), seconds(median(tool.map((r) => r.transferMs))), seconds(toolOverhead)],
        ['docker CLI peer (reproduce.sh)', seconds(median(peer.map((r) => r.wallMs))), seconds(median(peer.map((r) => r.transferMs))), seconds(peerOverhead)],
      ],
    ),
    `tool overhead / peer overhead: ×${(toolOverhead / peerOverhead).toFixed(2)} (target ≤ ×1.0)`,
    `process start to the first container create: ${seconds(median(tool.map((r) => r.phases.network!)))} s (target ≤ 0.3 s)`,
    `time to verdict (process start to the report printed, minus the transfer): ${seconds(verdictMs)} s (target ≤ 1.0 s)`,
    `verdicts: ${tool.filter((r) => r.passed).length}/${tool.length} passed`,
    '',
    "The tool's run, phase by phase (each from the mark before it):",
    table(['phase', 'what', 'median', 'min', 'max'], rows),
  ].join('\n');
  return { text, json: { lab: PEER_LAB, rounds, tool, peer, toolOverheadMs: toolOverhead, peerOverheadMs: peerOverhead, verdictMs } };
}

// The whole machine's busy CPU time in seconds, from /proc/stat (null where there is none: not Linux): Docker's work
// is done by dockerd, containerd, the shims, runc and the kernel, not by this process.
async function busyCpuSeconds(): Promise<number | null> {
  try {
    const fields = (await readFile('/proc/stat', 'utf8')).split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const idle = fields[3]! + (fields[4] ?? 0);
    return (fields.reduce((a, b) => a + b, 0) - idle) / 100;
  } catch {
    return null;
  }
}

interface EngineCosts {
  rounds: number;
  // Medians: wall milliseconds, and the machine's busy CPU seconds where /proc/stat tells.
  networkMs: number;
  networkCpuS: number | null;
  startMs: number;
  removeMs: number;
  containerCpuS: number | null;
  execMs: number;
  execCpuS: number | null;
}

// Docker's own cost on this machine, apart from any lab: a bridge network created and removed; a container of the
// client image created and started on it and force-removed; a `docker exec` of `true`. One after the other on an
// idle machine, so each CPU reading is that step's. A lab needs 1 network, 4 container starts (app, Nginx, client,
// the shaper) and 5 execs, whoever drives it.
async function measureEngine(image: string, count: number): Promise<EngineCosts> {
  const docker = getDocker();
  const runId = newRunId();
  const labels = runLabels('engine-bench', runId);
  const samples: Array<Record<'networkMs' | 'networkCpu' | 'startMs' | 'removeMs' | 'containerCpu' | 'execMs' | 'execCpu', number | null>> = [];
  const timed = async <T>(step: () => Promise<T>): Promise<{ value: T; ms: number; cpu: number | null }> => {
    const cpu = await busyCpuSeconds();
    const started = performance.now();
    const value = await step();
    const ms = performance.now() - started;
    const after = await busyCpuSeconds();
    return { value, ms, cpu: cpu === null || after === null ? null : after - cpu };
  };
  try {
    for (let i = 0; i < count; i += 1) {
      const name = `${networkName('engine-bench', runId)}-${i}`;
      const made = await timed(async () => docker.createNetwork({ Name: name, Driver: 'bridge', Labels: labels }));
      const start = await timed(async () => {
        const container = await docker.createContainer({
          name: `${containerName('engine-bench', 'client', runId)}-${i}`,
          Image: image,
          Labels: labels,
          HostConfig: { NetworkMode: name },
        });
        await container.start();
        return container;
      });
      const exec = await timed(async () => {
        const run = await start.value.exec({ Cmd: ['true'], AttachStdout: true, AttachStderr: true });
        const stream = await run.start({ hijack: true, stdin: false });
        await new Promise<void>((resolve) => {
          stream.on('end', resolve);
          stream.on('close', resolve);
          stream.resume();
        });
      });
      const removed = await timed(() => start.value.remove({ force: true }));
      const netGone = await timed(() => made.value.remove());
      samples.push({
        networkMs: made.ms + netGone.ms,
        networkCpu: made.cpu === null || netGone.cpu === null ? null : made.cpu + netGone.cpu,
        startMs: start.ms,
        removeMs: removed.ms,
        containerCpu: start.cpu === null || removed.cpu === null ? null : start.cpu + removed.cpu,
        execMs: exec.ms,
        execCpu: exec.cpu,
      });
    }
  } finally {
    await removeRun(runId).catch(() => undefined);
  }
  const med = (key: keyof (typeof samples)[number]) => {
    const values = samples.map((s) => s[key]);
    return values.some((v) => v === null) ? null : median(values as number[]);
  };
  return {
    rounds: count,
    networkMs: med('networkMs')!,
    networkCpuS: med('networkCpu'),
    startMs: med('startMs')!,
    removeMs: med('removeMs')!,
    containerCpuS: med('containerCpu'),
    execMs: med('execMs')!,
    execCpuS: med('execCpu'),
  };
}

// One lab's Docker work on this machine (1 network, 4 containers, 5 execs) in CPU seconds: what any driver pays.
function labFloorCpuS(e: EngineCosts): number | null {
  return e.networkCpuS === null || e.containerCpuS === null || e.execCpuS === null ? null : e.networkCpuS + 4 * e.containerCpuS + 5 * e.execCpuS;
}

function engineText(e: EngineCosts): string {
  const cpu = (v: number | null) => (v === null ? 'n/a' : v.toFixed(2));
  const floorCpu = labFloorCpuS(e);
  return [
    `Docker on this machine, apart from any lab (${e.rounds} rounds, medians; CPU: the whole machine's busy time)`,
    table(
      ['step', 'wall', 'CPU-s'],
      [
        ['bridge network created and removed', seconds(e.networkMs), cpu(e.networkCpuS)],
        ['container created and started on it', seconds(e.startMs), ''],
        ['container force-removed', seconds(e.removeMs), ''],
        ['  (that container, start and removal)', '', cpu(e.containerCpuS)],
        ['docker exec of `true`', seconds(e.execMs), cpu(e.execCpuS)],
      ],
    ),
    `one lab's Docker work (1 network, 4 containers, 5 execs), whoever drives it: ${floorCpu === null ? 'n/a' : `${floorCpu.toFixed(1)} CPU-s`}; its 4 starts one after the other: ${seconds(4 * e.startMs)} s`,
  ].join('\n');
}

async function main(): Promise<void> {
  await requireDocker();
  const results: Record<string, unknown> = { release, parallel, machine: { cores: (await import('node:os')).cpus().length } };

  if (values['fresh-only']) {
    console.error(`a fresh clone with the ${release} images removed, to the main lab's verdict…`);
    console.log(freshText(await measureFreshMachine()));
    return;
  }
  if (!values['no-cold'] && !values['peer-only'] && !values['check-only']) {
    console.error(`a fresh clone with the ${release} images removed, to the main lab's verdict…`);
    results.freshMachine = await measureFreshMachine();
  }
  // Every image the labs need, the fronts' among them: the fresh measure removed that one with the base it is built
  // on, and a warm run must not build it.
  await ensureImages(release, () => undefined, true);
  if (values['check-only']) {
    const check = await measureCheck();
    console.log(check.text);
    return;
  }
  results.cliStartMs = await measureCliStart();
  console.error('Docker on its own: a network, a container and an exec, 5 times…');
  const engine = await measureEngine((await ensureImages(release)).client, 5);
  results.engine = engine;
  const peer = await comparePeer();
  results.peer = peer.json;
  const check = values['no-check'] || values['peer-only'] ? null : await measureCheck();
  results.check = check?.json ?? null;
  if (values['peer-only']) {
    console.log(`${peer.text}\n\n${engineText(engine)}`);
    return;
  }

  const timings: LabTiming[] = [];
  const rates: Array<{ name: string; mode: string; askedBytesPerS: number; achievedBytesPerS: number; deviationPct: number }> = [];
  const noteRate = (run: LabRun) => {
    const asked = run.plan.client.rateBytesPerS;
    const achieved = run.observation.client.achievedRateBytesPerS;
    // Only downloads that ran their course say how well the throttle holds a rate.
    if (asked === null || achieved === null || run.observation.client.outcome !== 'complete') return;
    rates.push({
      name: run.name,
      mode: run.plan.client.throttle,
      askedBytesPerS: asked,
      achievedBytesPerS: achieved,
      deviationPct: Number((((achieved - asked) / asked) * 100).toFixed(2)),
    });
  };
  // Slow labs (a minute or more of transfer by design) are left out, as `--all` leaves them out: they measure the
  // physics, not the tool, and would make the longest single lab and `--all` say nothing about overhead.
  const loaded = await Promise.all(listLabNames().map((name) => loadLab(name, { release })));
  const entries = loaded.filter((entry) => !entry.lab.slow);
  results.slowLabsLeftOut = loaded.filter((entry) => entry.lab.slow).map((entry) => entry.name);
  for (const { name } of entries) {
    console.error(`warm run: ${name}`);
    const { timing, run } = await timeLab(name);
    timings.push(timing);
    noteRate(run);
  }
  for (const name of ['gevent-worker', 'raised-timeout']) {
    console.error(`warm run: ${name} --throttle reader`);
    noteRate((await timeLab(name, { throttle: 'reader' })).run);
  }
  results.labs = timings;
  results.rates = rates;

  console.error(`--all with --parallel ${parallel}…`);
  // The fronts' image is built before the clock starts (`setup --fronts`), as the other images are.
  await ensureImages(release, () => undefined, true);
  const cpuBefore = await busyCpuSeconds();
  const matrix = await runMatrix(entries, { parallel });
  const cpuAfter = await busyCpuSeconds();
  const allCpuS = cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore;
  const floorCpuS = labFloorCpuS(engine);
  const longest = timings.reduce((a, b) => (b.wallMs > a.wallMs ? b : a));
  results.all = {
    wallMs: matrix.wallMs,
    longestSingle: { name: longest.name, wallMs: longest.wallMs },
    ratio: Number((matrix.wallMs / longest.wallMs).toFixed(2)),
    // The physics of all the labs end to end: what a matrix run one lab at a time could not go below.
    transfersSumMs: timings.reduce((sum, t) => sum + t.transferMs, 0),
    passed: matrix.runs.filter((r) => r.verdict.passed).length,
    of: entries.length,
    // The machine's busy CPU over the whole --all, against its floor: every lab's Docker work as measured apart.
    cpuS: allCpuS,
    floorCpuS: floorCpuS === null ? null : floorCpuS * entries.length,
    cpuRatio: allCpuS === null || floorCpuS === null ? null : Number((allCpuS / (floorCpuS * entries.length)).toFixed(2)),
  };
  const all = results.all as { cpuS: number | null; floorCpuS: number | null; cpuRatio: number | null };

  const out = [
    `Benchmark on ${release}, ${(results.machine as { cores: number }).cores} cores (times in seconds)`,
    '',
    table(
      ['lab', 'wall', 'transfer', 'overhead', 'set-up', 'after transfer', 'verdict'],
      timings.map((t) => [
        t.name,
        seconds(t.wallMs),
        seconds(t.transferMs),
        seconds(t.overheadMs),
        seconds(t.setupMs),
        seconds(t.afterTransferMs),
        t.passed ? 'PASS' : 'FAIL',
      ]),
    ),
    '',
    `overhead per lab: median ${seconds(median(timings.map((t) => t.overheadMs)))} s, max ${seconds(Math.max(...timings.map((t) => t.overheadMs)))} s (target ≤ 1.5 s)`,
    `CLI start (node, the compiled CLI, labs loaded): ${seconds(results.cliStartMs as number)} s, on top of a run from the command line`,
    `--all (${entries.length} labs, --parallel ${parallel}${(results.slowLabsLeftOut as string[]).length ? `; slow labs left out, as --all does: ${(results.slowLabsLeftOut as string[]).join(', ')}` : ''}): ${seconds(matrix.wallMs)} s vs longest single lab ${longest.name} ${seconds(longest.wallMs)} s: ×${(results.all as { ratio: number }).ratio} (target ≤ ×1.3); the sum of every lab's transfer ${seconds((results.all as { transfersSumMs: number }).transfersSumMs)} s; ${matrix.runs.filter((r) => r.verdict.passed).length}/${entries.length} passed`,
    all.cpuS === null || all.floorCpuS === null
      ? '--all CPU: n/a (no /proc/stat)'
      : `--all CPU: ${all.cpuS.toFixed(1)} CPU-s (${(all.cpuS / entries.length).toFixed(2)} a lab) against its floor, ${entries.length} labs × one lab's Docker work ${floorCpuS!.toFixed(2)} CPU-s = ${all.floorCpuS.toFixed(1)} CPU-s: ×${all.cpuRatio} (a reader elsewhere compares this ratio, not the seconds)`,
    freshText(results.freshMachine as FreshSetup | undefined),
    '',
    table(
      ['throttled download', 'mode', 'asked', 'achieved', 'deviation'],
      rates.map((r) => [
        r.name,
        r.mode,
        `${formatBytes(r.askedBytesPerS)}/s`,
        `${formatBytes(r.achievedBytesPerS)}/s`,
        `${r.deviationPct > 0 ? '+' : ''}${r.deviationPct} %`,
      ]),
    ),
    `largest rate deviation: ${Math.max(...rates.map((r) => Math.abs(r.deviationPct)))} % (target ±5 %)`,
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

function freshText(fresh: FreshSetup | undefined): string {
  if (!fresh) return 'fresh machine: skipped (--no-cold)';
  const steps = Object.entries(fresh.steps)
    .map(([step, s]) => `${step} ${s} s`)
    .join(', ');
  return `fresh clone, ${release} images removed, engine running, to the main lab's verdict (\`npm run setup && npm run lab -- proxy-buffering-off\`): ${seconds(fresh.ms)} s (target ≤ ${FRESH_TARGET_S} s; where the engine must start too, setup's own step adds about a second here); its steps: ${steps}`;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

// Ctrl-C removes the run under way before exiting.
process.on('SIGINT', () => void teardownActiveRuns().finally(() => process.exit(130)));
await main();
process.exit(0);
