// The GitHub Action's check step as a runner runs it: scripts/action-check.sh with the inputs as IN_* variables and
// the GITHUB_* files a runner sets, on example (a) in real containers: exit 1, its outputs and the job summary.
import test from 'ava';
import { execa } from 'execa';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { leftovers, NOTHING_LEFT, requireDocker } from './helpers/docker-state.ts';
import { ROOT } from './helpers/run-cli.ts';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'lab-action-test-'));

test.before(async () => {
  await requireDocker();
});

test.after.always(() => rmSync(scratch, { recursive: true, force: true }));

test.serial("the action's check step on example (a): exit 1, outputs exit-code, verdict and run-dir, the report in the job summary", async (t) => {
  const output = path.join(scratch, 'output');
  const summary = path.join(scratch, 'summary');
  // The caller's repository is the workspace: paths are relative to it.
  const result = await execa('bash', ['scripts/action-check.sh'], {
    cwd: ROOT,
    reject: false,
    stdin: 'ignore',
    env: {
      GITHUB_WORKSPACE: path.join(ROOT, 'examples'),
      GITHUB_ACTION_PATH: ROOT,
      GITHUB_OUTPUT: output,
      GITHUB_STEP_SUMMARY: summary,
      GITHUB_RUN_ID: '1',
      GITHUB_ACTION: 'check',
      RUNNER_TEMP: scratch,
      IN_NGINX: 'flask/nginx.conf',
      IN_GUNICORN_CONFIG: 'flask/gunicorn-sync.conf.py',
      IN_APP: 'flask',
      IN_APP_MODULE: 'app:app',
      IN_PATH: '/download/report.bin',
      // Two headers, one a line, as a multi-line input gives them.
      IN_HEADER: 'X-Check: one\nX-Other: two\n',
      IN_TRY_REMEDIES: 'false',
    },
  });
  t.is(result.exitCode, 1, `${result.stdout}\n${result.stderr}`);
  const outputs = Object.fromEntries(
    readFileSync(output, 'utf8')
      .trim()
      .split('\n')
      .map((line) => line.split(/=(.*)/s).slice(0, 2) as [string, string]),
  );
  t.is(outputs['exit-code'], '1');
  t.is(outputs.verdict, 'hurt');
  const runDir = outputs['run-dir']!;
  t.true(runDir.startsWith(scratch), runDir);
  t.true(existsSync(path.join(runDir, 'verdict.json')));
  t.regex(readFileSync(summary, 'utf8'), /check: your stack — hurt/);
  t.regex(result.stdout, /WORKER TIMEOUT/);
  // Both headers went out with the requests.
  const lab = JSON.parse(readFileSync(path.join(runDir, 'lab.json'), 'utf8')) as unknown;
  t.regex(JSON.stringify(lab), /X-Check: one[^]*X-Other: two/);
  t.deepEqual(await leftovers(), NOTHING_LEFT);
});

test.serial("the action's check step on bad input: verdict error, exit 2, the error in the job summary", async (t) => {
  const output = path.join(scratch, 'output-bad');
  const summary = path.join(scratch, 'summary-bad');
  const result = await execa('bash', ['scripts/action-check.sh'], {
    cwd: ROOT,
    reject: false,
    stdin: 'ignore',
    env: {
      GITHUB_WORKSPACE: ROOT,
      GITHUB_OUTPUT: output,
      GITHUB_STEP_SUMMARY: summary,
      RUNNER_TEMP: scratch,
      IN_NGINX: 'no/such.conf',
      IN_APP_IMAGE: 'x',
      IN_PATH: '/x',
    },
  });
  t.is(result.exitCode, 2);
  t.regex(readFileSync(output, 'utf8'), /^verdict=error$/m);
  t.regex(readFileSync(output, 'utf8'), /^run-dir=$/m);
  t.regex(readFileSync(summary, 'utf8'), /error \(exit 2\)[^]*--nginx \S*no\/such\.conf: no such file or folder/);
});
