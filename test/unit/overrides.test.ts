// Unit tests of src/lab/overrides.ts.
import test from 'ava';
import { UsageError } from '../../src/errors.ts';
import { applyOverrides, parseOverrides } from '../../src/lab/overrides.ts';

const rejects = test.macro((t, values: Record<string, string>, message: RegExp) => {
  const error = t.throws(() => parseOverrides(values), { instanceOf: UsageError });
  t.regex(error?.message ?? '', message);
});

test('overrides parse each option', (t) => {
  t.deepEqual(parseOverrides({ rate: '100m', 'file-size': '32m', timeout: '5', worker: 'gevent', throttle: 'reader', release: 'trixie' }), {
    rateBytesPerS: 100 * 1024 * 1024,
    fileSizeBytes: 32 * 1024 * 1024,
    timeoutS: 5,
    worker: 'gevent',
    throttle: 'reader',
    release: 'trixie',
  });
  t.deepEqual(parseOverrides({ rate: 'off' }), { rateBytesPerS: null });
});

test('rate out of range names the range', rejects, { rate: '10' }, /--rate 10: must be a size from 1 KiB to 1 GiB/);

test('rate garbage', rejects, { rate: '5q' }, /--rate 5q/);

test('timeout zero names the range', rejects, { timeout: '0' }, /from 1 to 3600/);

test('timeout fraction', rejects, { timeout: '1.5' }, /whole number/);

test('unknown worker lists the workers', rejects, { worker: 'tornado' }, /must be one of sync, gthread, gevent, eventlet, uvicorn/);

test('unknown release lists the releases', rejects, { release: 'buster' }, /--release buster: must be one of bookworm, trixie, sid/);

test('--stack, the old name of --release, is still read and named in its error', (t) => {
  t.is(parseOverrides({ stack: 'sid' }).release, 'sid');
  t.throws(() => parseOverrides({ stack: 'buster' }), { message: /--stack buster: must be one of bookworm, trixie, sid/ });
});

test('applyOverrides leaves the input untouched', (t) => {
  const input = { hypothesis: 'a hypothesis here', gunicorn: { timeoutS: 2 }, expect: { workerTimeout: true } };
  const out = applyOverrides(input, { timeoutS: 9, rateBytesPerS: null });
  t.is(out.gunicorn?.timeoutS, 9);
  t.is(out.client?.rateBytesPerS, null);
  t.is(input.gunicorn.timeoutS, 2);
});

test("--timeout is the app server's own: uWSGI's harakiri, mod_wsgi's request-timeout; Waitress has none; --worker is Gunicorn's only", (t) => {
  const uwsgi = { hypothesis: 'x', expect: { outcome: 'complete' as const }, server: { kind: 'uwsgi' as const, harakiriS: 2 } };
  t.deepEqual(applyOverrides(uwsgi, { timeoutS: 9 }).server, { kind: 'uwsgi', harakiriS: 9 });
  t.deepEqual(applyOverrides(uwsgi, { timeoutS: 9 }).gunicorn, {}, "Gunicorn's settings are left alone");
  const modWsgi = { hypothesis: 'x', expect: { outcome: 'complete' as const }, server: { kind: 'mod_wsgi' as const, requestTimeoutS: 2 } };
  t.deepEqual(applyOverrides(modWsgi, { timeoutS: 20 }).server, { kind: 'mod_wsgi', requestTimeoutS: 20 });
  const waitress = { hypothesis: 'x', expect: { outcome: 'complete' as const }, server: { kind: 'waitress' as const } };
  t.throws(() => applyOverrides(waitress, { timeoutS: 9 }), { message: "--timeout 9: this lab's server, waitress, has no worker timeout to set." });
  t.throws(() => applyOverrides(uwsgi, { worker: 'gevent' }), { message: "--worker gevent: a Gunicorn worker class; this lab's server is uwsgi." });
  t.is(applyOverrides({ hypothesis: 'x', expect: { outcome: 'complete' } }, { timeoutS: 9 }).gunicorn?.timeoutS, 9);
});
