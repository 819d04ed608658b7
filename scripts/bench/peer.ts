// One lab from the command line against the same lab by hand with the docker CLI (the run's own reproduce.sh: the
// same images, rendered config and commands), alternating, and the tool's run phase by phase.
import { execa } from 'execa';
import path from 'node:path';
import type { Release } from '../../src/lab/schema.ts';
import { busyCpuSeconds } from './engine.ts';
import { median, seconds, table } from './format.ts';

// The lab the tool and its docker CLI peer both run, and how many times each.
export const PEER_LAB = 'gevent-worker';
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

export interface ToolRound {
  wallMs: number;
  transferMs: number;
  // The whole machine's busy CPU over the round (null without /proc/stat).
  cpuS: number | null;
  phases: Record<string, number>;
  runDir: string;
  passed: boolean;
}

// One run from the command line, as a user starts it, with its phase marks.
async function toolRound(release: Release): Promise<Omit<ToolRound, 'cpuS'>> {
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
export interface PeerRound {
  wallMs: number;
  transferMs: number;
  cpuS: number | null;
}

// A step's wall and the machine's busy CPU over it.
async function withCpu<T>(step: () => Promise<T>): Promise<T & { cpuS: number | null }> {
  const before = await busyCpuSeconds();
  const value = await step();
  const after = await busyCpuSeconds();
  return { ...value, cpuS: before === null || after === null ? null : after - before };
}

async function peerRound(runDir: string): Promise<Omit<PeerRound, 'cpuS'>> {
  const started = performance.now();
  const { stdout } = await execa('sh', [path.join(runDir, 'reproduce.sh')]);
  const wallMs = performance.now() - started;
  const seconds = /^client: .* in (\d+\.\d+) s/m.exec(stdout)?.[1];
  if (!seconds) throw new Error(`reproduce.sh printed no client line: ${stdout.slice(-500)}`);
  return { wallMs, transferMs: Number(seconds) * 1000 };
}

export interface PeerComparison {
  lab: string;
  rounds: number;
  tool: ToolRound[];
  peer: PeerRound[];
  toolOverheadMs: number;
  peerOverheadMs: number;
  // Medians of the machine's busy CPU a round (null without /proc/stat).
  toolCpuS: number | null;
  peerCpuS: number | null;
  verdictMs: number;
}

const medianCpu = (rounds: Array<{ cpuS: number | null }>) => (rounds.some((r) => r.cpuS === null) ? null : median(rounds.map((r) => r.cpuS!)));

export async function comparePeer(release: Release, rounds: number): Promise<{ text: string; json: PeerComparison }> {
  const tool: ToolRound[] = [];
  const peer: PeerRound[] = [];
  // A first run of each, not counted: images checked, caches warm.
  const warm = await toolRound(release);
  await peerRound(warm.runDir);
  for (let i = 0; i < rounds; i += 1) {
    console.error(`peer comparison ${i + 1}/${rounds}: ${PEER_LAB} from the command line, then by hand with the docker CLI`);
    const round = await withCpu(() => toolRound(release));
    tool.push(round);
    peer.push(await withCpu(() => peerRound(round.runDir)));
  }
  const toolOverhead = median(tool.map((r) => r.wallMs - r.transferMs));
  const peerOverhead = median(peer.map((r) => r.wallMs - r.transferMs));
  const toolCpuS = medianCpu(tool);
  const peerCpuS = medianCpu(peer);
  const cpu = (v: number | null) => (v === null ? 'n/a' : v.toFixed(2));
  const verdictMs = median(tool.map((r) => r.phases.printed! - (r.phases.transferred! - r.phases.transfer!)));
  const rows = PHASES.map(([phase, what], i) => {
    const spans = tool.map((r) => r.phases[phase]! - (i === 0 ? 0 : r.phases[PHASES[i - 1]![0]]!));
    return [phase, what, seconds(median(spans)), seconds(Math.min(...spans)), seconds(Math.max(...spans))];
  });
  rows.push(['(process end)', 'after exit() until the parent saw the process end', seconds(median(tool.map((r) => r.wallMs - r.phases.exit!))), '', '']);
  const text = [
    `${PEER_LAB} on ${release}, ${rounds} rounds each, alternating (times in seconds, medians)`,
    table(
      ['run', 'wall', 'transfer', 'overhead', 'CPU-s'],
      [
        [
          'tool (npm run lab)',
          seconds(median(tool.map((r) => r.wallMs))),
          seconds(median(tool.map((r) => r.transferMs))),
          seconds(toolOverhead),
          cpu(toolCpuS),
        ],
        [
          'docker CLI peer (reproduce.sh)',
          seconds(median(peer.map((r) => r.wallMs))),
          seconds(median(peer.map((r) => r.transferMs))),
          seconds(peerOverhead),
          cpu(peerCpuS),
        ],
      ],
    ),
    `tool overhead / peer overhead: ×${(toolOverhead / peerOverhead).toFixed(2)} (target ≤ ×1.0); CPU ×${toolCpuS === null || peerCpuS === null ? 'n/a' : (toolCpuS / peerCpuS).toFixed(2)}`,
    `process start to the first container create: ${seconds(median(tool.map((r) => r.phases.network!)))} s (target ≤ 0.3 s)`,
    `time to verdict (process start to the report printed, minus the transfer): ${seconds(verdictMs)} s (target ≤ 1.0 s)`,
    `verdicts: ${tool.filter((r) => r.passed).length}/${tool.length} passed`,
    '',
    "The tool's run, phase by phase (each from the mark before it):",
    table(['phase', 'what', 'median', 'min', 'max'], rows),
  ].join('\n');
  return { text, json: { lab: PEER_LAB, rounds, tool, peer, toolOverheadMs: toolOverhead, peerOverheadMs: peerOverhead, toolCpuS, peerCpuS, verdictMs } };
}
