// Runs a command in a throwaway container (labelled, removed after) and returns its exit code and output.
import { demuxDockerLog } from './docker-log.ts';
import { SECURITY_OPT, confinementEnv, confinementHostConfig, type Confinement } from './confinement.ts';
import { getDocker } from './docker-client.ts';

export interface OnceOptions {
  name: string;
  entrypoint?: string[];
  env?: Record<string, string>;
  // host-path:container-path:ro
  binds?: string[];
  extraHosts?: string[];
  labels: Record<string, string>;
  timeoutMs?: number;
  // Another container's network namespace (`container:<id>`): the client's shaper works on the client's eth0.
  networkMode?: string;
  // Without one: no new privileges, Docker's default capabilities.
  confinement?: Confinement;
  // Given: the container's removal is handed over here, not awaited (the caller's teardown awaits it).
  onRemoval?: (removal: Promise<unknown>) => void;
}

export interface OnceResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export async function runOnce(image: string, cmd: string[], options: OnceOptions): Promise<OnceResult> {
  const docker = getDocker();
  const container = await docker.createContainer({
    name: options.name,
    Image: image,
    Cmd: cmd,
    ...(options.entrypoint ? { Entrypoint: options.entrypoint } : {}),
    Env: Object.entries({ ...options.env, ...(options.confinement ? confinementEnv(options.confinement) : {}) }).map(([k, v]) => `${k}=${v}`),
    Labels: options.labels,
    ...(options.confinement?.user ? { User: options.confinement.user } : {}),
    HostConfig: {
      Binds: options.binds ?? [],
      ExtraHosts: options.extraHosts ?? [],
      SecurityOpt: [...SECURITY_OPT],
      ...(options.networkMode ? { NetworkMode: options.networkMode } : {}),
      ...(options.confinement ? confinementHostConfig(options.confinement) : {}),
    },
  });
  try {
    await container.start();
    const timeout = new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`${cmd.join(' ')} did not end within ${(options.timeoutMs ?? 60_000) / 1000} s`)), options.timeoutMs ?? 60_000).unref(),
    );
    const { StatusCode } = (await Promise.race([container.wait(), timeout])) as { StatusCode: number };
    const buffer = (await container.logs({ stdout: true, stderr: true, follow: false })) as unknown as Buffer;
    const { stdout, stderr } = demuxDockerLog(buffer);
    return { exitCode: StatusCode, stdout, stderr };
  } finally {
    const removal = container.remove({ force: true }).catch(() => undefined);
    if (options.onRemoval) options.onRemoval(removal);
    else await removal;
  }
}
