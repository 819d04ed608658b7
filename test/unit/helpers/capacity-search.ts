// A capacity search as the client reports it, for the tests of what reads one: its steps, a search that held two and
// stalled at three, and the slow downloads' access lines.
import { type CapacityResult, type CapacityStep } from '../../../src/client/client-output.ts';

export const step = (clients: number, held: boolean, waitMs: number, open = clients): CapacityStep => ({
  clients,
  open,
  withHeaders: open,
  held,
  probes: [{ status: held ? 200 : null, waitMs, answered: held, error: held ? null : 'no headers before the probe gave up' }],
  atMs: clients * 1000,
});
// Three workers behind a streaming proxy: 1 and 2 held, 4 and then 3 stalled.
export const searched: CapacityResult = {
  cap: 64,
  held: 2,
  stalledAt: 3,
  probeWaitMs: 3000,
  probeWithinMs: 1000,
  probePath: '/ping',
  idleProbe: { status: 200, waitMs: 5, answered: true, error: null },
  probeFailures: null,
  endMs: 10_000,
  steps: [step(1, true, 4), step(2, true, 6), step(4, false, 3000), step(3, false, 3000)],
};
export const isSlow = (request: string) => request.startsWith('GET /files/large.bin ');
export const slowLine = (atMs: number, status = 200) => ({ request: 'GET /files/large.bin HTTP/1.0', status, atMs });
