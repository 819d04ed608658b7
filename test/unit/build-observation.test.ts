// Unit tests of src/observe/build-observation.ts.
import test from 'ava';
import { labPlan } from '../../src/client/transfer-plan.ts';
import { type ClientResult } from '../../src/client/client-output.ts';
import { type Evidence } from '../../src/observe/collect-evidence.ts';
import { buildObservation } from '../../src/observe/build-observation.ts';
import { validateLab, type LabInput } from '../../src/lab/schema.ts';
import { MiB } from './helpers/observation.ts';

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

const timings = { startMs: 1000, transferMs: 2100, observeMs: 300 };
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

test("the app server: a lab's own; under check (no server in the plan) uWSGI known by its lines, its HARAKIRI the kill", (t) => {
  t.is(build().gunicorn.server, 'gunicorn');
  const uwsgiLog = [
    at(-900, '*** Starting uWSGI 2.0.21-debian (64bit) on [Sat Nov 28 09:59:59 2026] ***'),
    at(-800, 'spawned uWSGI worker 1 (pid: 11, cores: 1)'),
    at(2700, 'Sat Nov 28 10:00:02 2026 - *** HARAKIRI ON WORKER 1 (pid: 11, try: 1) ***'),
  ].join('\n');
  const uwsgi = (plan: ReturnType<typeof labPlan>) =>
    buildObservation({
      plan,
      fileSha256: 'a'.repeat(64),
      transfer: { result: result(), probes: [], downloads: [], capacity: null, command: [], throttle: null },
      evidence: evidence((e) => void (e.logs.app = { stdout: '', stderr: uwsgiLog })),
      timings,
    });
  const checked = uwsgi({ ...labPlan(labOf()), server: undefined });
  t.like(checked.gunicorn, { server: 'uwsgi', version: '2.0.21-debian', workerTimeouts: 1, workerBoots: 1 });
  t.is(uwsgi(labPlan(labOf())).gunicorn.workerTimeouts, 0, "a lab that names Gunicorn reads Gunicorn's lines only");
});
