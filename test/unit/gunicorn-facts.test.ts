// Unit tests of src/check/gunicorn-facts.ts.
import test from 'ava';
import {
  describeNoTimeoutServer,
  noTimeoutServerFacts,
  paceTimeoutS,
  parseBootConfig,
  parsePrintConfig,
  serverFactsFromCommand,
  uwsgiFactsFromCommand,
} from '../../src/check/gunicorn-facts.ts';

test('Gunicorn --print-config read: worker class, workers, threads, timeout, bind', (t) => {
  const printed = [
    'access_log_format                 = %(h)s',
    "bind                              = ['0.0.0.0:5000']",
    'threads                           = 4',
    'timeout                           = 2',
    'worker_class                      = gthread',
    'workers                           = 1',
  ].join('\n');
  t.deepEqual(parsePrintConfig(printed), { workerClass: 'gthread', workers: 1, threads: 4, timeoutS: 2, bind: "['0.0.0.0:5000']" });
  t.deepEqual(parsePrintConfig(''), { workerClass: null, workers: null, threads: null, timeoutS: null, bind: null });
});

test("Gunicorn's settings from its boot log under --log-level debug (an image whose command is a script)", (t) => {
  const log = [
    '[2026-12-01 14:20:09 +0000] [8] [INFO] Starting gunicorn 20.1.0',
    '[2026-12-01 14:20:09 +0000] [8] [DEBUG] Current configuration:',
    '  config: ./gunicorn.conf.py',
    '  wsgi_app: None',
    "  bind: ['0.0.0.0:8000']",
    '  workers: 3',
    '  worker_class: sync',
    '  threads: 1',
    '  timeout: 4',
    '[2026-12-01 14:20:09 +0000] [8] [INFO] Listening at: http://0.0.0.0:8000 (8)',
    '  not: a setting after the block',
  ].join('\n');
  t.deepEqual(parseBootConfig(log), { workerClass: 'sync', workers: 3, threads: 1, timeoutS: 4, bind: "['0.0.0.0:8000']" });
  t.is(parseBootConfig('[2026-12-01 14:20:09 +0000] [8] [INFO] Starting gunicorn 20.1.0'), null);
  t.is(parseBootConfig('2026-12-01T14:20:09.1Z [DEBUG] Current configuration:\n2026-12-01T14:20:09.1Z   timeout: 7')?.timeoutS, 7, "with Docker's timestamps");
});

test("uWSGI's settings from its command line: processes, harakiri, threads, socket; --opt=value too; not uWSGI: null", (t) => {
  t.deepEqual(uwsgiFactsFromCommand(['uwsgi', '--plugin', 'python3', '--uwsgi-socket', '0.0.0.0:8000', '--processes', '2', '--harakiri', '5']), {
    server: 'uwsgi',
    workerClass: null,
    workers: 2,
    threads: null,
    timeoutS: 5,
    bind: '0.0.0.0:8000',
    command: ['uwsgi', '--plugin', 'python3', '--uwsgi-socket', '0.0.0.0:8000', '--processes', '2', '--harakiri', '5'],
  });
  t.like(uwsgiFactsFromCommand(['uwsgi', '--harakiri', '5', '--harakiri', '30']), { timeoutS: 30 }, 'the last is read: uWSGI keeps the last value it reads');
  t.like(uwsgiFactsFromCommand(['/usr/bin/uwsgi', '--socket=:3031', '--threads=4']), { workers: 1, threads: 4, timeoutS: null, bind: ':3031' });
  t.is(uwsgiFactsFromCommand(['gunicorn', 'app:app']), null);
  t.is(uwsgiFactsFromCommand(['sh', '-c', 'uwsgi --ini app.ini']), null, 'a shell line is not read');
});

test('Waitress, Uvicorn and Hypercorn from their command line: threads or workers, bind, no timeout; python3 -m too', (t) => {
  t.deepEqual(noTimeoutServerFacts(['waitress-serve', '--listen=*:8000', '--threads=2', 'report:app']), {
    server: 'waitress',
    workerClass: null,
    workers: 1,
    threads: 2,
    timeoutS: null,
    bind: '*:8000',
    command: ['waitress-serve', '--listen=*:8000', '--threads=2', 'report:app'],
  });
  t.like(
    noTimeoutServerFacts(['python3', '-m', 'waitress', '--port', '9000', 'app:app']),
    { server: 'waitress', threads: 4, bind: '0.0.0.0:9000' },
    "Waitress's 4 threads by default",
  );
  t.like(noTimeoutServerFacts(['/usr/bin/uvicorn', '--host', '0.0.0.0', '--workers', '3', 'asgi:app']), {
    server: 'uvicorn',
    workers: 3,
    bind: '0.0.0.0:8000',
  });
  t.like(noTimeoutServerFacts(['uvicorn', '--uds', '/run/app.sock', 'asgi:app']), { bind: '/run/app.sock', workers: 1 });
  t.like(noTimeoutServerFacts(['hypercorn', '-w', '2', '-b', '0.0.0.0:8000', 'asgi:app']), {
    server: 'hypercorn',
    workers: 2,
    bind: '0.0.0.0:8000',
    timeoutS: null,
  });
  t.is(noTimeoutServerFacts(['gunicorn', '-k', 'uvicorn.workers.UvicornWorker', 'asgi:app']), null, "Gunicorn's uvicorn worker is Gunicorn's");
  t.is(noTimeoutServerFacts(['sh', '-c', 'exec uvicorn asgi:app']), null, 'a shell line is not read');
  t.like(serverFactsFromCommand(['uwsgi', '--harakiri', '5']), { server: 'uwsgi', timeoutS: 5 });
  t.like(serverFactsFromCommand(['uvicorn', 'asgi:app']), { server: 'uvicorn' });
  t.is(serverFactsFromCommand(['gunicorn', 'app:app']), null);
});

test("the timeout a check's crawl outlasts, and a server with no timeout in words", (t) => {
  const waitress = noTimeoutServerFacts(['waitress-serve', '--threads=2', 'app:app'])!;
  t.is(paceTimeoutS(waitress), 10, 'nothing to outlast: as for a 10 s timeout');
  t.is(paceTimeoutS(uwsgiFactsFromCommand(['uwsgi', '--harakiri', '5'])), 5);
  t.is(paceTimeoutS(uwsgiFactsFromCommand(['uwsgi'])), 30, "uWSGI with no harakiri: paced as for Gunicorn's default");
  t.is(paceTimeoutS(null), 30);
  t.deepEqual(describeNoTimeoutServer('waitress', waitress, 10), [
    'Waitress --threads 2',
    'no timeout mechanism: nothing kills a request a slow client holds; paced as for 10 s',
  ]);
  t.is(describeNoTimeoutServer('uvicorn', noTimeoutServerFacts(['uvicorn', '--workers', '3', 'asgi:app'])!, 10)[0], 'Uvicorn --workers 3');
});
