// Bad input and broken environments, one table: each a clear message naming the problem and the fix, exit 2,
// and nothing of ours left running.
import test from 'ava';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { leftovers, NOTHING_LEFT, requireDocker } from './helpers/docker-state.ts';
import { ROOT } from './helpers/run-cli.ts';
import { ensureImages } from '../../src/images/build-images.ts';

// A labs folder beside labs/ (lab files import ../src/...): two good labs, one that doesn't parse, one that
// fails the schema.
const LABS = path.join(ROOT, `.test-labs-${process.pid}`);
const scratch = mkdtempSync(path.join(os.tmpdir(), 'lab-bad-input-'));
const BROKEN_IMAGES = path.join(scratch, 'images');
// An image that runs but never says Gunicorn booted: the lab client image (its tag is known once built).
let clientImage = '';

test.before(async () => {
  await requireDocker();
  mkdirSync(LABS, { recursive: true });
  for (const name of ['proxy-buffering-off', 'gevent-worker']) cpSync(path.join(ROOT, 'labs', `${name}.ts`), path.join(LABS, `${name}.ts`));
  writeFileSync(
    path.join(LABS, 'broken-syntax.ts'),
    "import { defineLab } from '../src/lab/define-lab.ts';\n\nexport default defineLab({\n  hypothesis: 'a hypothesis that never ends\n});\n",
  );
  writeFileSync(
    path.join(LABS, 'broken-schema.ts'),
    "import { defineLab } from '../src/lab/define-lab.ts';\n\nexport default defineLab({ hypothesis: 'A lab with a timeout out of range.', gunicorn: { timeoutS: -3 }, expect: { workerTimeout: true } } as never);\n",
  );
  writeFileSync(path.join(scratch, 'a-file'), 'not a folder');
  // An images folder whose app Dockerfile fails at its last step (the other two are unchanged: not rebuilt).
  cpSync(path.join(ROOT, 'images'), BROKEN_IMAGES, { recursive: true });
  appendFileSync(path.join(BROKEN_IMAGES, 'app', 'Dockerfile'), 'RUN echo "pretend a package is missing" && exit 3\n');
  clientImage = (await ensureImages('bookworm')).client;
});

test.after.always(() => {
  rmSync(LABS, { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
});

interface Case {
  title: string;
  args: string[] | (() => string[]);
  env?: Record<string, string>;
  stderr: RegExp;
}

const CASES: Case[] = [
  {
    title: 'a lab file with a syntax error: file and line',
    args: ['broken-syntax'],
    env: { GUNICORN_LAB_LABS_DIR: LABS },
    stderr: /broken-syntax\.ts is not a valid lab:\n {2}\(file\): does not load: .*broken-syntax\.ts:4:\d+: ERROR: Unterminated string literal/,
  },
  {
    title: 'a lab failing its schema: path and message',
    args: ['broken-schema'],
    env: { GUNICORN_LAB_LABS_DIR: LABS },
    stderr: /broken-schema\.ts \(with the options given\) is not a valid lab:\n {2}gunicorn\.timeoutS: must be from 1 to 3600 seconds/,
  },
  {
    title: 'an unknown lab: the closest name and the list',
    args: ['proxy-bufering-off'],
    stderr: /Unknown lab "proxy-bufering-off"\. Did you mean proxy-buffering-off\?\nhint: Available labs: .*gevent-worker/,
  },
  {
    title: 'a negative timeout, in our words',
    args: ['proxy-buffering-off', '--timeout', '-3'],
    stderr: /^error: --timeout -3: must be a whole number of seconds from 1 to 3600\./m,
  },
  { title: 'a timeout out of range', args: ['proxy-buffering-off', '--timeout', '0'], stderr: /--timeout 0: must be a whole number of seconds from 1 to 3600/ },
  { title: 'a rate with no value', args: ['proxy-buffering-off', '--rate'], stderr: /--rate needs a value: a size from 1 KiB to 1 GiB per second/ },
  { title: 'an option that does not exist', args: ['proxy-buffering-off', '--rat', '1m'], stderr: /--rat is not an option/ },
  {
    title: 'clean with no Docker engine',
    args: ['clean'],
    env: { DOCKER_HOST: 'unix:///nonexistent/docker.sock' },
    stderr: /No Docker engine answers at unix:\/\/\/nonexistent\/docker\.sock\.\nhint: Run `npm run setup`/,
  },
  {
    title: 'status with no Docker engine',
    args: ['status'],
    env: { DOCKER_HOST: 'unix:///nonexistent/docker.sock' },
    stderr: /No Docker engine answers at unix:\/\/\/nonexistent\/docker\.sock/,
  },
  {
    title: 'a runs folder that cannot take a run',
    args: ['proxy-buffering-off'],
    env: { GUNICORN_LAB_RUNS_DIR: path.join(scratch, 'a-file', 'runs') },
    stderr: /The runs folder .*a-file\/runs can't take a run: ENOTDIR[^]*GUNICORN_LAB_RUNS_DIR/,
  },
  {
    title: 'an image build that fails: the image and its last build lines',
    args: ['proxy-buffering-off'],
    env: { GUNICORN_LAB_IMAGES_DIR: BROKEN_IMAGES },
    stderr:
      /Building image gunicorn-lab\/app:bookworm-[0-9a-f]+ failed:\n[^]*\| pretend a package is missing[^]*returned a non-zero code: 3[^]*hint: Read the build lines above/,
  },
  {
    title: 'a container that never becomes ready: its role and last log lines',
    args: () => ['check', '--app-image', clientImage, '--app-command', 'sh -c "echo still warming up; sleep 300"', '--path', '/x'],
    env: { GUNICORN_LAB_STARTUP_TIMEOUT_S: '3' },
    stderr: /The app container did not start: .*\n {2}\| still warming up\nhint: Check the app log lines above/,
  },
  {
    title: 'a startup timeout out of range',
    args: ['proxy-buffering-off'],
    env: { GUNICORN_LAB_STARTUP_TIMEOUT_S: '0' },
    stderr: /GUNICORN_LAB_STARTUP_TIMEOUT_S=0: must be a whole number of seconds from 1 to 600/,
  },
  { title: 'a worker class the stack lacks', args: ['eventlet-worker', '--release', 'sid'], stderr: /gunicorn\.worker: eventlet is not available on sid/ },
];

for (const c of CASES) {
  test.serial(`bad input: ${c.title}`, async (t) => {
    const result = await runWithEnv(typeof c.args === 'function' ? c.args() : c.args, c.env ?? {});
    t.is(result.exitCode, 2, `${result.stdout}\n${result.stderr}`);
    t.regex(String(result.stderr), c.stderr);
    t.notRegex(String(result.stderr), /^\s+at /m, 'no stack trace');
    t.deepEqual(await leftovers(), NOTHING_LEFT);
  });
}

test.serial('--list still lists the labs that load, and names the ones that do not', async (t) => {
  const result = await runWithEnv(['--list', '--json'], { GUNICORN_LAB_LABS_DIR: LABS });
  t.is(result.exitCode, 0, String(result.stderr));
  const rows = JSON.parse(String(result.stdout)) as Array<{ name: string; error?: string; releases: string[] }>;
  t.deepEqual(
    rows.filter((r) => !r.error).map((r) => r.name),
    ['gevent-worker', 'proxy-buffering-off'],
  );
  t.deepEqual(
    rows.filter((r) => r.error).map((r) => [r.name, r.releases]),
    [
      ['broken-schema', ['bookworm']],
      ['broken-syntax', ['bookworm']],
    ],
  );
  t.regex(String(result.stderr), /broken-syntax\.ts is not a valid lab/);
});

async function runWithEnv(args: string[], env: Record<string, string>) {
  const { execa } = await import('execa');
  return execa(process.execPath, ['scripts/lab.mjs', ...args], { cwd: ROOT, reject: false, stdin: 'ignore', env: { FORCE_COLOR: '0', ...env } });
}
