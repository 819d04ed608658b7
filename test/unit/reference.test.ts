// Unit tests of src/check/reference.ts.
import test from 'ava';
import { checkPlan } from '../../src/check/reference.ts';
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
