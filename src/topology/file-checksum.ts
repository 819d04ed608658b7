// The served file's checksum, as the lab app's entrypoint writes it: to a file beside the file, and as a line of its
// log (`lab-file-sha256 <hex>`), which the run reads with the server's lines instead of an exec into the container
// (each exec costs the engine a runc start: about 0.2 CPU-seconds on a 2-core machine of the project's kind).
import { getDocker } from '../docker/docker-client.ts';
import { demuxDockerLog } from '../docker/docker-log.ts';
import { execStreaming } from './exec-streaming.ts';

const LINE = /^lab-file-sha256 ([0-9a-f]{64})$/m;

export function checksumFromLog(stdout: string): string | null {
  return LINE.exec(stdout)?.[1] ?? null;
}

// The entrypoint logs the line before the server starts, so it is there once the server is; the engine may copy a
// container's stdout a moment behind its stderr, so it is looked for up to a second, then read from the file.
export async function readFileChecksum(containerId: string, file: string, waitMs = 1000): Promise<string> {
  const container = getDocker().getContainer(containerId);
  for (const started = Date.now(); ; await new Promise((r) => setTimeout(r, 50))) {
    const buffer = (await container.logs({ stdout: true, stderr: false, follow: false })) as unknown as Buffer;
    const found = checksumFromLog(demuxDockerLog(buffer).stdout);
    if (found) return found;
    if (Date.now() - started >= waitMs) break;
  }
  return (await execStreaming(containerId, ['cat', file])).stdout.trim();
}
