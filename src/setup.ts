// The set-up a fresh machine needs, step by step with timings: a Docker engine, the Debian base, the lab images.
import { existsSync } from 'node:fs';
import { findChromium } from './browser/find-chromium.ts';
import { aptInstall, ensureEngine, ensurePodman } from './docker/ensure-engine.ts';
import { SetupError } from './errors.ts';
import { fromRoot } from './project-root.ts';
import { ensureImages } from './images/build-images.ts';
import type { Release } from './lab/schema.ts';

export const STATE_DIR = fromRoot('.lab');

// The tests look at the HTML report in a headless browser; Debian's Chromium where none is there.
async function ensureChromium(): Promise<string> {
  const found = findChromium();
  if (found) return `present (${found})`;
  if (process.getuid?.() !== 0 || !existsSync('/usr/bin/apt-get')) {
    throw new SetupError(
      'No headless Chromium found for the report screenshot test.',
      'Install Chromium (Debian: `apt-get install chromium`) and run `npm run setup -- --browser` again.',
    );
  }
  await aptInstall(['chromium']);
  return 'installed Debian chromium';
}

export async function runSetup(
  releases: readonly Release[],
  log: (line: string) => void,
  options: { browser?: boolean; podman?: boolean; fronts?: boolean } = {},
): Promise<void> {
  const step = async <T>(name: string, work: () => Promise<T>, describe: (value: T) => string) => {
    const started = Date.now();
    log(`… ${name}`);
    const value = await work();
    log(`✔ ${name} (${((Date.now() - started) / 1000).toFixed(1)} s): ${describe(value)}`);
    return value;
  };
  if (options.podman)
    await step(
      'Podman engine',
      () => ensurePodman(STATE_DIR),
      (r) => `${r.how} (${r.detail})`,
    );
  else
    await step(
      'container engine',
      () => ensureEngine(STATE_DIR),
      (r) => `${r.how} (${r.detail})`,
    );
  // Each release's base and images at once: a bootstrap waits on the mirror while another release's builds unpack.
  // All to their end before the first failure is thrown, so nothing is left building.
  const built = await Promise.allSettled(
    releases.map((release) =>
      step(
        `images for ${release}`,
        () => ensureImages(release, (line) => log(`  ${releases.length > 1 ? `${release}: ` : ''}${line}`), options.fronts),
        (images) => Object.values(images).join(', '),
      ),
    ),
  );
  const failed = built.find((b) => b.status === 'rejected');
  if (failed) throw failed.reason;
  if (options.browser) await step('headless Chromium', ensureChromium, (how) => how);
}
