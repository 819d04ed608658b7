// The command line of the client program for a lab: where to connect, what to fetch, how fast to read, when to give up.
import type { Lab } from '../lab/schema.ts';
import { PROBE_PORTS } from './throttle.ts';

export const SAMPLE_MS = 100;
const UNTHROTTLED_MAX_SECONDS = 60;

// Long enough for twice the expected transfer, so a slow but healthy download is never cut by the client.
export function clientMaxSeconds(lab: Lab): number {
  if (lab.client.maxSeconds !== undefined) return lab.client.maxSeconds;
  if (lab.client.rateBytesPerS === null) return UNTHROTTLED_MAX_SECONDS;
  return Math.min(600, Math.ceil((lab.fileSizeBytes / lab.client.rateBytesPerS) * 2) + 15);
}

export function clientCommand(lab: Lab, target: { host: string; port: number }): string[] {
  const maxSeconds = clientMaxSeconds(lab);
  const readRate = lab.client.throttle === 'reader' && lab.client.rateBytesPerS !== null ? lab.client.rateBytesPerS : 0;
  return [
    'python3', '/client/client.py',
    '--host', target.host,
    '--port', String(target.port),
    '--path', lab.client.path,
    '--read-rate', String(readRate),
    '--max-seconds', String(maxSeconds),
    '--idle-seconds', String(Math.min(maxSeconds, 30)),
    '--sample-ms', String(SAMPLE_MS),
    ...(lab.client.range ? ['--range', lab.client.range] : []),
    ...lab.client.headers.flatMap((header) => ['--header', header]),
    ...lab.client.probes.flatMap((probe) => ['--probe', `${probe.path}@${probe.afterMs}`]),
    ...(lab.client.probes.length ? ['--probe-port-base', String(PROBE_PORTS.base)] : []),
  ];
}
