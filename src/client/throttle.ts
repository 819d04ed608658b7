// How the client is made slow: tc shaping of its download direction (network) or a paced reader (reader).
import { ClientError } from '../errors.ts';
import type { ExecResult } from '../topology/exec-streaming.ts';
import type { ClientPlan, TransferPlan } from './transfer-plan.ts';

// tbf counts whole Ethernet frames (1514 bytes) for each full segment of 1448 payload bytes (MSS with TCP
// timestamps); shaping at the asked rate times this factor makes the payload arrive at the asked rate.
export const FRAME_OVERHEAD = 1514 / 1448;
const MIN_BURST_BYTES = 16 * 1024;

// The client's side requests (probes) come from these local ports, which the throttle leaves unshaped: a probe
// stands for another user on another link. Outside the client's ephemeral range (see sysctls.ts), so the
// download itself never gets one.
export const PROBE_PORTS = { base: 39984, count: 16 } as const;

export interface ShapingParams {
  rateBitsPerS: number;
  burstBytes: number;
}

export function shapingParams(rateBytesPerS: number): ShapingParams {
  return {
    rateBitsPerS: Math.round(rateBytesPerS * 8 * FRAME_OVERHEAD),
    // At least one timer tick's worth of bytes at the rate, and never so little that tbf refuses it.
    burstBytes: Math.max(MIN_BURST_BYTES, Math.ceil(rateBytesPerS / 100)),
  };
}

// The command that shapes the client container, or null where the lab throttles the reader (or not at all).
export function throttleCommand(client: ClientPlan): string[] | null {
  if (client.rateBytesPerS === null || client.throttle !== 'network') return null;
  const { rateBitsPerS, burstBytes } = shapingParams(client.rateBytesPerS);
  return ['/client/throttle.sh', String(rateBitsPerS), String(burstBytes), ...(client.probes.length ? [String(PROBE_PORTS.base)] : [])];
}

// The shaper's exit code where the kernel or the engine refused a step of the network throttle (images/client/
// throttle.sh): no ifb device, ingress qdisc, u32 filter, mirred action or tbf (Docker Desktop's VM may lack ifb), or
// no NET_ADMIN.
export const CANNOT_SHAPE_EXIT = 3;

export interface SettledThrottle {
  // The plan the client runs: the one asked, or with the reader throttle standing in for the network one.
  plan: TransferPlan;
  // Why the reader throttle stands in, said on the description line and in the reports; null where nothing changed.
  fallback: string | null;
}

// What the shaper's result means for the transfer: shaped as asked; shaping refused by the kernel, so the reader
// paces itself instead (unless the run needs the shaped link: then it does not run); or a shaper that failed otherwise.
export function settleThrottle(plan: TransferPlan, shaped: ExecResult | null): SettledThrottle {
  if (!shaped || shaped.exitCode === 0) return { plan, fallback: null };
  const why = shaped.stderr.trim() || shaped.stdout.trim() || `exit ${shaped.exitCode}`;
  if (shaped.exitCode !== CANNOT_SHAPE_EXIT) {
    throw new ClientError(
      `Shaping the client's download with tc failed (exit ${shaped.exitCode}): ${why}`,
      'Run with `--throttle reader` to pace the reader instead; this is a bug in the shaper (images/client/throttle.sh) if the kernel has ifb, ingress, u32, mirred and tbf.',
    );
  }
  if (!plan.client.throttleFallback) {
    throw new ClientError(
      `This run needs the network throttle, and this engine's kernel can't set it up: ${why}.`,
      'Run with `--throttle reader` to pace the reader instead, or on an engine whose kernel has ifb, ingress, u32, mirred and tbf (`modprobe ifb` on a Linux host).',
    );
  }
  return {
    plan: { ...plan, client: { ...plan.client, throttle: 'reader' } },
    fallback: `reader throttle instead of the network one, which this engine's kernel can't set up (${why})`,
  };
}
