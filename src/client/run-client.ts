// Runs the throttled transfer in the client container and returns what the client measured.
import { ClientError } from '../errors.ts';
import { reached } from '../pause-at.ts';
import type { Topology } from '../topology/start-topology.ts';
import { clientCommand } from './client-command.ts';
import type { TransferPlan } from './transfer-plan.ts';
import {
  parseClientLine,
  type CapacityResult,
  type CapacityStep,
  type ClientDownload,
  type ClientProbe,
  type ClientProgress,
  type ClientResult,
} from './client-output.ts';

export interface ClientTransfer {
  result: ClientResult;
  probes: ClientProbe[];
  // Every download where the plan runs several at once (client.downloads > 1), by index; else empty.
  downloads: ClientDownload[];
  // The capacity search's end (client.capacity), else null.
  capacity: CapacityResult | null;
  command: string[];
  throttle: string[] | null;
}

// The throttle is the one the topology ran (run-lab.ts built it from the lab, once), settled by the caller
// (settleThrottle): the plan here is the one the client runs.
export async function runClient(
  topology: Topology,
  plan: TransferPlan,
  onProgress: (p: ClientProgress) => void = () => undefined,
  onStep: (step: CapacityStep) => void = () => undefined,
): Promise<ClientTransfer> {
  const shaped = topology.shaping;
  const command = clientCommand(plan, topology.target);
  const probes: ClientProbe[] = [];
  const downloads: ClientDownload[] = [];
  const other: string[] = [];
  let result: ClientResult | undefined;
  let capacity: CapacityResult | null = null;
  const run = await topology.exec('client', command, (line) => {
    const parsed = parseClientLine(line);
    if (parsed.type === 'progress') {
      if (parsed.progress.bytes > 0) reached('transfer');
      onProgress(parsed.progress);
    } else if (parsed.type === 'probe') probes.push(parsed.probe);
    else if (parsed.type === 'result') result = parsed.result;
    else if (parsed.type === 'download') downloads.push(parsed.download);
    else if (parsed.type === 'step') {
      reached('transfer');
      onStep(parsed.step);
    } else if (parsed.type === 'capacity') capacity = parsed.capacity;
    else if (line.trim()) other.push(line);
  });
  if (!result) {
    throw new ClientError(
      `The client ended (exit ${run.exitCode}) without a result: ${[...other, run.stderr.trim()].filter(Boolean).join('\n').slice(-2000)}`,
      'This is a bug in the client program (images/client/client.py); the run folder keeps the logs.',
    );
  }
  if (plan.client.capacity && !capacity) {
    throw new ClientError(
      `The client ended (exit ${run.exitCode}) without the capacity search's result: ${run.stderr.trim().slice(-2000)}`,
      'This is a bug in the client program (images/client/capacity.py); the run folder keeps the logs.',
    );
  }
  const { downloads: asked } = plan.client;
  if (downloads.length !== (asked > 1 ? asked : 0)) {
    throw new ClientError(
      `The client reported ${downloads.length} of the ${asked} downloads asked.`,
      'This is a bug in the client program (images/client/client.py); the run folder keeps the logs.',
    );
  }
  downloads.sort((a, b) => a.index - b.index);
  return { result, probes, downloads, capacity, command, throttle: shaped && shaped.exitCode === 0 ? shaped.command : null };
}
