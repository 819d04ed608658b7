// How the client is made slow: tc shaping of its download direction (network) or a paced reader (reader).
import type { ClientPlan } from './transfer-plan.ts';

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
