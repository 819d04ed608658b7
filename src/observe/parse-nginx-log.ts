// Parses Nginx's error log lines, the lab's JSON access lines, and a user's own lines in the combined format.
import type { TimedLine } from '../docker/docker-log.ts';
import type { NginxAccess, NginxError } from './observation.ts';

const ERROR_LINE = /^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2} \[(\w+)\] \d+#\d+: (?:\*\d+ )?(.*)/;

export function parseNginxErrorLog(lines: readonly TimedLine[], originMs: number): NginxError[] {
  const out: NginxError[] = [];
  for (const { epochMs, text } of lines) {
    const match = ERROR_LINE.exec(text);
    // Both groups are there where the pattern matched.
    if (match) out.push({ atMs: Math.round(epochMs - originMs), level: match[1]!, message: match[2]! });
  }
  return out;
}

// "$upstream_response_time" is "-" without an upstream, and a list ("0.001, 2.5") after retries: the last counts.
function seconds(text: unknown): number | null {
  if (typeof text !== 'string') return null;
  const last = text.split(/[,:]/).at(-1)!.trim();
  // Number('') is 0: an empty time is no time.
  const value = last === '' ? Number.NaN : Number(last);
  return Number.isFinite(value) ? value : null;
}

// Nginx's `combined` format, and every format that starts like it: `... "GET /x HTTP/1.1" 200 1234 ...`.
const COMBINED = /"([A-Z]+ \S+ HTTP\/[\d.]+)" (\d{3}) (\d+|-)/;

// The lab's JSON lines (each starts with "{"), else a line in the combined format; anything else is left out.
export function parseNginxAccessLog(lines: readonly TimedLine[], originMs: number): NginxAccess[] {
  const out: NginxAccess[] = [];
  for (const { epochMs, text } of lines) {
    const atMs = Math.round(epochMs - originMs);
    if (text.startsWith('{')) {
      let record: Record<string, unknown>;
      try {
        record = JSON.parse(text) as Record<string, unknown>;
      } catch {
        continue;
      }
      out.push({
        atMs,
        request: String(record.request ?? ''),
        status: Number(record.status),
        bodyBytesSent: Number(record.bodyBytesSent),
        requestTimeS: seconds(record.requestTime) ?? 0,
        upstreamResponseTimeS: seconds(record.upstreamResponseTime),
        upstreamStatus: String(record.upstreamStatus ?? ''),
      });
      continue;
    }
    const combined = COMBINED.exec(text);
    if (combined) {
      out.push({
        atMs,
        request: combined[1]!,
        status: Number(combined[2]),
        bodyBytesSent: combined[3] === '-' ? 0 : Number(combined[3]),
        requestTimeS: null,
        upstreamResponseTimeS: null,
        upstreamStatus: '',
      });
    }
  }
  return out;
}

// "nginx/1.22.1" from the Server header the client saw.
export function nginxVersionFromServerHeader(server: string | undefined): string | null {
  return server ? (/^nginx\/(\S+)/.exec(server)?.[1] ?? null) : null;
}
