// Parses Apache's log with mod_wsgi in daemon mode (images/app/mod-wsgi.conf) into the events and access lines the
// observation reads for any app server: Apache's "configured" line is the start, a daemon process started a boot,
// "request time limit exceeded" the kill (Gunicorn's WORKER TIMEOUT), a daemon aborted past its shutdown-timeout a
// signal; its access lines (stdout, "%a \"%r\" %>s %B %D") are the access lines.
import type { TimedLine } from '../docker/docker-log.ts';
import type { GunicornAccess, GunicornEvent, GunicornEventKind } from './observation.ts';
import { matchServerEvents } from './parse-uwsgi-log.ts';

const KINDS: Array<[GunicornEventKind, RegExp]> = [
  ['start', /AH00489: Apache\/\S+ .*configured -- resuming normal operations/],
  ['boot', /mod_wsgi \(pid=(\d+)\): Starting process '[^']*'/],
  ['timeout', /mod_wsgi \(pid=(\d+)\): Daemon process request time limit exceeded/],
  ['signal', /mod_wsgi \(pid=(\d+)\): Aborting process '[^']*'/],
];

// Apache's own prefix: "[Mon Dec 07 05:19:50.501043 2026] [wsgi:info] [pid 12:tid 97] ".
const PREFIX = /^\[[^\]]*\] \[([a-z_]+):([a-z0-9]+)\] \[pid \d+(?::tid \d+)?\] (?:\[[^\]]*\] )?/;

export function parseModWsgiEvents(lines: readonly TimedLine[], originMs: number): GunicornEvent[] {
  return matchServerEvents(lines, originMs, KINDS, (text) => text.trim().replace(PREFIX, ''));
}

// "Apache/2.4.71 (Debian) mod_wsgi/4.9.4 Python/3.11 configured": mod_wsgi's version.
export function modWsgiVersion(events: readonly GunicornEvent[]): string | null {
  const start = events.find((e) => e.kind === 'start');
  return start ? (/mod_wsgi\/(\S+)/.exec(start.message)?.[1] ?? null) : null;
}

// `127.0.0.1 "GET /files/large.bin HTTP/1.1" 200 8388608 5793251`: Apache's child's time, in microseconds.
const ACCESS = /^\S+ "(\S+) (\S+) (HTTP\/[\d.]+)" (\d{3}) (\d+|-) (\d+)$/;

export function parseModWsgiAccess(lines: readonly TimedLine[], originMs: number): GunicornAccess[] {
  const out: GunicornAccess[] = [];
  for (const { epochMs, text } of lines) {
    const match = ACCESS.exec(text.trim());
    if (!match) continue;
    out.push({
      atMs: Math.round(epochMs - originMs),
      status: Number(match[4]),
      bytes: match[5] === '-' ? 0 : Number(match[5]),
      durationMs: Math.round(Number(match[6]) / 1000),
      request: `${match[1]} ${match[2]} ${match[3]}`,
    });
  }
  return out;
}
