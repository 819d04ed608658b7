// Unit tests of src/lab/schema.ts.
import test from 'ava';
import { LabDefinitionError, LabNotFoundError } from '../../src/errors.ts';
import { listLabNames, loadLab } from '../../src/lab/load-lab.ts';
import { validateLab, labReleases, missingOn } from '../../src/lab/schema.ts';

const minimal = { hypothesis: 'A sync worker is killed.', expect: { workerTimeout: true } };

const invalid = test.macro((t, data: unknown, expected: string[]) => {
  const { problems } = validateLab(data);
  t.deepEqual(problems, expected);
});

const problems = (data: Record<string, unknown>) =>
  validateLab({ hypothesis: 'A hypothesis to test.', expect: { workerTimeout: true }, ...data }).problems ?? [];
const lab = (data: Record<string, unknown>) => {
  const { lab: resolved, problems: found } = validateLab({ hypothesis: 'A hypothesis to test.', expect: { workerTimeout: true }, ...data });
  if (!resolved) throw new Error(found.join('; '));
  return resolved;
};

test('defaults fill a minimal lab', (t) => {
  const { lab } = validateLab(minimal);
  t.truthy(lab);
  t.is(lab?.release, 'bookworm');
  t.is(lab?.fileSizeBytes, 8 * 1024 * 1024);
  t.deepEqual(lab?.gunicorn, { worker: 'sync', workers: 1, threads: 1, timeoutS: 2, statsd: false, http2: false });
  t.deepEqual(lab?.nginx, { proxyBuffering: false, http2: false, proxyHttpVersion: '1.1', proxyRequestBuffering: true, protocol: 'http' });
  t.false(lab?.client.http2);
  t.deepEqual(lab?.server, { kind: 'gunicorn' });
  t.is(lab?.client.rateBytesPerS, 1024 * 1024);
  t.is(lab?.client.throttle, 'network');
  t.is(lab?.client.body, 'file');
  t.deepEqual(lab?.claims, []);
});

test('nginx: null means no proxy', (t) => {
  t.is(validateLab({ ...minimal, nginx: null }).lab?.nginx, null);
});

test('timeout below range', invalid, { ...minimal, gunicorn: { timeoutS: 0 } }, ['gunicorn.timeoutS: must be from 1 to 3600 seconds']);

test('rate above range', invalid, { ...minimal, client: { rateBytesPerS: 2 * 1024 ** 3 } }, [
  'client.rateBytesPerS: must be from 1 KiB (1024) to 1024 MiB (1073741824) bytes per second',
]);

test('unknown worker', invalid, { ...minimal, gunicorn: { worker: 'tornado' } }, [
  'gunicorn.worker: must be one of sync, gthread, gevent, eventlet, uvicorn, asgi',
]);

test('empty expectation', invalid, { ...minimal, expect: {} }, ['expect: must name at least one expectation']);

test('unknown key is named', invalid, { ...minimal, gunicron: {} }, ['(lab): Unrecognized key: "gunicron"']);

test('several problems, one line each', invalid, { hypothesis: 'short', expect: { outcome: 'exploded' } }, [
  'hypothesis: must state the hypothesis in a sentence',
  'expect.outcome: Invalid option: expected one of "complete"|"truncated"|"closed"|"reset"|"client-timeout"|"no-response"|"connect-error"',
]);

test('every lab file loads and states a hypothesis', async (t) => {
  const names = listLabNames();
  t.true(names.includes('proxy-buffering-off'));
  for (const name of names) {
    const { lab } = await loadLab(name);
    t.true(lab.hypothesis.length > 20, name);
  }
});

test('an unknown lab lists the labs', async (t) => {
  const error = await t.throwsAsync(loadLab('no-such-lab'), { instanceOf: LabNotFoundError });
  t.regex(error?.hint ?? '', /proxy-buffering-off/);
});

test('an override out of range is a definition error naming the path', async (t) => {
  const error = await t.throwsAsync(loadLab('proxy-buffering-off', { fileSizeBytes: 10 }), { instanceOf: LabDefinitionError });
  t.deepEqual(error?.problems, ['fileSizeBytes: must be from 1 KiB (1024) to 1024 MiB (1073741824) bytes']);
});

test("Gunicorn's own ASGI worker exists only on sid (Gunicorn 24 and later): elsewhere the lab names the release to use", (t) => {
  const { problems } = validateLab({ ...minimal, release: 'trixie', gunicorn: { worker: 'asgi' } });
  t.deepEqual(problems, ['gunicorn.worker: asgi is not available on trixie: Gunicorn 23 has no ASGI worker of its own (Gunicorn 24 added it); run it on sid']);
  t.is(validateLab({ ...minimal, release: 'sid', gunicorn: { worker: 'asgi' } }).problems, undefined);
});

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

test("cleartext HTTP/2: Gunicorn's only on sid, Nginx's from trixie on, and a client that speaks it only to a server that does", (t) => {
  t.deepEqual(problems({ gunicorn: { worker: 'gthread', http2: true }, nginx: null, client: { http2: true }, release: 'trixie' }), [
    'gunicorn.http2: cleartext HTTP/2 is not available on trixie: Gunicorn 23 has no HTTP/2 (Gunicorn 25 added it, 26.2 its cleartext h2c); run it on sid',
  ]);
  t.deepEqual(problems({ nginx: { http2: true }, client: { http2: true } }), [
    'nginx.http2: cleartext HTTP/2 is not available on bookworm: Nginx 1.22 serves cleartext HTTP/2 only on a port that then refuses HTTP/1.1 (the `http2` directive that serves both came in 1.25.1); run it on trixie or sid',
  ]);
  t.deepEqual(problems({ nginx: { http2: true }, client: { http2: true }, release: 'trixie' }), []);
  const needs = 'client.http2: needs a server that speaks cleartext HTTP/2 to it: nginx.http2, or with no proxy gunicorn.http2';
  t.deepEqual(problems({ client: { http2: true }, release: 'sid' }), [needs], 'Nginx without http2 on');
  t.deepEqual(problems({ nginx: null, client: { http2: true }, release: 'sid' }), [needs], 'Gunicorn without h2c');
  t.deepEqual(
    problems({ nginx: null, front: { kind: 'caddy' }, gunicorn: { http2: true }, client: { http2: true }, release: 'sid' }),
    [needs],
    "a front's HTTP/2 is not modelled",
  );
  t.deepEqual(problems({ nginx: null, gunicorn: { worker: 'gthread', http2: true }, client: { http2: true }, release: 'sid' }), []);
  t.deepEqual(labReleases(lab({ nginx: { http2: true }, client: { http2: true }, release: 'sid' })), ['trixie', 'sid']);
  t.deepEqual(labReleases(lab({ nginx: null, gunicorn: { worker: 'gthread', http2: true }, client: { http2: true }, release: 'sid' })), ['sid']);
  t.is(missingOn(lab({ nginx: { http2: true }, client: { http2: true }, release: 'sid' }), 'bookworm')?.startsWith('Nginx 1.22'), true);
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
