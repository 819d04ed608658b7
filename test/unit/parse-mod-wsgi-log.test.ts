// Unit tests of src/observe/parse-mod-wsgi-log.ts, on lines Apache 2.4 with mod_wsgi 4.9.4 (bookworm) wrote in the
// mod-wsgi-daemon lab.
import test from 'ava';
import { splitTimestamps } from '../../src/docker/docker-log.ts';
import { modWsgiVersion, parseModWsgiAccess, parseModWsgiEvents } from '../../src/observe/parse-mod-wsgi-log.ts';

const STDERR = `2026-12-07T05:20:51.497396925Z [Mon Dec 07 05:20:51.495613 2026] [wsgi:info] [pid 11:tid 11] mod_wsgi (pid=11): Starting process 'app' with threads=1.
2026-12-07T05:20:51.504020084Z [Mon Dec 07 05:20:51.503064 2026] [mpm_event:notice] [pid 1:tid 1] AH00489: Apache/2.4.71 (Debian) mod_wsgi/4.9.4 Python/3.11 configured -- resuming normal operations
2026-12-07T05:20:51.665220270Z [Mon Dec 07 05:20:51.664885 2026] [wsgi:info] [pid 11:tid 11] mod_wsgi (pid=11): Adding '/app' to path.
2026-12-07T05:20:54.676011971Z [Mon Dec 07 05:20:54.674989 2026] [wsgi:info] [pid 11:tid 96] mod_wsgi (pid=11): Daemon process request time limit exceeded, stopping process 'app'.
2026-12-07T05:20:54.676044263Z [Mon Dec 07 05:20:54.675358 2026] [wsgi:info] [pid 11:tid 11] mod_wsgi (pid=11): Shutdown requested 'app'.
2026-12-07T05:20:59.678442830Z [Mon Dec 07 05:20:59.676187 2026] [wsgi:info] [pid 11:tid 134] mod_wsgi (pid=11): Aborting process 'app'.
2026-12-07T05:20:59.678479660Z [Mon Dec 07 05:20:59.676289 2026] [wsgi:info] [pid 11:tid 134] mod_wsgi (pid=11): Exiting process 'app'.
2026-12-07T05:20:59.788629170Z [Mon Dec 07 05:20:59.788224 2026] [wsgi:error] [pid 12:tid 16] (104)Connection reset by peer: [client 192.168.144.2:54657] mod_wsgi (pid=12): Failed to proxy response from daemon.
2026-12-07T05:21:00.452339000Z [Mon Dec 07 05:21:00.452339 2026] [wsgi:info] [pid 136:tid 136] mod_wsgi (pid=136): Starting process 'app' with threads=1.
`;
const STDOUT = `2026-12-07T05:20:52.095527996Z 192.168.144.2 "GET /ping?lab-readiness HTTP/1.1" 200 5 346414
2026-12-07T05:20:59.788705755Z 192.168.144.2 "GET /files/large.bin HTTP/1.1" 200 7783586 7350133
2026-12-07T05:21:01.000000000Z 192.168.144.2 "GET /missing HTTP/1.1" 404 - 1200
`;
const ORIGIN = Date.parse('2026-12-07T05:20:52.400Z');

test("events: Apache's start, a daemon started as a boot, the time limit as the kill, the abort as a signal, the restart", (t) => {
  const events = parseModWsgiEvents(splitTimestamps(STDERR), ORIGIN);
  t.deepEqual(
    events.map((e) => [e.kind, e.pid]),
    [
      ['boot', 11],
      ['start', null],
      ['timeout', 11],
      ['signal', 11],
      ['boot', 136],
    ],
    "the shutdown request, the exit and the child's failed proxying are no events of their own",
  );
  const kill = events.find((e) => e.kind === 'timeout')!;
  t.is(kill.atMs, 2276, "timed by Docker's stamp, from the client's start");
  t.is(kill.message, "mod_wsgi (pid=11): Daemon process request time limit exceeded, stopping process 'app'.", "Apache's own prefix is left out");
  t.is(modWsgiVersion(events), '4.9.4');
  t.is(modWsgiVersion([]), null);
});

test('access lines: request, status, bytes ("-" for none) and the time in milliseconds; nothing else', (t) => {
  t.deepEqual(parseModWsgiAccess(splitTimestamps(`${STDOUT}2026-12-07T05:21:02.000000000Z not an access line\n`), ORIGIN), [
    { atMs: -305, status: 200, bytes: 5, durationMs: 346, request: 'GET /ping?lab-readiness HTTP/1.1' },
    { atMs: 7388, status: 200, bytes: 7783586, durationMs: 7350, request: 'GET /files/large.bin HTTP/1.1' },
    { atMs: 8600, status: 404, bytes: 0, durationMs: 1, request: 'GET /missing HTTP/1.1' },
  ]);
});
