// Unit tests of src/observe/parse-uwsgi-log.ts, on lines uWSGI 2.0.21 (bookworm) wrote in the labs.
import test from 'ava';
import { splitTimestamps } from '../../src/docker/docker-log.ts';
import { parseUwsgiAccess, parseUwsgiEvents, uwsgiVersion } from '../../src/observe/parse-uwsgi-log.ts';

const LOG = `2026-12-07T02:21:07.653889855Z *** Starting uWSGI 2.0.21-debian (64bit) on [Mon Dec  7 02:21:07 2026] ***
2026-12-07T02:21:08.025625826Z spawned uWSGI master process (pid: 1)
2026-12-07T02:21:08.029535297Z spawned uWSGI worker 1 (pid: 11, cores: 1)
2026-12-07T02:21:08.060816503Z [pid: 11|app: 0|req: 1/1] 192.168.128.2 () {22 vars in 271 bytes} [Mon Dec  7 02:21:08 2026] GET /ping?lab-readiness => generated 5 bytes in 20 msecs (HTTP/1.1 200) 2 headers in 78 bytes (1 switches on core 0)
2026-12-07T02:21:11.033400776Z Mon Dec  7 02:21:11 2026 - *** HARAKIRI ON WORKER 1 (pid: 11, try: 1) ***
2026-12-07T02:21:11.033663483Z Mon Dec  7 02:21:11 2026 - HARAKIRI !!! worker 1 status !!!
2026-12-07T02:21:11.033695794Z Mon Dec  7 02:21:11 2026 - HARAKIRI [core 0] 192.168.128.2 - GET /files/large.bin since 1796610068
2026-12-07T02:21:12.035000000Z DAMN ! worker 1 (pid: 11) died, killed by signal 9 :( trying respawn ...
2026-12-07T02:21:12.036000000Z Respawned uWSGI worker 1 (new pid: 18)
2026-12-07T02:21:23.520164279Z [pid: 18|app: 0|req: 2/2] 192.168.144.2 () {32 vars in 369 bytes} [Mon Dec  7 02:21:23 2026] GET /files/large.bin => generated 8388608 bytes in 35 msecs via sendfile() (HTTP/1.1 200) 7 headers in 287 bytes (62 switches on core 0)
`;
const ORIGIN = Date.parse('2026-12-07T02:21:08.300Z');

test('events: the start, a spawned and a respawned worker as boots, HARAKIRI as the kill, the SIGKILL as a signal', (t) => {
  const events = parseUwsgiEvents(splitTimestamps(LOG), ORIGIN);
  t.deepEqual(
    events.map((e) => [e.kind, e.pid]),
    [
      ['start', null],
      ['boot', 11],
      ['timeout', 11],
      ['signal', 11],
      ['boot', 18],
    ],
    'the master spawned (pid 1) is not a worker, and the HARAKIRI status lines are not kills',
  );
  t.is(events.find((e) => e.kind === 'timeout')!.atMs, 2733, "timed by Docker's stamp, from the client's start");
  t.is(uwsgiVersion(events), '2.0.21-debian');
  t.is(uwsgiVersion([]), null);
});

test('access lines: request, status, bytes and msecs, with or without "via sendfile()"; nothing else', (t) => {
  const access = parseUwsgiAccess(splitTimestamps(LOG), ORIGIN);
  t.deepEqual(access, [
    { atMs: -240, status: 200, bytes: 5, durationMs: 20, request: 'GET /ping?lab-readiness HTTP/1.1' },
    { atMs: 15220, status: 200, bytes: 8388608, durationMs: 35, request: 'GET /files/large.bin HTTP/1.1' },
  ]);
});
