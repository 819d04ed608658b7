// Readiness, waited for here rather than by a wait strategy (testcontainers' removes a container that fails its
// wait, and with it the log lines that say why): a log line seen N times within a deadline; a container that stops
// first ends the wait at once. Whether a service accepts connections is waited for from the client (wait-ready.py).
import { PassThrough } from 'node:stream';
import { getDocker } from '../docker/docker-client.ts';
import type { Readiness } from './topology-spec.ts';

export class NotReadyError extends Error {}

async function exitedSaying(id: string): Promise<string | null> {
  const state = await getDocker()
    .getContainer(id)
    .inspect()
    .then(
      (info) => info.State,
      () => null,
    );
  if (!state) return 'it is gone';
  return state.Running ? null : `it exited (code ${state.ExitCode})`;
}

function waitForLog(id: string, pattern: RegExp, times: number, timeoutMs: number): Promise<void> {
  const docker = getDocker();
  return new Promise<void>((resolve, reject) => {
    let seen = 0;
    let partial = '';
    let settled = false;
    let stream: NodeJS.ReadableStream & { destroy?: () => void };
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      stream?.destroy?.();
      if (error) reject(error);
      else resolve();
    };
    const timer = setTimeout(
      () => finish(new NotReadyError(`"${pattern.source}" was logged ${seen} of ${times} time(s) within ${timeoutMs / 1000} s`)),
      timeoutMs,
    );
    docker
      .getContainer(id)
      .logs({ follow: true, stdout: true, stderr: true })
      .then((s) => {
        stream = s as typeof stream;
        if (settled) return stream.destroy?.();
        const lines = new PassThrough();
        docker.modem.demuxStream(stream, lines, lines);
        lines.on('data', (chunk: Buffer) => {
          const parts = (partial + chunk.toString()).split('\n');
          partial = parts.pop() ?? '';
          seen += parts.filter((line) => pattern.test(line)).length;
          if (seen >= times) finish();
        });
        // The log stream ends when the container stops.
        stream.on('end', () => {
          void exitedSaying(id).then((why) => finish(new NotReadyError(`${why ?? 'its log ended'} before "${pattern.source}" was logged ${times} time(s)`)));
        });
        stream.on('error', (error: Error) => finish(error));
      }, finish);
  });
}

export async function waitReady(id: string, ready: Readiness, timeoutMs: number): Promise<void> {
  if (ready === null) return;
  return waitForLog(id, ready.log, ready.times, timeoutMs);
}
