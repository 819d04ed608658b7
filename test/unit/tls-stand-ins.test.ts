// A certbot-shaped site's missing files stood in for: which files, what each gets, a self-signed pair Nginx and a TLS
// client accept; the client program speaking TLS with SNI to a server on 127.0.0.1 that uses that very pair.
import test from 'ava';
import { execa } from 'execa';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeSelfSigned } from '../../src/check/self-signed.ts';
import { CERTBOT_OPTIONS, FFDHE2048, describeStandIns, findStandIns, withStandIns, writeStandIns } from '../../src/check/tls-stand-ins.ts';
import { readNginxSource } from '../../src/check/nginx-source.ts';
import { hostHeader } from '../../src/check/user-stack.ts';
import { clientCommand } from '../../src/client/client-command.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SITE = path.join(ROOT, 'examples/flask/site-tls.conf');

test("the files under /etc/letsencrypt/ a certbot site names, each with its kind, and the server's name", (t) => {
  const { standIns, serverName } = findStandIns(new Map([['/etc/nginx/sites-enabled/site-tls.conf', readFileSync(SITE, 'utf8')]]));
  t.is(serverName, 'shop.example.com');
  t.deepEqual(standIns, [
    { path: '/etc/letsencrypt/live/shop.example.com/fullchain.pem', kind: 'certificate' },
    { path: '/etc/letsencrypt/live/shop.example.com/privkey.pem', kind: 'key' },
    { path: '/etc/letsencrypt/options-ssl-nginx.conf', kind: 'options' },
    { path: '/etc/letsencrypt/ssl-dhparams.pem', kind: 'dhparams' },
  ]);
  // Other paths are not stood in for (Nginx names them, as before); another include there is an empty file.
  const other = findStandIns(
    new Map([
      ['/x', 'server { ssl_certificate /etc/ssl/mine.pem; include /etc/letsencrypt/extra.conf; ssl_trusted_certificate /etc/letsencrypt/live/a/chain.pem; }'],
    ]),
  );
  t.deepEqual(other.standIns, [
    { path: '/etc/letsencrypt/extra.conf', kind: 'other' },
    { path: '/etc/letsencrypt/live/a/chain.pem', kind: 'certificate' },
  ]);
  t.is(other.serverName, null);
  t.deepEqual(findStandIns(new Map([['/x', readFileSync(path.join(ROOT, 'examples/flask/site-socket.conf'), 'utf8')]])).standIns, []);
});

test("the stand-ins written: a pair that matches, certbot's options and dhparams, one mount at /etc/letsencrypt", (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lab-stand-ins-'));
  try {
    const source = withStandIns(readNginxSource(SITE), dir);
    const root = path.join(dir, 'stand-ins', 'letsencrypt');
    t.deepEqual(source.mounts.at(-1), { source: root, target: '/etc/letsencrypt', mode: 'ro' });
    const certificate = new X509Certificate(readFileSync(path.join(root, 'live/shop.example.com/fullchain.pem')));
    t.true(certificate.checkPrivateKey(createPrivateKey(readFileSync(path.join(root, 'live/shop.example.com/privkey.pem')))));
    t.is(certificate.subject, 'CN=shop.example.com');
    t.is(certificate.subjectAltName, 'DNS:shop.example.com');
    t.true(certificate.verify(certificate.publicKey), 'self-signed');
    t.is(readFileSync(path.join(root, 'options-ssl-nginx.conf'), 'utf8'), CERTBOT_OPTIONS);
    t.is(readFileSync(path.join(root, 'ssl-dhparams.pem'), 'utf8'), FFDHE2048);
    t.regex(
      describeStandIns(source.standIns ?? [])!,
      /^stand-ins for \/etc\/letsencrypt\/, which only your server has: a self-signed pair made for the run as live\/shop\.example\.com\/fullchain\.pem, live\/shop\.example\.com\/privkey\.pem; certbot's stock options-ssl-nginx\.conf, ssl-dhparams\.pem$/,
    );
    // A site with nothing to stand in for is left as it is.
    const plain = readNginxSource(path.join(ROOT, 'examples/flask/site-socket.conf'));
    t.is(withStandIns(plain, dir), plain);
    t.is(writeStandIns([], null, dir), null);
    t.is(describeStandIns([]), null);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the certificate is valid now and for the days asked, whatever the name', (t) => {
  const now = new Date('2026-12-06T12:00:00Z');
  const pair = makeSelfSigned('localhost', 3, now);
  const certificate = new X509Certificate(pair.certificatePem);
  t.true(new Date(certificate.validFrom) < now && new Date(certificate.validTo) > new Date('2026-12-09T11:00:00Z'));
  t.not(makeSelfSigned('localhost').certificatePem, pair.certificatePem, 'a new pair every time');
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
