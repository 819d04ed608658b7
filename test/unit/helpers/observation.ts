// An observation written by hand: a whole 8 MiB download at /download, nothing killed, no probe, Nginx in front
// and nothing in its logs. Tests change what they need; every reading and check then has one cause.
import type { Observation } from '../../../src/observe/observation.ts';

export const MiB = 1024 * 1024;

export function quietObservation(change: (o: Observation) => void = () => undefined): Observation {
  const o: Observation = {
    file: { sizeBytes: 8 * MiB, sha256: 'f'.repeat(64), servedAtPath: true },
    client: {
      path: '/download',
      status: 200,
      contentLength: 8 * MiB,
      chunked: false,
      bytesReceived: 8 * MiB,
      fractionReceived: 1,
      checksumMatches: true,
      outcome: 'complete',
      error: null,
      headersMs: 5,
      firstByteMs: 10,
      maxGapMs: 5,
      durationMs: 8000,
      achievedRateBytesPerS: MiB,
      timeline: [],
      probes: [],
    },
    gunicorn: {
      server: 'gunicorn',
      version: '20.1.0',
      workerClass: 'sync',
      workerTimeouts: 0,
      workerTimeoutsBeforeRequest: 0,
      bootKills: 0,
      workerBoots: 1,
      replacementBoots: 0,
      workersAtRequest: 1,
      events: [],
      access: [],
      accessLogObserved: true,
    },
    nginx: { version: '1.22.1', access: [], errors: [], tempPeakBytes: null },
    statsd: null,
    upload: null,
    capacity: null,
    resources: { app: null, nginx: null },
    timings: { startMs: 1000, transferMs: 8000, observeMs: 300 },
    logs: { waitedMs: 0, missing: [] },
  };
  change(o);
  return o;
}

// Gunicorn's WORKER TIMEOUT, `atMs` into the client's request.
export function killAt(o: Observation, atMs: number): void {
  o.gunicorn.events.push({ atMs, kind: 'timeout', level: 'CRITICAL', pid: 7, message: 'WORKER TIMEOUT (pid:8)' });
  o.gunicorn.workerTimeouts += 1;
}
