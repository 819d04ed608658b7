// The chart of a run, as SVG through Vega-Lite: bytes the client received over time, with markers where
// Gunicorn logged WORKER TIMEOUT and where the transfer ended.
import type { TopLevelSpec } from 'vega-lite';
import type { RunRecord } from '../run/run-record.ts';
import { MiB } from '../lab/vocabulary.ts';

// The Vega-Lite spec: pure data, so it is tested without rendering.
export function chartSpec(run: RunRecord): TopLevelSpec {
  const o = run.observation;
  const bytes = o.client.timeline.map(([ms, received]) => ({ s: ms / 1000, mib: received / MiB }));
  const markers = [
    ...o.gunicorn.events.filter((e) => e.kind === 'timeout').map((e) => ({ s: e.atMs / 1000, label: 'WORKER TIMEOUT', kind: 'timeout' })),
    { s: o.client.durationMs / 1000, label: `transfer ${o.client.outcome}`, kind: 'end' },
  ];
  const expectedMiB = (o.client.contentLength ?? o.file.sizeBytes) / MiB;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: `${run.name} (${run.release})`, subtitle: `${run.verdict.passed ? 'PASS' : 'FAIL'} · ${o.client.outcome}, HTTP ${o.client.status ?? '-'}` },
    width: 520,
    height: 220,
    background: 'white',
    layer: [
      {
        data: { values: [{ mib: expectedMiB, label: 'file size' }] },
        mark: { type: 'rule', strokeDash: [2, 3], color: '#888' },
        encoding: { y: { field: 'mib', type: 'quantitative' } },
      },
      {
        data: { values: bytes },
        mark: { type: 'line', color: '#1f77b4', strokeWidth: 2 },
        encoding: {
          // Room on the right for the marker labels.
          x: { field: 's', type: 'quantitative', title: 'seconds since the request', scale: { domain: [0, Math.max(o.client.durationMs / 1000, 0.1) * 1.3] } },
          y: { field: 'mib', type: 'quantitative', title: 'MiB received by the client', scale: { domain: [0, Math.max(expectedMiB, 0.001) * 1.05] } },
        },
      },
      {
        data: { values: markers },
        mark: { type: 'rule', strokeWidth: 2 },
        encoding: {
          x: { field: 's', type: 'quantitative' },
          color: { field: 'kind', type: 'nominal', scale: { domain: ['timeout', 'end'], range: ['#d62728', '#2ca02c'] }, legend: null },
          strokeDash: {
            field: 'kind',
            type: 'nominal',
            scale: {
              domain: ['timeout', 'end'],
              range: [
                [1, 0],
                [6, 3],
              ],
            },
            legend: null,
          },
        },
      },
      {
        data: { values: markers },
        mark: { type: 'text', align: 'left', dx: 4, dy: -4, angle: 0, fontSize: 11 },
        encoding: {
          x: { field: 's', type: 'quantitative' },
          y: { datum: expectedMiB * 0.95 },
          text: { field: 'label' },
          color: { field: 'kind', type: 'nominal', scale: { domain: ['timeout', 'end'], range: ['#d62728', '#2ca02c'] }, legend: null },
          yOffset: { field: 'kind', type: 'nominal', scale: { domain: ['timeout', 'end'], range: [0, 30] } },
        },
      },
    ],
  } as TopLevelSpec;
}

// Loaded on first use, once: Vega takes half a second to import, and most commands draw no chart.
let chartLibrary: Promise<[typeof import('vega'), typeof import('vega-lite')]> | undefined;
export function loadChartLibrary() {
  chartLibrary ??= Promise.all([import('vega'), import('vega-lite')]);
  return chartLibrary;
}

export async function renderChartSvg(run: RunRecord): Promise<string> {
  const [{ parse, View }, { compile }] = await loadChartLibrary();
  const view = new View(parse(compile(chartSpec(run)).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
