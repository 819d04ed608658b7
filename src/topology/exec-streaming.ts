// Runs a command in a container and hands each stdout line over as it arrives (testcontainers' exec waits for the end).
import { PassThrough } from 'node:stream';
import { getDocker } from '../docker/docker-client.ts';

export interface ExecResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

export async function execStreaming(containerId: string, cmd: string[], onLine: (line: string) => void = () => undefined): Promise<ExecResult> {
  const docker = getDocker();
  const exec = await docker.getContainer(containerId).exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({ hijack: true, stdin: false });
  const out = new PassThrough();
  const err = new PassThrough();
  docker.modem.demuxStream(stream, out, err);
  let stdout = '';
  let stderr = '';
  let partial = '';
  out.on('data', (chunk: Buffer) => {
    const text = chunk.toString();
    stdout += text;
    const lines = (partial + text).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) onLine(line);
  });
  err.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  await new Promise<void>((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('close', resolve);
    stream.on('error', reject);
  });
  if (partial) onLine(partial);
  const { ExitCode } = await exec.inspect();
  return { exitCode: ExitCode, stdout, stderr };
}
