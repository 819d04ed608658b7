// Parses uWSGI's log (it writes everything to stderr) into the events and access lines the observation reads for any
// app server: a worker spawned is a boot, HARAKIRI ON WORKER is the kill (Gunicorn's WORKER TIMEOUT), the master's
// SIGKILL of it a signal, a respawn a replacement boot; its request lines are the access lines.
import type { TimedLine } from '../docker/docker-log.ts';
import type { GunicornAccess, GunicornEvent, GunicornEventKind } from './observation.ts';

// uWSGI stamps some lines with its own date first: "Mon Dec  7 02:19:29 2026 - *** HARAKIRI ON WORKER 1 …".
const OWN_DATE = /^[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \d{4} - /;

const KINDS: Array<[GunicornEventKind, RegExp]> = [
  ['start', /^\*\*\* Starting uWSGI /],
  ['boot', /^spawned uWSGI worker \d+ \(pid: (\d+)/],
  ['boot', /^Respawned uWSGI worker \d+ \(new pid: (\d+)\)/],
  ['timeout', /^\*\*\* HARAKIRI ON WORKER \d+ \(pid: (\d+)/],
  ['signal', /^DAMN ! worker \d+ \(pid: (\d+)\) died/],
];

// Lines to events by the first pattern each matches (its first group the pid), after `clean` takes a server's own
// prefix off: the reading uWSGI's and mod_wsgi's logs share.
export function matchServerEvents(
  lines: readonly TimedLine[],
  originMs: number,
  kinds: ReadonlyArray<[GunicornEventKind, RegExp]>,
  clean: (text: string) => string,
): GunicornEvent[] {
  const events: GunicornEvent[] = [];
  for (const { epochMs, text } of lines) {
    const message = clean(text).trim();
    for (const [kind, pattern] of kinds) {
      const match = pattern.exec(message);
      if (!match) continue;
      events.push({
        atMs: Math.round(epochMs - originMs),
        kind,
        level: kind === 'timeout' ? 'CRITICAL' : 'INFO',
        pid: match[1] ? Number(match[1]) : null,
        message,
      });
      break;
    }
  }
  return events;
}

export function parseUwsgiEvents(lines: readonly TimedLine[], originMs: number): GunicornEvent[] {
  return matchServerEvents(lines, originMs, KINDS, (text) => text.replace(OWN_DATE, ''));
}

export function uwsgiVersion(events: readonly GunicornEvent[]): string | null {
  const start = events.find((e) => e.kind === 'start');
  return start ? (/^\*\*\* Starting uWSGI (\S+)/.exec(start.message)?.[1] ?? null) : null;
}

// "[pid: 18|app: 0|req: 2/1] 10.0.0.3 () {26 vars in 307 bytes} [Mon Dec  7 02:19:35 2026] GET /ping => generated 5
// bytes in 14 msecs (HTTP/1.1 200) 2 headers in 78 bytes (1 switches on core 0)"; "via sendfile()" may follow msecs.
const ACCESS =
  /^\[pid: \d+\|app: [^|]*\|req: [^\]]*\] \S+ \([^)]*\) \{[^}]*\} \[[^\]]*\] (\S+) (\S+) => generated (\d+) bytes in (\d+) msecs(?: via \S+)? \((HTTP\/[\d.]+) (\d{3})\)/;

export function parseUwsgiAccess(lines: readonly TimedLine[], originMs: number): GunicornAccess[] {
  const out: GunicornAccess[] = [];
  for (const { epochMs, text } of lines) {
    const match = ACCESS.exec(text.trim());
    if (!match) continue;
    out.push({
      atMs: Math.round(epochMs - originMs),
      status: Number(match[6]),
      bytes: Number(match[3]),
      durationMs: Number(match[4]),
      request: `${match[1]} ${match[2]} ${match[5]}`,
    });
  }
  return out;
}
