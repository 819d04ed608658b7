// A stack as topology starts it: per role an image, a command, its files and mounts, a network name and port,
// how it is confined, and how to know it is ready. A canned lab renders into it (lab-stack.ts), so does a user's own stack (check/).

import type { Front } from '../lab/schema.ts';
import type { Confinement } from '../docker/confinement.ts';

// Stands for the run's own data volume in a mount's source; topology creates it and puts its name there.
export const RUN_VOLUME = '@run-volume';
// Stands for the run's socket volume: a tmpfs any user may write (mode 1777, as /tmp), so the app creates its
// socket there whatever its user, and the socket's own mode decides who may use it, as on their host.
export const RUN_SOCKET_VOLUME = '@run-socket';
export const SOCKET_VOLUME_OPTIONS = { type: 'tmpfs', device: 'tmpfs', o: 'mode=1777,size=1m' };

export interface Mount {
  // A volume name, RUN_VOLUME, RUN_SOCKET_VOLUME, or an absolute host path (a user's file or folder, mounted as it is).
  source: string;
  target: string;
  mode: 'ro' | 'rw';
}

export type Readiness =
  // A log line, this many times (Gunicorn's "Booting worker", once per worker).
  | { log: RegExp; times: number }
  // Nothing to wait for in the container itself (the client's own wait does the rest).
  | null;

export interface RoleSpec {
  image: string;
  // The name the other containers reach it by on the run's network.
  alias: string;
  // Replaces the image's entrypoint (the lab app image's writes the lab's file first).
  entrypoint?: string[];
  command?: string[];
  env?: Record<string, string>;
  mounts?: Mount[];
  // Config files: on a read-only root they are written by a shell before the command starts, so each target must
  // lie in one of the role's tmpfs folders, and the role needs an explicit command.
  files?: Array<{ content: string; target: string }>;
  confinement: Confinement;
  ready: Readiness;
}

export interface TopologySpec {
  app: RoleSpec & {
    // The port it listens on in the run's network; null: only on a Unix socket in the socket folder.
    port: number | null;
    // A path that answers 200 once the app is loaded; null: wait only until the port accepts a connection.
    readinessPath: string | null;
    // Where the app container keeps the served file's sha256 (a lab's own file); null where the stack serves its own.
    fileChecksumPath: string | null;
  };
  // null: the client talks to the app directly.
  // tempPeakFile: where a sampler beside Nginx keeps the peak bytes of its temp files (a lab's Nginx); absent: unknown.
  // tls: the port speaks TLS (a user's `listen 443 ssl`), the client sends serverName as SNI.
  nginx: (RoleSpec & { port: number; tempPeakFile?: string; tls?: { serverName: string | null } | null }) | null;
  // Another front instead of Nginx (a lab's Caddy, HAProxy, Apache or Varnish); null where there is none.
  front?: (RoleSpec & { port: number; kind: Front }) | null;
  client: RoleSpec;
  // Set in every container of the stack (pinned socket buffers, the client's port range).
  sysctls: Record<string, string>;
  // Whether the run needs its own data volume (a lab's app writes the file Nginx serves).
  dataVolume: boolean;
}

// Whether a role mounts the run's socket volume (a Unix socket's folder, shared by the app and Nginx).
export function usesSocketVolume(stack: TopologySpec): boolean {
  return [stack.app, stack.nginx, stack.front, stack.client].some((role) => role?.mounts?.some((m) => m.source === RUN_SOCKET_VOLUME));
}

// The proxy the client talks to, whichever it is (Nginx, another front), with its role; null: the client talks to the app.
export function proxyOf(stack: TopologySpec): { role: 'nginx' | 'front'; spec: RoleSpec & { port: number } } | null {
  if (stack.nginx) return { role: 'nginx', spec: stack.nginx };
  if (stack.front) return { role: 'front', spec: stack.front };
  return null;
}
