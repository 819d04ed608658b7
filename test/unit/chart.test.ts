// Unit tests of src/report/chart.ts.
import test from 'ava';
import { chartSpec, renderChartSvg } from '../../src/report/chart.ts';
import { bookworm } from './helpers/reports.ts';

test('chart spec: the client line, a WORKER TIMEOUT marker and the end of the transfer', (t) => {
  const spec = chartSpec(bookworm) as { layer: Array<{ data: { values: Array<Record<string, unknown>> } }> };
  const [fileSize, line, markers] = spec.layer;
  t.is(fileSize?.data.values[0]?.mib, 8);
  t.is(line?.data.values.length, bookworm.observation.client.timeline.length);
  t.deepEqual(
    markers?.data.values.map((m) => [m.kind, m.label]),
    [
      ['timeout', 'WORKER TIMEOUT'],
      ['end', 'transfer truncated'],
    ],
  );
  const timeout = bookworm.observation.gunicorn.events.find((e) => e.kind === 'timeout');
  t.is(markers?.data.values[0]?.s, (timeout?.atMs ?? Number.NaN) / 1000);
  t.is(markers?.data.values[1]?.s, bookworm.observation.client.durationMs / 1000);
});

test('chart renders to SVG with its labels', async (t) => {
  const svg = await renderChartSvg(bookworm);
  t.regex(svg, /^<svg /);
  t.regex(svg, /WORKER TIMEOUT/);
  t.regex(svg, /transfer truncated/);
  t.regex(svg, /MiB received by the client/);
});
