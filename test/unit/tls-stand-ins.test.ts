// Unit tests of src/check/tls-stand-ins.ts.
import test from 'ava';
import os from 'node:os';
import path from 'node:path';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CERTBOT_OPTIONS, FFDHE2048, describeStandIns, findStandIns, withStandIns, writeStandIns } from '../../src/check/tls-stand-ins.ts';
import { readNginxSource } from '../../src/check/nginx-source.ts';

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
