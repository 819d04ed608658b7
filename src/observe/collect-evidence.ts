// Collects the raw evidence of a run from Docker before teardown: each container's logs (timestamped) and peak memory.
import { getDocker } from '../docker/docker-client.ts';
import type { Role } from '../topology/names.ts';
import { execStreaming } from '../topology/exec-streaming.ts';
import type { Topology } from '../topology/start-topology.ts';
import { demuxDockerLog, type LogStreams } from './docker-log.ts';

export interface Evidence {
  logs: Partial<Record<Role, LogStreams>>;
  memoryPeakBytes: Partial<Record<Role, number | null>>;
}

// The container's peak memory from its cgroup (v1, then v2's peak, then v2's current use): docker stats
// would take a second to sample.
const READ_MEMORY_PEAK =
  'cat /sys/fs/cgroup/memory/memory.max_usage_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.peak 2>/dev/null || cat /sys/fs/cgroup/memory.current';

async function memoryPeak(id: string): Promise<number | null> {
  const { exitCode, stdout } = await execStreaming(id, ['sh', '-c', READ_MEMORY_PEAK]);
  const bytes = Number(stdout.trim());
  return exitCode === 0 && Number.isFinite(bytes) && bytes > 0 ? bytes : null;
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
