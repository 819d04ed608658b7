// The client program (images/client/client.py) on this machine's python3, against small servers on 127.0.0.1
// written here to misbehave on purpose: each way a response can end is classified as what it is.
import test from 'ava';
import http from 'node:http';
import net from 'node:net';
import { execa } from 'execa';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { type ClientResult } from '../../src/client/client-output.ts';

const CLIENT = fileURLToPath(new URL('../../images/client/client.py', import.meta.url));

// A one-connection server: reads the request, then does what `respond` says with the socket.
async function withServer(respond: (socket: net.Socket) => void, run: (port: number) => Promise<void>): Promise<void> {
  const server = net.createServer((socket) => {
    socket.once('data', () => respond(socket));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await run((server.address() as net.AddressInfo).port);
  } finally {
    server.close();
  }
}

async function fetchWith(port: number): Promise<ClientResult & { type: string }> {
  const { stdout, stderr, exitCode } = await execa(
    'python3',
    [CLIENT, '--host', '127.0.0.1', '--port', String(port), '--path', '/x', '--max-seconds', '10', '--idle-seconds', '5'],
    { reject: false },
  );
  const last = stdout.trim().split('\n').at(-1) ?? '';
  if (exitCode !== 0 || !last.startsWith('{"type": "result"')) throw new Error(`client exit ${exitCode}: ${stderr}${stdout.slice(-500)}`);
  return JSON.parse(last) as ClientResult & { type: string };
}

const body = Buffer.alloc(1000, 7);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const head = (headers: string) => `HTTP/1.1 200 OK\r\n${headers}\r\n`;

const classifies = test.macro(async (t, respond: (socket: net.Socket) => void, expected: Partial<ClientResult>, error?: RegExp) => {
  await withServer(respond, async (port) => {
    const result = await fetchWith(port);
    t.like(result, expected);
    if (error) t.regex(result.error ?? '', error);
  });
});

// A server that reads a whole request body (Content-Length or chunked) and answers what it got, as the lab app does.
async function withUploadServer(run: (port: number) => Promise<void>): Promise<void> {
  const server = http.createServer((req, res) => {
    const hash = createHash('sha256');
    let bytes = 0;
    req.on('data', (chunk: Buffer) => {
      hash.update(chunk);
      bytes += chunk.length;
    });
    req.on('end', () =>
      res.end(JSON.stringify({ bytes, sha256: hash.digest('hex'), method: req.method, chunked: req.headers['transfer-encoding'] === 'chunked' })),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await run((server.address() as net.AddressInfo).port);
  } finally {
    server.close();
  }
}

const upload = test.macro(async (t, extra: string[], chunked: boolean) => {
  await withUploadServer(async (port) => {
    const { stdout } = await execa(
      'python3',
      [
        CLIENT,
        '--host',
        '127.0.0.1',
        '--port',
        String(port),
        '--path',
        '/upload',
        '--max-seconds',
        '20',
        '--upload-bytes',
        '300000',
        '--upload-rate',
        '200000',
        ...extra,
      ],
      { reject: false },
    );
    const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as ClientResult;
    const answer = JSON.parse(result.bodyHead ?? '{}') as { bytes: number; sha256: string; method: string; chunked: boolean };
    t.like(answer, { bytes: 300_000, method: 'POST', chunked });
    t.is(result.uploadSha256, answer.sha256, 'the server got what the client says it sent');
    t.is(result.uploadSentBytes, 300_000);
    t.is(result.uploadError, undefined);
    // 300 kB at 200 kB/s: written over about 1.5 s, not at once.
    t.true((result.uploadMs ?? 0) >= 1200, `written in ${result.uploadMs} ms`);
  });
});

// The readiness wait (images/client/wait-ready.py): one command for every target, in order; where one never
// answers, its number is the exit code and stderr names it, so the run blames the right role.
const WAIT_READY = fileURLToPath(new URL('../../images/client/wait-ready.py', import.meta.url));

async function closedPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

test('a whole Content-Length body is complete', classifies, (s) => s.end(Buffer.concat([Buffer.from(head('Content-Length: 1000\r\n')), body])), {
  outcome: 'complete',
  bytesReceived: 1000,
  sha256: sha(body),
});

test(
  'a Content-Length body cut by a clean close is truncated',
  classifies,
  (s) => s.end(Buffer.concat([Buffer.from(head('Content-Length: 1000\r\n')), body.subarray(0, 400)])),
  {
    outcome: 'truncated',
    bytesReceived: 400,
  },
);

test(
  'a body with no length ended by close is "closed": the client cannot tell whole from cut',
  classifies,
  (s) => s.end(Buffer.concat([Buffer.from(head('Connection: close\r\n')), body.subarray(0, 400)])),
  {
    outcome: 'closed',
    bytesReceived: 400,
    contentLength: null,
    chunked: false,
  },
);

test(
  'a reset after part of the body is truncated (the error says reset)',
  classifies,
  (s) => {
    s.write(Buffer.concat([Buffer.from(head('Content-Length: 1000\r\n')), body.subarray(0, 400)]));
    setTimeout(() => s.resetAndDestroy(), 100);
  },
  { outcome: 'truncated', bytesReceived: 400 },
  /ConnectionResetError/,
);

test('a reset before any body byte is reset', classifies, (s) => s.resetAndDestroy(), { outcome: 'reset', bytesReceived: 0 });

test(
  'a chunked body to its last chunk is complete',
  classifies,
  (s) => s.end(`${head('Transfer-Encoding: chunked\r\n')}5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n`),
  {
    outcome: 'complete',
    chunked: true,
    bytesReceived: 11,
    sha256: sha(Buffer.from('hello world')),
  },
);

test('a chunked body closed before its last chunk is truncated', classifies, (s) => s.end(`${head('Transfer-Encoding: chunked\r\n')}5\r\nhello\r\n`), {
  outcome: 'truncated',
  bytesReceived: 5,
});

test(
  'a malformed chunk ends in a result, not a crash: truncated, what came before kept',
  classifies,
  (s) => s.end(`${head('Transfer-Encoding: chunked\r\n')}5\r\nhello\r\nzz\r\noops\r\n`),
  { outcome: 'truncated', bytesReceived: 5 },
  /malformed chunk size line b'zz'/,
);

test('a server that closes without a word is no response', classifies, (s) => s.end(), { outcome: 'no-response', status: null });

test('the longest wait between body arrivals is measured; a body in one piece has none', async (t) => {
  await withServer(
    (s) => {
      s.write(`${head('Transfer-Encoding: chunked\r\n')}5\r\nfirst\r\n`);
      setTimeout(() => s.end('6\r\nsecond\r\n0\r\n\r\n'), 400);
    },
    async (port) => {
      const result = await fetchWith(port);
      t.like(result, { outcome: 'complete', bytesReceived: 11 });
      t.true((result.maxGapMs ?? 0) >= 300 && (result.maxGapMs ?? 0) < 4000, `maxGapMs ${result.maxGapMs}`);
    },
  );
  await withServer(
    (s) => s.end(Buffer.concat([Buffer.from(head('Content-Length: 1000\r\n')), body])),
    async (port) => {
      t.is((await fetchWith(port)).maxGapMs, null);
    },
  );
});

test("several downloads at once: each reports its own end, and the result is download 0's", async (t) => {
  let served = 0;
  // Every other connection gets the whole body, the rest a cut one.
  await withServer(
    (s) => {
      const whole = served++ % 2 === 0;
      s.end(Buffer.concat([Buffer.from(head('Content-Length: 1000\r\n')), whole ? body : body.subarray(0, 300)]));
    },
    async (port) => {
      const { stdout, exitCode } = await execa(
        'python3',
        [CLIENT, '--host', '127.0.0.1', '--port', String(port), '--path', '/x', '--max-seconds', '10', '--downloads', '4', '--read-rate', '100000'],
        { reject: false },
      );
      t.is(exitCode, 0);
      const records = stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { type: string; index?: number; outcome?: string; bytesReceived?: number });
      const downloads = records.filter((r) => r.type === 'download').sort((a, b) => a.index! - b.index!);
      t.deepEqual(
        downloads.map((d) => d.index),
        [0, 1, 2, 3],
      );
      t.deepEqual(downloads.map((d) => d.outcome).sort(), ['complete', 'complete', 'truncated', 'truncated']);
      const result = records.at(-1)!;
      t.is(result.type, 'result');
      t.is(result.outcome, downloads[0]!.outcome);
      t.is(result.bytesReceived, downloads[0]!.bytesReceived);
    },
  );
  t.is(served, 4);
});

test('--downloads below 1 is refused by the client', async (t) => {
  const { exitCode, stderr } = await execa('python3', [CLIENT, '--host', '127.0.0.1', '--path', '/x', '--downloads', '0'], { reject: false });
  t.is(exitCode, 2);
  t.regex(stderr, /--downloads must be at least 1/);
});

test('the reader is paced from the response on: a download that waited reads no faster for it', async (t) => {
  const big = Buffer.alloc(100_000, 3);
  // The headers come after a second's wait; then 100 kB at 50 kB/s must take about two seconds of body.
  await withServer(
    (s) => void setTimeout(() => s.end(Buffer.concat([Buffer.from(head('Content-Length: 100000\r\n')), big])), 1000),
    async (port) => {
      const { stdout } = await execa(
        'python3',
        [CLIENT, '--host', '127.0.0.1', '--port', String(port), '--path', '/x', '--max-seconds', '10', '--read-rate', '50000'],
        { reject: false },
      );
      const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as ClientResult;
      t.is(result.outcome, 'complete');
      t.true(result.headersMs! >= 900, `headers after ${result.headersMs} ms`);
      const bodyMs = result.durationMs - result.headersMs!;
      t.true(bodyMs >= 1500, `the body took ${bodyMs} ms at 50 kB/s`);
    },
  );
});

test('a crawl keeps to the rate only for its seconds, then reads the rest at full speed', async (t) => {
  const big = Buffer.alloc(2_000_000, 5);
  await withServer(
    (s) => void s.end(Buffer.concat([Buffer.from(head('Content-Length: 2000000\r\n')), big])),
    async (port) => {
      const { stdout } = await execa(
        'python3',
        [CLIENT, '--host', '127.0.0.1', '--port', String(port), '--path', '/x', '--max-seconds', '30', '--read-rate', '100000', '--crawl-seconds', '1'],
        { reject: false },
      );
      const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as ClientResult;
      t.is(result.outcome, 'complete');
      t.is(result.sha256, sha(big));
      // During the crawl no more than its rate allows (a read's worth ahead); 2 MB at 100 kB/s would take 20 s.
      const crawled = result.timeline.filter(([ms]) => ms <= result.headersMs! + 900).at(-1)?.[1] ?? 0;
      t.true(crawled <= 100_000 + 65_536, `${crawled} bytes in the crawl's first 0.9 s`);
      t.true(result.durationMs < 15_000, `the rest at full speed: done in ${result.durationMs} ms`);
    },
  );
});

test('an upload is written at its rate with a Content-Length, and the answer is kept', upload, [], false);

test('an upload in chunks has no Content-Length and arrives whole', upload, ['--upload-chunked'], true);

test('an upload the server stops reading ends with the error, what was written kept', async (t) => {
  // The server resets the connection after the headers, reading no body (a worker killed): the client's writes fail.
  await withServer(
    (s) => s.resetAndDestroy(),
    async (port) => {
      const { stdout } = await execa(
        'python3',
        [CLIENT, '--host', '127.0.0.1', '--port', String(port), '--path', '/upload', '--max-seconds', '10', '--upload-bytes', '20000000'],
        { reject: false },
      );
      const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as ClientResult;
      t.true((result.uploadSentBytes ?? 0) < 20_000_000);
      t.regex(result.uploadError ?? '', /Error/);
    },
  );
});

test('wait-ready waits for every target and names the one that never answers by its number', async (t) => {
  const answering = http.createServer((req, res) => res.writeHead(req.url === '/ping' ? 200 : 404).end());
  await new Promise<void>((resolve) => answering.listen(0, '127.0.0.1', resolve));
  const { port } = answering.address() as net.AddressInfo;
  try {
    const both = await execa('python3', [WAIT_READY, '127.0.0.1', String(port), '/ping', '127.0.0.1', String(port), '-', '2'], { reject: false });
    t.is(both.exitCode, 0, both.stderr);
    const closed = await closedPort();
    const second = await execa('python3', [WAIT_READY, '127.0.0.1', String(port), '/ping', '127.0.0.1', String(closed), '-', '0.3'], { reject: false });
    t.is(second.exitCode, 2);
    t.regex(second.stderr, new RegExp(`127\\.0\\.0\\.1:${closed} not ready after 0\\.3 s: ConnectionRefusedError`));
    const wrongPath = await execa('python3', [WAIT_READY, '127.0.0.1', String(port), '/missing', '0.3'], { reject: false });
    t.is(wrongPath.exitCode, 1);
    t.regex(wrongPath.stderr, /\/missing not ready after 0\.3 s: HTTP 404/);
    const usage = await execa('python3', [WAIT_READY, '127.0.0.1', String(port), '2'], { reject: false });
    t.is(usage.exitCode, 64);
  } finally {
    answering.close();
  }
});
