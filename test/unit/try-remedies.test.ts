// Unit tests of src/check/try-remedies.ts.
import test from 'ava';
import { observeCapacitySearch } from '../../src/observe/capacity-search.ts';
import { capacityRowOf } from '../../src/check/try-remedies.ts';
import { formatRemedyTable } from '../../src/check/remedy-table.ts';
import { quietObservation } from './helpers/observation.ts';
import { searched, isSlow } from './helpers/capacity-search.ts';

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
