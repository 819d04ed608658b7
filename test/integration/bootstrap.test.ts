// Three bootstraps of the Debian base at once, as the set-up starts them beside npm for `--release all`: each must
// come out a whole base (a shell, the lab images' packages), the check the set-up runs before any import.
import test from 'ava';
import { execa } from 'execa';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { basePackages, baseTarProblems, readBaseTar } from '../../src/images/base-tar.ts';
import { RELEASES } from '../../src/lab/vocabulary.ts';
import { ROOT } from './helpers/run-cli.ts';

test('bookworm, trixie and sid bootstrapped at once each give a whole base', async (t) => {
  // Three bootstraps of a few hundred packages each from the mirror: minutes on a 2-core machine.
  t.timeout(15 * 60_000, 'three bootstraps at once');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lab-bootstrap-test-'));
  try {
    const runs = await Promise.all(
      RELEASES.map(async (release) => {
        const tar = path.join(dir, `${release}.tar`);
        const result = await execa('sh', ['-c', `sh scripts/bootstrap-base.sh ${release} > '${tar}'`], { cwd: ROOT, reject: false, stdin: 'ignore' });
        return { release, tar, result };
      }),
    );
    for (const { release, tar, result } of runs) {
      t.is(result.exitCode, 0, `${release}: ${result.stderr.slice(-1500)}`);
      const facts = readBaseTar(tar);
      t.deepEqual(baseTarProblems(facts, basePackages(path.join(ROOT, 'images'))), [], `${release}: ${facts.bytes} bytes, ${facts.entries} entries`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
