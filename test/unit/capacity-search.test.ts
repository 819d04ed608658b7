// The capacity search: its readings (observe/capacity-search.ts), its checks, its chart, check's flags and plan, and
// the client program's search itself against a small server on 127.0.0.1 whose capacity is known.
import test from 'ava';
import { execa } from 'execa';
import http from 'node:http';
import type net from 'node:net';
import { fileURLToPath } from 'node:url';
import type { CapacityResult, CapacityStep } from '../../src/client/client-output.ts';
import { clientCommand } from '../../src/client/client-command.ts';
import { parseCheckOptions } from '../../src/check/check-options.ts';
import { capacityWant, checkPlan } from '../../src/check/reference.ts';
import { UsageError } from '../../src/errors.ts';
import { validateLab } from '../../src/lab/schema.ts';
import { capacityChartRows, observeCapacitySearch, type CapacitySearch } from '../../src/observe/capacity-search.ts';
import { capacityChartLines, capacityChartSvg } from '../../src/report/capacity-chart.ts';
import { capacityRowOf } from '../../src/check/try-remedies.ts';
import { formatRemedyTable } from '../../src/check/remedy-table.ts';
import { checkAll } from '../../src/verdict/judge.ts';
import { quietObservation } from './helpers/observation.ts';

const CLIENT = fileURLToPath(new URL('../../images/client/client.py', import.meta.url));
const example = (name: string) => fileURLToPath(new URL(`../../examples/${name}`, import.meta.url));

const step = (clients: number, held: boolean, waitMs: number, open = clients): CapacityStep => ({
  clients,
  open,
  withHeaders: open,
  held,
  probes: [{ status: held ? 200 : null, waitMs, answered: held, error: held ? null : 'no headers before the probe gave up' }],
  atMs: clients * 1000,
});

// Three workers behind a streaming proxy: 1 and 2 held, 4 and then 3 stalled.
const searched: CapacityResult = {
  cap: 64,
  held: 2,
  stalledAt: 3,
  probeWaitMs: 3000,
  probeWithinMs: 1000,
  probePath: '/ping',
  idleProbe: { status: 200, waitMs: 5, answered: true, error: null },
  probeFailures: null,
  endMs: 10_000,
  steps: [step(1, true, 4), step(2, true, 6), step(4, false, 3000), step(3, false, 3000)],
};
const slowLine = (atMs: number, status = 200) => ({ request: 'GET /files/large.bin HTTP/1.0', status, atMs });
const isSlow = (request: string) => request.startsWith('GET /files/large.bin ');

test('the search read: held, stalled, the probe wait; held by the app where Gunicorn finished none of the downloads', (t) => {
  const search = observeCapacitySearch(searched, [{ request: 'GET /ping HTTP/1.0', status: 200, atMs: 900 }], isSlow);
  t.like(search, { held: 2, stalledAt: 3, probeWaitMs: 3000, finishedByApp: 0, heldBy: 'app', leakySteps: 0, probePath: '/ping' });
  t.deepEqual(
    capacityChartRows(search).map((r) => r.clients),
    [1, 2, 3, 4],
  );
});

test('held by the front where Gunicorn finished slow downloads while their clients were still held', (t) => {
  const held: CapacityResult = {
    ...searched,
    held: 4,
    stalledAt: null,
    probeWaitMs: null,
    cap: 4,
    steps: [step(1, true, 3), step(2, true, 3), step(4, true, 3)],
  };
  const four = [1, 2, 3, 4].map((i) => slowLine(i * 100));
  t.is(observeCapacitySearch(held, four, isSlow).heldBy, 'front');
  // A download the search cut itself (going down from 4 to 3) ends in the access log too: not counted.
  t.is(observeCapacitySearch(searched, [slowLine(4_500)], isSlow).heldBy, 'app');
  t.is(observeCapacitySearch(searched, [slowLine(3_500)], isSlow).heldBy, 'front');
  // Some finished is enough: under load the app may still be sending the last step's when the search ends.
  t.is(observeCapacitySearch(held, four.slice(0, 1), isSlow).heldBy, 'front');
  // Lines after the search's end (the clients closed) or failed ones do not count; no access log at all: unknown.
  t.is(observeCapacitySearch(held, [slowLine(20_000), slowLine(200, 500)], isSlow).heldBy, 'app');
  t.is(observeCapacitySearch(held, null, isSlow).heldBy, null);
  // A step whose clients were gone when probed (a worker killed, a download done) is counted.
  t.is(observeCapacitySearch({ ...held, steps: [step(1, true, 3), step(2, true, 3, 1)] }, null, isSlow).leakySteps, 1);
});

test('the capacity checks: exact, at least, the layer; a run that searched nothing fails them as not observable', (t) => {
  const o = quietObservation((o) => {
    o.capacitySearch = observeCapacitySearch(searched, [], isSlow);
  });
  const [exact, atLeast, by] = checkAll({ capacityHeld: 2, capacityHeldAtLeast: 3, capacityHeldBy: 'app' }, o);
  t.like(exact, { passed: true, expected: 'exactly 2' });
  t.regex(exact!.actual, /held 2 slow client\(s\); the probe stalled at 3 \(waited 3\.0 s, bound 1 s\)/);
  t.like(atLeast, { passed: false, expected: 'at least 3' });
  t.like(by, { passed: true });
  t.false(
    checkAll(
      { capacityHeld: 2 },
      quietObservation((o) => (o.capacitySearch = { ...o.capacitySearch!, ...observeCapacitySearch(searched, [], isSlow), held: 3 })),
    )[0]!.passed,
  );
  const none = checkAll({ capacityHeld: 0, capacityHeldBy: 'front' }, quietObservation());
  t.true(none.every((c) => !c.passed && c.actual.startsWith('not observable')));
  // Lost workers are said beside the figure.
  const killed = quietObservation((o) => {
    o.capacitySearch = observeCapacitySearch(searched, [], isSlow);
    o.gunicorn.workerTimeouts = 2;
  });
  t.regex(checkAll({ capacityHeld: 2 }, killed)[0]!.actual, /2 WORKER TIMEOUT\(s\) meanwhile/);
});

test('the chart: one bar per count tried, the bound marked, held or stalled; the SVG has a bar per row and the bound', (t) => {
  const search: CapacitySearch = observeCapacitySearch(searched, [], isSlow);
  const lines = capacityChartLines(search);
  t.is(lines.length, 5);
  t.regex(lines[1]!, /^1 client +█ +│ +0\.00 s {2}held$/);
  t.regex(lines[4]!, /^4 clients +█{30} 3\.00 s {2}stalled$/);
  const svg = capacityChartSvg(search);
  t.is(svg.match(/<rect /g)?.length, 4);
  t.regex(svg, /bound 1\.0 s/);
});

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

test("check's capacity plan: a reader at the pace, the search's settings, no side request; it wants one more than the workers", (t) => {
  const capacity = { max: 16, probePaths: ['/health'], probeWithinMs: 1000, want: null };
  const reference = { bytesReceived: 8 << 20 } as Parameters<typeof checkPlan>[1];
  const plan = checkPlan({ path: '/x', headers: [], upload: null, capacity }, reference, {
    kind: 'steady',
    rateBytesPerS: 16384,
    throttle: 'reader',
    named: true,
  });
  t.like(plan.client, { throttle: 'reader', rateBytesPerS: 16384, probes: [], capacity: { max: 16, probePaths: ['/health'], probeWithinMs: 1000 } });
  const command = clientCommand(plan, { host: 'nginx', port: 80 });
  t.deepEqual(command.slice(command.indexOf('--capacity-max'), command.indexOf('--capacity-max') + 6), [
    '--capacity-max',
    '16',
    '--capacity-probe',
    '/health',
    '--probe-within-ms',
    '1000',
  ]);
  t.is(capacityWant(capacity, 3), 4);
  t.is(capacityWant(capacity, null), 2);
  t.is(capacityWant({ ...capacity, max: 2 }, 8), 2);
  t.is(capacityWant({ ...capacity, want: 5 }, 3), 5);
});

test('a lab that searches capacity reads each slow client at its own pace, and searches nothing else', (t) => {
  const lab = { hypothesis: 'a capacity lab for the test', expect: { capacityHeld: 2 } };
  t.truthy(validateLab({ ...lab, client: { throttle: 'reader', capacity: {} } }).lab);
  t.deepEqual(validateLab({ ...lab, client: { capacity: {} } }).problems, [
    'client.throttle: must be "reader", with a rate, where the client searches capacity: each slow client is paced on its own',
  ]);
  t.deepEqual(validateLab({ ...lab, client: { throttle: 'reader', capacity: {}, downloads: 2 } }).problems, [
    'client.capacity: is a transfer of its own: leave out downloads, upload and probes beside it',
  ]);
  t.truthy(validateLab({ ...lab, client: { throttle: 'reader', capacity: { max: 513 } } }).problems);
});

test('the remedy table of a capacity check: slow clients held side by side', (t) => {
  const run = {
    observation: quietObservation((o) => (o.capacitySearch = observeCapacitySearch(searched, [], isSlow))),
    verdict: { passed: false, checks: [] },
    runDir: '/runs/x',
  } as unknown as Parameters<typeof capacityRowOf>[1];
  const row = capacityRowOf('gevent', run, run.observation.capacitySearch!);
  t.like(row, { result: 'hurt', capacityHeld: '2' });
  t.regex(formatRemedyTable([row]), /slow clients held[\s\S]*gevent +hurt +2 +probe stalled at 3 \(3\.0 s\), held by the app server/);
});

// A server whose capacity is known: `slots` requests served at once; a download holds its slot until the client
// closes, streaming as the client reads; the probe (/ping) needs a free slot too, and waits for one.
async function withSlots(slots: number, run: (port: number) => Promise<void>): Promise<void> {
  let busy = 0;
  const waiting: Array<() => void> = [];
  const take = (go: () => void) => (busy < slots ? (busy++, go()) : waiting.push(go));
  const release = () => {
    busy--;
    const next = waiting.shift();
    if (next) take(next);
  };
  const chunk = Buffer.alloc(16384, 1);
  const server = http.createServer((req, res) => {
    if (req.url === '/missing') return void res.writeHead(404).end();
    take(() => {
      if (req.url === '/ping') {
        res.end('ok');
        return release();
      }
      res.writeHead(200, { 'Content-Length': String(chunk.length * 4096) });
      let sent = 0;
      const pump = () => {
        while (sent < 4096 && res.write(chunk)) sent++;
      };
      res.on('drain', pump);
      res.on('close', release);
      pump();
    });
  });
  const sockets = new Set<net.Socket>();
  server.on('connection', (s) => (sockets.add(s), s.on('close', () => sockets.delete(s))));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await run((server.address() as net.AddressInfo).port);
  } finally {
    for (const s of sockets) s.destroy();
    server.close();
  }
}

async function search(port: number, max: number, probe = '/ping'): Promise<CapacityResult> {
  const { stdout, stderr } = await execa('python3', [
    CLIENT,
    ...['--host', '127.0.0.1', '--port', String(port), '--path', '/file', '--read-rate', '8192', '--max-seconds', '60'],
    ...['--capacity-max', String(max), '--capacity-probe', probe, '--probe-within-ms', '500', '--capacity-settle-ms', '300'],
  ]);
  const line = stdout.split('\n').find((l) => l.startsWith('{"type": "capacity"'));
  if (!line) throw new Error(`no capacity line: ${stderr}${stdout.slice(-500)}`);
  return JSON.parse(line) as CapacityResult;
}

test('the client program: three slots hold two slow clients (the probe needs the third); it stalls at three', async (t) => {
  await withSlots(3, async (port) => {
    const result = await search(port, 64);
    t.like(result, { held: 2, stalledAt: 3, probePath: '/ping', probeFailures: null });
    t.deepEqual(
      result.steps.map((s) => [s.clients, s.held]),
      [
        [1, true],
        [2, true],
        [4, false],
        [3, false],
      ],
    );
    t.true(result.probeWaitMs! >= 500);
  });
});

test('the client program: a server with room for every client holds the cap; a probe path that answers 404 searches nothing', async (t) => {
  await withSlots(100, async (port) => {
    const result = await search(port, 4);
    t.like(result, { held: 4, stalledAt: null, cap: 4 });
    t.deepEqual(
      result.steps.map((s) => s.clients),
      [1, 2, 4],
    );
    const refused = await search(port, 4, '/missing');
    t.like(refused, { held: 0, steps: [], probePath: null });
    t.is(refused.probeFailures?.[0]?.status, 404);
  });
});

test('with no front, what Gunicorn finished while the clients were held fit in the socket buffers', (t) => {
  const held: CapacityResult = { ...searched, held: 2, stalledAt: null, steps: [step(1, true, 3), step(2, true, 3)] };
  t.is(observeCapacitySearch(held, [slowLine(100), slowLine(200)], isSlow, false).heldBy, 'buffers');
  t.is(observeCapacitySearch(held, [], isSlow, false).heldBy, 'app');
});
