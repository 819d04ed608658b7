// The benchmark: measures on this machine the cold set-up, each lab's warm wall time and overhead, `--all`
// against the longest single lab, and how close the client's achieved rate is to the asked rate.
// Usage: npm run bench [-- --stack trixie] [--no-cold] [--parallel N]
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { execa } from 'execa';
import { getDocker, requireDocker } from '../src/docker/docker-client.ts';
import { ensureImages } from '../src/images/build-images.ts';
import { listLabNames, loadLab } from '../src/lab/load-lab.ts';
import { formatBytes } from '../src/lab/parse-size.ts';
import type { Stack } from '../src/lab/schema.ts';
import type { LabRun } from '../src/lab/lab-run.ts';
import { DEFAULT_RUNS_DIR, runLab } from '../src/run-lab.ts';
import { runMatrix } from '../src/run-matrix.ts';
import { teardownActiveRuns } from '../src/topology/active-runs.ts';
import { newRunId } from '../src/topology/names.ts';

const { values } = parseArgs({ options: { stack: { type: 'string' }, 'no-cold': { type: 'boolean' }, parallel: { type: 'string' } } });
const stack = (values.stack ?? 'bookworm') as Stack;
const parallel = Number(values.parallel ?? 6);
const seconds = (ms: number) => Number((ms / 1000).toFixed(2));

function table(header: string[], rows: Array<Array<string | number>>): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), line(widths.map((w) => '─'.repeat(w))), ...cells.slice(1).map(line)].join('\n');
}

// Cold set-up: the stack's images removed (the base too), then the base bootstrapped and the images built again.
async function measureColdSetup(): Promise<{ ms: number; removed: number }> {
  const docker = getDocker();
  const images = await docker.listImages({ filters: { reference: ['gunicorn-lab/*'] } });
  const ours = images.filter((i) => (i.RepoTags ?? []).some((tag) => tag.includes(`:${stack}`)));
  for (const image of ours) await docker.getImage(image.Id).remove({ force: true });
  const started = Date.now();
  await ensureImages(stack, (line) => console.error(`  ${line}`));
  return { ms: Date.now() - started, removed: ours.length };
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
  const { lab } = await loadLab(name, { stack, ...overrides });
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

async function main(): Promise<void> {
  await requireDocker();
  const results: Record<string, unknown> = { stack, parallel, machine: { cores: (await import('node:os')).cpus().length } };

  if (!values['no-cold']) {
    console.error(`cold set-up of the ${stack} images…`);
    results.coldSetup = await measureColdSetup();
  } else {
    await ensureImages(stack);
  }
  results.cliStartMs = await measureCliStart();

  const timings: LabTiming[] = [];
  const rates: Array<{ name: string; mode: string; askedBytesPerS: number; achievedBytesPerS: number; deviationPct: number }> = [];
  const noteRate = (run: LabRun) => {
    const asked = run.lab.client.rateBytesPerS;
    const achieved = run.observation.client.achievedRateBytesPerS;
    // Only downloads that ran their course say how well the throttle holds a rate.
    if (asked === null || achieved === null || run.observation.client.outcome !== 'complete') return;
    rates.push({ name: run.name, mode: run.lab.client.throttle, askedBytesPerS: asked, achievedBytesPerS: achieved, deviationPct: Number((((achieved - asked) / asked) * 100).toFixed(2)) });
  };
  // Slow labs (a minute or more of transfer by design) are left out, as `--all` leaves them out: they measure the
  // physics, not the tool, and would make the longest single lab and `--all` say nothing about overhead.
  const loaded = await Promise.all(listLabNames().map((name) => loadLab(name, { stack })));
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
  const matrix = await runMatrix(entries, { parallel });
  const longest = timings.reduce((a, b) => (b.wallMs > a.wallMs ? b : a));
  results.all = {
    wallMs: matrix.wallMs,
    longestSingle: { name: longest.name, wallMs: longest.wallMs },
    ratio: Number((matrix.wallMs / longest.wallMs).toFixed(2)),
    passed: matrix.runs.filter((r) => r.verdict.passed).length,
    of: entries.length,
  };

  const out = [
    `Benchmark on ${stack}, ${(results.machine as { cores: number }).cores} cores (times in seconds)`,
    '',
    table(
      ['lab', 'wall', 'transfer', 'overhead', 'set-up', 'after transfer', 'verdict'],
      timings.map((t) => [t.name, seconds(t.wallMs), seconds(t.transferMs), seconds(t.overheadMs), seconds(t.setupMs), seconds(t.afterTransferMs), t.passed ? 'PASS' : 'FAIL']),
    ),
    '',
    `overhead per lab: median ${seconds(median(timings.map((t) => t.overheadMs)))} s, max ${seconds(Math.max(...timings.map((t) => t.overheadMs)))} s (target ≤ 1.5 s)`,
    `CLI start (node, the compiled CLI, labs loaded): ${seconds(results.cliStartMs as number)} s, on top of a run from the command line`,
    `--all (${entries.length} labs, --parallel ${parallel}${(results.slowLabsLeftOut as string[]).length ? `; slow labs left out, as --all does: ${(results.slowLabsLeftOut as string[]).join(', ')}` : ''}): ${seconds(matrix.wallMs)} s vs longest single lab ${longest.name} ${seconds(longest.wallMs)} s: ×${(results.all as { ratio: number }).ratio} (target ≤ ×1.3); ${matrix.runs.filter((r) => r.verdict.passed).length}/${entries.length} passed`,
    results.coldSetup ? `cold set-up of the ${stack} images (base bootstrap + 3 builds): ${seconds((results.coldSetup as { ms: number }).ms)} s` : 'cold set-up: skipped (--no-cold)',
    '',
    table(
      ['throttled download', 'mode', 'asked', 'achieved', 'deviation'],
      rates.map((r) => [r.name, r.mode, `${formatBytes(r.askedBytesPerS)}/s`, `${formatBytes(r.achievedBytesPerS)}/s`, `${r.deviationPct > 0 ? '+' : ''}${r.deviationPct} %`]),
    ),
    `largest rate deviation: ${Math.max(...rates.map((r) => Math.abs(r.deviationPct)))} % (target ±5 %)`,
  ].join('\n');
  const dir = path.join(DEFAULT_RUNS_DIR, '_bench', newRunId());
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'bench.json'), `${JSON.stringify(results, null, 2)}\n`);
  await writeFile(path.join(dir, 'bench.txt'), `${out}\n`);
  console.log(out);
  console.log(`\nWritten: ${path.relative(process.cwd(), dir)}/bench.json and bench.txt`);
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
