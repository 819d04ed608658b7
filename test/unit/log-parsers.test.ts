// Log parsing on real captured lines: Docker's framing and timestamps, Gunicorn's error and access logs, Nginx's logs.
import test from 'ava';
import { demuxDockerLog, splitTimestamps } from '../../src/docker/docker-log.ts';
import { bootKillEvents, parseGunicornAccessLog, parseGunicornErrorLog, gunicornVersion, gunicornWorkerClass } from '../../src/observe/parse-gunicorn-log.ts';
import { nginxVersionFromServerHeader, parseNginxAccessLog, parseNginxErrorLog } from '../../src/observe/parse-nginx-log.ts';
import { dockerFrame } from './helpers/docker-frame.ts';
import { fixtureTransfer, readFixture } from './helpers/load-fixture.ts';

const frame = dockerFrame;

test('demuxDockerLog splits stdout and stderr frames', (t) => {
  const buffer = Buffer.concat([frame(1, 'out one\n'), frame(2, 'err one\n'), frame(1, 'out two\n')]);
  t.deepEqual(demuxDockerLog(buffer), { stdout: 'out one\nout two\n', stderr: 'err one\n' });
});

test("splitTimestamps takes a whole-second stamp (Podman's) at the end of its second", (t) => {
  t.deepEqual(splitTimestamps('2026-12-01T17:45:15Z access 200\n'), [{ epochMs: Date.parse('2026-12-01T17:45:15.999Z'), text: 'access 200' }]);
});

test('splitTimestamps reads nanosecond timestamps to the millisecond', (t) => {
  const lines = splitTimestamps('2026-11-27T04:57:41.366629725Z hello\nno stamp\n');
  t.deepEqual(lines, [
    { epochMs: Date.parse('2026-11-27T04:57:41.366Z'), text: 'hello' },
    { epochMs: Date.parse('2026-11-27T04:57:41.366Z'), text: 'no stamp' },
  ]);
});

test('gunicorn 20.1: boot, WORKER TIMEOUT, exit, replacement boot', (t) => {
  const lines = splitTimestamps(readFixture('bookworm-sync-killed', 'app.stderr.log'));
  const origin = fixtureTransfer('bookworm-sync-killed').result.startedAtEpochMs;
  const events = parseGunicornErrorLog(lines, origin);
  t.deepEqual(
    events.map((e) => [e.kind, e.pid]),
    [
      ['start', null],
      ['listening', null],
      ['worker-class', null],
      ['boot', 11],
      ['timeout', 11],
      ['exit', 11],
      ['boot', 19],
    ],
  );
  const timeout = events.find((e) => e.kind === 'timeout');
  t.is(timeout?.level, 'CRITICAL');
  t.is(timeout?.atMs, 2382);
  t.is(gunicornVersion(events), '20.1.0');
  t.is(gunicornWorkerClass(events), 'sync');
});

test('gunicorn: error lines gather their traceback as detail', (t) => {
  const text = [
    '2026-11-27T05:00:00.000000000Z [2026-11-27 05:00:00 +0000] [9] [ERROR] Error handling request /files/large.bin',
    '2026-11-27T05:00:00.000000000Z Traceback (most recent call last):',
    '2026-11-27T05:00:00.000000000Z SystemExit: 1',
    '2026-11-27T05:00:00.100000000Z [2026-11-27 05:00:00 +0000] [1] [WARNING] Worker with pid 9 was terminated due to signal 9',
  ].join('\n');
  const events = parseGunicornErrorLog(splitTimestamps(text), Date.parse('2026-11-27T05:00:00Z'));
  t.is(events.length, 2);
  t.is(events[0]?.kind, 'error');
  t.is(events[0]?.pid, 9);
  t.deepEqual(events[0]?.detail, ['Traceback (most recent call last):', 'SystemExit: 1']);
  t.is(events[1]?.kind, 'signal');
  t.is(events[1]?.pid, 9);
  t.is(events[1]?.atMs, 100);
});

test('gunicorn access log in the lab format', (t) => {
  const access = parseGunicornAccessLog(splitTimestamps(readFixture('bookworm-sync-fast', 'app.stdout.log')), 0);
  t.is(access.length, 1);
  t.like(access[0], { status: 200, bytes: 0, durationMs: 83.754, request: 'GET /files/large.bin HTTP/1.1' });
  t.deepEqual(
    parseGunicornAccessLog(splitTimestamps('2026-11-27T05:00:00.000Z access 500 - 12 "GET / HTTP/1.1"'), 0).map((a) => a.bytes),
    [null],
  );
});

test('nginx error log: level and message without the connection number', (t) => {
  const errors = parseNginxErrorLog(splitTimestamps(readFixture('bookworm-sync-killed', 'nginx.stderr.log')), 0);
  const error = errors.find((e) => e.level === 'error');
  t.truthy(error);
  t.true(error?.message.startsWith('upstream prematurely closed connection while sending to client, client: '));
  t.is(errors.filter((e) => e.level === 'notice').length, 6);
});

test('nginx access log: status, bytes and both timings', (t) => {
  const [access] = parseNginxAccessLog(splitTimestamps(readFixture('bookworm-sync-killed', 'nginx.stdout.log')), 0);
  t.like(access, { status: 200, bodyBytesSent: 2817152, requestTimeS: 2.59, upstreamResponseTimeS: 2.589, upstreamStatus: '200' });
});

test('nginx access log: no upstream, and retries keep the last time', (t) => {
  const line = (upstream: string) =>
    `2026-11-27T05:00:00.000Z {"time":"x","request":"GET / HTTP/1.1","status":502,"bodyBytesSent":0,"requestTime":"2.001","upstreamResponseTime":"${upstream}","upstreamStatus":"502"}`;
  t.is(parseNginxAccessLog(splitTimestamps(line('-')), 0)[0]?.upstreamResponseTimeS, null);
  t.is(parseNginxAccessLog(splitTimestamps(line('0.001, 2.000')), 0)[0]?.upstreamResponseTimeS, 2);
});

test('nginx version from the Server header', (t) => {
  t.is(nginxVersionFromServerHeader('nginx/1.22.1'), '1.22.1');
  t.is(nginxVersionFromServerHeader(undefined), null);
});

test('gunicorn 23: the killed request logs an error with its traceback, and access lines 200 then 500', (t) => {
  const origin = fixtureTransfer('trixie-sync-killed').result.startedAtEpochMs;
  const events = parseGunicornErrorLog(splitTimestamps(readFixture('trixie-sync-killed', 'app.stderr.log')), origin);
  t.deepEqual(
    events.map((e) => e.kind),
    ['start', 'listening', 'worker-class', 'boot', 'timeout', 'error', 'exit', 'boot'],
  );
  const error = events.find((e) => e.kind === 'error');
  t.is(error?.message, 'Error handling request /files/large.bin');
  t.is(error?.detail?.at(-1), 'SystemExit: 1');
  t.true(error?.detail?.some((line) => line.includes('sendfile')));
  t.is(gunicornVersion(events), '23.0.0');
  const access = parseGunicornAccessLog(splitTimestamps(readFixture('trixie-sync-killed', 'app.stdout.log')), origin);
  // The set-up's readiness request first (the observation leaves it out), then the killed download twice.
  t.deepEqual(
    access.map((a) => [a.status, a.bytes, a.request.split(' ')[1]]),
    [
      [200, 5, '/ping?lab-readiness'],
      [200, 0, '/files/large.bin'],
      [500, 0, '/files/large.bin'],
    ],
  );
});

test('gunicorn 26: the control socket lines are noise; the killed request logs an error and ONE access line, a 200', (t) => {
  const origin = fixtureTransfer('sid-sync-killed').result.startedAtEpochMs;
  const events = parseGunicornErrorLog(splitTimestamps(readFixture('sid-sync-killed', 'app.stderr.log')), origin);
  t.deepEqual(
    events.map((e) => e.kind),
    ['start', 'listening', 'worker-class', 'boot', 'control', 'timeout', 'error', 'exit', 'boot', 'control'],
  );
  t.deepEqual(
    events.filter((e) => e.kind === 'control').map((e) => e.pid),
    [null, null],
  );
  const error = events.find((e) => e.kind === 'error');
  t.is(error?.message, 'Error handling request');
  t.is(error?.detail?.at(-1), 'SystemExit: 1');
  t.true(error?.detail?.some((line) => line.includes('sendfile')));
  t.is(gunicornVersion(events), '26.2.2');
  const access = parseGunicornAccessLog(splitTimestamps(readFixture('sid-sync-killed', 'app.stdout.log')), origin);
  t.deepEqual(
    access.map((a) => [a.status, a.bytes, a.request.split(' ')[1]]),
    [
      [200, 5, '/ping?lab-readiness'],
      [200, 0, '/files/large.bin'],
    ],
  );
});

test('gunicorn: a worker killed after the request without ever saying "Worker ready" was killed while booting', (t) => {
  const at = (s: number) => `2026-11-28T10:00:${String(s).padStart(2, '0')}.000000000Z`;
  const line = (s: number, pid: number, level: string, message: string) => `${at(s)} [2026-11-28 10:00:${s} +0000] [${pid}] [${level}] ${message}`;
  const log = [
    line(1, 1, 'INFO', 'Booting worker with pid: 11'),
    line(3, 1, 'CRITICAL', 'WORKER TIMEOUT (pid:11)'),
    line(4, 1, 'INFO', 'Booting worker with pid: 17'),
    line(5, 17, 'INFO', 'Worker ready (pid: 17)'),
    line(12, 1, 'CRITICAL', 'WORKER TIMEOUT (pid:17)'),
    line(13, 1, 'INFO', 'Booting worker with pid: 18'),
    line(16, 1, 'CRITICAL', 'WORKER TIMEOUT (pid:18)'),
  ].join('\n');
  // The client's request starts at second 10: pid 11 died before it, 17 while serving it, 18 while booting.
  const events = parseGunicornErrorLog(splitTimestamps(log), Date.parse(at(10)));
  t.deepEqual(
    events.filter((e) => e.kind === 'ready').map((e) => e.pid),
    [17],
  );
  t.deepEqual(
    bootKillEvents(events).map((e) => [e.pid, e.atMs]),
    [[18, 6000]],
  );
  // Where no worker says it is ready (a user's Gunicorn without the lab's hook), no kill is called a boot's.
  const unhooked = events.filter((e) => e.kind !== 'ready');
  t.deepEqual(bootKillEvents(unhooked), []);
});
