// The terminal summary of many runs: one row per lab and release, the columns sized to fit their contents.
import type { RunSummary } from './summarize.ts';

const GAPS = 6 * 2;

function widthWithoutHypothesis(rows: readonly RunSummary[]): number {
  const widest = (values: string[]) => Math.max(...values.map((v) => v.length));
  return (
    widest(['lab', ...rows.map((r) => r.name)]) +
    widest(['release', ...rows.map((r) => r.release)]) +
    widest(['expected', ...rows.map((r) => r.expected)]) +
    widest(['observed', ...rows.map((r) => r.observed)]) +
    widest(['time', '000.0 s']) +
    widest(['verdict', 'FAIL 10/10']) +
    GAPS
  );
}

const clip = (text: string, width: number) => (text.length > width ? `${text.slice(0, width - 1)}…` : text);

// `width`: the terminal's columns, where known; the hypothesis column gives way so rows stay on one line.
export function formatSummaryTable(rows: readonly RunSummary[], width?: number): string {
  const hypothesisWidth = width === undefined ? 60 : Math.max(16, Math.min(60, width - widthWithoutHypothesis(rows)));
  const table = [
    ['lab', 'release', 'hypothesis', 'expected', 'observed', 'time', 'verdict'],
    ...rows.map((r) => [
      r.name,
      r.release,
      clip(r.hypothesis, hypothesisWidth),
      r.expected,
      r.observed,
      `${(r.durationMs / 1000).toFixed(1)} s`,
      `${r.passed ? 'PASS' : 'FAIL'} ${r.checksPassed}/${r.checks}`,
    ]),
  ];
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  const line = (row: string[]) =>
    row
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  const passed = rows.filter((r) => r.passed).length;
  return [line(table[0]!), line(widths.map((w) => '─'.repeat(w))), ...table.slice(1).map(line), '', `${passed} of ${rows.length} labs passed`].join('\n');
}
