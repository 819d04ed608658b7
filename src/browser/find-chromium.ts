// Where a headless Chromium is, for the report screenshot: CHROMIUM_PATH, else Debian's and the usual places.
import { existsSync } from 'node:fs';

export const CHROMIUM_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export function findChromium(): string | null {
  return [process.env.CHROMIUM_PATH, ...CHROMIUM_PATHS].find((p): p is string => Boolean(p && existsSync(p))) ?? null;
}
