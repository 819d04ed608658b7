// What the capacity search came to (client.capacity): how many slow clients the stack held while its probe was still
// answered in time, where it stalled, and which layer held the clients. Pure: tested on data.
import type { CapacityProbe, CapacityResult, CapacityStep } from '../client/client-output.ts';
import type { CapacityHolder } from '../lab/vocabulary.ts';

// The part of a Gunicorn access line the search reads (observation.ts's GunicornAccess).
interface AccessLine {
  request: string;
  status: number;
  atMs: number;
}

export interface CapacityStepReading {
  clients: number;
  held: boolean;
  // The step's probe: how long it waited, its status or failure.
  probeWaitMs: number;
  probeStatus: number | null;
  probeError: string | null;
  // Slow clients still open when the step was probed, and how many of them had their response headers.
  open: number;
  withHeaders: number;
  atMs: number;
}

export interface CapacitySearch {
  // The path probed; null with probeFailures: no path given answered in time below 400 before any slow client.
  probePath: string | null;
  probeFailures: CapacityProbe[] | null;
  cap: number;
  held: number;
  // The fewest slow clients at which the probe was late or failed; null: it held up to the cap.
  stalledAt: number | null;
  probeWaitMs: number | null;
  probeWithinMs: number;
  steps: CapacityStepReading[];
  // Slow downloads the app finished (its access line, status below 500) while the search still held their clients,
  // reading slowly: a layer in front had taken each of those responses whole. Any such: the front held the clients
  // (with no front: the socket buffers, the responses fit in them); none: the app (its workers, threads or event
  // loop). Not "all of them": under load the app may still be working through the last step's when the search
  // ends. null: the app's access log is not observable.
  finishedByApp: number | null;
  heldBy: CapacityHolder | null;
  // Steps whose slow clients were not all still open when probed (a worker killed, a download done): the count the
  // step names overstates what the stack held then.
  leakySteps: number;
}

export function stepReading(step: CapacityStep): CapacityStepReading {
  const last = step.probes[step.probes.length - 1];
  return {
    clients: step.clients,
    held: step.held,
    probeWaitMs: Math.max(...step.probes.map((p) => p.waitMs)),
    probeStatus: last?.status ?? null,
    probeError: last?.error ?? null,
    open: step.open,
    withHeaders: step.withHeaders,
    atMs: step.atMs,
  };
}

// front: a proxy stood before the app (else the client talked to it directly, and only socket buffers were between).
export function observeCapacitySearch(
  result: CapacityResult,
  access: readonly AccessLine[] | null,
  isSlowRequest: (request: string) => boolean,
  front = true,
): CapacitySearch {
  const steps = result.steps.map(stepReading);
  const most = Math.max(0, ...steps.map((s) => s.clients));
  // Counted until the search first closed clients of its own (bisecting down): a download it cut ends in Gunicorn's
  // access log too, and says nothing about who held it.
  const firstDown = result.steps.findIndex((step, i) => i > 0 && step.clients < result.steps[i - 1]!.clients);
  const until = firstDown > 0 ? result.steps[firstDown - 1]!.atMs : result.endMs;
  const finishedByApp = access === null ? null : access.filter((a) => isSlowRequest(a.request) && a.status < 500 && a.atMs < until).length;
  return {
    probePath: result.probePath,
    probeFailures: result.probeFailures,
    cap: result.cap,
    held: result.held,
    stalledAt: result.stalledAt,
    probeWaitMs: result.probeWaitMs,
    probeWithinMs: result.probeWithinMs,
    steps,
    finishedByApp,
    heldBy: finishedByApp === null || most === 0 ? null : finishedByApp === 0 ? 'app' : front ? 'front' : 'buffers',
    leakySteps: steps.filter((s) => s.open < s.clients).length,
  };
}

// Probe wait against slow clients, one row per count tried (the last try of a count where the search came back).
export function capacityChartRows(search: CapacitySearch): CapacityStepReading[] {
  const byCount = new Map<number, CapacityStepReading>();
  for (const step of search.steps) byCount.set(step.clients, step);
  return [...byCount.values()].sort((a, b) => a.clients - b.clients);
}
