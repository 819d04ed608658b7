// One row of facts per run, shared by every report format: what was expected, what was observed, the verdict.
import { formatBytes } from '../lab/parse-size.ts';
import type { Expectation } from '../lab/schema.ts';
import type { LabRun } from '../run/lab-run.ts';

export interface RunSummary {
  name: string;
  release: string;
  runId: string;
  hypothesis: string;
  expected: string;
  observed: string;
  outcome: string;
  status: number | null;
  bytesReceived: number;
  contentLength: number | null;
  durationMs: number;
  workerTimeouts: number;
  passed: boolean;
  checksPassed: number;
  checks: number;
  claims: string;
}

// The expectation in a few words: "WORKER TIMEOUT · truncated · HTTP 200".
export function describeExpectation(e: Expectation): string {
  const parts: string[] = [];
  if (e.workerTimeout !== undefined) parts.push(e.workerTimeout ? 'WORKER TIMEOUT' : 'no timeout');
  if (e.outcome) parts.push(e.outcome);
  if (e.clientStatus !== undefined) parts.push(`HTTP ${e.clientStatus}`);
  if (e.probes) parts.push(`side request ${e.probes}`);
  if (e.upstreamDoneFirst) parts.push('upstream done first');
  if (e.gunicornAccessLines === 0) parts.push('Gunicorn not asked');
  if (e.gunicornRequestMaxMs !== undefined) parts.push(`Gunicorn ≤ ${e.gunicornRequestMaxMs} ms`);
  if (e.workerTimeoutNearS !== undefined) parts.push(`killed ~${e.workerTimeoutNearS} s in`);
  if (e.timeoutAlert !== undefined) parts.push(e.timeoutAlert ? 'statsd alert' : 'no statsd alert');
  if (e.streaming) parts.push(`stream ${e.streaming}`);
  if (e.nginxSpill) parts.push(e.nginxSpill === 'most' ? 'file spilled to disk' : 'nothing on disk');
  if (e.capacityHeld !== undefined) parts.push(`holds ${e.capacityHeld} slow client(s)`);
  if (e.capacityHeldAtLeast !== undefined) parts.push(`holds ≥ ${e.capacityHeldAtLeast} slow clients`);
  if (e.capacityHeldBy) parts.push(`held by the ${e.capacityHeldBy}`);
  return parts.join(' · ');
}

export function summarizeRun(run: LabRun): RunSummary {
  const o = run.observation;
  const timeouts = o.gunicorn.workerTimeouts;
  const size =
    o.client.contentLength === null ? formatBytes(o.client.bytesReceived) : `${formatBytes(o.client.bytesReceived)}/${formatBytes(o.client.contentLength)}`;
  return {
    name: run.name,
    release: run.release,
    runId: run.runId,
    hypothesis: run.hypothesis,
    expected: describeExpectation(run.expectation),
    observed: [
      timeouts ? `WORKER TIMEOUT ×${timeouts}` : 'no timeout',
      ...(o.capacitySearch
        ? [`held ${o.capacitySearch.stalledAt === null ? '≥ ' : ''}${o.capacitySearch.held} slow client(s)`]
        : [`${o.client.outcome} ${size}`, o.client.status === null ? 'no response' : `HTTP ${o.client.status}`]),
    ].join(' · '),
    outcome: o.client.outcome,
    status: o.client.status,
    bytesReceived: o.client.bytesReceived,
    contentLength: o.client.contentLength,
    durationMs: o.client.durationMs,
    workerTimeouts: timeouts,
    passed: run.verdict.passed,
    checksPassed: run.verdict.checks.filter((c) => c.passed).length,
    checks: run.verdict.checks.length,
    claims: run.claims.map((c) => c.status).join(', '),
  };
}
