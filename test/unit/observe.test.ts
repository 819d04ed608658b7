// The observation built from raw evidence written for the test (Docker-timestamped log lines, the client's result):
// each field from its own source, times from the client's start, and what belongs to the set-up left out.
import test from 'ava';
import { labPlan } from '../../src/client/transfer-plan.ts';
import type { ClientResult } from '../../src/client/client-output.ts';
import type { Evidence } from '../../src/observe/collect-evidence.ts';
import { buildObservation } from '../../src/observe/build-observation.ts';
import { demuxDockerLog, splitTimestamps } from '../../src/docker/docker-log.ts';
import { gunicornVersion, gunicornWorkerClass, parseGunicornAccessLog, parseGunicornErrorLog } from '../../src/observe/parse-gunicorn-log.ts';
import { nginxVersionFromServerHeader, parseNginxAccessLog, parseNginxErrorLog } from '../../src/observe/parse-nginx-log.ts';
import { parseStatsdLog } from '../../src/observe/parse-statsd.ts';
import { validateLab, type LabInput } from '../../src/lab/schema.ts';
import { dockerFrame } from './helpers/docker-frame.ts';

const MiB = 1024 * 1024;
const ORIGIN = Date.parse('2026-11-28T10:00:00.000Z');
// A Docker log line `ms` after the client's start.
const at = (ms: number, text: string) => `${new Date(ORIGIN + ms).toISOString().replace('Z', '000000Z')} ${text}`;
const gunicornLine = (ms: number, level: string, message: string) => at(ms, `[2026-11-28 10:00:00 +0000] [7] [${level}] ${message}`);

function labOf(input: Partial<LabInput> = {}) {
  const { lab, problems } = validateLab({ hypothesis: 'An observation built from evidence written by hand.', expect: { workerTimeout: true }, ...input });
  if (!lab) throw new Error(problems.join('; '));
  return lab;
}

function result(change: Partial<ClientResult> = {}): ClientResult {
  return {
    startedAtEpochMs: ORIGIN,
    status: 200,
    headers: { server: 'nginx/1.26.3' },
    contentLength: 8 * MiB,
    chunked: false,
    bytesReceived: 2 * MiB,
    sha256: 'a'.repeat(64),
    outcome: 'truncated',
    error: null,
    headersMs: 100,
    firstByteMs: 101,
    maxGapMs: 12.5,
    durationMs: 2100,
    timeline: [[1000, MiB]],
    ...change,
  };
}

const APP_STDERR = [
  gunicornLine(-3000, 'INFO', 'Starting gunicorn 23.0.0'),
  gunicornLine(-2990, 'INFO', 'Using worker: sync'),
  gunicornLine(-2980, 'INFO', 'Booting worker with pid: 8'),
  gunicornLine(-1000, 'CRITICAL', 'WORKER TIMEOUT (pid:8)'),
  gunicornLine(-990, 'INFO', 'Booting worker with pid: 9'),
  gunicornLine(1500, 'CRITICAL', 'WORKER TIMEOUT (pid:9)'),
  gunicornLine(1510, 'INFO', 'Booting worker with pid: 10'),
].join('\n');
const APP_STDOUT = [
  at(-500, 'access 200 4 1200 "GET /ping?lab-readiness HTTP/1.1"'),
  at(1600, 'access 500 0 1500000 "GET /files/large.bin HTTP/1.0"'),
  at(1700, 'access 200 4 1200 "GET /ping?lab-readiness HTTP/1.1"'),
].join('\n');
const NGINX_STDOUT = [
  at(
    -400,
    '{"request":"GET /ping?lab-readiness HTTP/1.1","status":200,"bodyBytesSent":4,"requestTime":"0.001","upstreamResponseTime":"0.001","upstreamStatus":"200"}',
  ),
  at(
    2100,
    '{"request":"GET /files/large.bin HTTP/1.1","status":200,"bodyBytesSent":2097152,"requestTime":"2.100","upstreamResponseTime":"1.500","upstreamStatus":"200"}',
  ),
].join('\n');
const NGINX_STDERR = [
  at(-300, '2026/11/28 09:59:59 [error] 20#20: *1 connect() failed (111: Connection refused) while connecting to upstream'),
  at(1600, '2026/11/28 10:00:01 [error] 20#20: *3 upstream prematurely closed connection while sending to client, client: 172.18.0.4'),
].join('\n');

function evidence(change: (e: Evidence) => void = () => undefined): Evidence {
  const e: Evidence = {
    logs: { app: { stdout: APP_STDOUT, stderr: APP_STDERR }, nginx: { stdout: NGINX_STDOUT, stderr: NGINX_STDERR } },
    memory: { app: { bytes: 50 * MiB, kind: 'peak' }, nginx: { bytes: 4 * MiB, kind: 'current' } },
  };
  change(e);
  return e;
}

const timings = { setupMs: 1000, transferMs: 2100, observeMs: 300 };
const build = (r = result(), e = evidence(), lab = labOf()) =>
  buildObservation({
    plan: labPlan(lab),
    fileSha256: 'a'.repeat(64),
    transfer: { result: r, probes: [], downloads: [], capacity: null, command: [], throttle: null },
    evidence: e,
    timings,
  });

test("the client: its result, the fraction of what was promised, and the rate over the body's own time", (t) => {
  const o = build();
  t.deepEqual(o.file, { sizeBytes: 8 * MiB, sha256: 'a'.repeat(64), servedAtPath: true });
  t.like(o.client, {
    path: '/files/large.bin',
    status: 200,
    contentLength: 8 * MiB,
    bytesReceived: 2 * MiB,
    fractionReceived: 0.25,
    checksumMatches: true,
    outcome: 'truncated',
    headersMs: 100,
    firstByteMs: 101,
    maxGapMs: 12.5,
    durationMs: 2100,
  });
  t.is(o.client.achievedRateBytesPerS, MiB, '2 MiB over the 2 s from headers to the last byte');
  t.deepEqual(o.client.timeline, [[1000, MiB]]);
  t.is(build(result({ headersMs: null })).client.achievedRateBytesPerS, Math.round((2 * MiB) / 2.1), 'no headers time: the whole duration');
  t.is(build(result({ bytesReceived: 0 })).client.achievedRateBytesPerS, null, 'no byte, no rate');
  t.is(build(result({ durationMs: 100 })).client.achievedRateBytesPerS, null, 'no time after the headers, no rate');
  t.is(build(result({ contentLength: null })).client.fractionReceived, 0.25, 'no length promised: over the file');
  t.is(build(result({ contentLength: 0 })).client.fractionReceived, 0, 'nothing promised: nothing to divide');
  t.false(build(result({ sha256: 'b'.repeat(64) })).client.checksumMatches);
  t.false(build(result({ sha256: null })).client.checksumMatches);
  const { firstByteMs: _, maxGapMs: __, ...older } = result();
  t.is(build(older as ClientResult).client.firstByteMs, null, 'a result captured before first bytes were measured');
  t.is(build(older as ClientResult).client.maxGapMs, null, 'nor gaps');
  t.false(build(result(), evidence(), labOf({ client: { path: '/events', body: 'other' } })).file.servedAtPath);
});

test('Gunicorn: kills before the request apart, access lines of the set-up left out, yet counted as seeing the log', (t) => {
  const g = build().gunicorn;
  t.is(g.version, '23.0.0');
  t.is(g.workerClass, 'sync');
  t.is(g.workerTimeouts, 1);
  t.is(g.workerTimeoutsBeforeRequest, 1);
  t.is(g.workerBoots, 3);
  t.is(g.replacementBoots, 2, 'pid 9 after the boot kill of pid 8, pid 10 after the kill of pid 9');
  t.is(g.workersAtRequest, 1);
  t.deepEqual(
    g.events.filter((e) => e.kind === 'timeout').map((e) => [e.atMs, e.pid]),
    [
      [-1000, 8],
      [1500, 9],
    ],
  );
  t.deepEqual(g.access, [{ atMs: 1600, status: 500, bytes: 0, durationMs: 1500, request: 'GET /files/large.bin HTTP/1.0' }]);
  t.true(g.accessLogObserved);
  const readinessOnly = build(
    result(),
    evidence((e) => (e.logs.app!.stdout = at(-500, 'access 200 4 1200 "GET /ping?lab-readiness HTTP/1.1"'))),
  );
  t.deepEqual(readinessOnly.gunicorn.access, []);
  t.true(readinessOnly.gunicorn.accessLogObserved, 'the readiness line shows the format is logged');
  const silent = build(
    result(),
    evidence((e) => (e.logs.app!.stdout = '')),
  );
  t.false(silent.gunicorn.accessLogObserved);
  const noApp = build(
    result(),
    evidence((e) => delete e.logs.app),
  );
  t.deepEqual([noApp.gunicorn.events, noApp.gunicorn.access, noApp.gunicorn.version], [[], [], null]);
});

test("Nginx: its version from the Server header, its lines from the client's request on; none without Nginx", (t) => {
  const n = build().nginx!;
  t.is(n.version, '1.26.3');
  t.deepEqual(n.access, [
    {
      atMs: 2100,
      request: 'GET /files/large.bin HTTP/1.1',
      status: 200,
      bodyBytesSent: 2097152,
      requestTimeS: 2.1,
      upstreamResponseTimeS: 1.5,
      upstreamStatus: '200',
    },
  ]);
  t.deepEqual(n.errors, [{ atMs: 1600, level: 'error', message: 'upstream prematurely closed connection while sending to client, client: 172.18.0.4' }]);
  t.is(build(result({ headers: {} })).nginx?.version, null);
  t.is(
    build(
      result(),
      evidence((e) => delete e.logs.nginx),
    ).nginx,
    null,
  );
});

test('statsd only where the lab sends it; memory, timings and the log wait passed through', (t) => {
  t.is(build().statsd, null);
  const statsdLab = labOf({ gunicorn: { statsd: true } });
  const withClient = evidence(
    (e) => (e.logs.client = { stdout: [at(1590, 'gunicorn.log.critical:1|c'), at(1600, 'listening on 8125')].join('\n'), stderr: '' }),
  );
  t.deepEqual(build(result(), withClient, statsdLab).statsd, [{ atMs: 1590, name: 'gunicorn.log.critical', value: 1, type: 'c' }]);
  t.deepEqual(build(result(), evidence(), statsdLab).statsd, [], 'sent, but nothing arrived');
  const o = build();
  t.deepEqual(o.resources, { app: { bytes: 50 * MiB, kind: 'peak' }, nginx: { bytes: 4 * MiB, kind: 'current' } });
  t.deepEqual(
    build(
      result(),
      evidence((e) => (e.memory = {})),
    ).resources,
    { app: null, nginx: null },
  );
  t.deepEqual(o.timings, timings);
  t.deepEqual(o.logs, { waitedMs: 0, missing: [] });
  const waited = buildObservation({
    plan: labPlan(labOf()),
    fileSha256: 'x',
    transfer: { result: result(), probes: [], downloads: [], capacity: null, command: [], throttle: null },
    evidence: evidence(),
    timings,
    logWait: { waitedMs: 250, missing: ['x'] },
  });
  t.deepEqual(waited.logs, { waitedMs: 250, missing: ['x'] });
});

test("Docker's log frames and timestamps", (t) => {
  const frame = dockerFrame;
  const all = Buffer.concat([frame(1, 'out one\n'), frame(2, 'err\n'), frame(1, 'out two\n'), Buffer.from([1, 0, 0])]);
  t.deepEqual(demuxDockerLog(all), { stdout: 'out one\nout two\n', stderr: 'err\n' }, 'a short trailing header is left out');
  t.deepEqual(demuxDockerLog(Buffer.alloc(0)), { stdout: '', stderr: '' });
  t.deepEqual(splitTimestamps('2026-11-28T10:00:00.123456789Z first\ncontinued\n\n2026-11-28T10:00:01Z second'), [
    { epochMs: ORIGIN + 123, text: 'first' },
    { epochMs: ORIGIN + 123, text: 'continued' },
    { epochMs: ORIGIN + 1999, text: 'second' }, // a whole-second stamp: the end of its second
  ]);
  t.deepEqual(splitTimestamps('2026-11-28T10:00:00.5Z half'), [{ epochMs: ORIGIN + 500, text: 'half' }]);
  t.true(Number.isNaN(splitTimestamps('untimed')[0]?.epochMs));
  t.deepEqual(splitTimestamps('2026-11-28T10:00:00.000Z a\nb'), [
    { epochMs: ORIGIN, text: 'a' },
    { epochMs: ORIGIN, text: 'b' },
  ]);
  t.deepEqual(
    splitTimestamps('x 2026-11-28T10:00:00.000Z a').map((l) => l.text),
    ['x 2026-11-28T10:00:00.000Z a'],
    'a timestamp counts only at the start',
  );
});

test("Gunicorn's error log: each kind with its pid, levels, tracebacks as detail, rounding to the millisecond", (t) => {
  const lines = splitTimestamps(
    [
      gunicornLine(0, 'INFO', 'Starting gunicorn 26.2.2'),
      gunicornLine(1, 'INFO', 'Listening at: http://0.0.0.0:8000 (7)'),
      gunicornLine(2, 'INFO', 'Using worker: gevent'),
      gunicornLine(3, 'INFO', 'Booting worker with pid: 8'),
      gunicornLine(4, 'CRITICAL', 'WORKER TIMEOUT (pid:8)'),
      gunicornLine(5, 'INFO', 'Worker exiting (pid: 8)'),
      gunicornLine(6, 'ERROR', 'Worker (pid:8) was sent SIGKILL! Perhaps out of memory?'),
      gunicornLine(7, 'WARNING', 'Worker with pid 9 was terminated due to signal 9'),
      gunicornLine(8, 'INFO', 'Control socket listening at /tmp/.gunicorn.ctl'),
      gunicornLine(9, 'ERROR', 'Error handling request /files/large.bin'),
      at(9, 'Traceback (most recent call last):'),
      at(9, '   '),
      at(9, 'SystemExit: 1'),
      gunicornLine(10, 'CRITICAL', 'something else'),
      gunicornLine(11, 'INFO', 'Handling signal: term'),
      at(12, 'a stray line before nothing'),
    ].join('\n'),
  );
  const events = parseGunicornErrorLog(lines, ORIGIN - 0.4);
  t.deepEqual(
    events.map((e) => [e.atMs, e.kind, e.level, e.pid]),
    [
      [0, 'start', 'INFO', null],
      [1, 'listening', 'INFO', null],
      [2, 'worker-class', 'INFO', null],
      [3, 'boot', 'INFO', 8],
      [4, 'timeout', 'CRITICAL', 8],
      [5, 'exit', 'INFO', 8],
      [6, 'signal', 'ERROR', 8],
      [7, 'signal', 'WARNING', 9],
      [8, 'control', 'INFO', null],
      [9, 'error', 'ERROR', 7],
      [10, 'error', 'CRITICAL', 7],
      [11, 'other', 'INFO', null],
    ],
  );
  t.deepEqual(events[9]?.detail, ['Traceback (most recent call last):', 'SystemExit: 1']);
  t.deepEqual(events[11]?.detail, ['a stray line before nothing']);
  t.is(events[0]?.message, 'Starting gunicorn 26.2.2');
  t.deepEqual(parseGunicornErrorLog(splitTimestamps(at(0, 'no event yet')), ORIGIN), [], 'a stray line with no event before it is dropped');
  t.is(gunicornVersion(events), '26.2.2');
  t.is(gunicornWorkerClass(events), 'gevent');
  t.is(gunicornVersion([]), null);
  t.is(gunicornWorkerClass([]), null);
});

test("Gunicorn's access lines in the lab format, and nothing else", (t) => {
  const lines = splitTimestamps(
    [
      at(10, '  access 206 - 2500 "GET /files/large.bin HTTP/1.1"  '),
      at(20, 'access 20 1 1 "GET / HTTP/1.1"'),
      at(30, 'access 200 1 1 "GET /"x'),
      at(40, 'xaccess 200 1 1 "GET /"'),
    ].join('\n'),
  );
  t.deepEqual(parseGunicornAccessLog(lines, ORIGIN - 0.6), [{ atMs: 11, status: 206, bytes: null, durationMs: 2.5, request: 'GET /files/large.bin HTTP/1.1' }]);
});

test("Nginx's logs: error lines without the connection number, JSON and combined access lines, times as numbers", (t) => {
  const errors = parseNginxErrorLog(
    splitTimestamps(
      [
        at(5, '2026/11/28 10:00:00 [warn] 20#20: *12 an upstream response is buffered to a temporary file'),
        at(6, '2026/11/28 10:00:00 [notice] 1#1: signal process started'),
        at(7, 'not an error line'),
      ].join('\n'),
    ),
    ORIGIN,
  );
  t.deepEqual(errors, [
    { atMs: 5, level: 'warn', message: 'an upstream response is buffered to a temporary file' },
    { atMs: 6, level: 'notice', message: 'signal process started' },
  ]);
  const access = parseNginxAccessLog(
    splitTimestamps(
      [
        at(10, '172.18.0.4 - - [28/Nov/2026:10:00:00 +0000] "GET /files/large.bin HTTP/1.1" 200 8388608 "-" "curl/8"'),
        at(11, '172.18.0.4 - - [28/Nov/2026:10:00:00 +0000] "HEAD / HTTP/1.0" 404 - "-" "curl/8"'),
        at(12, '{"request":"GET /a HTTP/1.1","status":502,"bodyBytesSent":0,"requestTime":" ","upstreamResponseTime":"0.5 : 1.25","upstreamStatus":"502"}'),
        at(13, '{"request":"GET /b HTTP/1.1","status":200,"bodyBytesSent":1,"requestTime":"x","upstreamResponseTime":"-"}'),
        at(14, '{broken json'),
        at(15, 'a line of no format'),
      ].join('\n'),
    ),
    ORIGIN,
  );
  t.deepEqual(access, [
    {
      atMs: 10,
      request: 'GET /files/large.bin HTTP/1.1',
      status: 200,
      bodyBytesSent: 8388608,
      requestTimeS: null,
      upstreamResponseTimeS: null,
      upstreamStatus: '',
    },
    { atMs: 11, request: 'HEAD / HTTP/1.0', status: 404, bodyBytesSent: 0, requestTimeS: null, upstreamResponseTimeS: null, upstreamStatus: '' },
    { atMs: 12, request: 'GET /a HTTP/1.1', status: 502, bodyBytesSent: 0, requestTimeS: 0, upstreamResponseTimeS: 1.25, upstreamStatus: '502' },
    { atMs: 13, request: 'GET /b HTTP/1.1', status: 200, bodyBytesSent: 1, requestTimeS: 0, upstreamResponseTimeS: null, upstreamStatus: '' },
  ]);
  t.is(nginxVersionFromServerHeader('nginx/1.30.6 (Debian)'), '1.30.6');
  t.is(nginxVersionFromServerHeader('Apache/2.4'), null);
  t.is(nginxVersionFromServerHeader('not-nginx/1.2'), null, 'only from the start');
  t.is(nginxVersionFromServerHeader(''), null);
});

test('statsd lines: name, value and type, with rates and tags after them; anything else left out', (t) => {
  const lines = splitTimestamps(
    [
      at(5, '  gunicorn.request.duration:12.5|ms|@0.5|#tag:x  '),
      at(6, 'gunicorn.workers:-1|g'),
      at(7, 'listening on udp 8125'),
      at(8, 'x gunicorn.log.critical:1|c'),
      at(9, 'bad:1|C'),
    ].join('\n'),
  );
  t.deepEqual(parseStatsdLog(lines, ORIGIN), [
    { atMs: 5, name: 'gunicorn.request.duration', value: 12.5, type: 'ms' },
    { atMs: 6, name: 'gunicorn.workers', value: -1, type: 'g' },
  ]);
});

test("a line logged at the client's very start belongs to the run; an earlier one (a reference download) does not", (t) => {
  const o = build(
    result(),
    evidence((e) => {
      e.logs.app = {
        stdout: [at(-200, 'access 200 8 900000 "GET /files/large.bin HTTP/1.0"'), at(0, 'access 200 8 1000 "GET /files/large.bin HTTP/1.0"')].join('\n'),
        stderr: [gunicornLine(-1, 'CRITICAL', 'WORKER TIMEOUT (pid:8)'), gunicornLine(0, 'CRITICAL', 'WORKER TIMEOUT (pid:9)')].join('\n'),
      };
      e.logs.nginx = {
        stdout: [
          at(
            -1,
            '{"request":"GET /files/large.bin HTTP/1.1","status":200,"bodyBytesSent":1,"requestTime":"0.9","upstreamResponseTime":"0.9","upstreamStatus":"200"}',
          ),
          at(
            0,
            '{"request":"GET /files/large.bin HTTP/1.1","status":200,"bodyBytesSent":2,"requestTime":"0.001","upstreamResponseTime":"0.001","upstreamStatus":"200"}',
          ),
        ].join('\n'),
        stderr: [at(-1, '2026/11/28 10:00:00 [error] 20#20: *1 before'), at(0, '2026/11/28 10:00:00 [error] 20#20: *2 at the start')].join('\n'),
      };
    }),
  );
  t.deepEqual(
    o.gunicorn.access.map((a) => a.atMs),
    [0],
  );
  t.is(o.gunicorn.workerTimeouts, 1);
  t.is(o.gunicorn.workerTimeoutsBeforeRequest, 1);
  t.deepEqual(
    o.nginx?.access.map((a) => a.bodyBytesSent),
    [2],
  );
  t.deepEqual(
    o.nginx?.errors.map((e) => e.message),
    ['at the start'],
  );
});

test("Gunicorn's lines are recognised only from their start; pids of several digits", (t) => {
  const events = parseGunicornErrorLog(
    splitTimestamps(
      [
        gunicornLine(0, 'INFO', 'Booting worker with pid: 8'),
        at(1, `x ${'[2026-11-28 10:00:00 +0000] [7] [INFO] Booting worker with pid: 9'}`),
        ...[
          'Starting gunicorn 1',
          'Listening at: x',
          'Using worker: sync',
          'Booting worker with pid: 10',
          'WORKER TIMEOUT (pid:11)',
          'Worker exiting (pid: 12)',
          'Worker (pid:13) was sent SIGKILL!',
          'Worker with pid 14 was terminated due to signal 9',
          'Control socket listening at /tmp/x',
        ].map((m, i) => gunicornLine(2 + i, 'INFO', `note: ${m}`)),
        gunicornLine(19, 'ERROR', 'Worker (pid:321) was sent SIGKILL! Perhaps out of memory?'),
        gunicornLine(20, 'WARNING', 'Worker with pid 123 was terminated due to signal 9'),
        gunicornLine(21, 'CRITICAL', 'WORKER TIMEOUT (pid:4567)'),
      ].join('\n'),
    ),
    ORIGIN,
  );
  t.deepEqual(
    events.map((e) => [e.kind, e.pid]),
    [['boot', 8], ...Array.from({ length: 9 }, () => ['other', null]), ['signal', 321], ['signal', 123], ['timeout', 4567]],
  );
  t.deepEqual(events[0]?.detail, ['x [2026-11-28 10:00:00 +0000] [7] [INFO] Booting worker with pid: 9'], 'a line with text before its brackets is no event');
  const event = (kind: 'start' | 'worker-class' | 'other', message: string) => ({ atMs: 0, kind, level: 'INFO', pid: null, message });
  t.is(gunicornVersion([event('other', 'Listening'), event('start', 'Starting gunicorn 23.0.0')]), '23.0.0', 'the start line, wherever it is');
  t.is(gunicornVersion([event('start', 'Starting gunicorn')]), null, 'no version on the line');
  t.is(gunicornVersion([event('start', 'x Starting gunicorn 1')]), null);
  t.is(gunicornWorkerClass([event('other', 'x'), event('worker-class', 'Using worker: gthread')]), 'gthread');
  t.is(gunicornWorkerClass([event('worker-class', 'Using worker:')]), null);
  t.is(gunicornWorkerClass([event('worker-class', 'x Using worker: sync')]), null);
  t.deepEqual(parseGunicornAccessLog(splitTimestamps(at(0, 'access 200 4096 1200 "GET /x HTTP/1.1"')), ORIGIN), [
    { atMs: 0, status: 200, bytes: 4096, durationMs: 1.2, request: 'GET /x HTTP/1.1' },
  ]);
});

test("Nginx's lines: error lines only from their start; times that are empty, blank, odd or missing are no time", (t) => {
  t.deepEqual(parseNginxErrorLog(splitTimestamps(at(0, 'x 2026/11/28 10:00:00 [error] 20#20: *1 not from the start')), ORIGIN), []);
  const json = (fields: string) => at(0, `{"status":200,"bodyBytesSent":1,${fields}}`);
  const [upstreamEmpty, upstreamBlank, upstreamOdd, upstreamNumber, upstreamMissing, retries, noRequest] = parseNginxAccessLog(
    splitTimestamps(
      [
        json('"request":"GET /a HTTP/1.1","requestTime":"1.0","upstreamResponseTime":""'),
        json('"request":"GET /b HTTP/1.1","requestTime":"   ","upstreamResponseTime":"   "'),
        json('"request":"GET /c HTTP/1.1","requestTime":"1.0","upstreamResponseTime":"x"'),
        json('"request":"GET /d HTTP/1.1","requestTime":1.5,"upstreamResponseTime":2.5'),
        json('"request":"GET /e HTTP/1.1","requestTime":"1.0"'),
        json('"request":"GET /f HTTP/1.1","requestTime":"3.0","upstreamResponseTime":"0.1, 0.2 : 1.25"'),
        json('"requestTime":"1.0","upstreamResponseTime":"0.5"'),
      ].join('\n'),
    ),
    ORIGIN,
  );
  t.is(upstreamEmpty?.upstreamResponseTimeS, null, 'empty');
  t.deepEqual([upstreamBlank?.requestTimeS, upstreamBlank?.upstreamResponseTimeS], [0, null], 'blank');
  t.is(upstreamOdd?.upstreamResponseTimeS, null, 'not a number');
  t.deepEqual([upstreamNumber?.requestTimeS, upstreamNumber?.upstreamResponseTimeS], [0, null], 'not text as the format writes it');
  t.is(upstreamMissing?.upstreamResponseTimeS, null, 'missing');
  t.deepEqual([retries?.requestTimeS, retries?.upstreamResponseTimeS], [3, 1.25], 'the last of three tries');
  t.is(noRequest?.request, '', 'no request field');
  const combined = parseNginxAccessLog(splitTimestamps(at(0, '1.2.3.4 - - [28/Nov/2026:10:00:00 +0000] "GET /g HTTP/1.1" 200 12 "-" "ua" {')), ORIGIN);
  t.deepEqual(
    combined.map((a) => [a.request, a.bodyBytesSent]),
    [['GET /g HTTP/1.1', 12]],
    'a combined line that ends with a brace',
  );
});

test('Gunicorn with three workers: their first boots are not replacements; three were up at the request', (t) => {
  const threeWorkers = [
    gunicornLine(-3000, 'INFO', 'Booting worker with pid: 8'),
    gunicornLine(-2990, 'INFO', 'Booting worker with pid: 9'),
    gunicornLine(-2980, 'INFO', 'Booting worker with pid: 10'),
    gunicornLine(5750, 'CRITICAL', 'WORKER TIMEOUT (pid:9)'),
    gunicornLine(5760, 'INFO', 'Booting worker with pid: 11'),
  ].join('\n');
  const g = build(
    result(),
    evidence((e) => (e.logs.app!.stderr = threeWorkers)),
  ).gunicorn;
  t.is(g.workerBoots, 4);
  t.is(g.replacementBoots, 1);
  t.is(g.workersAtRequest, 3);
  const noKill = build(
    result(),
    evidence((e) => (e.logs.app!.stderr = threeWorkers.split('\n').slice(0, 3).join('\n'))),
  ).gunicorn;
  t.is(noKill.replacementBoots, 0);
  const exited = build(
    result(),
    evidence((e) => (e.logs.app!.stderr = [threeWorkers.split('\n')[0], gunicornLine(-100, 'INFO', 'Worker exiting (pid: 8)')].join('\n'))),
  ).gunicorn;
  t.is(exited.workersAtRequest, 0, 'a worker that exited before the request is not up');
});
