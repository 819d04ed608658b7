// The project's root folder (where package.json is), whether this module runs from src/ through tsx or from its
// compiled copy under .lab/build/ (scripts/lab.mjs): folders are found from here, not from a module's own depth.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

export const PROJECT_ROOT = findRoot(path.dirname(fileURLToPath(import.meta.url)));

// Where scripts/lab.mjs writes the compiled JavaScript; the CLI runs from there when started by it.
export const BUILD_DIR = path.join(PROJECT_ROOT, '.lab', 'build');

export function fromRoot(...parts: string[]): string {
  return path.join(PROJECT_ROOT, ...parts);
}

// Installed as a package (`npx gunicorn-lab`) rather than run from this repository (`npm run lab`).
export const INSTALLED = PROJECT_ROOT.split(path.sep).includes('node_modules');

// Help and hints name the commands the way this copy is run: `npm run lab -- check` here, `npx gunicorn-lab check`
// where the package is installed.
export function inUsersWords(text: string, installed = INSTALLED): string {
  if (!installed) return text;
  return text.replace(/npm run lab -- /g, 'npx gunicorn-lab ').replace(/npm run (setup|clean)\b( --)?/g, 'npx gunicorn-lab $1');
}
