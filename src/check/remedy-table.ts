// One row per remedy tried over a user's stack, and the table a person reads. Pure: no Docker here.
import { formatBytes } from '../lab/parse-size.ts';

export interface RemedyRow {
  remedy: string;
  result: 'survived' | 'hurt' | 'not applicable' | 'could not run';
  detail: string;
  // How long Gunicorn spent on the download (its access line), or null where it logged none (killed).
  gunicornBusyMs: number | null;
  // The app container's peak memory (its use at the end where the cgroup keeps no peak).
  appMemoryBytes: number | null;
  // How long the second request waited for its headers.
  secondRequestWaitMs: number | null;
  // --capacity: the slow clients held ("2", "≥ 64"); null: no capacity search in this row.
  capacityHeld?: string | null;
  runDir: string | null;
}

// The table a person reads: which remedy fixes their stack, and at what cost.
// server: the app server's name in the busy column's head (Gunicorn, or uWSGI where the check saw it).
export function formatRemedyTable(rows: readonly RemedyRow[], server = 'Gunicorn'): string {
  const s = (ms: number | null) => (ms === null ? '–' : `${(ms / 1000).toFixed(2)} s`);
  // A capacity check's rows: slow clients held instead of a download's busy time and second request.
  const capacity = rows.some((r) => r.capacityHeld != null);
  const table = capacity
    ? [
        ['remedy', 'result', 'slow clients held', 'what the search saw', 'app memory'],
        ...rows.map((r) => [r.remedy, r.result, r.capacityHeld ?? '–', r.detail, r.appMemoryBytes === null ? '–' : formatBytes(r.appMemoryBytes)]),
      ]
    : [
        ['remedy', 'result', 'what the client got', `${server} busy`, 'app memory', 'second request waited'],
        ...rows.map((r) => [
          r.remedy,
          r.result,
          r.detail,
          s(r.gunicornBusyMs),
          r.appMemoryBytes === null ? '–' : formatBytes(r.appMemoryBytes),
          s(r.secondRequestWaitMs),
        ]),
      ];
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  const line = (row: string[]) =>
    row
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(table[0]!), widths.map((w) => '─'.repeat(w)).join('  '), ...table.slice(1).map(line)].join('\n');
}
