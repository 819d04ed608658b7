// Collects the raw evidence of a run from Docker before teardown: each container's logs (timestamped) and memory.
import { containersHaveOwnCgroups, engineKind, getDocker } from '../docker/docker-client.ts';
import type { Role } from '../topology/names.ts';
import { execStreaming } from '../topology/exec-streaming.ts';
import type { Topology } from '../topology/start-topology.ts';
import { demuxDockerLog, type LogStreams } from '../docker/docker-log.ts';

// A container's memory: its peak where the cgroup keeps one, else only what it uses now (said as such).
export interface MemoryReading {
  bytes: number;
  kind: 'peak' | 'current';
}

export interface Evidence {
  logs: Partial<Record<Role, LogStreams>>;
  memory: Partial<Record<Role, MemoryReading | null>>;
  // The peak bytes of Nginx's temp files, sampled every 200 ms during the run; null where not sampled.
  nginxTempPeakBytes?: number | null;
}

export function parseTempPeak(text: string): number | null {
  const trimmed = text.trim();
  return /^\d+$/.test(trimmed) ? Number(trimmed) : null;
}

// From the cgroup (v1's max usage, then v2's peak, then v2's current use, which older kernels alone have):
// docker stats would take a second to sample.
const READ_MEMORY =
  'if [ -r /sys/fs/cgroup/memory/memory.max_usage_in_bytes ]; then echo peak $(cat /sys/fs/cgroup/memory/memory.max_usage_in_bytes); ' +
  'elif [ -r /sys/fs/cgroup/memory.peak ]; then echo peak $(cat /sys/fs/cgroup/memory.peak); ' +
  'else echo current $(cat /sys/fs/cgroup/memory.current); fi';

export function parseMemoryReading(text: string): MemoryReading | null {
  const [kind, value] = text.trim().split(/\s+/);
  const bytes = Number(value);
  return (kind === 'peak' || kind === 'current') && Number.isFinite(bytes) && bytes > 0 ? { bytes, kind } : null;
}

// One command per container: its memory, and where asked its temp-file peak (a file it keeps), on a second line.
async function readUsage(id: string, tempPeakFile?: string | null): Promise<{ memory: MemoryReading | null; tempPeak: number | null }> {
  const script = tempPeakFile ? `${READ_MEMORY}; echo temp $(cat '${tempPeakFile}' 2>/dev/null)` : READ_MEMORY;
  const { exitCode, stdout } = await execStreaming(id, ['sh', '-c', script]);
  if (exitCode !== 0) return { memory: null, tempPeak: null };
  const [memoryLine = '', ...rest] = stdout.split('\n');
  const tempLine = rest.find((line) => line.startsWith('temp'));
  return { memory: parseMemoryReading(memoryLine), tempPeak: tempLine === undefined ? null : parseTempPeak(tempLine.slice('temp'.length)) };
}

// Docker's stats, where no exec into the container should or need be made: a user's own container is never exec'd
// into, and on Docker a lab's app's peak comes from here (an exec's runc start costs about 0.2 CPU-seconds here).
// cgroup v1 keeps a peak; else the current use, said as such, or with `peakOnly` nothing (the exec then reads
// cgroup v2's peak). Docker takes one sample (`one-shot`), not the two a CPU figure needs; Podman's compatible stats
// are asked as before.
async function readStatsMemory(id: string, options: { peakOnly?: boolean } = {}): Promise<MemoryReading | null> {
  try {
    const query = engineKind() === 'docker' ? { stream: false, 'one-shot': true } : { stream: false };
    const stats = (await getDocker()
      .getContainer(id)
      .stats(query as { stream: false })) as { memory_stats?: { max_usage?: number; usage?: number } };
    const m = stats.memory_stats;
    if (m?.max_usage) return { bytes: m.max_usage, kind: 'peak' };
    return !options.peakOnly && m?.usage ? { bytes: m.usage, kind: 'current' } : null;
  } catch {
    return null;
  }
}

// The evidence once the lines `missing` asks for are in (the kill's and the last byte's lines come a moment after
// the client sees the end), or at the deadline: logs re-read every 50 ms, memory read once at the end.
export async function collectSettledEvidence(
  topology: Topology,
  missing: (evidence: Evidence) => string[],
  deadlineMs: number,
): Promise<{ evidence: Evidence; waitedMs: number; missing: string[] }> {
  const started = Date.now();
  for (;;) {
    const logs = await readLogs(topology);
    const lacking = missing({ logs, memory: {} });
    if (!lacking.length || Date.now() - started >= deadlineMs) {
      const evidence = await collectEvidence(topology, logs);
      return { evidence, waitedMs: Date.now() - started, missing: lacking };
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function readLogs(topology: Topology): Promise<Evidence['logs']> {
  const logs: Evidence['logs'] = {};
  await Promise.all(
    (Object.entries(topology.containers) as Array<[Role, { id: string }]>).map(async ([role, { id }]) => {
      const since = topology.foreignRoles?.includes(role) ? { since: topology.logsSinceS ?? 0 } : {};
      const buffer = (await getDocker()
        .getContainer(id)
        .logs({ stdout: true, stderr: true, timestamps: true, follow: false, ...since })) as unknown as Buffer;
      logs[role] = demuxDockerLog(buffer);
    }),
  );
  return logs;
}

export async function collectEvidence(topology: Topology, logs?: Evidence['logs']): Promise<Evidence> {
  const evidence: Evidence = { logs: logs ?? (await readLogs(topology)), memory: {}, nginxTempPeakBytes: null };
  // Where containers share the user's cgroup (rootless Podman on cgroup v1), a reading is not the container's: none.
  const ownCgroups = await containersHaveOwnCgroups();
  await Promise.all(
    (Object.entries(topology.containers) as Array<[Role, { id: string }]>)
      .filter(([role]) => role !== 'client')
      .map(async ([role, { id }]) => {
        if (topology.foreignRoles?.includes(role)) {
          evidence.memory[role] = ownCgroups ? await readStatsMemory(id) : null;
          return;
        }
        const tempPeakFile = role === 'nginx' ? topology.nginxTempPeakFile : null;
        if (!tempPeakFile && ownCgroups && engineKind() === 'docker') {
          const peak = await readStatsMemory(id, { peakOnly: true });
          if (peak) {
            evidence.memory[role] = peak;
            return;
          }
        }
        const read = await readUsage(id, tempPeakFile);
        evidence.memory[role] = ownCgroups ? read.memory : null;
        if (tempPeakFile) evidence.nginxTempPeakBytes = read.tempPeak;
      }),
  );
  return evidence;
}
