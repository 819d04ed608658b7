// One row of facts per run, shared by every report format: what was expected, what was observed, the verdict.
import { formatBytes } from '../lab/parse-size.ts';
import type { RunRecord } from '../run/run-record.ts';
import { killLine } from '../observe/app-server-words.ts';

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

// The expectation in a few words: the judge's table says each key's.
export { describeExpectation } from '../verdict/judge.ts';
import { describeExpectation } from '../verdict/judge.ts';

export function summarizeRun(run: RunRecord): RunSummary {
  const o = run.observation;
  const timeouts = o.gunicorn.workerTimeouts;
  const size =
    o.client.contentLength === null ? formatBytes(o.client.bytesReceived) : `${formatBytes(o.client.bytesReceived)}/${formatBytes(o.client.contentLength)}`;
  return {
    name: run.name,
    release: run.release,
    runId: run.runId,
    hypothesis: run.hypothesis,
    expected: describeExpectation(run.expectation, killLine(o)),
    observed: [
      timeouts ? `${killLine(o)} ×${timeouts}` : 'no timeout',
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
