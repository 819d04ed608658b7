// The image tag's content hash: it changes with a file's content, name or executable bit, and only then.
import test from 'ava';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hashContext } from '../../src/images/context-hash.ts';

function withContext(run: (dir: string) => Promise<void>) {
  return async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'lab-context-'));
    try {
      await run(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

test('the same context hashes the same; content, executable bit and the extras each change it', async (t) => {
  await withContext(async (dir) => {
    const file = path.join(dir, 'entrypoint.sh');
    writeFileSync(file, '#!/bin/sh\nexec "$@"\n');
    chmodSync(file, 0o644);
    const plain = await hashContext(dir, ['bookworm']);
    t.is(await hashContext(dir, ['bookworm']), plain);
    t.not(await hashContext(dir, ['trixie']), plain, 'the base is part of the hash');
    chmodSync(file, 0o755);
    const executable = await hashContext(dir, ['bookworm']);
    t.not(executable, plain, 'the executable bit is part of the hash');
    writeFileSync(file, '#!/bin/sh\nexec "$@" \n');
    t.not(await hashContext(dir, ['bookworm']), executable, 'the content is part of the hash');
  })();
});
