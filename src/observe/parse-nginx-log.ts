// Parses Nginx's error log lines, the lab's JSON access lines, and a user's own lines in the combined format.
import type { TimedLine } from './docker-log.ts';
import type { NginxAccess, NginxError } from './observation.ts';

const ERROR_LINE = /^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2} \[(\w+)\] \d+#\d+: (?:\*\d+ )?(.*)$/;

export function parseNginxErrorLog(lines: readonly TimedLine[], originMs: number): NginxError[] {
  const out: NginxError[] = [];
  for (const { epochMs, text } of lines) {
    const match = ERROR_LINE.exec(text);
    if (match) out.push({ atMs: Math.round(epochMs - originMs), level: match[1] ?? '', message: match[2] ?? '' });
  }
  return out;
}

// "$upstream_response_time" is "-" without an upstream, and a list ("0.001, 2.5") after retries: the last counts.
function seconds(text: unknown): number | null {
  if (typeof text !== 'string' || text.trim() === '' || text.trim() === '-') return null;
  const last = text.split(/[,:]/).at(-1)?.trim() ?? '';
  const value = Number(last);
  return Number.isFinite(value) ? value : null;
}

// Nginx's `combined` format, and every format that starts like it: `... "GET /x HTTP/1.1" 200 1234 ...`.
const COMBINED = /"([A-Z]+ \S+ HTTP\/[\d.]+)" (\d{3}) (\d+|-)/;

export function parseNginxAccessLog(lines: readonly TimedLine[], originMs: number): NginxAccess[] {
  const out: NginxAccess[] = [];
  for (const { epochMs, text } of lines) {
    const combined = text.startsWith('{') ? null : COMBINED.exec(text);
    if (combined) {
      out.push({
        atMs: Math.round(epochMs - originMs),
        request: combined[1] ?? '',
        status: Number(combined[2]),
        bodyBytesSent: combined[3] === '-' ? 0 : Number(combined[3]),
        requestTimeS: null,
        upstreamResponseTimeS: null,
        upstreamStatus: '',
      });
      continue;
    }
    if (!text.startsWith('{')) continue;
    let record: Record<string, unknown>;
    try {
      record = JSON.parse(text) as Record<string, unknown>;
    } catch {
      continue;
    }
    out.push({
      atMs: Math.round(epochMs - originMs),
      request: String(record.request ?? ''),
      status: Number(record.status),
      bodyBytesSent: Number(record.bodyBytesSent),
      requestTimeS: seconds(record.requestTime) ?? 0,
      upstreamResponseTimeS: seconds(record.upstreamResponseTime),
      upstreamStatus: String(record.upstreamStatus ?? ''),
    });
  }
  return out;
}

// "nginx/1.22.1" from the Server header the client saw.
export function nginxVersionFromServerHeader(server: string | undefined): string | null {
  return server ? (/^nginx\/(\S+)/.exec(server)?.[1] ?? null) : null;
}
