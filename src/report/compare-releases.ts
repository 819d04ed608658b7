// Says where the same lab observed different things on different releases (Debian releases of Gunicorn and Nginx).
import type { RunRecord } from '../run/run-record.ts';

// The facts compared, each as text, so a difference reads as "bookworm: X; trixie: Y".
const FACTS: Array<[string, (run: RunRecord) => string]> = [
  ['verdict', (r) => (r.verdict.passed ? 'PASS' : 'FAIL')],
  ['client status', (r) => String(r.observation.client.status ?? 'none')],
  ['client transfer', (r) => r.observation.client.outcome],
  ['WORKER TIMEOUT', (r) => (r.observation.gunicorn.workerTimeouts > 0 ? 'logged' : 'not logged')],
  ['Gunicorn access log', (r) => r.observation.gunicorn.access.map((a) => a.status).join(', ') || 'no line'],
  // The message without its request (Gunicorn 26 adds the method before the path): what went wrong, not where.
  [
    'Gunicorn errors',
    (r) =>
      r.observation.gunicorn.events
        .filter((e) => e.kind === 'error')
        .map((e) => e.message.replace(/(?: [A-Z]+)? \/.*$/, ''))
        .join(', ') || 'none',
  ],
  ['article claims', (r) => r.claims.map((c) => c.status).join(', ') || 'none'],
];

export function compareReleases(runs: readonly RunRecord[]): string[] {
  const byLab = new Map<string, RunRecord[]>();
  for (const run of runs) byLab.set(run.name, [...(byLab.get(run.name) ?? []), run]);
  const notes: string[] = [];
  for (const [name, labRuns] of byLab) {
    if (new Set(labRuns.map((r) => r.release)).size < 2) continue;
    for (const [fact, read] of FACTS) {
      const values = labRuns.map((r) => `${r.release}: ${read(r)}`);
      if (new Set(labRuns.map(read)).size > 1) notes.push(`${name} differs between releases in ${fact}: ${values.join('; ')}`);
    }
  }
  return notes;
}
