// Unit tests of src/observe/capacity.ts.
import test from 'ava';
import { type ClientDownload, type ClientProbe } from '../../src/client/client-output.ts';
import { observeCapacity, peakConcurrent } from '../../src/observe/capacity.ts';
import { MiB } from './helpers/observation.ts';
import { SHA } from './helpers/comparison.ts';

const download = (index: number, change: Partial<ClientDownload> = {}): ClientDownload => ({
  index,
  status: 200,
  contentLength: 4 * MiB,
  chunked: false,
  bytesReceived: 4 * MiB,
  sha256: SHA,
  outcome: 'complete',
  error: null,
  headersMs: 5,
  firstByteMs: 10,
  durationMs: 8000,
  ...change,
});

const probe = (latencyMs: number | null): ClientProbe => ({
  path: '/ping',
  sentMs: 1000,
  status: latencyMs === null ? null : 200,
  latencyMs,
  error: latencyMs === null ? 'TimeoutError' : null,
});

test('capacity: completed needs the whole file and its checksum; cut got part of it; waited got no byte', (t) => {
  const downloads = [
    download(0),
    download(1, { sha256: 'b'.repeat(64) }),
    download(2, { outcome: 'truncated', bytesReceived: MiB, durationMs: 3000 }),
    download(3, { status: null, outcome: 'client-timeout', bytesReceived: 0, firstByteMs: null, headersMs: null, durationMs: 20000 }),
    download(4, { outcome: 'client-timeout', bytesReceived: 2 * MiB, firstByteMs: 9000, durationMs: 20000 }),
  ];
  const c = observeCapacity(downloads, [probe(3), probe(40), probe(null)], SHA, { bytes: 90 * MiB, kind: 'peak' });
  t.like(c, { downloads: 5, completed: 1, cut: 2, unfinished: 1, waited: 1, peakConcurrent: 3 });
  t.is(c.memoryPerDownloadBytes, 30 * MiB);
  t.deepEqual(c.quick, { sent: 3, answered: 2, p50Ms: 3, maxMs: 40 });
});

test('capacity: downloads fed one after the other count as one at a time; an end at t closes before a start at t', (t) => {
  const inTurn = [0, 1, 2].map((i) => download(i, { firstByteMs: i * 2000, durationMs: (i + 1) * 2000 }));
  t.is(peakConcurrent(inTurn), 1);
  t.is(peakConcurrent([...inTurn, download(3, { firstByteMs: 500, durationMs: 2500 })]), 2);
  t.is(peakConcurrent([]), 0);
});

test('capacity: no memory reading or no download fed gives no memory per download', (t) => {
  t.is(observeCapacity([download(0)], [], SHA, null).memoryPerDownloadBytes, null);
  const none = observeCapacity([download(0, { bytesReceived: 0, firstByteMs: null, outcome: 'client-timeout' })], [], SHA, { bytes: MiB, kind: 'peak' });
  t.is(none.memoryPerDownloadBytes, null);
  t.deepEqual(none.quick, { sent: 0, answered: 0, p50Ms: null, maxMs: null });
});
