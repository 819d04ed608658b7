// Unit tests of src/check/reference.ts.
import test from 'ava';
import { clientCommand } from '../../src/client/client-command.ts';
import { capacityWant, checkPlan } from '../../src/check/reference.ts';

test("check's capacity plan: a reader at the pace, the search's settings, no side request; it wants one more than the workers", (t) => {
  const capacity = { max: 16, probePaths: ['/health'], probeWithinMs: 1000, want: null };
  const reference = { bytesReceived: 8 << 20 } as Parameters<typeof checkPlan>[1];
  const plan = checkPlan({ path: '/x', headers: [], upload: null, capacity }, reference, {
    kind: 'steady',
    rateBytesPerS: 16384,
    throttle: 'reader',
    named: true,
  });
  t.like(plan.client, { throttle: 'reader', rateBytesPerS: 16384, probes: [], capacity: { max: 16, probePaths: ['/health'], probeWithinMs: 1000 } });
  const command = clientCommand(plan, { host: 'nginx', port: 80 });
  t.deepEqual(command.slice(command.indexOf('--capacity-max'), command.indexOf('--capacity-max') + 6), [
    '--capacity-max',
    '16',
    '--capacity-probe',
    '/health',
    '--probe-within-ms',
    '1000',
  ]);
  t.is(capacityWant(capacity, 3), 4);
  t.is(capacityWant(capacity, null), 2);
  t.is(capacityWant({ ...capacity, max: 2 }, 8), 2);
  t.is(capacityWant({ ...capacity, want: 5 }, 3), 5);
});
