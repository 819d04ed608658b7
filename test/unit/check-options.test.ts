// Unit tests of src/check/check-options.ts.
import test from 'ava';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCheckOptions, splitWords } from '../../src/check/check-options.ts';
import { checkPlan } from '../../src/check/reference.ts';
import { clientCommand } from '../../src/client/client-command.ts';
import { UsageError } from '../../src/errors.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const example = (file: string) => path.join(ROOT, 'examples', file);

test('check --upload: a size of 1 MiB or more, POST or PUT, a content type; --throttle and stray upload flags refused', (t) => {
  const base = { app: example('flask'), 'app-module': 'app:app', path: '/upload/report' };
  t.is(parseCheckOptions(base).upload, null);
  t.deepEqual(parseCheckOptions({ ...base, upload: '8m' }).upload, { sizeBytes: 8 * 1024 * 1024, method: 'POST', contentType: 'application/octet-stream' });
  t.deepEqual(parseCheckOptions({ ...base, upload: '2m', method: 'put', 'content-type': 'text/csv' }).upload, {
    sizeBytes: 2 * 1024 * 1024,
    method: 'PUT',
    contentType: 'text/csv',
  });
  t.throws(() => parseCheckOptions({ ...base, upload: '512k' }), { message: /--upload 512k: must be a size from 1 MiB/ });
  t.throws(() => parseCheckOptions({ ...base, upload: '2m', method: 'PATCH' }), { message: /--method PATCH: must be POST or PUT/ });
  t.throws(() => parseCheckOptions({ ...base, upload: '2m', 'content-type': 'csv' }), { message: /--content-type csv: must look like type\/subtype/ });
  t.throws(() => parseCheckOptions({ ...base, upload: '2m', throttle: 'reader' }), { message: /--throttle shapes how a download is read/ });
  t.throws(() => parseCheckOptions({ ...base, method: 'PUT' }), { message: /--method goes with --upload SIZE/ });
  const plan = checkPlan({ path: '/upload/report', headers: [], upload: { sizeBytes: 2 * 1024 * 1024, method: 'PUT', contentType: 'text/csv' } }, null, {
    kind: 'crawl',
    rateBytesPerS: 100_000,
    seconds: 5,
  });
  t.like(plan.client, { rateBytesPerS: null, probes: [] });
  t.like(plan.client.upload, { rateBytesPerS: 100_000, crawlSeconds: 5, method: 'PUT', contentType: 'text/csv' });
  const cmd = clientCommand(plan, { host: 'nginx', port: 80 });
  t.deepEqual(cmd.slice(cmd.indexOf('--upload-bytes')), [
    '--upload-bytes',
    String(2 * 1024 * 1024),
    '--upload-rate',
    '100000',
    '--upload-crawl-seconds',
    '5',
    '--upload-method',
    'PUT',
    '--upload-content-type',
    'text/csv',
  ]);
});

test('check flags: files must exist, the app is a folder with a module or an image, the path a URL path', (t) => {
  const base = { app: example('flask'), 'app-module': 'app:app', path: '/download/report.bin' };
  const options = parseCheckOptions({
    ...base,
    nginx: example('flask/nginx.conf'),
    'gunicorn-args': '--workers 2 --access-logformat "%(s)s x"',
    header: ['Host: example.com'],
  });
  t.deepEqual(options.app, { kind: 'dir', dir: example('flask'), module: 'app:app' });
  t.deepEqual(options.gunicornArgs, ['--workers', '2', '--access-logformat', '%(s)s x']);
  t.deepEqual(options.headers, ['Host: example.com']);
  t.is(options.rateBytesPerS, null);
  t.is(options.release, 'bookworm');
  const bad: Array<[Record<string, string | string[]>, RegExp]> = [
    [{ ...base, nginx: 'missing.conf' }, /--nginx missing\.conf: no such file or folder/],
    [{ ...base, 'gunicorn-config': example('flask') }, /--gunicorn-config .*: is a folder, not a file/],
    [{ path: '/x' }, /check needs your app/],
    [{ ...base, 'app-image': 'x' }, /--app and --app-image both given/],
    [{ ...base, 'app-module': 'not a module' }, /--app-module not a module/],
    [{ ...base, path: 'download' }, /--path download: give the URL path of a large download, starting with \//],
    [{ ...base, rate: '10' }, /--rate 10: must be a size from 1 KiB to 1 GiB/],
    [{ ...base, header: ['NoColon'] }, /--header NoColon: must look like "Name: value"/],
    [{ ...base, upstream: 'web' }, /--upstream web: must be NAME:PORT or unix:\/path/],
    [{ ...base, stack: 'buster' }, /--stack buster: must be one of bookworm, trixie, sid/],
  ];
  for (const [values, message] of bad) t.throws(() => parseCheckOptions(values), { instanceOf: UsageError, message }, JSON.stringify(values));
});

test('words split like a shell: quotes kept together', (t) => {
  t.deepEqual(splitWords(`gunicorn -c 'my conf.py' --name "a b" x:app`), ['gunicorn', '-c', 'my conf.py', '--name', 'a b', 'x:app']);
  t.deepEqual(splitWords(''), []);
});
