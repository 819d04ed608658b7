// The fronts other than Nginx without Docker: the schema's rules for a front, its config per release, and its log
// lines parsed from real runs (test/unit/fixtures/fronts/, copied from the labs' run folders).
import test from 'ava';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { labReleases, missingOn, validateLab } from '../../src/lab/schema.ts';
import { splitTimestamps } from '../../src/docker/docker-log.ts';
import { parseFrontLog } from '../../src/observe/parse-front-log.ts';
import { frontFiles } from '../../src/topology/front-config.ts';
import { describeFront } from '../../src/report/terminal.ts';
import { judge } from '../../src/verdict/judge.ts';
import { missingEvidence } from '../../src/verdict/judge.ts';
import { fixtureObservation } from './helpers/load-fixture.ts';

const problems = (data: Record<string, unknown>) =>
  validateLab({ hypothesis: 'A hypothesis to test.', expect: { workerTimeout: true }, ...data }).problems ?? [];
const lab = (data: Record<string, unknown>) => {
  const { lab: resolved, problems: found } = validateLab({ hypothesis: 'A hypothesis to test.', expect: { workerTimeout: true }, ...data });
  if (!resolved) throw new Error(found.join('; '));
  return resolved;
};

test('a lab has one front: another front with Nginx left on is refused, and each setting belongs to its front', (t) => {
  t.deepEqual(problems({ front: { kind: 'caddy' } }), ['front: a lab has one front before Gunicorn: set nginx: null beside front']);
  t.deepEqual(problems({ nginx: null, front: { kind: 'caddy' } }), []);
  t.deepEqual(problems({ nginx: null, front: { kind: 'haproxy', bufferResponses: true } }), [
    'front.bufferResponses: is a Caddy setting (reverse_proxy buffering)',
  ]);
  t.deepEqual(problems({ nginx: null, front: { kind: 'caddy', xSendFile: true } }), ['front.xSendFile: is an Apache setting (mod_xsendfile)']);
  t.regex(problems({ nginx: null, front: { kind: 'traefik' } })[0] ?? '', /^front\.kind: must be one of caddy, haproxy, apache, varnish/);
});

test('Varnish is not on sid: the schema refuses it there and names the releases that have it, as it does eventlet', (t) => {
  t.deepEqual(problems({ nginx: null, front: { kind: 'varnish' }, release: 'sid' }), [
    'front.kind: varnish is not available on sid: Debian sid has no varnish package; run it on bookworm or trixie',
  ]);
  const varnish = lab({ nginx: null, front: { kind: 'varnish' } });
  t.deepEqual(labReleases(varnish), ['bookworm', 'trixie']);
  t.is(missingOn(varnish, 'sid'), 'Debian sid has no varnish package');
  t.is(missingOn(varnish, 'trixie'), undefined);
  t.deepEqual(labReleases(lab({ nginx: null, front: { kind: 'caddy' } })), ['bookworm', 'trixie', 'sid']);
  t.is(missingOn(lab({ gunicorn: { worker: 'eventlet' } }), 'sid'), 'Gunicorn 26 removed the eventlet worker');
});

test("configs: Caddy's buffering under its name on each release, Apache's mod_xsendfile, HAProxy resolving the app itself", (t) => {
  const buffered = lab({ nginx: null, front: { kind: 'caddy', bufferResponses: true } }).front!;
  t.regex(frontFiles(buffered, 'bookworm').config.content, /reverse_proxy app:8000 \{\n\t\tbuffer_responses\n\t\tmax_buffer_size 1GiB\n\t\}/);
  t.regex(frontFiles(buffered, 'sid').config.content, /reverse_proxy app:8000 \{\n\t\tresponse_buffers 1GiB\n\t\}/);
  t.regex(frontFiles({ ...buffered, bufferResponses: false }, 'sid').config.content, /reverse_proxy app:8000 \{\n\t\}/, 'streaming: no buffer directive');
  t.is(describeFront(buffered, 'sid'), 'caddy in front (response_buffers)');
  const xsendfile = lab({ nginx: null, front: { kind: 'apache', xSendFile: true } }).front!;
  t.regex(frontFiles(xsendfile, 'trixie').config.content, /LoadModule xsendfile_module .*\nXSendFile On\nXSendFilePath \/data\n/);
  t.false(frontFiles({ ...xsendfile, xSendFile: false }, 'trixie').config.content.includes('XSendFile'));
  const haproxy = frontFiles(lab({ nginx: null, front: { kind: 'haproxy' } }).front!, 'bookworm');
  t.regex(haproxy.config.content, /server app app:8000 resolvers engine init-addr last,libc,none/);
  t.deepEqual(haproxy.command, ['haproxy', '-db', '-f', '/run/lab/haproxy.cfg']);
  t.regex(
    frontFiles(lab({ nginx: null, front: { kind: 'varnish' } }).front!, 'bookworm').command[2] ?? '',
    /^until getent hosts app .* exec varnishd -F -j none /,
  );
});

const fixture = (name: string, stream: 'stdout' | 'stderr') =>
  splitTimestamps(readFileSync(fileURLToPath(new URL(`fixtures/fronts/${name}.${stream}.log`, import.meta.url)), 'utf8'));
const parsed = (kind: 'caddy' | 'haproxy' | 'apache' | 'varnish', name = `front-${kind}`) => {
  const stdout = fixture(name, 'stdout');
  const stderr = fixture(name, 'stderr');
  // Counted from the first line: every line is at or after it.
  const origin = Math.min(...[...stdout, ...stderr].map((l) => l.epochMs));
  return parseFrontLog(kind, stdout, stderr, origin);
};
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

test("frontLogIncludes passes on the front's own words (an error, or an access line's ending), fails without them, and is waited for", (t) => {
  const killed = fixtureObservation('bookworm-sync-killed');
  const expectation = { workerTimeout: true, frontLogIncludes: 'SD' };
  const noFront = judge(expectation, killed).checks.find((c) => c.name.includes('log mentions'))!;
  t.false(noFront.passed);
  t.is(noFront.actual, 'no front other than Nginx in this lab');
  const haproxy = { ...killed, front: { kind: 'haproxy' as const, ...parsed('haproxy') } };
  const check = judge(expectation, haproxy).checks.find((c) => c.name === 'haproxy log mentions')!;
  t.true(check.passed, check.actual);
  t.regex(check.actual, /GET \/files\/large\.bin HTTP\/1\.1: 200, \d+ bytes, ended SD--/);
  t.deepEqual(missingEvidence(expectation, haproxy), []);
  const clean = { ...haproxy, front: { ...haproxy.front, access: haproxy.front.access.map((a) => ({ ...a, ending: '----' })) } };
  t.false(judge(expectation, clean).checks.find((c) => c.name === 'haproxy log mentions')!.passed);
  t.deepEqual(missingEvidence(expectation, clean), ['the front\'s line "SD"'], 'a line not there yet is waited for, then said as missing');
  const caddy = { ...killed, front: { kind: 'caddy' as const, ...parsed('caddy') } };
  t.true(judge({ frontLogIncludes: 'aborting with incomplete response' }, caddy).checks[0]!.passed);
});
