// What a lab run observed, as plain data: the client's transfer, Gunicorn's and Nginx's logs parsed, timings, memory.
import type { ClientProbe } from '../client/client-output.ts';
import type { Front, Outcome, Server } from '../lab/schema.ts';
import type { CapacityObservation } from './capacity.ts';
import type { CapacitySearch } from './capacity-search.ts';
import type { MemoryReading } from './collect-evidence.ts';

export interface ClientObservation {
  path: string;
  // The request's method: POST for an upload; absent (GET) in observations captured before uploads.
  method?: 'GET' | 'POST' | 'PUT';
  // How long the request waited for its headers from when it was sent; null without headers. Absent in older ones.
  waitedMs?: number | null;
  // Idle connections opened before the request (client.idleConnections): when the server closed each (ms), or
  // null where it kept it open; null where there were none.
  idleClosedMs?: Array<number | null> | null;
  status: number | null;
  contentLength: number | null;
  chunked: boolean;
  bytesReceived: number;
  // bytesReceived over the bytes the response promised (Content-Length), or over the file where it promised none.
  fractionReceived: number;
  checksumMatches: boolean;
  outcome: Outcome;
  error: string | null;
  headersMs: number | null;
  firstByteMs: number | null;
  // The longest wait between two arrivals of body bytes: null with fewer than two arrivals.
  maxGapMs: number | null;
  durationMs: number;
  achievedRateBytesPerS: number | null;
  timeline: Array<[number, number]>;
  probes: ClientProbe[];
}

export type GunicornEventKind = 'start' | 'listening' | 'worker-class' | 'boot' | 'ready' | 'timeout' | 'exit' | 'signal' | 'control' | 'error' | 'other';

export interface GunicornEvent {
  // Milliseconds from the client's start (negative: before it).
  atMs: number;
  kind: GunicornEventKind;
  level: string;
  pid: number | null;
  message: string;
  detail?: string[];
}

export interface GunicornAccess {
  atMs: number;
  status: number;
  bytes: number | null;
  durationMs: number;
  request: string;
}

export interface NginxAccess {
  atMs: number;
  request: string;
  status: number;
  bodyBytesSent: number;
  // null where the log format does not record it (a user's own format).
  requestTimeS: number | null;
  upstreamResponseTimeS: number | null;
  upstreamStatus: string;
}

// A front's line for one request (parse-front-log.ts): what it sent and how it says the request ended (HAProxy's
// termination state, Apache's connection state, Varnish's handling; null where its line says nothing of it).
export interface FrontAccess {
  atMs: number;
  request: string;
  status: number;
  bytesSent: number;
  durationMs: number | null;
  ending: string | null;
}

export interface FrontError {
  atMs: number;
  message: string;
}

export interface NginxError {
  atMs: number;
  level: string;
  message: string;
}

// A statsd metric Gunicorn sent, when it arrived (ms from the client's start).
export interface StatsdMetric {
  atMs: number;
  name: string;
  value: number;
  type: string;
}

export interface Observation {
  // servedAtPath: the client's path answers with this file (else with a body of its own, e.g. events).
  file: { sizeBytes: number; sha256: string; servedAtPath: boolean };
  client: ClientObservation;
  // The app server's lines, whichever server it is (the key keeps Gunicorn's name): a uWSGI HARAKIRI counts as a
  // WORKER TIMEOUT, its respawn as a replacement boot; Waitress logs neither (it has no worker to kill).
  gunicorn: {
    server: Server;
    version: string | null;
    workerClass: string | null;
    // WORKER TIMEOUT lines from the client's request on, of workers that had booted; earlier ones (a worker killed
    // while booting) apart.
    workerTimeouts: number;
    workerTimeoutsBeforeRequest: number;
    // WORKER TIMEOUT lines from the client's request on, of workers that never said they had booted ("Worker
    // ready", the lab image's hook): killed while booting, on a machine too busy for the timeout. 0 where the hook's
    // line is not observable (a user's own Gunicorn under check): then every kill counts in workerTimeouts.
    bootKills: number;
    workerBoots: number;
    // Workers booted after the first kill: the replacements (several workers' first boots are not).
    replacementBoots: number;
    // Workers up when the client's request began: with more than one, another may answer a second request.
    workersAtRequest: number;
    events: GunicornEvent[];
    access: GunicornAccess[];
    // Whether Gunicorn's access log could be seen at all: it wrote a line for some request of the run (the
    // set-up's readiness request, check's reference). A worker that ignores --access-logformat (uvicorn's)
    // writes none, and then no access line says nothing about the transfer.
    accessLogObserved: boolean;
  };
  // tempPeakBytes: the most Nginx's temp files (its proxy buffers spilled to disk) held at once, sampled every
  // 200 ms; null where not sampled (a user's own Nginx).
  nginx: { version: string | null; access: NginxAccess[]; errors: NginxError[]; tempPeakBytes: number | null } | null;
  // Another front in Nginx's place (Caddy, HAProxy, Apache, Varnish): its lines from the client's request on.
  front?: { kind: Front; access: FrontAccess[]; errors: FrontError[] } | null;
  // Gunicorn's statsd metrics as the client's listener got them; null where the lab sends none.
  statsd: StatsdMetric[] | null;
  // An upload (client.upload): what the client wrote and what the app answered it received; null for a download.
  upload: UploadObservation | null;
  // Several downloads at once (client.downloads > 1): how they fared together; null for one download.
  capacity: CapacityObservation | null;
  // The capacity search (client.capacity): how many slow clients the stack held before its probe stalled; null (or
  // absent, in runs saved before it existed) where the run did not search.
  capacitySearch?: CapacitySearch | null;
  // Peak memory where the cgroup keeps one; `kind` says when it is only the use at the end of the run.
  resources: { app: MemoryReading | null; nginx: MemoryReading | null; front?: MemoryReading | null };
  timings: { startMs: number; transferMs: number; observeMs: number };
  // How long the run waited after the transfer for the log lines its expectation needs, and which never came.
  logs: { waitedMs: number; missing: string[] };
}

export interface UploadObservation {
  sizeBytes: number;
  // What the client wrote before the body was done or the server stopped reading, and when it stopped (ms).
  sentBytes: number;
  sentMs: number | null;
  // Why the writing stopped early (the server closed, reset, or read nothing for a while); null: it was all written.
  error: string | null;
  // What the app answered it received (the lab app's JSON: bytes and sha256), or null where no such answer came.
  appReceived: { bytes: number; sha256: string } | null;
  // The status the upload was answered with (any app's), or null where none came.
  answeredStatus: number | null;
  // The app received every byte, with the checksum of what was sent.
  whole: boolean;
}

// The client's own request line in an access log (`GET /files/large.bin HTTP/1.1`), not the set-up's or a side request's.
export function isClientRequest(o: Pick<Observation, 'client'>, request: string): boolean {
  return request.startsWith(`${o.client.method ?? 'GET'} ${o.client.path} `);
}

// The front's line that says `text` (an error message, or an access line's ending), or null.
export function frontSays(o: Observation, text: string): string | null {
  const error = o.front?.errors.find((e) => e.message.includes(text));
  if (error) return `"${error.message}"`;
  const access = o.front?.access.find((a) => a.ending?.includes(text));
  return access ? `${access.request}: ${access.status}, ${access.bytesSent} bytes, ended ${access.ending}` : null;
}
