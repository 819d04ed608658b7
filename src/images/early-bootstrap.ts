// The base bootstrap scripts/setup.sh starts beside npm on a fresh machine (no engine answering yet, so no telling
// whether a base is there): it writes the root file system's tar into the state folder while npm installs, and the
// set-up imports that file instead of bootstrapping again. Where the set-up finds a base after all (present, or
// pulled), it stops the bootstrap and removes its files.
// Its files, per release, in .lab/: base-<release>.pid (the job's shell), .tar.part then .tar, .status (its exit code,
// written when it ends), .log (mmdebstrap's messages).
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fromRoot } from '../project-root.ts';
import type { Release } from '../lab/schema.ts';

export interface EarlyBootstrapFiles {
  pid: string;
  tar: string;
  part: string;
  status: string;
  log: string;
}

export function earlyBootstrapFiles(release: Release, stateDir = fromRoot('.lab')): EarlyBootstrapFiles {
  const stem = path.join(stateDir, `base-${release}`);
  return { pid: `${stem}.pid`, tar: `${stem}.tar`, part: `${stem}.tar.part`, status: `${stem}.status`, log: `${stem}.log` };
}

function readNumber(file: string): number | null {
  try {
    const value = Number.parseInt(readFileSync(file, 'utf8').trim(), 10);
    return Number.isInteger(value) ? value : null;
  } catch {
    return null;
  }
}

// A process that still runs: there, and not a zombie (a job that ended stays one until its parent, this very process
// after setup.sh's `exec node`, reaps it, which Node does not do for a child it did not spawn).
export function isRunning(pid: number, procRoot = '/proc'): boolean {
  try {
    const stat = readFileSync(path.join(procRoot, String(pid), 'stat'), 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

// The children of a process, from /proc (the job's shell runs mmdebstrap, or waits for apt with `sleep`).
function childrenOf(pid: number, procRoot = '/proc'): number[] {
  const found: number[] = [];
  for (const entry of readdirSync(procRoot)) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(path.join(procRoot, entry, 'stat'), 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) found.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

export type EarlyOutcome = { kind: 'none' } | { kind: 'ready'; tar: string } | { kind: 'failed'; why: string };

// What the early bootstrap came to, waiting while it runs (onWait once, to say so).
export async function awaitEarlyBootstrap(files: EarlyBootstrapFiles, onWait: () => void = () => undefined, pollMs = 250): Promise<EarlyOutcome> {
  const pid = readNumber(files.pid);
  if (pid === null) return { kind: 'none' };
  let said = false;
  for (;;) {
    const status = readNumber(files.status);
    if (status !== null) {
      return status === 0 && existsSync(files.tar) ? { kind: 'ready', tar: files.tar } : { kind: 'failed', why: `it exited with code ${status} (log: ${files.log})` };
    }
    if (!isRunning(pid)) return { kind: 'failed', why: 'it was stopped before it ended' };
    if (!said) {
      said = true;
      onWait();
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

// Stops the early bootstrap where it still runs (mmdebstrap removes its own temporary folder on SIGTERM) and removes
// its files; the log stays where asked (a failure to read).
export function dropEarlyBootstrap(files: EarlyBootstrapFiles, options: { keepLog?: boolean } = {}): void {
  const pid = readNumber(files.pid);
  if (pid !== null && isRunning(pid)) {
    // The children first, read while they are still the shell's.
    const children = childrenOf(pid);
    for (const target of [pid, ...children]) {
      try {
        process.kill(target, 'SIGTERM');
      } catch {
        // gone already
      }
    }
  }
  for (const file of [files.pid, files.tar, files.part, files.status, ...(options.keepLog ? [] : [files.log])]) rmSync(file, { force: true });
}
