// The command line of the client program for a transfer plan: where to connect, what to fetch, how fast to read, when
// to give up.
import type { Lab } from '../lab/schema.ts';
import { GUNICORN_DEFAULT_TIMEOUT_S, expectationFor } from '../lab/vocabulary.ts';
import { PROBE_PORTS } from './throttle.ts';
import { labPlan, type TransferPlan } from './transfer-plan.ts';
import type { ClientTarget } from '../topology/endpoint.ts';

export const SAMPLE_MS = 100;
const UNTHROTTLED_MAX_SECONDS = 60;

// Long enough for twice the expected transfer, so a slow but healthy download is never cut by the client.
export function clientMaxSeconds({ client, expectedBytes }: TransferPlan): number {
  if (client.maxSeconds !== undefined) return client.maxSeconds;
  // A capacity search's slow clients stay open until it ends: about 4 s a step at most (settling, a late probe and
  // its confirmation), twice the doublings to the cap, and a margin.
  if (client.capacity) return Math.min(600, 60 + 8 * 2 * Math.ceil(Math.log2(client.capacity.max) + 1));
  // A crawl, then the rest at full speed.
  if (client.crawlSeconds !== undefined) return Math.ceil(client.crawlSeconds) + UNTHROTTLED_MAX_SECONDS;
  // An upload first: its body at its rate, twice over, before the answer.
  const uploadS = !client.upload?.rateBytesPerS
    ? 0
    : client.upload.crawlSeconds !== undefined
      ? Math.ceil(client.upload.crawlSeconds) + 30
      : Math.ceil((client.upload.sizeBytes / client.upload.rateBytesPerS) * 2);
  if (client.rateBytesPerS === null) return UNTHROTTLED_MAX_SECONDS + uploadS;
  return Math.min(600, Math.ceil((expectedBytes / client.rateBytesPerS) * 2) + 15 + uploadS);
}

// Roughly how long a lab's transfer lasts, for the matrix to start the longest first: the file at the client's rate,
// ended early where the lab expects the worker to be killed, and never past the client's own limit.
export function estimatedTransferS(lab: Lab): number {
  const whole = lab.client.rateBytesPerS === null ? 1 : lab.fileSizeBytes / lab.client.rateBytesPerS;
  const killed = expectationFor(lab).workerTimeout ? (lab.gunicorn.timeoutS ?? GUNICORN_DEFAULT_TIMEOUT_S) + 2 : Infinity;
  return Math.min(whole, killed, clientMaxSeconds(labPlan(lab)));
}

function uploadFlags(upload: NonNullable<TransferPlan['client']['upload']>): string[] {
  return [
    '--upload-bytes',
    String(upload.sizeBytes),
    '--upload-rate',
    String(upload.rateBytesPerS ?? 0),
    ...(upload.crawlSeconds !== undefined && upload.rateBytesPerS ? ['--upload-crawl-seconds', String(upload.crawlSeconds)] : []),
    ...(upload.method !== 'POST' ? ['--upload-method', upload.method] : []),
    ...(upload.contentType !== 'application/octet-stream' ? ['--upload-content-type', upload.contentType] : []),
    ...(upload.chunked ? ['--upload-chunked'] : []),
  ];
}

export function clientCommand(plan: TransferPlan, target: ClientTarget): string[] {
  const { client } = plan;
  const maxSeconds = clientMaxSeconds(plan);
  const readRate = client.throttle === 'reader' && client.rateBytesPerS !== null ? client.rateBytesPerS : 0;
  return [
    'python3',
    '/client/client.py',
    '--host',
    target.host,
    '--port',
    String(target.port),
    ...(target.tls ? ['--tls', ...(target.tls.serverName ? ['--sni', target.tls.serverName] : [])] : []),
    ...(client.http2 ? ['--http2'] : []),
    '--path',
    client.path,
    '--read-rate',
    String(readRate),
    ...(client.crawlSeconds !== undefined && readRate ? ['--crawl-seconds', String(client.crawlSeconds)] : []),
    '--max-seconds',
    String(maxSeconds),
    '--idle-seconds',
    String(Math.min(maxSeconds, 30)),
    '--sample-ms',
    String(SAMPLE_MS),
    ...(client.range ? ['--range', client.range] : []),
    ...(client.downloads > 1 ? ['--downloads', String(client.downloads)] : []),
    ...(client.capacity
      ? [
          '--capacity-max',
          String(client.capacity.max),
          ...client.capacity.probePaths.flatMap((path) => ['--capacity-probe', path]),
          '--probe-within-ms',
          String(client.capacity.probeWithinMs),
        ]
      : []),
    ...(client.idleConnections ? ['--idle-connections', String(client.idleConnections.count), '--idle-hold', String(client.idleConnections.seconds)] : []),
    ...(client.upload ? uploadFlags(client.upload) : []),
    ...client.headers.flatMap((header) => ['--header', header]),
    ...client.probes.flatMap((probe) => ['--probe', `${probe.path}@${probe.afterMs}`]),
    ...(client.probes.length ? ['--probe-port-base', String(PROBE_PORTS.base)] : []),
  ];
}
