// A signal at every phase of a run (image build, container start, readiness, report writing, teardown) leaves no
// container, network or volume of ours, and the process exits as a shell expects (128 + the signal's number).
// The runs are held at a phase by GUNICORN_LAB_PAUSE_AT (src/pause-at.ts), so each signal lands exactly there;
// the image build is a real one, slowed by a step that sleeps.
import test from 'ava';
import { appendFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { getDocker } from '../../src/docker/docker-client.ts';
import { leftovers, NOTHING_LEFT, requireDocker } from './helpers/docker-state.ts';
import { ROOT, startCliUntil } from './helpers/run-cli.ts';

type Signal = 'SIGINT' | 'SIGTERM' | 'SIGHUP';
const EXIT: Record<Signal, number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
const scratch = mkdtempSync(path.join(os.tmpdir(), 'lab-interrupt-'));

test.before(async () => {
  await requireDocker();
});

test.after.always(() => {
  rmSync(scratch, { recursive: true, force: true });
});

test.afterEach.always(async (t) => {
  t.deepEqual(await leftovers(), NOTHING_LEFT, 'the interrupted run left containers, networks or volumes behind');
});

const atPhase = test.macro({
  async exec(t, phase: string, signals: Signal[]) {
    const { child } = await startCliUntil(['proxy-buffering-off'], `paused at ${phase}`, { env: { GUNICORN_LAB_PAUSE_AT: phase } });
    const during = await leftovers();
    // Something of the run exists at every phase but the last part of teardown (its containers are gone by then).
    t.true(during.networks.length === 1, `the run's network during ${phase}: ${JSON.stringify(during)}`);
    for (const [i, signal] of signals.entries()) {
      if (i > 0) await new Promise((r) => setTimeout(r, 100));
      child.kill(signal);
    }
    const result = await child;
    t.is(result.exitCode, EXIT[signals[0]!], String(result.stderr));
    t.regex(String(result.stderr), new RegExp(`${signals[0]}: removing this run's containers, network and volume`));
  },
  title: (_, phase: string, signals: Signal[]) => `${signals.join(' then ')} while the run is at ${phase}: nothing left, exit ${EXIT[signals[0]!]}`,
});

test.serial(atPhase, 'start', ['SIGHUP']);
test.serial(atPhase, 'ready', ['SIGTERM']);
test.serial(atPhase, 'report', ['SIGINT']);
test.serial(atPhase, 'teardown', ['SIGHUP']);
test.serial(atPhase, 'teardown', ['SIGINT', 'SIGINT']);

test.serial('SIGINT during an image build: exits 130 at once; the build stops and its containers go', async (t) => {
  const images = path.join(scratch, 'images');
  cpSync(path.join(ROOT, 'images'), images, { recursive: true });
  // A step that takes a while, unique to this test run (so the image is built, not found).
  appendFileSync(path.join(images, 'app', 'Dockerfile'), `RUN echo ${process.pid}-${Date.now()} && sleep 60\n`);
  const docker = getDocker();
  const before = (await docker.listContainers({ all: true })).length;
  const { child } = await startCliUntil(['proxy-buffering-off'], 'building gunicorn-lab/app', { env: { GUNICORN_LAB_IMAGES_DIR: images } });
  // The sleeping step is under way: the builder runs it in a container of its own.
  let building = 0;
  for (let i = 0; i < 50 && building <= before; i++) {
    await new Promise((r) => setTimeout(r, 200));
    building = (await docker.listContainers({ all: true })).length;
  }
  t.true(building > before, 'the build step never started');
  const sent = Date.now();
  child.kill('SIGINT');
  const result = await child;
  t.is(result.exitCode, 130, String(result.stderr));
  t.true(Date.now() - sent < 5000, `exit took ${Date.now() - sent} ms`);
  // The engine cancels the build when its client goes, and removes the step's container.
  let after = building;
  for (let i = 0; i < 50 && after > before; i++) {
    await new Promise((r) => setTimeout(r, 200));
    after = (await docker.listContainers({ all: true })).length;
  }
  t.is(after, before, "the build step's container is still there");
});
