// Reads the client program's JSON lines: progress while it runs, side-request probes, each of several downloads,
// and the final result.
import type { Outcome } from '../lab/schema.ts';

export interface ClientProgress {
  ms: number;
  bytes: number;
}

export interface ClientProbe {
  path: string;
  sentMs: number;
  status: number | null;
  latencyMs: number | null;
  error: string | null;
}

export interface ClientResult {
  startedAtEpochMs: number;
  status: number | null;
  headers: Record<string, string>;
  contentLength: number | null;
  chunked: boolean;
  bytesReceived: number;
  sha256: string | null;
  outcome: Outcome;
  error: string | null;
  headersMs: number | null;
  // When the first body byte came (ms from the start); absent in results captured before it was measured.
  firstByteMs?: number | null;
  // The longest wait between two arrivals of body bytes (a stream's gap between events); absent in older results.
  maxGapMs?: number | null;
  durationMs: number;
  timeline: Array<[number, number]>;
  // An upload (client.upload): the body's bytes written, their checksum, when the writing ended (ms from the start)
  // and why it ended early, if it did; absent for a download.
  uploadSentBytes?: number;
  uploadSha256?: string;
  uploadMs?: number;
  uploadError?: string;
  // An upload's answer: the first 4 KiB of the response body (the app says what it received).
  bodyHead?: string;
  // When the request itself was sent (ms from the start): after the idle connections were opened, where there are.
  requestSentMs?: number;
  // Each idle connection (client.idleConnections): when the server closed it (ms from the start), or null.
  idleClosedMs?: Array<number | null>;
}

// One of several downloads run at once (client.downloads > 1): how it ended, without its timeline.
export type ClientDownload = Pick<
  ClientResult,
  'status' | 'contentLength' | 'chunked' | 'bytesReceived' | 'sha256' | 'outcome' | 'error' | 'headersMs' | 'durationMs'
> & {
  index: number;
  firstByteMs: number | null;
};

// A probe of the capacity search: its status, how long its headers took (or how long it waited for none).
export interface CapacityProbe {
  path?: string;
  status: number | null;
  waitMs: number;
  answered: boolean;
  error: string | null;
}

// One step of the capacity search: this many slow clients open, how many were still open and had their headers, and
// whether its probe was answered in time.
export interface CapacityStep {
  clients: number;
  open: number;
  withHeaders: number;
  held: boolean;
  probes: CapacityProbe[];
  atMs: number;
}

// The capacity search's end (images/client/capacity.py): the most slow clients held, the first count that stalled,
// how long its probe waited.
export interface CapacityResult {
  cap: number;
  held: number;
  stalledAt: number | null;
  probeWaitMs: number | null;
  probeWithinMs: number;
  // The probe path chosen (the first given that answered in time below 400 before any slow client), and that answer.
  probePath: string | null;
  idleProbe: CapacityProbe | null;
  // Every path tried where none answered so: nothing was searched (check exits 2 and says what each answered).
  probeFailures: CapacityProbe[] | null;
  endMs: number;
  steps: CapacityStep[];
}

export type ClientLine =
  | { type: 'progress'; progress: ClientProgress }
  | { type: 'probe'; probe: ClientProbe }
  | { type: 'result'; result: ClientResult }
  | { type: 'download'; download: ClientDownload }
  | { type: 'step'; step: CapacityStep }
  | { type: 'capacity'; capacity: CapacityResult }
  | { type: 'other'; text: string };

// Classifies one stdout line; anything that is not one of the client's records is kept as text.
export function parseClientLine(line: string): ClientLine {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return { type: 'other', text: line };
  }
  const { type, ...rest } = record;
  if (type === 'progress') return { type, progress: rest as unknown as ClientProgress };
  if (type === 'probe') return { type, probe: rest as unknown as ClientProbe };
  if (type === 'result') return { type, result: rest as unknown as ClientResult };
  if (type === 'download') return { type, download: rest as unknown as ClientDownload };
  if (type === 'step') return { type, step: rest as unknown as CapacityStep };
  if (type === 'capacity') return { type, capacity: rest as unknown as CapacityResult };
  return { type: 'other', text: line };
}
