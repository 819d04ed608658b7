// Unit tests of src/client/client-command.ts.
import test from 'ava';
import { clientCommand, clientMaxSeconds, estimatedTransferS } from '../../src/client/client-command.ts';
import { labPlan } from '../../src/client/transfer-plan.ts';
import { validateLab } from '../../src/lab/schema.ts';
import { hostHeader } from '../../src/check/user-stack.ts';

const lab = (extra: Record<string, unknown> = {}) => {
  const { lab: resolved } = validateLab({ hypothesis: 'A hypothesis to test.', expect: { workerTimeout: true }, ...extra });
  if (!resolved) throw new Error('fixture lab is invalid');
  return resolved;
};

test('client: reader mode paces the reads, network mode does not', (t) => {
  const readRate = (cmd: string[]) => cmd[cmd.indexOf('--read-rate') + 1];
  t.is(readRate(clientCommand(labPlan(lab()), { host: 'nginx', port: 80 })), '0');
  t.is(readRate(clientCommand(labPlan(lab({ client: { throttle: 'reader' } })), { host: 'nginx', port: 80 })), String(1024 * 1024));
});

test('client: --http2 where the lab speaks HTTP/2, before the path; HTTP/1.1 otherwise', (t) => {
  const h2 = clientCommand(labPlan(lab({ nginx: { http2: true }, client: { http2: true }, release: 'sid' })), { host: 'nginx', port: 80 });
  t.is(h2[h2.indexOf('--path') - 1], '--http2');
  t.false(clientCommand(labPlan(lab()), { host: 'nginx', port: 80 }).includes('--http2'));
});

test('client: gives a healthy slow download twice its expected time', (t) => {
  t.is(clientMaxSeconds(labPlan(lab())), 8 * 2 + 15);
  t.is(clientMaxSeconds(labPlan(lab({ client: { rateBytesPerS: null } }))), 60);
  t.is(clientMaxSeconds(labPlan(lab({ client: { maxSeconds: 5 } }))), 5);
});

test('matrix order: a transfer is estimated from file and rate, cut at the expected kill and the client limit', (t) => {
  t.is(estimatedTransferS(lab({ expect: { workerTimeout: false } })), 8, '8 MiB at 1 MiB/s');
  t.is(estimatedTransferS(lab()), 2 + 2, 'killed at the 2 s timeout, plus the buffers draining');
  t.is(estimatedTransferS(lab({ gunicorn: { timeoutS: null }, fileSizeBytes: 64 * 1024 * 1024 })), 32, "Gunicorn's own 30 s");
  t.is(estimatedTransferS(lab({ client: { rateBytesPerS: null }, expect: { workerTimeout: false } })), 1, 'a fast client');
  t.is(estimatedTransferS(lab({ client: { maxSeconds: 3 }, expect: { workerTimeout: false } })), 3, 'the client gives up first');
});

test('SNI: the Host header they give (without a port), else none; the client command speaks TLS where the target does', (t) => {
  t.is(hostHeader(['X-A: 1', 'host: shop.example.com:443']), 'shop.example.com');
  t.is(hostHeader(['X-A: 1']), null);
  const plan = {
    client: { path: '/d', rateBytesPerS: null, throttle: 'network', headers: [], probes: [], downloads: 1, maxSeconds: 30 },
    expectedBytes: 1,
    statsd: false,
  } as unknown as Parameters<typeof clientCommand>[0];
  const tls = clientCommand(plan, { host: 'nginx', port: 443, tls: { serverName: 'shop.example.com' } });
  t.deepEqual(tls.slice(tls.indexOf('--port'), tls.indexOf('--port') + 5), ['--port', '443', '--tls', '--sni', 'shop.example.com']);
  t.false(clientCommand(plan, { host: 'nginx', port: 80 }).includes('--tls'));
  const noName = clientCommand(plan, { host: 'nginx', port: 443, tls: { serverName: null } });
  t.true(noName.includes('--tls') && !noName.includes('--sni'));
});
