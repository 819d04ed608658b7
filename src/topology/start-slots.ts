// Start-ups are CPU-bound (containers starting, Python importing the app), transfers are idle waits: a process
// runs at most as many start-ups at once as the machine has cores, however many labs it runs side by side.
// More at once only overloads the machine until booting workers outlast their timeout and are killed.
import os from 'node:os';

const limit = Math.max(1, os.availableParallelism());
let running = 0;
const waiting: Array<() => void> = [];

export async function withStartSlot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await work();
  } finally {
    running--;
    waiting.shift()?.();
  }
}
