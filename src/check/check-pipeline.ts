// The one pipeline of every check, once its stack is up (started by check, or a running one joined by --attach): the
// reference download, the slow one planned from it, observed, judged against it, recorded and saved. run-check.ts and
// run-attach.ts differ only in how the stack came up and in what they say of it (the `describe` step).
import type { CapacityProbe, CapacityStep, ClientProgress, ClientResult } from '../client/client-output.ts';
import { StackError } from '../errors.ts';
import { CAPACITY_RATE_BYTES_PER_S } from './check-options.ts';
import { formatBytes } from '../lab/parse-size.ts';
import type { Release } from '../lab/vocabulary.ts';
import type { Evidence } from '../observe/collect-evidence.ts';
import { withFallback } from '../report/terminal.ts';
import type { RunSession } from '../run-session.ts';
import type { Topology } from '../topology/start-topology.ts';
import { judge } from '../verdict/judge.ts';
import { CHECK_NAME, type CheckRun } from './check-run.ts';
import { describePace, paceSeconds, type Pace } from './pace.ts';
import type { CheckServer } from './gunicorn-facts.ts';
import {
  capacityExpectation,
  capacityWant,
  checkExpectation,
  checkHypothesis,
  checkPlan,
  explainReference,
  fetchReference,
  heldBySlowClient,
  slowDownload,
  type CheckRequest,
} from './reference.ts';

// What a check's record says of its stack, known once the run is observed.
export type StackRecord = Pick<CheckRun, 'images' | 'kept' | 'spec' | 'gunicorn' | 'userStack' | 'nginxFiles' | 'attached'>;

export interface CheckPhases {
  request: CheckRequest;
  // The request as the report names it (attach: the whole URL).
  shown: CheckRequest;
  release: Release;
  // Where the request goes, for a reference that failed ("GET /x through your Nginx (port 8080)"), what to check then,
  // and the flag that names it.
  where: string;
  unreachable: string;
  flag: '--path' | '--url';
  // The slow client's pace once the reference's size is known; notes the pace's choice adds.
  pace: (reference: ClientResult, bodyBytes: number, notes: string[]) => Pace | Promise<Pace>;
  // --rate: the capacity search's slow clients read at it; null: CAPACITY_RATE_BYTES_PER_S.
  rateBytesPerS: number | null;
  // Gunicorn's workers as read (a capacity check wants one more held than this); null: unknown.
  workers: number | null;
  // The app server, where it is known not to be Gunicorn (read from its command line): the hypothesis's words, and
  // whose logs the observation reads.
  server?: CheckServer;
  // The buffers on the way: a body that fits in them holds no worker, which a capacity check says.
  roomBytes: number;
  // Read once the Docker logs show what they can (their Nginx's log files), and when the evidence is in.
  amend?: (evidence: Evidence, notes: string[]) => Promise<void>;
  onEvidence: () => void;
  // The run's description line (before the throttle's fallback), title, next steps and stack record, from what it observed.
  describe: (observed: { pace: Pace; evidence: Evidence; notes: string[]; passed: boolean }) => {
    description: string;
    title: string;
    next: string[];
    record: StackRecord;
  };
}

export interface PipelineOptions {
  log: (line: string) => void;
  onProgress?: (progress: ClientProgress, totalBytes: number) => void;
}

// A capacity check's slow clients read steadily, each paced on its own: --rate, else CAPACITY_RATE_BYTES_PER_S. A body
// that fits in the buffers on the way holds no worker at any pace: said, since the figure is then the buffers'.
function capacityPace(rateBytesPerS: number | null, reference: ClientResult, roomBytes: number, notes: string[]): Pace {
  if (reference.bytesReceived <= roomBytes)
    notes.push(
      `the response (${formatBytes(reference.bytesReceived)}) fits in the socket buffers on the way (up to ${formatBytes(roomBytes)}): a slow client holds no worker on this path; check a larger download to see the workers' limit`,
    );
  return { kind: 'steady', rateBytesPerS: rateBytesPerS ?? CAPACITY_RATE_BYTES_PER_S, throttle: 'reader', named: true };
}

// One step of the search as it goes: "capacity: 4 slow clients, probe 3.00 s: stalled".
function describeStep(step: CapacityStep): string {
  const wait = Math.max(...step.probes.map((p) => p.waitMs));
  return `capacity: ${step.clients} slow client(s), probe ${(wait / 1000).toFixed(2)} s: ${step.held ? 'held' : 'stalled'}`;
}

// No probe path answered in time below 400 before any slow client: nothing can be measured (exit 2).
function probeRefused(failures: readonly CapacityProbe[], where: string): StackError {
  const said = failures.map((f) => `  ${f.path ?? '?'}: ${f.status ?? f.error ?? 'no answer'}${f.answered ? ` after ${(f.waitMs / 1000).toFixed(2)} s` : ''}`);
  return new StackError(
    `The probe was not answered in time with a status below 400 before any slow client (${where}):\n${said.join('\n')}`,
    'Give --probe a cheap path your app answers with 200 (a health check such as /health), or raise --probe-within.',
  );
}

export async function measureCheck(topology: Topology, session: RunSession, phases: CheckPhases, options: PipelineOptions): Promise<CheckRun> {
  const { request } = phases;
  const { log } = options;
  const reference = await fetchReference(topology, phases.request);
  await explainReference(reference, topology, phases.where, phases.unreachable, phases.flag, request.upload !== null);
  const notes: string[] = [];
  // The slow part: the body the client writes, or the one it reads.
  const bodyBytes = request.upload?.sizeBytes ?? reference.bytesReceived;
  const capacity = request.capacity ?? null;
  const pace = capacity ? capacityPace(phases.rateBytesPerS, reference, phases.roomBytes, notes) : await phases.pace(reference, bodyBytes, notes);
  const want = capacity ? capacityWant(capacity, phases.workers) : undefined;
  const plan = { ...checkPlan(request, reference, pace), ...(phases.server ? { server: phases.server } : {}) };
  log(
    capacity
      ? `reference: ${reference.status}, ${formatBytes(reference.bytesReceived)}; now slow clients at ${formatBytes(pace.rateBytesPerS)}/s each, added until a probe of ${capacity.probePaths.join(' or ')} takes over ${capacity.probeWithinMs / 1000} s (at most ${capacity.max})`
      : `reference: ${reference.status}, ${formatBytes(reference.bytesReceived)}; now the slow client ${describePace(pace, request.upload !== null)} (about ${paceSeconds(pace, bodyBytes)} s)`,
  );
  const expectation = want !== undefined ? capacityExpectation(want) : checkExpectation(reference, request.upload !== null);
  const {
    transfer,
    evidence,
    observation,
    throttleFallback,
    plan: ran,
  } = await slowDownload(topology, plan, reference, {
    started: session.started,
    onFallback: (why) => log(why),
    onProgress: options.onProgress,
    ...(phases.amend ? { amend: (e: Evidence) => phases.amend!(e, notes) } : {}),
    onEvidence: phases.onEvidence,
    expectation,
    ...(capacity ? { onStep: (step: CapacityStep) => log(describeStep(step)) } : {}),
  });
  if (observation.capacitySearch?.probeFailures) throw probeRefused(observation.capacitySearch.probeFailures, phases.where);
  const verdict = judge(expectation, observation);
  const held = heldBySlowClient(phases.server, observation.client.probes);
  if (held) notes.push(held);
  const said = phases.describe({ pace, evidence, notes, passed: verdict.passed });
  const run: CheckRun = {
    name: CHECK_NAME,
    runId: session.runId,
    runDir: session.runDir,
    lab: null,
    release: phases.release,
    hypothesis: checkHypothesis(phases.shown, reference, pace, want, phases.server),
    plan: ran,
    pace,
    expectation,
    description: withFallback(said.description, throttleFallback),
    notes,
    client: { command: transfer.command, throttle: transfer.throttle },
    observation,
    verdict,
    claims: [],
    reference,
    ...said.record,
    title: said.title,
    next: said.next,
  };
  await session.save(run, evidence, transfer);
  return run;
}
