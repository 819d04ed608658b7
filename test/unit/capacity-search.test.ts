// Unit tests of src/observe/capacity-search.ts.
import test from 'ava';
import { type CapacityResult } from '../../src/client/client-output.ts';
import { capacityChartRows, observeCapacitySearch } from '../../src/observe/capacity-search.ts';
import { step, searched, isSlow, slowLine } from './helpers/capacity-search.ts';

test('the search read: held, stalled, the probe wait; held by the app where Gunicorn finished none of the downloads', (t) => {
  const search = observeCapacitySearch(searched, [{ request: 'GET /ping HTTP/1.0', status: 200, atMs: 900 }], isSlow);
  t.like(search, { held: 2, stalledAt: 3, probeWaitMs: 3000, finishedByApp: 0, heldBy: 'app', leakySteps: 0, probePath: '/ping' });
  t.deepEqual(
    capacityChartRows(search).map((r) => r.clients),
    [1, 2, 3, 4],
  );
});

test('held by the front where Gunicorn finished slow downloads while their clients were still held', (t) => {
  const held: CapacityResult = {
    ...searched,
    held: 4,
    stalledAt: null,
    probeWaitMs: null,
    cap: 4,
    steps: [step(1, true, 3), step(2, true, 3), step(4, true, 3)],
  };
  const four = [1, 2, 3, 4].map((i) => slowLine(i * 100));
  t.is(observeCapacitySearch(held, four, isSlow).heldBy, 'front');
  // A download the search cut itself (going down from 4 to 3) ends in the access log too: not counted.
  t.is(observeCapacitySearch(searched, [slowLine(4_500)], isSlow).heldBy, 'app');
  t.is(observeCapacitySearch(searched, [slowLine(3_500)], isSlow).heldBy, 'front');
  // Some finished is enough: under load the app may still be sending the last step's when the search ends.
  t.is(observeCapacitySearch(held, four.slice(0, 1), isSlow).heldBy, 'front');
  // Lines after the search's end (the clients closed) or failed ones do not count; no access log at all: unknown.
  t.is(observeCapacitySearch(held, [slowLine(20_000), slowLine(200, 500)], isSlow).heldBy, 'app');
  t.is(observeCapacitySearch(held, null, isSlow).heldBy, null);
  // A step whose clients were gone when probed (a worker killed, a download done) is counted.
  t.is(observeCapacitySearch({ ...held, steps: [step(1, true, 3), step(2, true, 3, 1)] }, null, isSlow).leakySteps, 1);
});

test('with no front, what Gunicorn finished while the clients were held fit in the socket buffers', (t) => {
  const held: CapacityResult = { ...searched, held: 2, stalledAt: null, steps: [step(1, true, 3), step(2, true, 3)] };
  t.is(observeCapacitySearch(held, [slowLine(100), slowLine(200)], isSlow, false).heldBy, 'buffers');
  t.is(observeCapacitySearch(held, [], isSlow, false).heldBy, 'app');
});
