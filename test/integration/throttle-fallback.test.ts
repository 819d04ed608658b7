// The shaper in a real container whose kernel step is refused (here: no NET_ADMIN, as an engine that can't shape
// refuses it): it exits 3 with the step and the kernel's answer, and the run's client paces its reads instead.
import test from 'ava';
import { CANNOT_SHAPE_EXIT, settleThrottle, throttleCommand } from '../../src/client/throttle.ts';
import { labPlan } from '../../src/client/transfer-plan.ts';
import { runOnce } from '../../src/docker/run-once.ts';
import { ensureImages } from '../../src/images/build-images.ts';
import { loadLab } from '../../src/lab/load-lab.ts';
import { SHAPER } from '../../src/docker/confinement.ts';
import { containerName, newRunId, runLabels } from '../../src/topology/names.ts';
import { leftovers, NOTHING_LEFT, requireDocker } from './helpers/docker-state.ts';

test.before(async () => {
  await requireDocker();
});

test.afterEach.always(async (t) => {
  t.deepEqual(await leftovers(), NOTHING_LEFT, 'the shaper was left behind');
});

test.serial('a shaper the kernel refuses exits 3 naming the step, and the reader throttle stands in at the same rate', async (t) => {
  const { name, lab } = await loadLab('proxy-buffering-off');
  const images = await ensureImages(lab.release);
  const plan = labPlan(lab);
  const command = throttleCommand(plan.client);
  t.truthy(command, 'the lab shapes its client with tc');
  const runId = newRunId();
  const shaped = await runOnce(images.client, command!, {
    name: containerName(name, 'shaper', runId),
    labels: runLabels(name, runId, undefined, process.pid),
    networkMode: 'none',
    confinement: { ...SHAPER, capAdd: [] },
    timeoutMs: 15_000,
  });
  t.is(shaped.exitCode, CANNOT_SHAPE_EXIT, shaped.stderr);
  t.regex(shaped.stderr, /^cannot add an ifb device \(ifb\): .*Operation not permitted/);
  const { plan: ran, fallback } = settleThrottle(plan, shaped);
  t.is(ran.client.throttle, 'reader');
  t.is(ran.client.rateBytesPerS, plan.client.rateBytesPerS);
  t.regex(fallback ?? '', /can't set up \(cannot add an ifb device/);
});
