// Unit tests of src/report/capacity-chart.ts.
import test from 'ava';
import { type CapacityResult, type CapacityStep } from '../../src/client/client-output.ts';
import { observeCapacitySearch, type CapacitySearch } from '../../src/observe/capacity-search.ts';
import { capacityChartLines, capacityChartSvg } from '../../src/report/capacity-chart.ts';

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

test('the chart: one bar per count tried, the bound marked, held or stalled; the SVG has a bar per row and the bound', (t) => {
  const search: CapacitySearch = observeCapacitySearch(searched, [], isSlow);
  const lines = capacityChartLines(search);
  t.is(lines.length, 5);
  t.regex(lines[1]!, /^1 client +█ +│ +0\.00 s {2}held$/);
  t.regex(lines[4]!, /^4 clients +█{30} 3\.00 s {2}stalled$/);
  const svg = capacityChartSvg(search);
  t.is(svg.match(/<rect /g)?.length, 4);
  t.regex(svg, /bound 1\.0 s/);
});
