// Unit tests of src/docker/docker-log.ts.
import test from 'ava';
import { demuxDockerLog, splitTimestamps } from '../../src/docker/docker-log.ts';
import { parseGunicornAccessLog, parseGunicornErrorLog } from '../../src/observe/parse-gunicorn-log.ts';
import { parseNginxAccessLog, parseNginxErrorLog } from '../../src/observe/parse-nginx-log.ts';
import { dockerFrame } from './helpers/docker-frame.ts';
import { readFixture } from './helpers/load-fixture.ts';
import { parseStatsdLog } from '../../src/observe/parse-statsd.ts';

const frame = dockerFrame;

const ORIGIN = Date.parse('2026-11-28T10:00:00.000Z');
// A Docker log line `ms` after the client's start.
const at = (ms: number, text: string) => `${new Date(ORIGIN + ms).toISOString().replace('Z', '000000Z')} ${text}`;
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
