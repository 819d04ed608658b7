// A bootstrapped base's tar is checked before its import: empty, cut short, shell-less or without the images'
// packages, it is refused with the reason; a whole one passes. Tars made here with the host's tar.
import test from 'ava';
import { execa } from 'execa';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MIN_BASE_BYTES, basePackages, baseTarProblems, installedPackages, readBaseTar } from '../../src/images/base-tar.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const STATUS =
  'Package: nginx\nStatus: install ok installed\nVersion: 1\n\nPackage: python3\nStatus: install ok installed\n\nPackage: gone\nStatus: deinstall ok config-files\n';

async function makeTar(dir: string, name: string, files: Record<string, string>, options: { shell?: boolean; longName?: boolean } = {}): Promise<string> {
  const root = path.join(dir, `${name}-root`);
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), content);
  }
  if (options.shell) {
    mkdirSync(path.join(root, 'usr/bin'), { recursive: true });
    symlinkSync('dash', path.join(root, 'usr/bin/sh'));
  }
  if (options.longName) {
    const deep = path.join(root, 'usr/share', 'x'.repeat(120));
    mkdirSync(deep, { recursive: true });
    writeFileSync(path.join(deep, 'file'), 'x');
  }
  const tar = path.join(dir, `${name}.tar`);
  await execa('tar', ['-C', root, '-cf', tar, '.']);
  return tar;
}

test("dpkg's status read: only packages installed", (t) => {
  t.deepEqual([...installedPackages(STATUS)], ['nginx', 'python3']);
});

test('a tar with a shell and the packages is read whole; what is wrong is said of each broken one', async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lab-base-tar-'));
  try {
    const good = await makeTar(dir, 'good', { 'var/lib/dpkg/status': STATUS }, { shell: true, longName: true });
    const facts = readBaseTar(good);
    t.true(facts.whole);
    t.true(facts.hasShell);
    t.deepEqual([...facts.installed].sort(), ['nginx', 'python3']);
    t.true(facts.entries >= 5);
    // Small as a test tar is, only its size is said; the packages it lacks are named.
    t.deepEqual(baseTarProblems({ ...facts, bytes: MIN_BASE_BYTES }, ['nginx', 'python3']), []);
    t.deepEqual(baseTarProblems({ ...facts, bytes: MIN_BASE_BYTES }, ['nginx', 'iproute2']), ['dpkg has not installed iproute2']);
    t.regex(baseTarProblems(facts, ['nginx'])[0]!, /^it is \d+ bytes, where a base is 180 MB or more$/);

    const empty = path.join(dir, 'empty.tar');
    writeFileSync(empty, '');
    t.deepEqual(baseTarProblems(readBaseTar(empty), ['nginx']), ['it is 0 bytes, where a base is 180 MB or more']);

    const shellless = readBaseTar(await makeTar(dir, 'shellless', { 'var/lib/dpkg/status': STATUS }));
    t.true(baseTarProblems({ ...shellless, bytes: MIN_BASE_BYTES }, ['nginx']).includes('it has no bin/sh or usr/bin/sh'));

    // Cut mid-entry: the end-of-archive blocks never come.
    const cut = await makeTar(dir, 'cut', { 'var/lib/dpkg/status': STATUS, 'big.bin': 'y'.repeat(20_000) }, { shell: true });
    truncateSync(cut, statSync(cut).size - 15_000);
    t.true(baseTarProblems({ ...readBaseTar(cut), bytes: MIN_BASE_BYTES }, []).includes('it ends before its end-of-archive blocks (cut short)'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the packages a base must have are the three lab images' pkgs lines", (t) => {
  const packages = basePackages(path.join(ROOT, 'images'));
  for (const p of ['gunicorn', 'python3-flask', 'nginx', 'python3', 'iproute2']) t.true(packages.includes(p), p);
  t.false(packages.includes('caddy'), "the fronts' image is not in the base");
});
