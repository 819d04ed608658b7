// Unit tests of src/check/self-signed.ts.
import test from 'ava';
import https from 'node:https';
import path from 'node:path';
import { execa } from 'execa';
import { X509Certificate } from 'node:crypto';
import { type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { makeSelfSigned } from '../../src/check/self-signed.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
test('the certificate is valid now and for the days asked, whatever the name', (t) => {
  const now = new Date('2026-12-06T12:00:00Z');
  const pair = makeSelfSigned('localhost', 3, now);
  const certificate = new X509Certificate(pair.certificatePem);
  t.true(new Date(certificate.validFrom) < now && new Date(certificate.validTo) > new Date('2026-12-09T11:00:00Z'));
  t.not(makeSelfSigned('localhost').certificatePem, pair.certificatePem, 'a new pair every time');
});

test('the client program speaks TLS with SNI to a server using the stand-in pair, and reads the whole body', async (t) => {
  const pair = makeSelfSigned('shop.example.com');
  let sni: string | undefined;
  const body = Buffer.alloc(300_000, 3);
  const server = https.createServer({ cert: pair.certificatePem, key: pair.keyPem }, (request, response) => {
    sni = (request.socket as unknown as { servername?: string }).servername;
    response.writeHead(200, { 'Content-Length': body.length });
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const port = (server.address() as AddressInfo).port;
    const { stdout, exitCode, stderr } = await execa(
      'python3',
      [
        path.join(ROOT, 'images/client/client.py'),
        '--host',
        '127.0.0.1',
        '--port',
        String(port),
        '--tls',
        '--sni',
        'shop.example.com',
        '--path',
        '/x',
        '--max-seconds',
        '10',
        '--summary',
      ],
      { reject: false },
    );
    t.is(exitCode, 0, stderr);
    t.is(stdout.trim(), `HTTP 200, complete: ${body.length} bytes of ${body.length} in ${/in ([\d.]+) s/.exec(stdout)?.[1]} s`);
    t.is(sni, 'shop.example.com');
  } finally {
    server.close();
  }
});
