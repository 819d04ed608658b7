// A content hash of an image's build context, so an unchanged image is found by its tag and never rebuilt.
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';

// Every file below dir, as sorted paths relative to it.
export async function listContextFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

// Hashes the files' names, modes' executable bits and contents, plus whatever else the image depends on (its base).
export async function hashContext(dir: string, extra: readonly string[]): Promise<string> {
  const hash = createHash('sha256');
  for (const item of extra) hash.update(`extra:${item}\n`);
  for (const file of await listContextFiles(dir)) {
    const full = path.join(dir, file);
    // The executable bit is part of the image: an entrypoint that loses it no longer starts.
    const executable = ((await stat(full)).mode & 0o111) !== 0;
    hash.update(`file:${file} ${executable ? 'x' : '-'}\n`);
    hash.update(await readFile(full));
  }
  return hash.digest('hex').slice(0, 12);
}
