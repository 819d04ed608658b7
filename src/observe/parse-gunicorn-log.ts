// Parses Gunicorn's error log (boots, WORKER TIMEOUT, exits, errors with tracebacks) and the lab's access format.
import type { TimedLine } from '../docker/docker-log.ts';
import type { GunicornAccess, GunicornEvent, GunicornEventKind } from './observation.ts';

const LINE = /^\[[^\]]+\] \[(\d+)\] \[([A-Z]+)\] (.*)/;

// A kind's pattern captures the pid the line is about, where it names one.
const KINDS: Array<[GunicornEventKind, RegExp]> = [
  ['start', /^Starting gunicorn /],
  ['listening', /^Listening at: /],
  ['worker-class', /^Using worker: /],
  ['boot', /^Booting worker with pid: (\d+)/],
  // The lab's own hook (images/app/lab_hooks.py): the worker's boot is done, its heartbeat starts.
  ['ready', /^Worker ready \(pid: (\d+)\)/],
  ['timeout', /^WORKER TIMEOUT \(pid:(\d+)\)/],
  ['exit', /^Worker exiting \(pid: (\d+)\)/],
  ['signal', /^Worker \(pid:(\d+)\) was sent SIG|^Worker with pid (\d+) was terminated due to signal/],
  // Gunicorn 26's arbiter opens a control socket at start and after each boot: noise for the labs.
  ['control', /^Control socket listening at /],
];

// WORKER TIMEOUTs from the client's request on whose worker never logged "Worker ready" before: killed while
// booting. None where no worker logged it at all (the hook is the lab image's; a user's Gunicorn has none).
export function bootKillEvents(events: readonly GunicornEvent[]): GunicornEvent[] {
  if (!events.some((e) => e.kind === 'ready')) return [];
  const ready = new Set<number>();
  const killed: GunicornEvent[] = [];
  for (const e of events) {
    if (e.kind === 'ready' && e.pid !== null) ready.add(e.pid);
    if (e.kind === 'timeout' && e.atMs >= 0 && e.pid !== null && !ready.has(e.pid)) killed.push(e);
  }
  return killed;
}

// Workers booted after the first kill (a WORKER TIMEOUT or a worker ended by a signal): replacements. The first boots
// of several workers are not counted, whenever they came.
export function replacementBoots(events: readonly GunicornEvent[]): number {
  const firstKill = events.findIndex((e) => e.kind === 'timeout' || e.kind === 'signal');
  return firstKill < 0 ? 0 : events.slice(firstKill + 1).filter((e) => e.kind === 'boot').length;
}

// How many workers were up when the client's request began (time 0): booted before it, not killed or exited before it.
export function workersAtRequest(events: readonly GunicornEvent[]): number {
  const alive = new Set<number>();
  for (const e of events) {
    if (e.atMs >= 0 || e.pid === null) continue;
    if (e.kind === 'boot') alive.add(e.pid);
    if (e.kind === 'timeout' || e.kind === 'exit' || e.kind === 'signal') alive.delete(e.pid);
  }
  return alive.size;
}

function classify(level: string, message: string): { kind: GunicornEventKind; pid: number | null } {
  for (const [kind, pattern] of KINDS) {
    const match = pattern.exec(message);
    if (match) {
      const pidText = match.slice(1).find(Boolean);
      return { kind, pid: pidText ? Number(pidText) : null };
    }
  }
  return { kind: level === 'ERROR' || level === 'CRITICAL' ? 'error' : 'other', pid: null };
}

// Events from the error log, times relative to originMs; a traceback's lines become the detail of their event.
export function parseGunicornErrorLog(lines: readonly TimedLine[], originMs: number): GunicornEvent[] {
  const events: GunicornEvent[] = [];
  for (const { epochMs, text } of lines) {
    const match = LINE.exec(text);
    if (!match) {
      const previous = events.at(-1);
      if (previous && text.trim()) (previous.detail ??= []).push(text);
      continue;
    }
    // The pattern has three groups: all are there where it matched.
    const [processId, level, message] = [match[1]!, match[2]!, match[3]!];
    const { kind, pid } = classify(level, message);
    events.push({ atMs: Math.round(epochMs - originMs), kind, level, pid: pid ?? (kind === 'error' ? Number(processId) : null), message });
  }
  return events;
}

export function gunicornVersion(events: readonly GunicornEvent[]): string | null {
  const start = events.find((e) => e.kind === 'start');
  return start ? (/^Starting gunicorn (\S+)/.exec(start.message)?.[1] ?? null) : null;
}

export function gunicornWorkerClass(events: readonly GunicornEvent[]): string | null {
  const line = events.find((e) => e.kind === 'worker-class');
  return line ? (/^Using worker: (\S+)/.exec(line.message)?.[1] ?? null) : null;
}

// Access lines in the lab's format: `access <status> <bytes or -> <microseconds> "<request line>"`.
export function parseGunicornAccessLog(lines: readonly TimedLine[], originMs: number): GunicornAccess[] {
  const out: GunicornAccess[] = [];
  for (const { epochMs, text } of lines) {
    const match = /^access (\d{3}) (\d+|-) (\d+) "(.*)"$/.exec(text.trim());
    if (!match) continue;
    out.push({
      atMs: Math.round(epochMs - originMs),
      status: Number(match[1]),
      bytes: match[2] === '-' ? null : Number(match[2]),
      durationMs: Number(match[3]) / 1000,
      request: match[4]!,
    });
  }
  return out;
}
