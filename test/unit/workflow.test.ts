// The GitHub Actions workflow: valid syntax (checked by action-validator), and a matrix generated from the lab list.
import test from 'ava';
import { execa } from 'execa';
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { listLabNames } from '../../src/lab/load-lab.ts';
import { STACKS } from '../../src/lab/schema.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const WORKFLOW = path.join(ROOT, '.github/workflows/labs.yml');
const validate = (file: string) => execa('node', [path.join(ROOT, 'node_modules/@action-validator/cli/cli.mjs'), file], { reject: false });

interface Workflow {
  jobs: Record<string, { needs?: string; outputs?: Record<string, string>; strategy?: { matrix: Record<string, unknown> }; steps: Array<{ run?: string; uses?: string }> }>;
}

test('the workflow is valid GitHub Actions syntax', async (t) => {
  const { exitCode, stdout, stderr } = await validate(WORKFLOW);
  t.is(exitCode, 0, `${stdout}${stderr}`);
});

test('the validator does reject a broken workflow', async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lab-workflow-'));
  try {
    const broken = path.join(dir, 'broken.yml');
    writeFileSync(broken, readFileSync(WORKFLOW, 'utf8').replace(/runs-on:/g, 'runs-onn:'));
    const { exitCode, stdout, stderr } = await validate(broken);
    t.is(exitCode, 1);
    t.regex(`${stdout}${stderr}`, /Additional property 'runs-onn' is not allowed/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the matrix is labs × stacks, the labs generated from `--list --json`', async (t) => {
  const workflow = parse(readFileSync(WORKFLOW, 'utf8')) as Workflow;
  const { list, lab, junit } = workflow.jobs;
  t.regex(list?.steps.find((s) => s.run?.includes('--list --json'))?.run ?? '', /npm run --silent lab -- --list --json \| jq -c '\[\.\[\]\.name\]'/);
  t.is(lab?.strategy?.matrix.lab, '${{ fromJSON(needs.list.outputs.labs) }}');
  t.deepEqual(lab?.strategy?.matrix.stack, [...STACKS]);
  t.true(lab?.steps.some((s) => s.run?.includes('GITHUB_STEP_SUMMARY')));
  t.true(junit?.steps.some((s) => s.uses?.startsWith('mikepenz/action-junit-report')));
  // What the list step reads: the CLI's JSON, one object per lab file.
  const { stdout } = await execa('node', ['--import', 'tsx', 'src/cli.ts', '--list', '--json'], { cwd: ROOT });
  t.deepEqual((JSON.parse(stdout) as Array<{ name: string }>).map((l) => l.name), listLabNames());
});
