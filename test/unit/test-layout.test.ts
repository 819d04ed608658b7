// The unit tests mirror the modules: test/unit/<module>.test.ts, or <module>.<aspect>.test.ts, tests the module of
// that name in src/, scripts/ or images/; a test of the whole tree says here what it reads; and a module of src/ with
// no unit test file of its own is listed here with where it is tested instead, so a new module needs one or the other.
import test from 'ava';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

// Tests of the tree rather than of one module, and what each reads.
const TREE_TESTS: Record<string, string> = {
  action: 'action.yml and scripts/action-check.sh',
  'client-program': 'images/client/client.py and capacity.py, run on this machine against local servers',
  docs: 'README.md, CONTRIBUTING.md and docs/, against the labs',
  examples: "the README's example commands and examples/",
  'function-length': 'every function of src/',
  layers: 'the import layers of src/ (.dependency-cruiser.cjs)',
  lint: 'the whole tree, through eslint.config.mjs',
  'test-layout': 'test/unit/ against src/',
  workflow: 'the CI workflow in .github/ and the matrix built from --list',
};

// Modules of src/ with no unit test file of their own, and where they are tested. Docker's side runs only against a
// real engine, so test/integration/ covers it; the rest is types, wiring, or tested through the named module.
const TESTED_ELSEWHERE: Record<string, string> = {
  ...Object.fromEntries(
    [
      'docker/confinement',
      'docker/run-once',
      'images/base-image',
      'images/build-images',
      'images/images-dir',
      'images/user-image',
      'topology/active-runs',
      'topology/exec-streaming',
      'topology/kept-stacks',
      'topology/lab-container',
      'topology/start-slots',
      'topology/start-topology',
      'topology/teardown',
      'topology/wait-ready',
      'client/run-client',
      'check/check-pipeline',
      'check/run-attach',
      'check/run-check',
      'run-lab',
      'run-matrix',
      'run-comparison',
      'run-session',
      'observe-transfer',
      'pause-at',
      'phases',
      'setup',
      'browser/find-chromium',
      'report/live-status',
      'report/write-run',
      'commands/check',
      'commands/clean',
      'commands/compare',
      'commands/list',
      'commands/process-exit',
      'commands/run',
      'commands/up',
      'cli',
    ].map((m) => [m, 'test/integration/ (a real engine, or the CLI run as a user runs it)']),
  ),
  'check/buffer-room': 'attach-options.test.ts (the room left in an attached stack’s buffers)',
  'check/check-run': 'the types and title of a check run; html.test.ts renders a check report from them',
  'client/transfer-plan': 'client-command.test.ts and throttle.test.ts',
  'commands/usage': 'examples.test.ts and bench.test.ts (its flags and defaults)',
  errors: 'every test that expects an error by its class and words',
  'lab/define-lab': 'the identity function the lab files call; schema.test.ts validates what it returns',
  'lab/load-lab': 'schema.test.ts and comparison.test.ts (the project’s labs loaded)',
  'lab/vocabulary': 'schema.test.ts (the schema is built on its words)',
  'observe/observation': 'types, and the fixtures of build-observation.test.ts and judge.test.ts',
  'report/lab-index': 'docs.test.ts (the generated lab index)',
  'report/unrun-lab': 'write-reports.test.ts (a lab that could not run)',
  'run/comparison-run': 'comparison-report.test.ts',
  'run/run-record': 'the run records every report test reads',
  'topology/endpoint': 'gunicorn-facts.test.ts and user-stack.test.ts (binds read and written)',
  'topology/topology-spec': 'lab-stack.test.ts and user-stack.test.ts',
  'topology/sysctls': 'throttle.shaping.test.ts (the ports below the ephemeral range)',
};

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}
const rel = (file: string) => path.relative(ROOT, file);
const unitFiles = readdirSync(path.join(ROOT, 'test/unit')).filter((f) => f.endsWith('.test.ts') && !f.endsWith('.generated.test.ts'));
const subject = (file: string) => file.replace(/\.test\.ts$/, '').split('.')[0]!;
const modules = ['src', 'scripts', 'images'].flatMap((dir) => walk(path.join(ROOT, dir))).filter((f) => /\.(ts|mjs|py)$/.test(f) && !f.endsWith('.d.ts'));
const moduleNames = new Set(modules.map((f) => path.basename(f).replace(/\.(ts|mjs|py)$/, '')));

test('each unit test file names the module it tests, or is a test of the whole tree listed here', (t) => {
  const strays = unitFiles.filter((f) => !moduleNames.has(subject(f)) && !(subject(f) in TREE_TESTS));
  t.deepEqual(strays, [], 'name it after the module it tests (test/unit/<module>.test.ts or <module>.<aspect>.test.ts)');
  const stale = Object.keys(TREE_TESTS).filter((name) => !unitFiles.some((f) => subject(f) === name));
  t.deepEqual(stale, [], 'a tree test listed here has no file');
});

test('each module of src/ has a unit test file of its own, or is listed with where it is tested', (t) => {
  const srcModules = modules
    .filter((f) => rel(f).startsWith('src/') && f.endsWith('.ts'))
    .map((f) =>
      rel(f)
        .replace(/^src\//, '')
        .replace(/\.ts$/, ''),
    );
  const tested = new Set(unitFiles.map(subject));
  const untested = srcModules.filter((m) => !tested.has(path.basename(m)) && !(m in TESTED_ELSEWHERE));
  t.deepEqual(untested, [], 'write test/unit/<module>.test.ts, or list the module here with the tests that cover it');
  const stale = Object.keys(TESTED_ELSEWHERE).filter((m) => !srcModules.includes(m) || tested.has(path.basename(m)));
  t.deepEqual(stale, [], 'listed here, yet gone from src/ or tested by a file of its own');
});
