// Each lab's warm run timed alone (wall, transfer, the machine's CPU), the throttle's achieved rates, and `--all`
// against the lone runs: its wall against the longest lab and against the floor the machine's cores allow.
import { execa } from 'execa';
import type { MatrixEntry } from '../../src/run-matrix.ts';
import { runMatrix } from '../../src/run-matrix.ts';
import { loadLab } from '../../src/lab/load-lab.ts';
import { formatBytes } from '../../src/lab/parse-size.ts';
import type { Release } from '../../src/lab/schema.ts';
import type { RunRecord } from '../../src/run/run-record.ts';
import { runLab } from '../../src/run-lab.ts';
import { busyCpuSeconds } from './engine.ts';
import { median, seconds, table } from './format.ts';

export interface LabTiming {
  name: string;
  wallMs: number;
  transferMs: number;
  overheadMs: number;
  startMs: number;
  afterTransferMs: number;
  // The whole machine's busy CPU over the run (null without /proc/stat): nearly all of it Docker's.
  cpuS: number | null;
  passed: boolean;
}

export interface RateSample {
  name: string;
  mode: string;
  askedBytesPerS: number;
  achievedBytesPerS: number;
  deviationPct: number;
}

export async function measureCliStart(): Promise<number> {
  const started = Date.now();
  await execa('node', ['scripts/lab.mjs', '--list'], { env: { TSX_DISABLE_CACHE: '1' } });
  return Date.now() - started;
}

export async function timeLab(release: Release, name: string, overrides = {}): Promise<{ timing: LabTiming; run: RunRecord }> {
  const { lab } = await loadLab(name, { release, ...overrides });
  const cpuBefore = await busyCpuSeconds();
  const started = Date.now();
  const run = await runLab(name, lab);
  const wallMs = Date.now() - started;
  const cpuAfter = await busyCpuSeconds();
  const { startMs } = run.observation.timings;
  // What the lab inherently needs: the client's transfer, however it ended (complete, or cut by the kill).
  const transferMs = run.observation.client.durationMs;
  return {
    run,
    timing: {
      name,
      wallMs,
      transferMs,
      overheadMs: wallMs - transferMs,
      startMs,
      afterTransferMs: wallMs - startMs - transferMs,
      cpuS: cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore,
      passed: run.verdict.passed,
    },
  };
}

// Only downloads that ran their course say how well the throttle holds a rate.
export function rateSample(run: RunRecord): RateSample | null {
  const asked = run.plan.client.rateBytesPerS;
  const achieved = run.observation.client.achievedRateBytesPerS;
  if (asked === null || achieved === null || run.observation.client.outcome !== 'complete') return null;
  return {
    name: run.name,
    mode: run.plan.client.throttle,
    askedBytesPerS: asked,
    achievedBytesPerS: achieved,
    deviationPct: Number((((achieved - asked) / asked) * 100).toFixed(2)),
  };
}

export interface AllTiming {
  parallel: number;
  wallMs: number;
  longestSingle: { name: string; wallMs: number };
  ratio: number;
  // The physics of all the labs end to end: what a matrix run one lab at a time could not go below.
  transfersSumMs: number;
  passed: number;
  of: number;
  // The machine's busy CPU over the whole --all.
  cpuS: number | null;
  // What the cores allow: every lab's CPU when run alone, summed, over the cores (or the longest lab, if longer).
  floorWallMs: number | null;
  // Every lab's Docker work as measured apart from any lab (one network, four containers, three execs a lab).
  dockerFloorCpuS: number | null;
}

// The wall `--all` can't go below on this machine: the lone runs' CPU spread over every core, and never less than the
// longest lab itself.
export function floorWallMs(timings: LabTiming[], cores: number): number | null {
  if (timings.some((t) => t.cpuS === null)) return null;
  const cpuMs = timings.reduce((sum, t) => sum + t.cpuS! * 1000, 0);
  return Math.max(cpuMs / cores, ...timings.map((t) => t.wallMs));
}

export async function timeAll(
  entries: MatrixEntry[],
  timings: LabTiming[],
  parallel: number,
  cores: number,
  dockerFloorCpuS: number | null,
): Promise<AllTiming> {
  const cpuBefore = await busyCpuSeconds();
  const matrix = await runMatrix(entries, { parallel });
  const cpuAfter = await busyCpuSeconds();
  const longest = timings.reduce((a, b) => (b.wallMs > a.wallMs ? b : a));
  return {
    parallel,
    wallMs: matrix.wallMs,
    longestSingle: { name: longest.name, wallMs: longest.wallMs },
    ratio: Number((matrix.wallMs / longest.wallMs).toFixed(2)),
    transfersSumMs: timings.reduce((sum, t) => sum + t.transferMs, 0),
    passed: matrix.runs.filter((r) => r.verdict.passed).length,
    of: entries.length,
    cpuS: cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore,
    floorWallMs: floorWallMs(timings, cores),
    dockerFloorCpuS: dockerFloorCpuS === null ? null : dockerFloorCpuS * entries.length,
  };
}

export function labsText(timings: LabTiming[]): string {
  const cpu = (v: number | null) => (v === null ? 'n/a' : v.toFixed(1));
  return [
    table(
      ['lab', 'wall', 'transfer', 'overhead', 'start', 'after transfer', 'CPU-s', 'verdict'],
      timings.map((t) => [
        t.name,
        seconds(t.wallMs),
        seconds(t.transferMs),
        seconds(t.overheadMs),
        seconds(t.startMs),
        seconds(t.afterTransferMs),
        cpu(t.cpuS),
        t.passed ? 'PASS' : 'FAIL',
      ]),
    ),
    '',
    `overhead per lab: median ${seconds(median(timings.map((t) => t.overheadMs)))} s, max ${seconds(Math.max(...timings.map((t) => t.overheadMs)))} s (target ≤ 1.5 s)`,
  ].join('\n');
}

export function allText(all: AllTiming, slowLeftOut: string[], peerCpuS: number | null): string {
  const lines = [
    `--all (${all.of} labs, --parallel ${all.parallel}${slowLeftOut.length ? `; slow labs left out, as --all does: ${slowLeftOut.join(', ')}` : ''}): ${seconds(all.wallMs)} s vs longest single lab ${all.longestSingle.name} ${seconds(all.longestSingle.wallMs)} s: ×${all.ratio}; the sum of every lab's transfer ${seconds(all.transfersSumMs)} s; ${all.passed}/${all.of} passed`,
  ];
  if (all.floorWallMs !== null)
    lines.push(
      `--all's floor on this machine (the lone runs' CPU over the cores, at least the longest lab): ${seconds(all.floorWallMs)} s; --all took ×${(all.wallMs / all.floorWallMs).toFixed(2)} of it`,
    );
  if (all.cpuS !== null) {
    const perLab = all.cpuS / all.of;
    const against = [
      all.dockerFloorCpuS === null
        ? null
        : `one lab's Docker work measured apart ${(all.dockerFloorCpuS / all.of).toFixed(2)} CPU-s (×${(all.cpuS / all.dockerFloorCpuS).toFixed(2)})`,
      peerCpuS === null ? null : `the docker CLI peer's ${peerCpuS.toFixed(2)} CPU-s a run (×${(perLab / peerCpuS).toFixed(2)})`,
    ].filter(Boolean);
    lines.push(
      `--all CPU: ${all.cpuS.toFixed(1)} CPU-s, ${perLab.toFixed(2)} a lab, against ${against.join(' and ')} (compare ratios between machines, not seconds)`,
    );
  } else lines.push('--all CPU: n/a (no /proc/stat)');
  return lines.join('\n');
}

export function ratesText(rates: RateSample[]): string {
  return [
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
  ].join('\n');
}
