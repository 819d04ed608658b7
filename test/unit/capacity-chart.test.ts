// Unit tests of src/report/capacity-chart.ts.
import test from 'ava';
import { observeCapacitySearch, type CapacitySearch } from '../../src/observe/capacity-search.ts';
import { capacityChartLines, capacityChartSvg } from '../../src/report/capacity-chart.ts';
import { searched, isSlow } from './helpers/capacity-search.ts';

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
