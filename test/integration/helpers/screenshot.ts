// Takes a screenshot of a page with Debian's headless Chromium and reads its pixels back.
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { PNG } from 'pngjs';
import { CHROMIUM_PATHS, findChromium } from '../../../src/browser/find-chromium.ts';

function requireChromium(): string {
  const found = findChromium();
  if (!found) throw new Error(`No headless Chromium at ${CHROMIUM_PATHS.join(', ')} (or CHROMIUM_PATH): run \`npm run setup -- --browser\`.`);
  return found;
}

export async function screenshot(file: string, out: string, size = { width: 1300, height: 1600 }): Promise<PNG> {
  const profile = await mkdtemp(path.join(os.tmpdir(), 'lab-chromium-'));
  try {
    // The flags keep Chromium off the network (this page is a local file) and out of any desktop session.
    await execa(
      requireChromium(),
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        `--user-data-dir=${profile}`,
        `--window-size=${size.width},${size.height}`,
        `--screenshot=${out}`,
        `file://${path.resolve(file)}`,
      ],
      { timeout: 60_000, stdin: 'ignore' },
    );
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
  return PNG.sync.read(readFileSync(out));
}

// How many pixels are within `tolerance` of an RGB colour.
export function countColour(png: PNG, [r, g, b]: [number, number, number], tolerance = 40): number {
  let count = 0;
  for (let i = 0; i < png.data.length; i += 4) {
    if (Math.abs(png.data[i]! - r) + Math.abs(png.data[i + 1]! - g) + Math.abs(png.data[i + 2]! - b) <= tolerance) count += 1;
  }
  return count;
}
