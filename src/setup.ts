// The set-up a fresh machine needs, step by step with timings: a Docker engine, the Debian base, the lab images.
import { fileURLToPath } from 'node:url';
import { ensureEngine } from './docker/ensure-engine.ts';
import { ensureImages } from './images/build-images.ts';
import type { Stack } from './lab/schema.ts';

export const STATE_DIR = fileURLToPath(new URL('../.lab/', import.meta.url));

export async function runSetup(stacks: readonly Stack[], log: (line: string) => void): Promise<void> {
  const step = async <T>(name: string, work: () => Promise<T>, describe: (value: T) => string) => {
    const started = Date.now();
    log(`… ${name}`);
    const value = await work();
    log(`✔ ${name} (${((Date.now() - started) / 1000).toFixed(1)} s): ${describe(value)}`);
    return value;
  };
  await step('Docker engine', () => ensureEngine(STATE_DIR), (r) => `${r.how} (${r.detail})`);
  for (const stack of stacks) {
    await step(`images for ${stack}`, () => ensureImages(stack, (line) => log(`  ${line}`)), (images) => Object.values(images).join(', '));
  }
}
