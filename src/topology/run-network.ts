// A run's private bridge network. Docker gives each bridge network a subnet from its address pools (about 30 by
// default); when none is free, a run waits for one (another run's removal frees it), up to a deadline, then fails
// with what to do, never with the engine's raw words.
import { SetupError, describeError } from '../errors.ts';

// The engine's words when every default address pool is taken.
const POOL_EXHAUSTED = /non-overlapping IPv4 address pool|no available network|could not find an available/i;

export function isPoolExhausted(error: unknown): boolean {
  return POOL_EXHAUSTED.test(describeError(error));
}

export class NetworkPoolError extends SetupError {
  constructor(waitedMs: number, networksInUse: number | null, options?: { cause?: unknown }) {
    super(
      `Docker had no free address pool for another network for ${(waitedMs / 1000).toFixed(0)} s${networksInUse === null ? '' : ` (${networksInUse} bridge networks exist)`}: every lab runs on a network of its own.`,
      'Run fewer labs at once (--parallel), wait for other runs to end, or remove networks no longer used (`npm run clean`, `docker network prune`).',
      options,
    );
  }
}

export interface NetworkWaitOptions {
  deadlineMs: number;
  // Called once, when the first attempt finds no free pool.
  onWait?: () => void;
  // How many bridge networks exist, for the message (omitted where unknown).
  countNetworks?: () => Promise<number>;
  retryMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

// Creates the network with `create`; while the pools are exhausted, tries again every retryMs until the deadline.
export async function createWhenPoolFree(create: () => Promise<unknown>, options: NetworkWaitOptions): Promise<void> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const started = now();
  let waiting = false;
  for (;;) {
    try {
      await create();
      return;
    } catch (error) {
      if (!isPoolExhausted(error)) throw error;
      const waited = now() - started;
      if (waited >= options.deadlineMs) {
        const count = options.countNetworks ? await options.countNetworks().catch(() => null) : null;
        throw new NetworkPoolError(waited, count, { cause: error });
      }
      if (!waiting) options.onWait?.();
      waiting = true;
      await sleep(Math.min(options.retryMs ?? 500, options.deadlineMs - waited));
    }
  }
}
