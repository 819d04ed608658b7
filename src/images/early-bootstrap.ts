// The base bootstrap scripts/setup.sh starts beside npm on a fresh machine (no engine answering yet, so no telling
// whether a base is there): it writes the root file system's tar into the state folder while npm installs, and the
// set-up imports that file instead of bootstrapping again. Where the set-up finds a base after all (present, or
// pulled), it stops the bootstrap and removes its files.
// Its files, per release, in .lab/: base-<release>.pid (the job's shell), .owner (the job's own mark: only the job it
// names moves its tar into place and writes the status), .tar.part-<owner> then .tar, .status (its exit code, written
// when it ends), .log (mmdebstrap's messages).
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fromRoot } from '../project-root.ts';
import type { Release } from '../lab/schema.ts';

export interface EarlyBootstrapFiles {
  pid: string;
  tar: string;
  // The prefix of the job's part file (.tar.part-<owner>).
  part: string;
  owner: string;
  status: string;
  log: string;
}

export function earlyBootstrapFiles(release: Release, stateDir = fromRoot('.lab')): EarlyBootstrapFiles {
  const stem = path.join(stateDir, `base-${release}`);
  return { pid: `${stem}.pid`, tar: `${stem}.tar`, part: `${stem}.tar.part`, owner: `${stem}.owner`, status: `${stem}.status`, log: `${stem}.log` };
}

function readNumber(file: string): number | null {
  try {
    const value = Number.parseInt(readFileSync(file, 'utf8').trim(), 10);
    return Number.isInteger(value) ? value : null;
  } catch {
    return null;
  }
}

// A process's state letter and parent, from /proc/<pid>/stat (the fields after the command's closing parenthesis,
// as the command may hold spaces and parentheses); null where there is no such process.
function readStat(pid: number | string, procRoot: string): { state: string; ppid: number } | null {
  try {
    const stat = readFileSync(path.join(procRoot, String(pid), 'stat'), 'utf8');
    const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: state!, ppid: Number(ppid) };
  } catch {
    return null;
  }
}

// A process that still runs: there, and not a zombie (a job that ended stays one until its parent, this very process
// after setup.sh's `exec node`, reaps it, which Node does not do for a child it did not spawn).
export function isRunning(pid: number, procRoot = '/proc'): boolean {
  const state = readStat(pid, procRoot)?.state;
  return state !== undefined && state !== 'Z' && state !== 'X';
}

// Every process below one, from /proc, deepest last: the job's shell runs mmdebstrap (or waits for apt with `sleep`),
// which runs apt, which runs dpkg and the packages' scripts.
function descendantsOf(pid: number, procRoot = '/proc'): number[] {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync(procRoot)) {
    const ppid = /^\d+$/.test(entry) ? readStat(entry, procRoot)?.ppid : undefined;
    if (ppid !== undefined) parentOf.set(Number(entry), ppid);
  }
  const found: number[] = [];
  for (let level = [pid]; level.length > 0;) {
    level = [...parentOf].filter(([, parent]) => level.includes(parent)).map(([child]) => child);
    found.push(...level);
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
      return status === 0 && existsSync(files.tar)
        ? { kind: 'ready', tar: files.tar }
        : { kind: 'failed', why: `it exited with code ${status} (log: ${files.log})` };
    }
    if (!isRunning(pid)) return { kind: 'failed', why: 'it was stopped before it ended' };
    if (!said) {
      said = true;
      onWait();
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

// Stops the early bootstrap where it still runs and removes its files; the log stays where asked (a failure to read).
// Every process of the job gets SIGTERM, apt and dpkg too: mmdebstrap told alone goes on with the apt run under way
// (half a minute of CPU) before it removes its temporary folders; with its apt gone, it removes them at once.
export function dropEarlyBootstrap(files: EarlyBootstrapFiles, options: { keepLog?: boolean } = {}): void {
  const pid = readNumber(files.pid);
  if (pid !== null && isRunning(pid)) {
    // Read while they are still below the job's shell.
    const below = descendantsOf(pid);
    for (const target of [pid, ...below.reverse()]) {
      try {
        process.kill(target, 'SIGTERM');
      } catch {
        // gone already
      }
    }
  }
  const dir = path.dirname(files.part);
  const parts = existsSync(dir)
    ? readdirSync(dir)
        .filter((name) => name.startsWith(path.basename(files.part)))
        .map((name) => path.join(dir, name))
    : [];
  for (const file of [files.pid, files.owner, files.tar, ...parts, files.status, ...(options.keepLog ? [] : [files.log])]) rmSync(file, { force: true });
}
