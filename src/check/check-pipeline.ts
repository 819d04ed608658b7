// The one pipeline of every check, once its stack is up (started by check, or a running one joined by --attach): the
// reference download, the slow one planned from it, observed, judged against it, recorded and saved. run-check.ts and
// run-attach.ts differ only in how the stack came up and in what they say of it (the `describe` step).
import type { ClientProgress, ClientResult } from '../client/client-output.ts';
import { formatBytes } from '../lab/parse-size.ts';
import type { Release } from '../lab/vocabulary.ts';
import type { Evidence } from '../observe/collect-evidence.ts';
import { withFallback } from '../report/terminal.ts';
import type { RunSession } from '../run-session.ts';
import type { Topology } from '../topology/start-topology.ts';
import { judge } from '../verdict/judge.ts';
import { CHECK_NAME, type CheckRun } from './check-run.ts';
import { describePace, paceSeconds, type Pace } from './pace.ts';
import { checkExpectation, checkHypothesis, checkPlan, explainReference, fetchReference, slowDownload, type CheckRequest } from './reference.ts';

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
  // Read once the Docker logs show what they can (their Nginx's log files), and when the evidence is in.
  amend?: (evidence: Evidence, notes: string[]) => Promise<void>;
  onEvidence: () => void;
  // The run's set-up line (before the throttle's fallback), title, next steps and stack record, from what it observed.
  describe: (observed: { pace: Pace; evidence: Evidence; notes: string[]; passed: boolean }) => {
    setup: string;
    title: string;
    next: string[];
    record: StackRecord;
  };
}

export interface PipelineOptions {
  log: (line: string) => void;
  onProgress?: (progress: ClientProgress, totalBytes: number) => void;
}

export async function measureCheck(topology: Topology, session: RunSession, phases: CheckPhases, options: PipelineOptions): Promise<CheckRun> {
  const { request } = phases;
  const { log } = options;
  const reference = await fetchReference(topology, phases.request);
  await explainReference(reference, topology, phases.where, phases.unreachable, phases.flag, request.upload !== null);
  const notes: string[] = [];
  // The slow part: the body the client writes, or the one it reads.
  const bodyBytes = request.upload?.sizeBytes ?? reference.bytesReceived;
  const pace = await phases.pace(reference, bodyBytes, notes);
  const plan = checkPlan(request, reference, pace);
  log(
    `reference: ${reference.status}, ${formatBytes(reference.bytesReceived)}; now the slow client ${describePace(pace, request.upload !== null)} (about ${paceSeconds(pace, bodyBytes)} s)`,
  );
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
  });
  const expectation = checkExpectation(reference, request.upload !== null);
  const verdict = judge(expectation, observation);
  const said = phases.describe({ pace, evidence, notes, passed: verdict.passed });
  const run: CheckRun = {
    name: CHECK_NAME,
    runId: session.runId,
    runDir: session.runDir,
    lab: null,
    release: phases.release,
    hypothesis: checkHypothesis(phases.shown, reference, pace),
    plan: ran,
    pace,
    expectation,
    setup: withFallback(said.setup, throttleFallback),
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
