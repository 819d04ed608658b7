// Unit tests of src/client/throttle.ts.
import test from 'ava';
import { CANNOT_SHAPE_EXIT, settleThrottle } from '../../src/client/throttle.ts';
import { labPlan } from '../../src/client/transfer-plan.ts';
import { ClientError, LabError } from '../../src/errors.ts';
import { applyOverrides, parseOverrides } from '../../src/lab/overrides.ts';
import { validateLab } from '../../src/lab/schema.ts';
import { describeRun, withFallback } from '../../src/report/terminal.ts';

const lab = () => {
  const { lab: resolved } = validateLab({ hypothesis: 'A hypothesis to test.', nginx: { proxyBuffering: false }, expect: { workerTimeout: true } });
  if (!resolved) throw new Error('fixture lab is invalid');
  return resolved;
};
const refused = { exitCode: CANNOT_SHAPE_EXIT, stdout: '', stderr: 'cannot add an ifb device (ifb): Error: Unknown device type.\n' };

test('shaped as asked, or no shaper at all: the plan is the one asked', (t) => {
  const plan = labPlan(lab());
  t.deepEqual(settleThrottle(plan, null), { plan, fallback: null });
  t.deepEqual(settleThrottle(plan, { exitCode: 0, stdout: '', stderr: '' }), { plan, fallback: null });
});

test('the kernel refused the network throttle: the reader paces itself at the same rate, and the description line says why', (t) => {
  const asked = lab();
  t.true(asked.client.throttleFallback, 'a lab lets the reader stand in unless it says otherwise');
  const { plan, fallback } = settleThrottle(labPlan(asked), refused);
  t.is(plan.client.throttle, 'reader');
  t.is(plan.client.rateBytesPerS, asked.client.rateBytesPerS);
  t.regex(
    fallback ?? '',
    /^reader throttle instead of the network one, which this engine's kernel can't set up \(cannot add an ifb device \(ifb\): Error: Unknown device type\.\)$/,
  );
  const line = withFallback(describeRun({ ...asked, client: plan.client }), fallback);
  t.regex(line, /client 1 MiB\/s \(reader\) · .* · reader throttle instead of the network one/);
  t.is(withFallback('a · b', null), 'a · b');
});

test('--throttle network asked by name: no stand-in, the run stops with exit 2 and says how to go on', (t) => {
  const overridden = (throttle: string) => {
    const { lab: resolved } = validateLab(applyOverrides(lab(), parseOverrides({ throttle })));
    if (!resolved) throw new Error('the overridden lab is invalid');
    return resolved;
  };
  const named = overridden('network');
  t.false(named.client.throttleFallback);
  t.is(overridden('reader').client.throttle, 'reader');
  const error = t.throws(() => settleThrottle(labPlan(named), refused), { instanceOf: ClientError });
  t.true(error instanceof LabError, 'a LabError: the CLI exits 2');
  t.regex(error!.message, /needs the network throttle, and this engine's kernel can't set it up: cannot add an ifb device/);
  t.regex((error as LabError).hint ?? '', /--throttle reader/);
});

test('a shaper that failed otherwise (not the kernel refusing a step) is not hidden by a stand-in', (t) => {
  const error = t.throws(() => settleThrottle(labPlan(lab()), { exitCode: 2, stdout: '', stderr: 'throttle.sh: 1: rate_bits: parameter not set' }), {
    instanceOf: ClientError,
  });
  t.regex(error!.message, /failed \(exit 2\): throttle\.sh: 1: rate_bits: parameter not set/);
});
