// Unit tests of src/observe/parse-gunicorn-log.ts.
import test from 'ava';
import { splitTimestamps } from '../../src/docker/docker-log.ts';
import { bootKillEvents, parseGunicornAccessLog, parseGunicornErrorLog, gunicornVersion, gunicornWorkerClass } from '../../src/observe/parse-gunicorn-log.ts';
import { fixtureTransfer, readFixture } from './helpers/load-fixture.ts';

const ORIGIN = Date.parse('2026-11-28T10:00:00.000Z');
// A Docker log line `ms` after the client's start.
const at = (ms: number, text: string) => `${new Date(ORIGIN + ms).toISOString().replace('Z', '000000Z')} ${text}`;
const gunicornLine = (ms: number, level: string, message: string) => at(ms, `[2026-11-28 10:00:00 +0000] [7] [${level}] ${message}`);

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
