// Names and labels of everything a run creates, so teardown and `clean` can always find it.
import { randomBytes } from 'node:crypto';
import { readlinkSync } from 'node:fs';

export const PROJECT_LABEL = 'gunicorn-lab.project';
export const PROJECT = 'gunicorn-slow-client-lab';
export const LAB_LABEL = 'gunicorn-lab.lab';
export const ROLE_LABEL = 'gunicorn-lab.role';
export const RUN_LABEL = 'gunicorn-lab.run';

export type Role = 'app' | 'nginx' | 'front' | 'client';
// Throwaway containers of a run: check's `nginx -t` and `gunicorn --print-config`; the client's shaper.
export type Helper = 'nginx-test' | 'gunicorn-config' | 'shaper' | 'buffers-app' | 'buffers-nginx';

// A run id that sorts by time and stays unique across concurrent runs: 20261127-045012-a1b2.
export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${randomBytes(2).toString('hex')}`;
}

export function containerName(lab: string, role: Role | Helper, runId: string): string {
  return `lab-${lab}-${role}-${runId}`;
}

export function networkName(lab: string, runId: string): string {
  return `lab-${lab}-${runId}`;
}

export const OWNER_LABEL = 'gunicorn-lab.owner-pid';
// The owner's PID namespace: a pid means nothing to a process in another one (a CI job sharing the engine).
export const OWNER_NS_LABEL = 'gunicorn-lab.owner-pid-ns';

let pidNamespace: string | null | undefined;
export function ownPidNamespace(): string | null {
  if (pidNamespace === undefined) {
    try {
      pidNamespace = readlinkSync('/proc/self/ns/pid');
    } catch {
      pidNamespace = null;
    }
  }
  return pidNamespace;
}
// A stack left up on purpose (`up`, `--keep`): when it was started.
export const KEPT_LABEL = 'gunicorn-lab.kept-since';

// The owner's pid lets a later run tell a killed run's leftovers from a run still going in another process.
// A kept stack has no owner (pid 0): only `down` and `clean` remove it.
export function runLabels(lab: string, runId: string, role?: Role, ownerPid = process.pid, kept?: { since: string }): Record<string, string> {
  return {
    [PROJECT_LABEL]: PROJECT,
    [LAB_LABEL]: lab,
    [RUN_LABEL]: runId,
    [OWNER_LABEL]: String(kept ? 0 : ownerPid),
    ...(ownPidNamespace() ? { [OWNER_NS_LABEL]: ownPidNamespace()! } : {}),
    ...(kept ? { [KEPT_LABEL]: kept.since } : {}),
    ...(role ? { [ROLE_LABEL]: role } : {}),
  };
}
