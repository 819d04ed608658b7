// Each lab put through the schema once: the kept result is the schema's own, and what is kept is what a later
// validation of the same data returns; failures and data that can't be serialized are never kept.
import test from 'ava';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { serialize } from 'node:v8';
import { validateLab } from '../../src/lab/schema.ts';
import { validatedFile, validateLabOnce } from '../../src/lab/validated-labs.ts';

const lab = {
  hypothesis: 'A sync worker is killed.',
  expect: { workerTimeout: true, outcome: 'truncated' },
  // A key set to undefined removes that expectation on sid: JSON would lose it, the kept copy must not.
  expectByRelease: { sid: { outcome: undefined } },
} as const;

function folder(t: { teardown: (fn: () => void) => void }): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'gunicorn-lab-validated-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test("the first validation is the schema's, and it is kept; the second returns the same, undefined keys and all", async (t) => {
  const dir = folder(t);
  const first = await validateLabOnce(lab, dir);
  t.deepEqual(first, validateLab(lab));
  const file = validatedFile(lab, dir);
  t.truthy(file && existsSync(file));
  const second = await validateLabOnce(lab, dir);
  t.deepEqual(second, first);
  t.true(Object.hasOwn(second.lab!.expectByRelease.sid!, 'outcome'));
  t.is(second.lab!.expectByRelease.sid!.outcome, undefined);
});

test('a later validation of the same data reads the kept file, not the schema', async (t) => {
  const dir = folder(t);
  const file = validatedFile(lab, dir)!;
  // A kept result that differs from the schema's shows where the answer came from.
  writeFileSync(file, serialize({ ...validateLab(lab).lab, hypothesis: 'kept, not validated again' }));
  t.is((await validateLabOnce(lab, dir)).lab?.hypothesis, 'kept, not validated again');
});

test('other data (another option) is another file', (t) => {
  const dir = folder(t);
  t.not(validatedFile(lab, dir), validatedFile({ ...lab, fileSizeBytes: 4 * 1024 * 1024 }, dir));
  t.is(validatedFile(lab, dir), validatedFile({ ...lab }, dir));
});

test('a lab with problems is reported every time and never kept', async (t) => {
  const dir = folder(t);
  const bad = { ...lab, gunicorn: { timeoutS: 0 } };
  const expected = ['gunicorn.timeoutS: must be from 1 to 3600 seconds'];
  t.deepEqual((await validateLabOnce(bad, dir)).problems, expected);
  t.deepEqual((await validateLabOnce(bad, dir)).problems, expected);
  t.deepEqual(readdirSync(dir), []);
});

test("data that can't be serialized (a function) is validated every time, never kept", async (t) => {
  const dir = folder(t);
  const withFunction = { ...lab, hypothesis: () => 'not data' };
  t.is(validatedFile(withFunction, dir), undefined);
  t.deepEqual((await validateLabOnce(withFunction, dir)).problems, validateLab(withFunction).problems);
  t.deepEqual(readdirSync(dir), []);
});
