// The client program's capacity search (images/client/capacity.py) on this machine's python3, against servers on
// 127.0.0.1 whose capacity is known.
import test from 'ava';
import http from 'node:http';
import type net from 'node:net';
import { execa } from 'execa';
import { fileURLToPath } from 'node:url';
import { type CapacityResult } from '../../src/client/client-output.ts';

const CLIENT = fileURLToPath(new URL('../../images/client/client.py', import.meta.url));
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
