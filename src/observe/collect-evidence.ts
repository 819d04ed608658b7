// Collects the raw evidence of a run from Docker before teardown: each container's logs (timestamped) and peak memory.
import { getDocker } from '../docker/docker-client.ts';
import type { Role } from '../topology/names.ts';
import type { Topology } from '../topology/start-topology.ts';
import { demuxDockerLog, type LogStreams } from './docker-log.ts';

export interface Evidence {
  logs: Partial<Record<Role, LogStreams>>;
  memoryPeakBytes: Partial<Record<Role, number | null>>;
}

interface MemoryStats {
  memory_stats?: { max_usage?: number; usage?: number };
}

async function memoryPeak(id: string): Promise<number | null> {
  const stats = (await getDocker().getContainer(id).stats({ stream: false })) as unknown as MemoryStats;
  // cgroup v1 keeps the peak (max_usage); v2 reports only the current usage.
  return stats.memory_stats?.max_usage ?? stats.memory_stats?.usage ?? null;
}

export async function collectEvidence(topology: Topology): Promise<Evidence> {
  const evidence: Evidence = { logs: {}, memoryPeakBytes: {} };
  await Promise.all(
    (Object.entries(topology.containers) as Array<[Role, { id: string }]>).map(async ([role, { id }]) => {
      const container = getDocker().getContainer(id);
      const buffer = (await container.logs({ stdout: true, stderr: true, timestamps: true, follow: false })) as unknown as Buffer;
      evidence.logs[role] = demuxDockerLog(buffer);
      if (role !== 'client') evidence.memoryPeakBytes[role] = await memoryPeak(id);
    }),
  );
  return evidence;
}
