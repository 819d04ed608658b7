// Unit tests of src/check/check-options.ts.
import test from 'ava';
import { fileURLToPath } from 'node:url';
import { parseCheckOptions } from '../../src/check/check-options.ts';
import { UsageError } from '../../src/errors.ts';

const example = (name: string) => fileURLToPath(new URL(`../../examples/${name}`, import.meta.url));

test('check --capacity: its flags read, their bounds and clashes refused in words', (t) => {
  const base = { app: example('flask'), 'app-module': 'app:app', path: '/download/report.bin' };
  t.is(parseCheckOptions(base).capacity, null);
  t.deepEqual(parseCheckOptions({ ...base, capacity: true }).capacity, { max: 64, probePaths: ['/health', '/ping', '/'], probeWithinMs: 1000, want: null });
  t.deepEqual(parseCheckOptions({ ...base, capacity: true, probe: '/up', 'probe-within': '0.5', 'capacity-max': '8', 'capacity-want': '3' }).capacity, {
    max: 8,
    probePaths: ['/up'],
    probeWithinMs: 500,
    want: 3,
  });
  const refused = (values: Record<string, string | boolean>, message: RegExp) =>
    t.throws(() => parseCheckOptions({ ...base, ...values }), { instanceOf: UsageError, message });
  refused({ capacity: true, 'capacity-max': '0' }, /--capacity-max 0: the most slow clients to open, a whole number from 1 to 512/);
  refused({ capacity: true, 'capacity-max': '513' }, /from 1 to 512/);
  refused({ capacity: true, upload: '8m' }, /--capacity counts slow readers of a download; --upload sends one slow body/);
  refused({ probe: '/health' }, /--probe goes with --capacity/);
  refused({ capacity: true, probe: 'health' }, /starting with \//);
  refused({ capacity: true, 'probe-within': '0' }, /--probe-within 0/);
  refused({ capacity: true, throttle: 'network' }, /the reader throttle/);
});
