// The lab schema: defaults, errors as `path: message`, and every lab file in labs/ valid.
import test from 'ava';
import { LabDefinitionError, LabNotFoundError } from '../../src/errors.ts';
import { listLabNames, loadLab } from '../../src/lab/load-lab.ts';
import { validateLab } from '../../src/lab/schema.ts';

const minimal = { hypothesis: 'A sync worker is killed.', expect: { workerTimeout: true } };

test('defaults fill a minimal lab', (t) => {
  const { lab } = validateLab(minimal);
  t.truthy(lab);
  t.is(lab?.release, 'bookworm');
  t.is(lab?.fileSizeBytes, 8 * 1024 * 1024);
  t.deepEqual(lab?.gunicorn, { worker: 'sync', workers: 1, threads: 1, timeoutS: 2, statsd: false });
  t.deepEqual(lab?.nginx, { proxyBuffering: false, proxyHttpVersion: '1.1', proxyRequestBuffering: true });
  t.is(lab?.client.rateBytesPerS, 1024 * 1024);
  t.is(lab?.client.throttle, 'network');
  t.is(lab?.client.body, 'file');
  t.deepEqual(lab?.claims, []);
});

test('nginx: null means no proxy', (t) => {
  t.is(validateLab({ ...minimal, nginx: null }).lab?.nginx, null);
});

const invalid = test.macro((t, data: unknown, expected: string[]) => {
  const { problems } = validateLab(data);
  t.deepEqual(problems, expected);
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
