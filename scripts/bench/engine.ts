// Docker's own cost on this machine, apart from any lab, and the machine's busy CPU time.
import { readFile } from 'node:fs/promises';
import { getDocker } from '../../src/docker/docker-client.ts';
import { containerName, networkName, newRunId, runLabels } from '../../src/topology/names.ts';
import { removeRun } from '../../src/topology/teardown.ts';
import { median, seconds, table } from './format.ts';

// The whole machine's busy CPU time in seconds, from /proc/stat (null where there is none: not Linux): Docker's work
// is done by dockerd, containerd, the shims, runc and the kernel, not by this process.
export async function busyCpuSeconds(): Promise<number | null> {
  try {
    const fields = (await readFile('/proc/stat', 'utf8')).split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const idle = fields[3]! + (fields[4] ?? 0);
    return (fields.reduce((a, b) => a + b, 0) - idle) / 100;
  } catch {
    return null;
  }
}

export interface EngineCosts {
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
// the shaper) and 3 execs (the readiness wait, the download, Nginx's memory and temp-file peak; the app's checksum
// and peak memory come from its log and Docker's stats), whoever drives it.
export async function measureEngine(image: string, count: number): Promise<EngineCosts> {
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

// One lab's Docker work on this machine (1 network, 4 containers, 3 execs) in CPU seconds: what any driver pays.
export function labFloorCpuS(e: EngineCosts): number | null {
  return e.networkCpuS === null || e.containerCpuS === null || e.execCpuS === null ? null : e.networkCpuS + 4 * e.containerCpuS + 3 * e.execCpuS;
}

export function engineText(e: EngineCosts): string {
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
    `one lab's Docker work (1 network, 4 containers, 3 execs), whoever drives it: ${floorCpu === null ? 'n/a' : `${floorCpu.toFixed(1)} CPU-s`}; its 4 starts one after the other: ${seconds(4 * e.startMs)} s`,
  ].join('\n');
}
