// The layers of src/ hold by rule (.dependency-cruiser.cjs): no import circle, no import from a layer above, no module
// outside the layers; and the rule does fail a tree that breaks it.
import test from 'ava';
import { execa } from 'execa';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CONFIG = path.join(ROOT, '.dependency-cruiser.cjs');
const cruise = (cwd: string) =>
  execa(path.join(ROOT, 'node_modules/.bin/depcruise'), ['src', '--config', CONFIG, '--output-type', 'err'], { cwd, reject: false });

test('src/ keeps its layers: no circle, no upward import, every module in a layer', async (t) => {
  const { exitCode, stdout, stderr } = await cruise(ROOT);
  t.is(exitCode, 0, `${stdout}${stderr}`);
  t.regex(stdout, /no dependency violations found \(\d+ modules/);
});

test('the rule fails an upward import, a circle and a module in no layer', async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lab-layers-'));
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  };
  try {
    write('src/lab/vocabulary.ts', "import { runCheck } from '../check/run-check.ts';\nexport const x = runCheck;\n");
    write('src/check/run-check.ts', 'export const runCheck = 1;\n');
    write('src/observe/a.ts', "import { b } from './b.ts';\nexport const a = b;\n");
    write('src/observe/b.ts', "import { a } from './a.ts';\nexport const b = () => a;\n");
    write('src/somewhere/new.ts', "import { a } from '../observe/a.ts';\nexport const n = a;\n");
    const { exitCode, stdout } = await cruise(dir);
    t.not(exitCode, 0);
    t.regex(stdout, /no-upward-from-lab: src\/lab\/vocabulary\.ts → src\/check\/run-check\.ts/);
    t.regex(stdout, /no-circular: src\/observe\/a\.ts → /);
    t.regex(stdout, /no-unlayered: src\/somewhere\/new\.ts → /);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
