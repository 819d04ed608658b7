// Unit tests of src/client/throttle.ts.
import test from 'ava';
import { clientCommand } from '../../src/client/client-command.ts';
import { labPlan } from '../../src/client/transfer-plan.ts';
import { FRAME_OVERHEAD, PROBE_PORTS, shapingParams, throttleCommand } from '../../src/client/throttle.ts';
import { LAB_SYSCTLS } from '../../src/topology/sysctls.ts';
import { validateLab } from '../../src/lab/schema.ts';

const lab = (extra: Record<string, unknown> = {}) => {
  const { lab: resolved } = validateLab({ hypothesis: 'A hypothesis to test.', expect: { workerTimeout: true }, ...extra });
  if (!resolved) throw new Error('fixture lab is invalid');
  return resolved;
};

test('tc shaping pays for frame overhead so the payload arrives at the asked rate', (t) => {
  const { rateBitsPerS, burstBytes } = shapingParams(1024 * 1024);
  t.is(rateBitsPerS, Math.round(1024 * 1024 * 8 * FRAME_OVERHEAD));
  t.true(rateBitsPerS > 1024 * 1024 * 8 * 1.04 && rateBitsPerS < 1024 * 1024 * 8 * 1.05);
  t.is(burstBytes, 16 * 1024);
  t.is(shapingParams(100 * 1024 * 1024).burstBytes, Math.ceil((100 * 1024 * 1024) / 100));
});

test('throttle: network shapes, reader and unthrottled do not', (t) => {
  t.deepEqual(throttleCommand(lab().client)?.slice(0, 1), ['/client/throttle.sh']);
  t.is(throttleCommand(lab({ client: { throttle: 'reader' } }).client), null);
  t.is(throttleCommand(lab({ client: { rateBytesPerS: null } }).client), null);
});

test('side requests come from ports the throttle leaves unshaped, below the ephemeral range the download draws from', (t) => {
  const probing = lab({ client: { probes: [{ path: '/ping', afterMs: 1000 }] } });
  t.deepEqual(throttleCommand(probing.client)?.slice(3), [String(PROBE_PORTS.base)]);
  const cmd = clientCommand(labPlan(probing), { host: 'nginx', port: 80 });
  t.is(cmd[cmd.indexOf('--probe-port-base') + 1], String(PROBE_PORTS.base));
  // Without probes nothing is exempt.
  t.is(throttleCommand(lab().client)?.length, 3);
  t.false(clientCommand(labPlan(lab()), { host: 'nginx', port: 80 }).includes('--probe-port-base'));
  // tc matches the base with mask 0xfff0: 16 ports, aligned, all below the first ephemeral port.
  t.is(PROBE_PORTS.base % 16, 0);
  t.is(PROBE_PORTS.count, 16);
  const [low] = LAB_SYSCTLS['net.ipv4.ip_local_port_range']!.split(' ').map(Number);
  t.true(PROBE_PORTS.base + PROBE_PORTS.count <= low!);
});
