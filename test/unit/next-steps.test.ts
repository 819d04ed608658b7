// Unit tests of src/check/next-steps.ts.
import test from 'ava';
import { type RemedyRow } from '../../src/check/remedy-table.ts';
import { nextSteps } from '../../src/check/next-steps.ts';

test('a failed check ends with what to do next: the surviving remedies cheapest first, else the command that tries them', (t) => {
  const row = (remedy: string, result: RemedyRow['result'], gunicornBusyMs: number | null, secondRequestWaitMs: number | null = null): RemedyRow => ({
    remedy,
    result,
    detail: '',
    gunicornBusyMs,
    appMemoryBytes: 64 * 1024 * 1024,
    secondRequestWaitMs,
    runDir: null,
  });
  t.deepEqual(nextSteps(true, null, ['--app', 'x'], true), [], 'nothing to do for a stack that survived');
  // As measured on example (a): the raised timeout keeps Gunicorn busy no longer than gthread, but a second request
  // waits the whole download for it.
  const tried = nextSteps(
    false,
    [
      row('as it is', 'hurt', null, 1600),
      row('gevent worker', 'survived', 5860, 0),
      row('gthread worker, 4 threads', 'survived', 5770, 10),
      row('timeout raised to 18 s', 'survived', 5740, 4740),
      row('proxy_buffering on', 'survived', 20, 0),
      row('gevent worker', 'could not run', null),
    ],
    null,
    true,
  );
  t.deepEqual(tried, [
    'Best: drop `proxy_buffering off` from your Nginx config (Nginx buffers by default), or allow it only where streaming needs it (Gunicorn busy 0.02 s, app memory 64 MiB).',
    'Also: run Gunicorn with `--worker-class gthread --threads 4` (Gunicorn busy 5.77 s, app memory 64 MiB).',
    "Also: run Gunicorn with `--worker-class gevent` (gevent installed in the app's environment) (Gunicorn busy 5.86 s, app memory 64 MiB).",
    "Also: raise Gunicorn's `--timeout` to 18 s: it survives by holding a worker for the whole download (Gunicorn busy 5.74 s, app memory 64 MiB).",
  ]);
  t.regex(nextSteps(false, [row('as it is', 'hurt', null)], null, true)[0]!, /^None of the remedies tried survived/);
  const untried = nextSteps(false, null, ['--nginx', 'my site.conf', '--path', '/d', '--json'], true);
  t.is(untried[1], "Try them on your stack, your files unchanged: npm run lab -- check --nginx 'my site.conf' --path /d --try-remedies");
  t.regex(untried[0]!, /proxy_buffering on/);
  t.regex(nextSteps(false, null, null, false)[1]!, /A stack already running is not changed/);
  t.regex(nextSteps(false, null, null, false)[0]!, /put a buffering proxy in front/);
});

test('a server with no timeout (Waitress): a buffering proxy, or the file served outside it', (t) => {
  const [line] = nextSteps(false, null, null, true, false, 'waitress');
  t.is(
    line,
    'Remedies that fit: let Nginx buffer the response (`proxy_buffering on`, its default); serve the file outside Waitress (Nginx `X-Accel-Redirect`, a CDN).',
  );
  t.deepEqual(nextSteps(true, null, null, true, false, 'uvicorn'), []);
});

test("uWSGI's own remedies, and the --try-remedies command that lays them over the stack", (t) => {
  const [line, ...more] = nextSteps(false, null, ['--nginx', 'x.conf'], true, false, 'uwsgi');
  t.deepEqual(more, ['Try them on your stack, your files unchanged: npm run lab -- check --nginx x.conf --try-remedies']);
  t.regex(line!, /`uwsgi_buffering on`, its default\); hand file responses to uWSGI's offload threads \(`--offload-threads 1`\); raise `--harakiri`/);
  t.regex(nextSteps(false, null, null, false, false, 'uwsgi')[0]!, /put a buffering proxy in front \(Nginx's `uwsgi_pass`/);
  t.deepEqual(nextSteps(true, null, null, true, false, 'uwsgi'), []);
  // Rows of --try-remedies on uWSGI: each survivor in uWSGI's words.
  const row = (remedy: string, busy: number) => ({
    remedy,
    result: 'survived' as const,
    detail: '',
    gunicornBusyMs: busy,
    appMemoryBytes: null,
    secondRequestWaitMs: null,
    runDir: null,
  });
  t.deepEqual(
    nextSteps(
      false,
      [row('harakiri raised to 30 s', 9000), row('uwsgi_buffering on', 30), row('offload threads (--offload-threads 1)', 40)],
      null,
      true,
      false,
      'uwsgi',
    ),
    [
      'Best: drop `uwsgi_buffering off` from your Nginx config (Nginx buffers uWSGI responses by default) (uWSGI busy 0.03 s, app memory –).',
      'Also: run uWSGI with `--offload-threads 1`: it hands file responses to a thread of their own (uWSGI busy 0.04 s, app memory –).',
      "Also: raise uWSGI's `--harakiri` to 30 s: it survives by holding a worker for the whole download (uWSGI busy 9.00 s, app memory –).",
    ],
  );
});
