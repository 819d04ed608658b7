// Unit tests of src/check/stamp-log-line.ts.
import test from 'ava';
import { logLineTime } from '../../src/check/stamp-log-line.ts';
import { parseNginxAccessLog } from '../../src/observe/parse-nginx-log.ts';
import { splitTimestamps } from '../../src/docker/docker-log.ts';

test("a user's access lines in the combined format, stamped with their own time", (t) => {
  const line = '172.18.0.3 - - [28/Nov/2026:06:30:05 +0000] "GET /download/report.bin HTTP/1.1" 200 3145728 "-" "lab-client"';
  t.is(logLineTime(line, new Date(0)).toISOString(), '2026-11-28T06:30:05.000Z');
  t.is(logLineTime('2026/11/28 06:30:06 [error] 7#7: *1 x', new Date(0)).toISOString(), '2026-11-28T06:30:06.000Z');
  t.is(logLineTime('no time here', new Date(5)).getTime(), 5);
  const [access] = parseNginxAccessLog(splitTimestamps(`2026-11-28T06:30:05.000Z ${line}\n`), Date.parse('2026-11-28T06:30:00Z'));
  t.deepEqual(access, {
    atMs: 5000,
    request: 'GET /download/report.bin HTTP/1.1',
    status: 200,
    bodyBytesSent: 3145728,
    requestTimeS: null,
    upstreamResponseTimeS: null,
    upstreamStatus: '',
  });
});
