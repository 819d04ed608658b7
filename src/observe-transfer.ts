// The core every run shares once its stack is up, whoever started it (a lab, check, an attached stack): the client's
// transfer, the evidence once the log lines the expectation needs are in, and the observation built from them.
import type { CapacityStep, ClientProgress } from './client/client-output.ts';
import { runClient, type ClientTransfer } from './client/run-client.ts';
import { settleThrottle } from './client/throttle.ts';
import type { TransferPlan } from './client/transfer-plan.ts';
import type { Expectation } from './lab/schema.ts';
import { buildObservation } from './observe/build-observation.ts';
import { collectSettledEvidence, type Evidence } from './observe/collect-evidence.ts';
import { missingEvidence } from './verdict/judge.ts';
import type { Observation } from './observe/observation.ts';
import { mark } from './phases.ts';
import type { Topology } from './topology/start-topology.ts';

// The longest wait after the transfer for the log lines an expectation needs (they come within ~0.3 s).
export const LOG_DEADLINE_MS = 2000;

export interface ObserveOptions {
  // When the run began: its timings count from here.
  started: number;
  // The served file's checksum (a lab's own file, or check's reference download).
  fileSha256: string;
  expectation: Expectation;
  onProgress?: (progress: ClientProgress) => void;
  // Each step of a capacity search, as it is probed.
  onStep?: (step: CapacityStep) => void;
  // Log lines the wait may go without (check: a user's Nginx may log to files, read by `amend`).
  optional?: (missing: string) => boolean;
  // Evidence read from elsewhere before the observation is built.
  amend?: (evidence: Evidence) => Promise<void>;
  // The evidence is in: the containers may go while the observation and reports are made.
  onEvidence?: () => void;
  // The reader throttle stands in for a network throttle the engine's kernel can't set up: said as it happens.
  onFallback?: (why: string) => void;
}

export interface ObservedTransfer {
  // The plan the client ran (the reader throttle in place of a network one the kernel refused), and why it changed.
  plan: TransferPlan;
  throttleFallback: string | null;
  transfer: ClientTransfer;
  evidence: Evidence;
  observation: Observation;
}

export async function observeTransfer(topology: Topology, asked: TransferPlan, options: ObserveOptions): Promise<ObservedTransfer> {
  const { plan, fallback } = settleThrottle(asked, topology.shaping);
  if (fallback) options.onFallback?.(fallback);
  const startMs = Date.now() - options.started;
  mark('transfer');
  const transfer = await runClient(topology, plan, options.onProgress, options.onStep);
  mark('transferred');
  const transferMs = Date.now() - options.started - startMs;
  const timings = { startMs, transferMs, observeMs: 0 };
  const observe = (evidence: Evidence, logWait?: Observation['logs']) =>
    buildObservation({ plan, fileSha256: options.fileSha256, transfer, evidence, timings, logWait, frontKind: topology.frontKind ?? null });
  const settled = await collectSettledEvidence(
    topology,
    (evidence) => missingEvidence(options.expectation, observe(evidence)).filter((m) => !options.optional?.(m)),
    LOG_DEADLINE_MS,
  );
  const { evidence } = settled;
  mark('evidence');
  await options.amend?.(evidence);
  options.onEvidence?.();
  timings.observeMs = Date.now() - options.started - startMs - transferMs;
  return { plan, throttleFallback: fallback, transfer, evidence, observation: observe(evidence, { waitedMs: settled.waitedMs, missing: settled.missing }) };
}
