// Unit tests of src/check/reference.ts.
import test from 'ava';
import { checkHypothesis, heldBySlowClient, checkPlan } from '../../src/check/reference.ts';
import { clientCommand, clientMaxSeconds } from '../../src/client/client-command.ts';

test("check's plan: the crawl is the reader's own and ends in a full-speed read; the reference has no pace and no side request", (t) => {
  const request = { path: '/download/report.bin', headers: [], upload: null };
  const crawl = checkPlan(request, null, { kind: 'crawl', rateBytesPerS: 100_000, seconds: 33 });
  t.like(crawl.client, { rateBytesPerS: 100_000, throttle: 'reader', crawlSeconds: 33 });
  t.deepEqual(crawl.client.probes, [{ path: '/download/report.bin', afterMs: 1000 }]);
  const cmd = clientCommand(crawl, { host: 'nginx', port: 80 });
  t.is(cmd[cmd.indexOf('--crawl-seconds') + 1], '33');
  t.is(cmd[cmd.indexOf('--read-rate') + 1], '100000');
  t.is(clientMaxSeconds(crawl), 33 + 60);
  const steady = checkPlan(request, null, { kind: 'steady', rateBytesPerS: 100_000, throttle: 'network', named: false });
  t.false(clientCommand(steady, { host: 'nginx', port: 80 }).includes('--crawl-seconds'));
  const reference = checkPlan(request, null, null);
  t.like(reference.client, { rateBytesPerS: null, probes: [] });
});

test("check's hypothesis names the app server's own timeout and kill: Gunicorn's, or uWSGI's harakiri", (t) => {
  const reference = { status: 200, bytesReceived: 8 * 1024 * 1024 } as Parameters<typeof checkHypothesis>[1];
  const pace = { kind: 'crawl', rateBytesPerS: 480 * 1024, seconds: 8 } as Parameters<typeof checkHypothesis>[2];
  const request = { path: '/download/report.bin', headers: [], upload: null, capacity: null } as unknown as Parameters<typeof checkHypothesis>[0];
  t.is(
    checkHypothesis(request, reference, pace),
    "Your stack serves GET /download/report.bin (8 MiB) to a client that reads at a crawl (480 KiB/s) past Gunicorn's timeout with no WORKER TIMEOUT, the same status and the whole body.",
  );
  t.regex(checkHypothesis(request, reference, pace, undefined, 'uwsgi'), /past uWSGI's harakiri with no HARAKIRI, the same status/);
  t.regex(
    checkHypothesis(request, reference, pace, undefined, 'waitress'),
    /at a crawl \(480 KiB\/s\) for 8 s \(Waitress has no timeout that kills it\) with no kill, the same status/,
  );
});

test('a server with no timeout: a second request held over a second is said (threads held); a quick one, or Gunicorn, is not', (t) => {
  const probe = (latencyMs: number | null) => ({ path: '/download/report.bin', sentMs: 1000, status: 200, latencyMs, error: null });
  t.is(
    heldBySlowClient('uvicorn', [probe(12120)]),
    "Uvicorn has no timeout mechanism, so nothing kills the slow client's request, but it held what serves requests (threads held): a second request waited 12.12 s; as many slow clients as it has threads stall every other request (--capacity finds how many it holds)",
  );
  t.is(heldBySlowClient('waitress', [probe(4)]), null);
  t.is(heldBySlowClient('waitress', [probe(null)]), null, 'no answer is not a wait measured');
  t.is(heldBySlowClient('uwsgi', [probe(9000)]), null, "uWSGI's harakiri is its timeout");
  t.is(heldBySlowClient(undefined, [probe(9000)]), null);
});
