// The GitHub Actions workflow: valid syntax (checked by action-validator), and a matrix generated from the lab list.
import test from 'ava';
import { execa } from 'execa';
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { listComparisonNames, listLabNames } from '../../src/lab/load-lab.ts';
import { RELEASES } from '../../src/lab/schema.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const WORKFLOW = path.join(ROOT, '.github/workflows/labs.yml');
const validate = (file: string) => execa('node', [path.join(ROOT, 'node_modules/@action-validator/cli/cli.mjs'), file], { reject: false });

interface Workflow {
  jobs: Record<
    string,
    { needs?: string; outputs?: Record<string, string>; strategy?: { matrix: Record<string, unknown> }; steps: Array<{ run?: string; uses?: string }> }
  >;
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

test('the matrix is every lab on every release it can run on, generated from `--list --json`', async (t) => {
  const workflow = parse(readFileSync(WORKFLOW, 'utf8')) as Workflow;
  const { list, lab, junit } = workflow.jobs;
  const jq = /npm run --silent lab -- --list --json \| jq -c '(\[\.\[\] \| \.name as \$lab \| \.releases\[\] \| \{lab: \$lab, release: \.\}\])'/.exec(
    list?.steps.find((s) => s.run?.includes('--list --json'))?.run ?? '',
  );
  t.truthy(jq, 'the list step pairs each lab with its releases');
  t.is(list?.outputs?.runs, '${{ steps.list.outputs.runs }}');
  t.is(lab?.strategy?.matrix.include, '${{ fromJSON(needs.list.outputs.runs) }}');
  t.true(lab?.steps.some((s) => s.run?.includes('GITHUB_STEP_SUMMARY')));
  t.true(junit?.steps.some((s) => s.uses?.startsWith('mikepenz/action-junit-report')));
  // What the list step reads: the CLI's JSON, one object per lab file, then one per comparison (a job each).
  const { stdout } = await execa('node', ['scripts/lab.mjs', '--list', '--json'], { cwd: ROOT });
  const listed = JSON.parse(stdout) as Array<{ name: string; kind: string; releases: string[] }>;
  t.deepEqual(
    listed.map((l) => l.name),
    [...listLabNames(), ...listComparisonNames()],
  );
  t.deepEqual(listed.find((l) => l.name === 'capacity-sync-vs-gevent')?.kind, 'comparison');
  t.deepEqual(listed.find((l) => l.name === 'capacity-sync-vs-gevent')?.releases, [...RELEASES]);
  t.deepEqual(listed.find((l) => l.name === 'proxy-buffering-off')?.releases, [...RELEASES]);
  t.deepEqual(listed.find((l) => l.name === 'eventlet-worker')?.releases, ['bookworm', 'trixie']);
  // The jq program itself, as the list job runs it (jq is on GitHub's runners and on Debian's base install here).
  const pairs = await execa('jq', ['-c', jq?.[1] ?? ''], { input: stdout, reject: false });
  t.is(pairs.exitCode, 0, `jq failed: ${pairs.stderr || pairs.message}`);
  const runs = JSON.parse(pairs.stdout || '[]') as Array<{ lab: string; release: string }>;
  t.is(
    runs.length,
    listed.reduce((n, l) => n + l.releases.length, 0),
  );
  t.true(runs.some((r) => r.lab === 'eventlet-worker' && r.release === 'trixie'));
  t.false(runs.some((r) => r.lab === 'eventlet-worker' && r.release === 'sid'));
});
