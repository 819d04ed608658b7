// What several downloads at once came to: how many completed, were cut or only waited, how many the server fed at
// once, its memory per download fed, and how long quick requests sent meanwhile waited. Pure: tested on data.
import type { ClientDownload, ClientProbe } from '../client/client-output.ts';
import type { MemoryReading } from './collect-evidence.ts';

export interface QuickRequests {
  sent: number;
  answered: number;
  // Over the answered ones; null where none was answered.
  p50Ms: number | null;
  maxMs: number | null;
}

export interface CapacityObservation {
  downloads: number;
  // The whole file, checksum and all.
  completed: number;
  // Part of the body, then the end from the server's side (the worker killed, the connection cut).
  cut: number;
  // Still receiving when the client gave up (its deadline): fed, but too slowly or too late to finish.
  unfinished: number;
  // Not a body byte before the client gave up: the download waited for a worker the whole time.
  waited: number;
  // The most downloads receiving body bytes at the same moment: how many the server fed at once.
  peakConcurrent: number;
  // The app container's memory (its peak where the cgroup keeps one) over peakConcurrent: what one download fed
  // at once costs. null where either is unknown or none was fed.
  memoryPerDownloadBytes: number | null;
  quick: QuickRequests;
}

// The lower median of the answered latencies: a value that was measured, never an average of two.
function median(values: number[]): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

// The most intervals [firstByteMs, durationMs] open at once; an interval ending at t closes before one opening at t.
export function peakConcurrent(downloads: ClientDownload[]): number {
  const edges = downloads
    .filter((d) => d.firstByteMs !== null)
    .flatMap(
      (d) =>
        [
          [d.firstByteMs!, 1],
          [d.durationMs, -1],
        ] as Array<[number, number]>,
    )
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let open = 0;
  let peak = 0;
  for (const [, delta] of edges) {
    open += delta;
    peak = Math.max(peak, open);
  }
  return peak;
}

export function observeCapacity(downloads: ClientDownload[], probes: ClientProbe[], fileSha256: string, appMemory: MemoryReading | null): CapacityObservation {
  const completed = downloads.filter((d) => d.outcome === 'complete' && d.sha256 === fileSha256).length;
  const waited = downloads.filter((d) => d.bytesReceived === 0).length;
  const unfinished = downloads.filter((d) => d.bytesReceived > 0 && d.outcome === 'client-timeout').length;
  const peak = peakConcurrent(downloads);
  const latencies = probes.filter((p) => p.latencyMs !== null && p.status !== null).map((p) => p.latencyMs!);
  return {
    downloads: downloads.length,
    completed,
    cut: downloads.length - completed - waited - unfinished,
    unfinished,
    waited,
    peakConcurrent: peak,
    memoryPerDownloadBytes: appMemory && peak > 0 ? Math.round(appMemory.bytes / peak) : null,
    quick: { sent: probes.length, answered: latencies.length, p50Ms: median(latencies), maxMs: latencies.length ? Math.max(...latencies) : null },
  };
}
