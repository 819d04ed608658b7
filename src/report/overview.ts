// The matrix's opening table: one row per lab, whether the client got the whole body on each release, and what it
// cost there (the front before Gunicorn, the app's and the front's memory, Nginx's disk, Gunicorn's time on the request, the client's first byte), read from
// the observations alone. Where a lab ran on several releases or several times, a cost is its largest reading.
import type { RunRecord } from '../run/run-record.ts';
import { gunicornBusyMs } from '../verdict/judge.ts';
import { formatBytes } from '../lab/parse-size.ts';
import type { Observation } from '../observe/observation.ts';

export interface OverviewRow {
  lab: string;
  // What stands before Gunicorn: nginx, another front (caddy, haproxy, apache, varnish), or none.
  front: string;
  // Per release: "whole" (every run of it got the whole body), "cut" (none did), "mixed".
  byRelease: Record<string, { got: 'whole' | 'cut' | 'mixed'; detail: string }>;
  appMemoryBytes: number | null;
  // The front's memory: Nginx's, or the other front's.
  frontMemoryBytes: number | null;
  // The most Nginx's temp files held at once (its proxy buffers spilled to disk).
  nginxDiskBytes: number | null;
  // Gunicorn's time on the download: its access line's duration, or the kill's time where it was killed.
  gunicornBusyMs: number | null;
  firstByteMs: number | null;
}

// The whole body got where it was going: the client's download, or an upload's body to the app.
function gotWhole(o: Observation): boolean {
  if (o.upload) return o.upload.whole;
  return o.client.outcome === 'complete' && (o.file.servedAtPath ? o.client.checksumMatches : true);
}

const max = (values: Array<number | null>): number | null => {
  const known = values.filter((v): v is number => v !== null);
  return known.length ? Math.max(...known) : null;
};

const frontOf = (o: Observation): string => o.front?.kind ?? (o.nginx ? 'nginx' : 'none');

export function overviewRows(runs: readonly RunRecord[]): OverviewRow[] {
  const byLab = new Map<string, RunRecord[]>();
  for (const run of runs) byLab.set(run.name, [...(byLab.get(run.name) ?? []), run]);
  return [...byLab.entries()].map(([lab, labRuns]) => {
    const byRelease: OverviewRow['byRelease'] = {};
    for (const release of [...new Set(labRuns.map((r) => r.release))]) {
      const observations = labRuns.filter((r) => r.release === release).map((r) => r.observation);
      const whole = observations.filter(gotWhole).length;
      const got = whole === observations.length ? 'whole' : whole === 0 ? 'cut' : 'mixed';
      const killed = observations.filter((o) => o.gunicorn.workerTimeouts > 0).length;
      const last = observations.at(-1)!;
      byRelease[release] = {
        got,
        detail: `${last.upload ? (last.upload.whole ? 'upload whole' : 'upload not whole') : last.client.outcome}${killed ? `, killed${observations.length > 1 ? ` ${killed}/${observations.length}` : ''}` : ''}`,
      };
    }
    const all = labRuns.map((r) => r.observation);
    return {
      lab,
      front: frontOf(all.at(-1)!),
      byRelease,
      appMemoryBytes: max(all.map((o) => o.resources.app?.bytes ?? null)),
      frontMemoryBytes: max(all.map((o) => (o.nginx ? (o.resources.nginx?.bytes ?? null) : o.front ? (o.resources.front?.bytes ?? null) : null))),
      nginxDiskBytes: max(all.map((o) => o.nginx?.tempPeakBytes ?? null)),
      gunicornBusyMs: max(all.map(gunicornBusyMs)),
      firstByteMs: max(all.map((o) => o.client.firstByteMs)),
    };
  });
}

const ms = (v: number | null) => (v === null ? '–' : v >= 1000 ? `${(v / 1000).toFixed(1)} s` : `${Math.round(v)} ms`);
const bytes = (v: number | null) => (v === null ? '–' : formatBytes(v));
const mark = (got: 'whole' | 'cut' | 'mixed') => (got === 'whole' ? '✔' : got === 'cut' ? '✘' : '≈');

// Header and rows as plain cells, for Markdown and HTML alike.
export function overviewTable(runs: readonly RunRecord[]): { header: string[]; rows: string[][] } {
  const rows = overviewRows(runs);
  const releases = [...new Set(runs.map((r) => r.release))];
  return {
    header: ['lab', 'front', ...releases.map((s) => `whole body? ${s}`), 'app memory', 'front memory', 'Nginx disk', 'Gunicorn busy', 'first byte'],
    rows: rows.map((row) => [
      row.lab,
      row.front,
      ...releases.map((s) => (row.byRelease[s] ? `${mark(row.byRelease[s].got)} ${row.byRelease[s].detail}` : '')),
      bytes(row.appMemoryBytes),
      bytes(row.frontMemoryBytes),
      bytes(row.nginxDiskBytes),
      ms(row.gunicornBusyMs),
      ms(row.firstByteMs),
    ]),
  };
}
