// The capacity search as a small chart: probe wait against slow clients, one row per count tried. Text for the
// terminal and Markdown, SVG for the HTML report. Pure.
import { capacityChartRows, type CapacitySearch } from '../observe/capacity-search.ts';

const BAR_WIDTH = 30;

// "  3 clients  ██████████████████████████████ 3.00 s  stalled"
export function capacityChartLines(search: CapacitySearch): string[] {
  const rows = capacityChartRows(search);
  const longest = Math.max(search.probeWithinMs * 1.25, ...rows.map((r) => r.probeWaitMs));
  const width = String(Math.max(...rows.map((r) => r.clients), 1)).length;
  return [
    `probe wait against slow clients (bound ${(search.probeWithinMs / 1000).toFixed(1)} s, │ on the bars)`,
    ...rows.map((r) => {
      const filled = Math.max(1, Math.round((r.probeWaitMs / longest) * BAR_WIDTH));
      const bound = Math.round((search.probeWithinMs / longest) * BAR_WIDTH);
      const bar = Array.from({ length: BAR_WIDTH }, (_, i) => (i < filled ? '█' : i === bound ? '│' : ' ')).join('');
      const said = r.held ? 'held' : r.probeStatus !== null && r.probeStatus >= 500 ? `failed (${r.probeStatus})` : r.probeError ? 'stalled' : 'late';
      const open = r.open < r.clients ? ` (${r.open} still open)` : '';
      return `${String(r.clients).padStart(width)} ${r.clients === 1 ? 'client ' : 'clients'}  ${bar} ${(r.probeWaitMs / 1000).toFixed(2)} s  ${said}${open}`;
    }),
  ];
}

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

// The same chart as an inline SVG: bars of probe wait, the bound as a line.
export function capacityChartSvg(search: CapacitySearch): string {
  const rows = capacityChartRows(search);
  const longest = Math.max(search.probeWithinMs * 1.25, ...rows.map((r) => r.probeWaitMs));
  const rowH = 18;
  const left = 90;
  const barW = 300;
  const height = rows.length * rowH + 24;
  const x = (ms: number) => left + (ms / longest) * barW;
  const bars = rows.map((r, i) => {
    const y = i * rowH + 4;
    const color = r.held ? '#2e7d32' : '#c62828';
    return [
      `<text x="${left - 6}" y="${y + 12}" text-anchor="end">${r.clients} client${r.clients === 1 ? '' : 's'}</text>`,
      `<rect x="${left}" y="${y}" width="${Math.max(1, x(r.probeWaitMs) - left).toFixed(1)}" height="${rowH - 5}" fill="${color}"/>`,
      `<text x="${(x(r.probeWaitMs) + 4).toFixed(1)}" y="${y + 12}">${(r.probeWaitMs / 1000).toFixed(2)} s ${r.held ? 'held' : 'stalled'}</text>`,
    ].join('');
  });
  const bound = x(search.probeWithinMs).toFixed(1);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${left + barW + 110}" height="${height}" font-family="sans-serif" font-size="11" role="img">`,
    `<title>${escape(`Probe wait against slow clients; bound ${search.probeWithinMs} ms`)}</title>`,
    ...bars,
    `<line x1="${bound}" x2="${bound}" y1="0" y2="${height - 18}" stroke="#555" stroke-dasharray="3,2"/>`,
    `<text x="${bound}" y="${height - 6}" text-anchor="middle">bound ${(search.probeWithinMs / 1000).toFixed(1)} s</text>`,
    '</svg>',
  ].join('');
}
