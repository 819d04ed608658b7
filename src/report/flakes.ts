// Repeated runs of the same lab on the same release (`--repeat N`): a lab whose verdict changed between runs is a
// flake, shown with a passing and a failing observation side by side.
import type { RunRecord } from '../run/run-record.ts';
import { summarizeRun } from './summarize.ts';

export interface RepeatRow {
  key: string;
  runs: number;
  passed: number;
  flaky: boolean;
  // One passing and one failing run's observations, where the verdict changed.
  passedObserved: string | null;
  failedObserved: string | null;
  failedChecks: string[];
}

export function repeatRows(runs: readonly RunRecord[]): RepeatRow[] {
  const byKey = new Map<string, RunRecord[]>();
  for (const run of runs) {
    const key = `${run.name} [${run.release}]`;
    byKey.set(key, [...(byKey.get(key) ?? []), run]);
  }
  return [...byKey].map(([key, group]) => {
    const pass = group.find((r) => r.verdict.passed);
    const fail = group.find((r) => !r.verdict.passed);
    return {
      key,
      runs: group.length,
      passed: group.filter((r) => r.verdict.passed).length,
      flaky: Boolean(pass && fail),
      passedObserved: pass ? summarizeRun(pass).observed : null,
      failedObserved: fail ? summarizeRun(fail).observed : null,
      failedChecks: fail ? fail.verdict.checks.filter((c) => !c.passed).map((c) => `${c.name}: expected ${c.expected}, observed ${c.actual}`) : [],
    };
  });
}

export function formatRepeatTable(rows: readonly RepeatRow[]): string {
  const flakes = rows.filter((r) => r.flaky);
  const lines = [
    `Repeats: ${rows.length} lab(s) × ${Math.max(...rows.map((r) => r.runs))} run(s); ${flakes.length ? `${flakes.length} flake(s)` : 'no flake: every lab gave the same verdict every time'}.`,
  ];
  const width = Math.max(...rows.map((r) => r.key.length));
  for (const r of rows)
    lines.push(`  ${r.key.padEnd(width)}  ${r.passed}/${r.runs} passed${r.flaky ? '  FLAKE' : r.passed === 0 ? '  failed every time' : ''}`);
  for (const r of flakes) {
    lines.push('', `Flake ${r.key}:`, `  passed  ${r.passedObserved}`, `  failed  ${r.failedObserved}`, ...r.failedChecks.map((c) => `          ✘ ${c}`));
  }
  return lines.join('\n');
}
