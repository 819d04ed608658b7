// Unit tests of src/verdict/judge.ts.
import test from 'ava';
import { type Expectation } from '../../src/lab/schema.ts';
import { type Observation } from '../../src/observe/observation.ts';
import { checkAll, firstByteShare, judge, probeHeld, type Check } from '../../src/verdict/judge.ts';
import { MiB, killAt, quietObservation } from './helpers/observation.ts';
import { nginxLine } from './helpers/observation-edits.ts';

type Case = [what: string, expectation: Expectation, change: (o: Observation) => void, check: Check];

function cases(list: Case[]) {
  return (t: import('ava').ExecutionContext) => {
    for (const [what, expectation, change, check] of list) t.deepEqual(checkAll(expectation, quietObservation(change)), [check], what);
  };
}
const none = () => undefined;

const nginxError = (message: string) => (o: Observation) => o.nginx!.errors.push({ atMs: 2000, level: 'error', message });

const access =
  (...lines: Array<[status: number, durationMs: number]>) =>
  (o: Observation) =>
    (o.gunicorn.access = lines.map(([status, durationMs]) => ({ atMs: 0, status, bytes: 1, durationMs, request: 'GET /download HTTP/1.0' })));

const UPSTREAM = 'Nginx upstream done within half the client request time';

const probe = (sentMs: number, latencyMs: number | null, status: number | null = 200, error: string | null = null) => ({
  path: '/ping',
  sentMs,
  status,
  latencyMs,
  error,
});
const probes =
  (...list: ReturnType<typeof probe>[]) =>
  (o: Observation) =>
    (o.client.probes = list);
const SIDE = 'side requests during the download';
const IMMEDIATE = 'answered within 1000 ms';
const HELD = 'held for at least half of the download time left';

const NEAR = (atS: string, passed: boolean): Check => ({ name: 'first WORKER TIMEOUT', expected: '30 to 33 s into the request', actual: atS, passed });

const metric = (atMs: number, name = 'gunicorn.log.critical') => ({ atMs, name, value: 1, type: 'c' });
const ALERT = 'statsd alert on WORKER TIMEOUT';
const ALERT_EXPECTED = 'gunicorn.log.critical within 3 s of the kill';
const SILENT_EXPECTED = 'statsd metrics, never gunicorn.log.critical';

const STREAM = 'first body byte of the stream';
const firstByte = (ms: number | null) => (o: Observation) => (o.client.firstByteMs = ms);

const SPILL = "Nginx's temp files (proxy buffers on disk), at most at once";
const spilled = (bytes: number | null) => (o: Observation) => (o.nginx!.tempPeakBytes = bytes);

test(
  'outcome, status, WORKER TIMEOUT and checksum say what the client and Gunicorn did',
  cases([
    ['whole', { outcome: 'complete' }, none, { name: 'client transfer ends', expected: 'complete', actual: 'complete (8 MiB of 8 MiB)', passed: true }],
    [
      'cut, no length',
      { outcome: 'complete' },
      (o) => ((o.client.outcome = 'truncated'), (o.client.bytesReceived = 2 * MiB), (o.client.contentLength = null)),
      { name: 'client transfer ends', expected: 'complete', actual: 'truncated (2 MiB of unknown length)', passed: false },
    ],
    ['status', { clientStatus: 200 }, none, { name: 'client HTTP status', expected: '200', actual: '200', passed: true }],
    [
      'no response',
      { clientStatus: 200 },
      (o) => (o.client.status = null),
      { name: 'client HTTP status', expected: '200', actual: 'no response', passed: false },
    ],
    ['another status', { clientStatus: 500 }, none, { name: 'client HTTP status', expected: '500', actual: '200', passed: false }],
    [
      'a kill expected, none seen',
      { workerTimeout: true },
      none,
      { name: 'Gunicorn logs WORKER TIMEOUT', expected: 'at least once', actual: 'never', passed: false },
    ],
    [
      'a kill expected and seen',
      { workerTimeout: true },
      (o) => killAt(o, 2000),
      { name: 'Gunicorn logs WORKER TIMEOUT', expected: 'at least once', actual: '1 time(s)', passed: true },
    ],
    [
      'no kill expected, one seen',
      { workerTimeout: false },
      (o) => killAt(o, 2000),
      { name: 'Gunicorn logs WORKER TIMEOUT', expected: 'never', actual: '1 time(s)', passed: false },
    ],
    ['no kill expected, none seen', { workerTimeout: false }, none, { name: 'Gunicorn logs WORKER TIMEOUT', expected: 'never', actual: 'never', passed: true }],
    [
      'a differing body expected',
      { checksumMatches: false },
      (o) => (o.client.checksumMatches = false),
      { name: 'body checksum matches the file', expected: 'differs', actual: 'differs', passed: true },
    ],
    [
      'a differing body expected, the file came',
      { checksumMatches: false },
      none,
      { name: 'body checksum matches the file', expected: 'differs', actual: 'matches', passed: false },
    ],
  ]),
);

test(
  "Nginx's error log: the line's first clause, or why there is none",
  cases([
    [
      'mentioned',
      { nginxErrorIncludes: 'prematurely closed' },
      nginxError('upstream prematurely closed connection while reading upstream, client: 172.18.0.4, server: _'),
      {
        name: 'Nginx error log mentions',
        expected: '"prematurely closed"',
        actual: '"upstream prematurely closed connection while reading upstream"',
        passed: true,
      },
    ],
    [
      'another line only',
      { nginxErrorIncludes: 'prematurely closed' },
      nginxError('upstream timed out'),
      { name: 'Nginx error log mentions', expected: '"prematurely closed"', actual: 'no such line', passed: false },
    ],
    [
      'no Nginx',
      { nginxErrorIncludes: 'prematurely closed' },
      (o) => (o.nginx = null),
      { name: 'Nginx error log mentions', expected: '"prematurely closed"', actual: 'no Nginx in this lab', passed: false },
    ],
  ]),
);

test(
  "Gunicorn's access log: statuses, count and the longest request",
  cases([
    [
      'a 500 among others',
      { gunicornAccessStatus: 500 },
      access([200, 5], [500, 9]),
      { name: 'Gunicorn access log records status', expected: '500', actual: '200, 500', passed: true },
    ],
    ['no 500', { gunicornAccessStatus: 500 }, access([200, 5]), { name: 'Gunicorn access log records status', expected: '500', actual: '200', passed: false }],
    ['no line', { gunicornAccessStatus: 500 }, none, { name: 'Gunicorn access log records status', expected: '500', actual: 'no access line', passed: false }],
    ['two lines', { gunicornAccessLines: 2 }, access([200, 5], [200, 6]), { name: 'Gunicorn access lines', expected: '2', actual: '2', passed: true }],
    ['one line of two', { gunicornAccessLines: 2 }, access([200, 5]), { name: 'Gunicorn access lines', expected: '2', actual: '1', passed: false }],
    [
      'the longest, rounded',
      { gunicornRequestMaxMs: 100 },
      access([200, 5], [200, 99.6]),
      { name: 'longest Gunicorn request', expected: 'at most 100 ms', actual: '100 ms', passed: true },
    ],
    [
      'the longest too long',
      { gunicornRequestMaxMs: 100 },
      access([200, 100.2], [200, 5]),
      { name: 'longest Gunicorn request', expected: 'at most 100 ms', actual: '100 ms', passed: false },
    ],
    ['no line', { gunicornRequestMaxMs: 100 }, none, { name: 'longest Gunicorn request', expected: 'at most 100 ms', actual: 'no access line', passed: false }],
  ]),
);

test(
  "upstream done first: Nginx's own times for the download, half the request time the line",
  cases([
    ['at half', { upstreamDoneFirst: true }, nginxLine(4, 8), { name: UPSTREAM, expected: 'yes', actual: 'upstream 4 s, request 8 s', passed: true }],
    [
      'past half',
      { upstreamDoneFirst: true },
      nginxLine(4.001, 8),
      { name: UPSTREAM, expected: 'yes', actual: 'upstream 4.001 s, request 8 s', passed: false },
    ],
    [
      'past half, not expected',
      { upstreamDoneFirst: false },
      nginxLine(4.001, 8),
      { name: UPSTREAM, expected: 'no', actual: 'upstream 4.001 s, request 8 s', passed: true },
    ],
    [
      'no upstream time',
      { upstreamDoneFirst: false },
      nginxLine(null, 8),
      { name: UPSTREAM, expected: 'no', actual: 'upstream - s, request 8 s', passed: true },
    ],
    [
      'no request time',
      { upstreamDoneFirst: true },
      nginxLine(0.1, null),
      { name: UPSTREAM, expected: 'yes', actual: 'upstream 0.1 s, request - s', passed: false },
    ],
    [
      'no request time, an instant upstream',
      { upstreamDoneFirst: true },
      nginxLine(0, null),
      { name: UPSTREAM, expected: 'yes', actual: 'upstream 0 s, request - s', passed: false },
    ],
    [
      "a side request's line only",
      { upstreamDoneFirst: false },
      nginxLine(0.1, 8, '/ping'),
      { name: UPSTREAM, expected: 'no', actual: 'no Nginx access line for the download', passed: false },
    ],
    [
      'no Nginx',
      { upstreamDoneFirst: false },
      (o) => (o.nginx = null),
      { name: UPSTREAM, expected: 'no', actual: 'no Nginx access line for the download', passed: false },
    ],
  ]),
);

test(
  'side requests: every one must meet the rule, each said with the time the download had left',
  cases([
    [
      'at the limit',
      { probes: 'immediate' },
      probes(probe(1000, 1000)),
      { name: SIDE, expected: IMMEDIATE, actual: '/ping: 200 after 1000 ms (download had 7000 ms left)', passed: true },
    ],
    [
      'one of two too slow',
      { probes: 'immediate' },
      probes(probe(1000, 40), probe(2000, 1001)),
      {
        name: SIDE,
        expected: IMMEDIATE,
        actual: '/ping: 200 after 40 ms (download had 7000 ms left); /ping: 200 after 1001 ms (download had 6000 ms left)',
        passed: false,
      },
    ],
    [
      'timed out',
      { probes: 'immediate' },
      probes(probe(1000, null, null, 'timed out')),
      { name: SIDE, expected: IMMEDIATE, actual: '/ping: timed out after - ms (download had 7000 ms left)', passed: false },
    ],
    [
      'a status but no latency',
      { probes: 'immediate' },
      probes(probe(1000, null, 200)),
      { name: SIDE, expected: IMMEDIATE, actual: '/ping: 200 after - ms (download had 7000 ms left)', passed: false },
    ],
    [
      'a latency but no status',
      { probes: 'immediate' },
      probes(probe(1000, 40, null)),
      { name: SIDE, expected: IMMEDIATE, actual: '/ping: no answer after 40 ms (download had 7000 ms left)', passed: false },
    ],
    [
      'held',
      { probes: 'held' },
      probes(probe(1000, 3500)),
      { name: SIDE, expected: HELD, actual: '/ping: 200 after 3500 ms (download had 7000 ms left)', passed: true },
    ],
    [
      'sent after the download ended: nothing left to wait for',
      { probes: 'held' },
      probes(probe(9000, 0)),
      { name: SIDE, expected: HELD, actual: '/ping: 200 after 0 ms (download had 0 ms left)', passed: true },
    ],
    ['none', { probes: 'held' }, none, { name: SIDE, expected: HELD, actual: 'no side request', passed: false }],
  ]),
);

test(
  'the kill near the default timeout: from the timeout to three seconds after',
  cases([
    ['at 30 s', { workerTimeoutNearS: 30 }, (o) => killAt(o, 30_000), NEAR('30.00 s', true)],
    ['just before', { workerTimeoutNearS: 30 }, (o) => killAt(o, 29_999), NEAR('30.00 s', false)],
    ['at 33 s', { workerTimeoutNearS: 30 }, (o) => killAt(o, 33_000), NEAR('33.00 s', true)],
    ['just after', { workerTimeoutNearS: 30 }, (o) => killAt(o, 33_001), NEAR('33.00 s', false)],
    [
      'the first kill of the request counts, not one while booting',
      { workerTimeoutNearS: 30 },
      (o) => (killAt(o, -500), killAt(o, 31_000)),
      NEAR('31.00 s', true),
    ],
    ['no kill', { workerTimeoutNearS: 30 }, none, NEAR('none', false)],
    ['a kill at the very start of the request is the first', { workerTimeoutNearS: 30 }, (o) => (killAt(o, 0), killAt(o, 31_000)), NEAR('0.00 s', false)],
    [
      'other events before the kill are not it',
      { workerTimeoutNearS: 30 },
      (o) => (o.gunicorn.events.push({ atMs: 100, kind: 'boot', level: 'INFO', pid: 9, message: 'Booting worker with pid: 9' }), killAt(o, 31_000)),
      NEAR('31.00 s', true),
    ],
  ]),
);

test(
  'the statsd alert: within three seconds of the kill, or silence that can be told from no metrics at all',
  cases([
    [
      '90 ms after',
      { timeoutAlert: true },
      (o) => (killAt(o, 2000), (o.statsd = [metric(2090)])),
      { name: ALERT, expected: ALERT_EXPECTED, actual: 'gunicorn.log.critical 90 ms after the kill', passed: true },
    ],
    [
      'a kill at the very start',
      { timeoutAlert: true },
      (o) => (killAt(o, 0), (o.statsd = [metric(90)])),
      { name: ALERT, expected: ALERT_EXPECTED, actual: 'gunicorn.log.critical 90 ms after the kill', passed: true },
    ],
    [
      'the kill, not an event before it',
      { timeoutAlert: true },
      (o) => (
        o.gunicorn.events.push({ atMs: 500, kind: 'boot', level: 'INFO', pid: 9, message: 'Booting worker with pid: 9' }),
        killAt(o, 2000),
        (o.statsd = [metric(2090)])
      ),
      { name: ALERT, expected: ALERT_EXPECTED, actual: 'gunicorn.log.critical 90 ms after the kill', passed: true },
    ],
    [
      '3 s after',
      { timeoutAlert: true },
      (o) => (killAt(o, 2000), (o.statsd = [metric(5000)])),
      { name: ALERT, expected: ALERT_EXPECTED, actual: 'gunicorn.log.critical 3000 ms after the kill', passed: true },
    ],
    [
      'too late',
      { timeoutAlert: true },
      (o) => (killAt(o, 2000), (o.statsd = [metric(5001)])),
      { name: ALERT, expected: ALERT_EXPECTED, actual: 'gunicorn.log.critical 3001 ms after the kill', passed: false },
    ],
    [
      "stamped before the kill's line by a loaded engine",
      { timeoutAlert: true },
      (o) => (killAt(o, 2000), (o.statsd = [metric(1700)])),
      { name: ALERT, expected: ALERT_EXPECTED, actual: 'gunicorn.log.critical with the kill (stamped 300 ms before its log line)', passed: true },
    ],
    [
      'a counter well before the kill is not its alert',
      { timeoutAlert: true },
      (o) => (killAt(o, 2000), (o.statsd = [metric(1400)])),
      { name: ALERT, expected: ALERT_EXPECTED, actual: 'gunicorn.log.critical with no WORKER TIMEOUT before it', passed: false },
    ],
    [
      'a counter with no kill',
      { timeoutAlert: true },
      (o) => (o.statsd = [metric(2090)]),
      { name: ALERT, expected: ALERT_EXPECTED, actual: 'gunicorn.log.critical with no WORKER TIMEOUT before it', passed: false },
    ],
    [
      'a kill and other metrics',
      { timeoutAlert: true },
      (o) => (killAt(o, 2000), (o.statsd = [metric(10, 'gunicorn.requests'), metric(20, 'gunicorn.workers')])),
      { name: ALERT, expected: ALERT_EXPECTED, actual: 'no gunicorn.log.critical (2 other metric(s))', passed: false },
    ],
    [
      'no statsd in the lab',
      { timeoutAlert: true },
      none,
      { name: ALERT, expected: ALERT_EXPECTED, actual: 'not observable: this lab sends no statsd metrics', passed: false },
    ],
    [
      'silent',
      { timeoutAlert: false },
      (o) => (o.statsd = [metric(10, 'gunicorn.requests')]),
      { name: ALERT, expected: SILENT_EXPECTED, actual: '1 metric(s), no gunicorn.log.critical', passed: true },
    ],
    [
      'not silent',
      { timeoutAlert: false },
      (o) => (o.statsd = [metric(10, 'gunicorn.requests'), metric(20)]),
      { name: ALERT, expected: SILENT_EXPECTED, actual: '1 × gunicorn.log.critical', passed: false },
    ],
    [
      'no metric at all',
      { timeoutAlert: false },
      (o) => (o.statsd = []),
      { name: ALERT, expected: SILENT_EXPECTED, actual: 'no statsd metric at all (not observable)', passed: false },
    ],
    [
      'no statsd in the lab, silence expected',
      { timeoutAlert: false },
      none,
      { name: ALERT, expected: SILENT_EXPECTED, actual: 'not observable: this lab sends no statsd metrics', passed: false },
    ],
  ]),
);

test(
  "streaming: the first body byte's share of the transfer",
  cases([
    [
      'live',
      { streaming: 'live' },
      firstByte(2000),
      { name: STREAM, expected: 'within the first 25 % of the transfer', actual: 'after 2000 ms of 8000 ms (25 %)', passed: true },
    ],
    [
      'not live',
      { streaming: 'live' },
      firstByte(2001),
      { name: STREAM, expected: 'within the first 25 % of the transfer', actual: 'after 2001 ms of 8000 ms (25 %)', passed: false },
    ],
    [
      'held',
      { streaming: 'held' },
      firstByte(6400),
      { name: STREAM, expected: 'only in its last 20 %', actual: 'after 6400 ms of 8000 ms (80 %)', passed: true },
    ],
    [
      'not held',
      { streaming: 'held' },
      firstByte(6399),
      { name: STREAM, expected: 'only in its last 20 %', actual: 'after 6399 ms of 8000 ms (80 %)', passed: false },
    ],
    [
      'no byte',
      { streaming: 'live' },
      firstByte(null),
      { name: STREAM, expected: 'within the first 25 % of the transfer', actual: 'no body byte', passed: false },
    ],
  ]),
);

test(
  "Nginx's disk: the peak of its temp files against 90 % of the file, or none at all; unknown is not none",
  cases([
    [
      'most',
      { nginxSpill: 'most' },
      spilled(7549748),
      { name: SPILL, expected: 'at least 90 % of the file (7.20 MiB)', actual: '7.20 MiB (90 % of the file)', passed: true },
    ],
    [
      'exactly 90 % is most',
      { nginxSpill: 'most' },
      (o) => ((o.file.sizeBytes = 10 * MiB), (o.nginx!.tempPeakBytes = 9 * MiB)),
      { name: SPILL, expected: 'at least 90 % of the file (9 MiB)', actual: '9 MiB (90 % of the file)', passed: true },
    ],
    [
      'a byte short of most',
      { nginxSpill: 'most' },
      spilled(7549747),
      { name: SPILL, expected: 'at least 90 % of the file (7.20 MiB)', actual: '7.20 MiB (90 % of the file)', passed: false },
    ],
    ['none', { nginxSpill: 'none' }, spilled(0), { name: SPILL, expected: 'none', actual: '0 B (0 % of the file)', passed: true }],
    ['one byte is not none', { nginxSpill: 'none' }, spilled(1), { name: SPILL, expected: 'none', actual: '1 B (0 % of the file)', passed: false }],
    [
      'not sampled',
      { nginxSpill: 'none' },
      spilled(null),
      { name: SPILL, expected: 'none', actual: 'not observable: this Nginx has no temp-file sampler', passed: false },
    ],
    [
      'no Nginx',
      { nginxSpill: 'none' },
      (o) => (o.nginx = null),
      { name: SPILL, expected: 'none', actual: 'not observable: no Nginx in this lab', passed: false },
    ],
  ]),
);

test('a verdict needs at least one check, and every check passed', (t) => {
  const quiet = quietObservation();
  t.deepEqual(judge({}, quiet), { passed: false, checks: [] }, 'nothing expected proves nothing');
  t.true(judge({ outcome: 'complete', clientStatus: 200 }, quiet).passed);
  t.false(judge({ outcome: 'complete', clientStatus: 500 }, quiet).passed);
  t.deepEqual(
    checkAll({ streaming: 'live', outcome: 'complete', probes: 'held', clientStatus: 200 }, quiet).map((c) => c.name),
    ['client transfer ends', 'client HTTP status', SIDE, STREAM],
    "checks come in the vocabulary's order, whatever the lab's order",
  );
});

test('the shared rules on their own: an unanswered probe is never held; no duration, no share', (t) => {
  t.false(probeHeld({ path: '/ping', sentMs: 9000, status: null, latencyMs: null, error: 'timed out' }, 8000), 'sent after the end, never answered');
  t.false(probeHeld({ path: '/ping', sentMs: 1000, status: null, latencyMs: null, error: 'timed out' }, 8000));
  t.is(firstByteShare(quietObservation((o) => ((o.client.durationMs = 0), (o.client.firstByteMs = 10)))), null);
  t.is(firstByteShare(quietObservation((o) => (o.client.firstByteMs = 2000))), 0.25);
});
