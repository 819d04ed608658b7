// One run of a stack (a lab's, or a user's under check) as the reports receive it: plain data, produced by
// run-lab.ts and check/, read by report/*; it lives below all of them.
import type { ClientProgress } from '../client/client-output.ts';
import type { TransferPlan } from '../client/transfer-plan.ts';
import type { LabImages } from '../images/build-images.ts';
import type { Observation } from '../observe/observation.ts';
import type { TopologySpec } from '../topology/topology-spec.ts';
import type { Topology } from '../topology/start-topology.ts';
import type { ClaimFinding, Verdict } from '../verdict/judge.ts';
import type { Expectation, Lab, Release } from '../lab/schema.ts';

export interface RunRecord {
  name: string;
  runId: string;
  runDir: string;
  // The lab that was run; null for a check (a user's stack, no lab).
  lab: Lab | null;
  // The Debian release of the images.
  release: Release;
  // What the run set out to show, in a sentence.
  hypothesis: string;
  // What the client did: the request, its pace, the body it expected.
  plan: TransferPlan;
  // What was judged: a lab's expectation on its release, or check's (the reference's status and body, no timeout).
  expectation: Expectation;
  images: LabImages;
  client: { command: string[]; throttle: string[] | null };
  // Where a kept stack (--keep) is published, and its container names; null once the run removed its stack.
  kept: Pick<Topology, 'published' | 'containers' | 'target' | 'runId'> | null;
  // The stack as it was started: images, commands, env, mounts, config files (reproduce.sh is made from it); null
  // for a stack the user runs themselves (`check --attach`), which no run starts.
  spec: TopologySpec | null;
  // The set-up in words: the lab's fields, or what check read of a user's stack.
  description: string;
  // What the run could not observe or had to assume, said in every report.
  notes?: string[];
  // What to do next (a failed check: the remedies that fit), said at the end of every report.
  next?: string[];
  // The report's title where it is not the lab's (a check: "check: your stack — hurt").
  title?: string;
  observation: Observation;
  verdict: Verdict;
  claims: ClaimFinding[];
}

// A run of one of our labs (a comparison's variants, the matrix's entries).
export type RunOfLab = RunRecord & { lab: Lab };

// What a matrix of runs reports as it goes (the live status line reads it).
export type MatrixEvent =
  | { type: 'start'; key: string }
  | { type: 'progress'; key: string; progress: ClientProgress; totalBytes: number }
  | { type: 'done'; key: string; run: RunRecord }
  | { type: 'error'; key: string; error: unknown };
