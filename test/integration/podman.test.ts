// The same CLI on Podman's Docker-compatible API (Debian's Podman, its root service started by `setup --podman`, which
// the test command runs): the problem lab, one remedy, reproduce.sh with the podman CLI, and `check` on example (a),
// with nothing left behind on Podman or on Docker.
import test from 'ava';
import Docker from 'dockerode';
import { execa } from 'execa';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PODMAN_ROOT_SOCKET } from '../../src/docker/docker-client.ts';
import { leftovers, NOTHING_LEFT, requireDocker } from './helpers/docker-state.ts';
import { ROOT, startCli } from './helpers/run-cli.ts';
import { exampleA } from './helpers/example-a.ts';

const PODMAN_HOST = `unix://${PODMAN_ROOT_SOCKET}`;
const podman = new Docker({ socketPath: PODMAN_ROOT_SOCKET });
const onPodman = async (args: string[]) => {
  const { exitCode, stdout, stderr } = await startCli(args, { DOCKER_HOST: PODMAN_HOST });
  return { exitCode: exitCode ?? -1, stdout: String(stdout), stderr: String(stderr) };
};

test.before(async () => {
  await requireDocker();
  // Fails loudly where Podman's service is not there: the test command's set-up starts it.
  const version = await podman.version().catch((error: unknown) => {
    throw new Error(`Podman's service does not answer at ${PODMAN_HOST} (${String(error)}): run \`npm run setup -- --podman\` (the test command does).`);
  });
  if (!version.Components?.some((c) => /podman/i.test(c.Name))) throw new Error(`${PODMAN_HOST} answers, but not as Podman`);
});

test.afterEach.always(async (t) => {
  t.deepEqual(await leftovers(podman), NOTHING_LEFT, 'a run left containers, networks or volumes behind on Podman');
  t.deepEqual(await leftovers(), NOTHING_LEFT, 'a run on Podman left something on Docker');
});

test.serial('on Podman: the sync worker dies behind proxy_buffering off, and reproduce.sh shows it again with the podman CLI', async (t) => {
  const { exitCode, stdout, stderr } = await onPodman(['proxy-buffering-off', '--json']);
  t.is(exitCode, 0, stderr);
  const run = JSON.parse(stdout) as {
    runDir: string;
    verdict: { passed: boolean };
    observation: { gunicorn: { workerTimeouts: number }; client: { status: number; outcome: string } };
  };
  t.true(run.verdict.passed);
  t.true(run.observation.gunicorn.workerTimeouts >= 1);
  t.like(run.observation.client, { status: 200, outcome: 'truncated' });

  const script = path.resolve(ROOT, run.runDir, 'reproduce.sh');
  t.regex(readFileSync(script, 'utf8'), /^podman run -d/m, 'written for the podman CLI');
  const again = await execa('sh', [script], { reject: false, stdin: 'ignore' });
  t.is(again.exitCode, 0, again.stderr);
  t.regex(again.stdout, /client: HTTP 200, truncated/);
  t.regex(again.stdout, /gunicorn: .*WORKER TIMEOUT/);
});

test.serial('on Podman: the remedy (proxy_buffering on) keeps the worker alive', async (t) => {
  const { exitCode, stdout, stderr } = await onPodman(['proxy-buffering-on', '--json']);
  t.is(exitCode, 0, stderr);
  const run = JSON.parse(stdout) as { verdict: { passed: boolean }; observation: { gunicorn: { workerTimeouts: number }; client: { outcome: string } } };
  t.true(run.verdict.passed);
  t.is(run.observation.gunicorn.workerTimeouts, 0);
  t.is(run.observation.client.outcome, 'complete');
});

// Five in a row: Nginx's static upstream must resolve at its start, which Podman's DNS did not always answer in time
// when the containers started together (1 exit 2 in 8 checks before they started one after another).
test.serial('on Podman: check on example (a) loses a worker and exits 1, five times in a row', async (t) => {
  for (let i = 0; i < 5; i++) {
    const { exitCode, stdout, stderr } = await onPodman(exampleA('--json'));
    t.is(exitCode, 1, `run ${i + 1}: ${stdout.slice(-1500)}\n${stderr}`);
    t.notRegex(stderr, /started it again/, `run ${i + 1}: Nginx needed a second start`);
    const result = JSON.parse(stdout) as { observation: { gunicorn: { workerTimeouts: number } } };
    t.true(result.observation.gunicorn.workerTimeouts >= 1);
  }
});
