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
