// Unit tests of src/observe/parse-nginx-log.ts.
import test from 'ava';
import { splitTimestamps } from '../../src/docker/docker-log.ts';
import { nginxVersionFromServerHeader, parseNginxAccessLog, parseNginxErrorLog } from '../../src/observe/parse-nginx-log.ts';

const ORIGIN = Date.parse('2026-11-28T10:00:00.000Z');
// A Docker log line `ms` after the client's start.
const at = (ms: number, text: string) => `${new Date(ORIGIN + ms).toISOString().replace('Z', '000000Z')} ${text}`;
test('nginx version from the Server header', (t) => {
  t.is(nginxVersionFromServerHeader('nginx/1.22.1'), '1.22.1');
  t.is(nginxVersionFromServerHeader(undefined), null);
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
