// Parses the log lines of a front other than Nginx, as the lab's configs make them (topology/front-config.ts): each
// request's access line (status, bytes sent, how the front says it ended) and the lines where it says something
// went wrong. Caddy logs JSON (a cut response is an error up to Caddy 2.6, a warning in 2.11); HAProxy's httplog line carries a termination state (`SD--`: the server side ended
// the stream during the body); Apache's line ends with the connection's state (`X` aborted, `+` kept, `-` closed)
// and its error log names the module; varnishncsa's line ends with how Varnish handled the request (hit, miss, pass).
import type { Front } from '../lab/schema.ts';
import type { TimedLine } from '../docker/docker-log.ts';
import type { FrontAccess, FrontError } from './observation.ts';

const HAPROXY_ACCESS = /\s\d+\/\d+\/\d+\/\d+\/(\d+) (\d{3}) (\d+) \S+ \S+ ([A-Za-z-]{4}) .*"(.*)"$/;
const APACHE_ACCESS = /^"(.*)" (\d{3}) (\d+|-) (\d+) ([X+-])$/;
const APACHE_ERROR = /^\[[^\]]+\] \[(\w+):(error|crit|alert|emerg|warn)\] (?:\[[^\]]+\] )*(.*)$/;
const VARNISH_ACCESS = /^"(.*)" (\d{3}) (\d+|-) (\d+) (\w+)$/;

function parseCaddy(stdout: readonly TimedLine[], stderr: readonly TimedLine[], at: (ms: number) => number): { access: FrontAccess[]; errors: FrontError[] } {
  const access: FrontAccess[] = [];
  const errors: FrontError[] = [];
  for (const { epochMs, text } of [...stdout, ...stderr]) {
    if (!text.startsWith('{')) continue;
    let record: {
      level?: string;
      msg?: string;
      error?: string;
      status?: number;
      size?: number;
      duration?: number;
      request?: { method?: string; uri?: string; proto?: string };
    };
    try {
      record = JSON.parse(text) as typeof record;
    } catch {
      continue;
    }
    if (record.msg === 'handled request' && record.request) {
      access.push({
        atMs: at(epochMs),
        request: `${record.request.method ?? '?'} ${record.request.uri ?? '?'} ${record.request.proto ?? ''}`.trim(),
        status: Number(record.status ?? 0),
        bytesSent: Number(record.size ?? 0),
        durationMs: record.duration === undefined ? null : Math.round(record.duration * 1000),
        ending: null,
      });
    } else if ((record.level === 'error' || record.level === 'warn') && record.msg) {
      errors.push({ atMs: at(epochMs), message: record.error ? `${record.msg}: ${record.error}` : record.msg });
    }
  }
  return { access, errors };
}

function parseHaproxy(stdout: readonly TimedLine[], at: (ms: number) => number): { access: FrontAccess[]; errors: FrontError[] } {
  const access: FrontAccess[] = [];
  for (const { epochMs, text } of stdout) {
    const m = HAPROXY_ACCESS.exec(text);
    if (m) access.push({ atMs: at(epochMs), request: m[5]!, status: Number(m[2]), bytesSent: Number(m[3]), durationMs: Number(m[1]), ending: m[4]! });
  }
  return { access, errors: [] };
}

function parseApache(stdout: readonly TimedLine[], stderr: readonly TimedLine[], at: (ms: number) => number): { access: FrontAccess[]; errors: FrontError[] } {
  const access: FrontAccess[] = [];
  const errors: FrontError[] = [];
  for (const { epochMs, text } of stdout) {
    const m = APACHE_ACCESS.exec(text);
    if (m)
      access.push({
        atMs: at(epochMs),
        request: m[1]!,
        status: Number(m[2]),
        bytesSent: m[3] === '-' ? 0 : Number(m[3]),
        durationMs: Math.round(Number(m[4]) / 1000),
        ending: m[5]!,
      });
  }
  for (const { epochMs, text } of stderr) {
    const m = APACHE_ERROR.exec(text);
    if (m) errors.push({ atMs: at(epochMs), message: `[${m[1]}:${m[2]}] ${m[3]!.replace(/\[client [^\]]+\] /, '')}` });
  }
  return { access, errors };
}

function parseVarnish(stdout: readonly TimedLine[], at: (ms: number) => number): { access: FrontAccess[]; errors: FrontError[] } {
  const access: FrontAccess[] = [];
  for (const { epochMs, text } of stdout) {
    const m = VARNISH_ACCESS.exec(text);
    // %r names the whole URL (http://front/path): the path is what the client asked for.
    if (m)
      access.push({
        atMs: at(epochMs),
        request: m[1]!.replace(/^(\S+) https?:\/\/[^/\s]+/, '$1 '),
        status: Number(m[2]),
        bytesSent: m[3] === '-' ? 0 : Number(m[3]),
        durationMs: Math.round(Number(m[4]) / 1000),
        ending: m[5]!,
      });
  }
  return { access, errors: [] };
}

export function parseFrontLog(
  kind: Front,
  stdout: readonly TimedLine[],
  stderr: readonly TimedLine[],
  originMs: number,
): { access: FrontAccess[]; errors: FrontError[] } {
  const at = (epochMs: number) => Math.round(epochMs - originMs);
  switch (kind) {
    case 'caddy':
      return parseCaddy(stdout, stderr, at);
    case 'haproxy':
      return parseHaproxy(stdout, at);
    case 'apache':
      return parseApache(stdout, stderr, at);
    case 'varnish':
      return parseVarnish(stdout, at);
  }
}
