// Unit tests of src/check/try-remedies.ts.
import test from 'ava';
import { type CapacityResult, type CapacityStep } from '../../src/client/client-output.ts';
import { observeCapacitySearch } from '../../src/observe/capacity-search.ts';
import { capacityRowOf } from '../../src/check/try-remedies.ts';
import { formatRemedyTable } from '../../src/check/remedy-table.ts';
import { quietObservation } from './helpers/observation.ts';

const step = (clients: number, held: boolean, waitMs: number, open = clients): CapacityStep => ({
  clients,
  open,
  withHeaders: open,
  held,
  probes: [{ status: held ? 200 : null, waitMs, answered: held, error: held ? null : 'no headers before the probe gave up' }],
  atMs: clients * 1000,
});

// Three workers behind a streaming proxy: 1 and 2 held, 4 and then 3 stalled.
const searched: CapacityResult = {
  cap: 64,
  held: 2,
  stalledAt: 3,
  probeWaitMs: 3000,
  probeWithinMs: 1000,
  probePath: '/ping',
  idleProbe: { status: 200, waitMs: 5, answered: true, error: null },
  probeFailures: null,
  endMs: 10_000,
  steps: [step(1, true, 4), step(2, true, 6), step(4, false, 3000), step(3, false, 3000)],
};
const isSlow = (request: string) => request.startsWith('GET /files/large.bin ');

test('the remedy table of a capacity check: slow clients held side by side', (t) => {
  const run = {
    observation: quietObservation((o) => (o.capacitySearch = observeCapacitySearch(searched, [], isSlow))),
    verdict: { passed: false, checks: [] },
    runDir: '/runs/x',
  } as unknown as Parameters<typeof capacityRowOf>[1];
  const row = capacityRowOf('gevent', run, run.observation.capacitySearch!);
  t.like(row, { result: 'hurt', capacityHeld: '2' });
  t.regex(formatRemedyTable([row]), /slow clients held[\s\S]*gevent +hurt +2 +probe stalled at 3 \(3\.0 s\), held by the app server/);
});
