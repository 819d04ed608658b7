// Unit tests of src/check/remedies.ts.
import test from 'ava';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCheckOptions } from '../../src/check/check-options.ts';
import { remediesFor, bufferingOn, uwsgiBufferingOn } from '../../src/check/remedies.ts';
import { choosePace, paceSeconds } from '../../src/check/pace.ts';
import { gunicornAppCommand, gunicornEnv } from '../../src/check/user-stack.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const example = (file: string) => path.join(ROOT, 'examples', file);

test("uWSGI's remedies: its own flags after its command, and uwsgi_buffering turned on where a proxy turned it off", (t) => {
  t.deepEqual(
    remediesFor(5, true, false, 'uwsgi').map((r) => [r.name, r.uwsgiArgs ?? null, r.gunicornArgs]),
    [
      ['offload threads (--offload-threads 1)', ['--offload-threads', '1'], []],
      ['harakiri raised to 30 s', ['--harakiri', '30'], []],
      ['uwsgi_buffering on', null, []],
    ],
  );
  t.deepEqual(
    remediesFor(5, false, false, 'uwsgi').map((r) => r.name),
    ['offload threads (--offload-threads 1)', 'harakiri raised to 30 s'],
    'no proxy: nothing to buffer',
  );
  t.deepEqual(uwsgiBufferingOn('location / { uwsgi_pass app:8001; uwsgi_buffering off; }'), {
    text: 'location / { uwsgi_pass app:8001; uwsgi_buffering on; }',
  });
  t.deepEqual(uwsgiBufferingOn('location / { uwsgi_pass app:8001; proxy_buffering off; }'), {
    reason: 'your Nginx config already buffers uWSGI responses (no uwsgi_buffering off in it)',
  });
});

test("Waitress, Uvicorn, Hypercorn: no Gunicorn setting to change, so the proxy's buffering only, where there is a proxy", (t) => {
  t.deepEqual(
    remediesFor(10, true, false, 'waitress').map((r) => [r.name, r.gunicornArgs]),
    [['proxy_buffering on', []]],
  );
  t.deepEqual(remediesFor(10, false, false, 'uvicorn'), []);
  t.deepEqual(remediesFor(10, true, true, 'hypercorn'), []);
});

test('remedies: buffering turned on in a copy, or said to be on already; the raised timeout outlasts the slow download', (t) => {
  t.deepEqual(bufferingOn('location / { proxy_buffering  off ; }'), { text: 'location / { proxy_buffering  on ; }' });
  t.deepEqual(bufferingOn('location / { proxy_pass http://x; }'), { reason: 'your Nginx config already buffers (no proxy_buffering off in it)' });
  t.deepEqual(
    remediesFor(2, true).map((r) => r.name),
    ['gevent worker', 'gthread worker, 4 threads', 'timeout raised to 18 s', 'proxy_buffering on'],
  );
  t.deepEqual(
    remediesFor(30, false).map((r) => r.name),
    ['gevent worker', 'gthread worker, 4 threads', 'timeout raised to 130 s'],
  );
  // The raised timeout outlasts the slowest download check makes (the steady reader, paced by the code that decides
  // it), and the crawl, for every timeout: the remedy's worker is never killed by the client's pace alone.
  for (const timeoutS of [1, 2, 5, 30, 120, 3600]) {
    const raised = Number(remediesFor(timeoutS, false).find((r) => r.name.startsWith('timeout raised'))!.gunicornArgs[1]);
    for (const bodyBytes of [1024 * 1024, 8 * 1024 * 1024, 512 * 1024 * 1024]) {
      const steady = choosePace({ rateBytesPerS: null, throttle: 'network' }, bodyBytes, timeoutS, 0, false);
      const crawl = choosePace({ rateBytesPerS: null, throttle: null }, bodyBytes, timeoutS, 0, false);
      t.true(raised > paceSeconds(steady, bodyBytes), `steady, timeout ${timeoutS} s, ${bodyBytes} B`);
      t.true(raised > paceSeconds(crawl, bodyBytes), `crawl, timeout ${timeoutS} s, ${bodyBytes} B`);
    }
  }
  t.regex(
    gunicornEnv({ kind: 'tcp', host: 'web', port: 5000 }, ['--worker-class', 'gthread', '--threads', '4']).GUNICORN_CMD_ARGS ?? '',
    / --worker-class gthread --threads 4$/,
  );
  // A remedy's flags come after the user's own on the command line (which GUNICORN_CMD_ARGS would not override).
  const withArgs = parseCheckOptions({ app: example('flask'), 'app-module': 'app:app', path: '/d', 'gunicorn-args': '--timeout 5' });
  t.deepEqual(gunicornAppCommand(withArgs, ['--timeout', '30']), ['gunicorn', '--timeout', '5', '--timeout', '30', '--chdir', '/srv/app', 'app:app']);
  t.deepEqual(gunicornAppCommand({ ...withArgs, app: { kind: 'image', image: 'mine', command: ['gunicorn', 'x:app'] } }, ['--timeout', '30']), [
    'gunicorn',
    'x:app',
    '--timeout',
    '30',
  ]);
  t.deepEqual(
    gunicornAppCommand({ ...withArgs, app: { kind: 'image', image: 'mine', command: ['sh', '-c', 'exec gunicorn x:app'] } }, ['--timeout', '30']),
    ['sh', '-c', 'exec gunicorn x:app'],
    'a shell takes them from GUNICORN_CMD_ARGS',
  );
});
