// The terminal summary of many runs: one row per lab and stack, the columns sized to fit their contents.
import type { RunSummary } from './summarize.ts';

const clip = (text: string, width: number) => (text.length > width ? `${text.slice(0, width - 1)}…` : text);

export function formatSummaryTable(rows: readonly RunSummary[], hypothesisWidth = 60): string {
  const table = [
    ['lab', 'stack', 'hypothesis', 'expected', 'observed', 'time', 'verdict'],
    ...rows.map((r) => [
      r.name,
      r.stack,
      clip(r.hypothesis, hypothesisWidth),
      r.expected,
      r.observed,
      `${(r.durationMs / 1000).toFixed(1)} s`,
      `${r.passed ? 'PASS' : 'FAIL'} ${r.checksPassed}/${r.checks}`,
    ]),
  ];
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  const line = (row: string[]) => row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd();
  const passed = rows.filter((r) => r.passed).length;
  return [line(table[0]!), line(widths.map((w) => '─'.repeat(w))), ...table.slice(1).map(line), '', `${passed} of ${rows.length} labs passed`].join('\n');
}
