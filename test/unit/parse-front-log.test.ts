// Unit tests of src/observe/parse-front-log.ts.
import test from 'ava';
import { parsed } from './helpers/front-log.ts';

const download = (access: ReturnType<typeof parsed>['access']) => access.find((a) => a.request.includes('/files/large.bin'));

test('Caddy\'s JSON lines: the download cut short, and its error "aborting with incomplete response"', (t) => {
  const { access, errors } = parsed('caddy');
  t.like(download(access), { request: 'GET /files/large.bin HTTP/1.1', status: 200, ending: null });
  t.true(download(access)!.bytesSent > 0 && download(access)!.bytesSent < 8 * 1024 * 1024);
  t.true(
    errors.some((e) => e.message === 'aborting with incomplete response: unexpected EOF'),
    JSON.stringify(errors),
  );
  // Caddy 2.11 (sid) says the same as a warning; the start-up's warnings come before the request, which the
  // observation leaves out by time.
  const sid = parsed('caddy', 'front-caddy-sid');
  const cut = sid.errors.find((e) => e.message.startsWith('aborting with incomplete response'));
  t.truthy(cut, JSON.stringify(sid.errors));
  const started = download(sid.access)!.atMs - download(sid.access)!.durationMs!;
  t.true(
    sid.errors.filter((e) => e.atMs >= started).every((e) => e === cut || e.message.startsWith('aborting')),
    JSON.stringify(sid.errors),
  );
});

test("HAProxy's httplog line: status, bytes, time and the termination state SD-- (the server side ended the body)", (t) => {
  const { access, errors } = parsed('haproxy');
  const line = download(access)!;
  t.like(line, { status: 200, ending: 'SD--' });
  t.true(line.bytesSent < 8 * 1024 * 1024);
  t.true((line.durationMs ?? 0) > 2000, 'the kill came after the 2 s timeout');
  t.deepEqual(errors, []);
  t.is(access.find((a) => a.request.includes('lab-readiness'))?.ending, '----', 'the readiness request ended cleanly');
});

test("Apache's access line with the connection's end, and mod_proxy_http's error line without the client address", (t) => {
  const { access, errors } = parsed('apache');
  t.like(download(access), { status: 200, ending: '-' });
  t.is(errors.length, 1, 'notices are not errors');
  t.regex(errors[0]!.message, /^\[proxy_http:error\] \(70008\)Partial results are valid but processing is incomplete: AH01110: error reading response$/);
});

test("varnishncsa's line: the path without Varnish's host, the whole file sent, and how Varnish handled it", (t) => {
  const { access } = parsed('varnish');
  t.like(download(access), { request: 'GET /files/large.bin HTTP/1.1', status: 200, bytesSent: 8 * 1024 * 1024, ending: 'miss' });
});
