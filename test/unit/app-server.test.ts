// Unit tests of src/topology/app-server.ts: each server kind's command, readiness and words.
import { readFileSync } from 'node:fs';
import test from 'ava';
import { validateLab, type LabInput } from '../../src/lab/schema.ts';
import { appServerRun, describeAppServer } from '../../src/topology/app-server.ts';
import { fromRoot } from '../../src/project-root.ts';

const lab = (input: Partial<LabInput>) => {
  const { lab: valid, problems } = validateLab({ hypothesis: 'A server kind under test here.', expect: { outcome: 'complete' }, ...input });
  if (!valid) throw new Error(problems.join('; '));
  return valid;
};

test('Gunicorn: its own command and the boot line per worker, as before server kinds', (t) => {
  const run = appServerRun(lab({ gunicorn: { worker: 'gthread', threads: 4, workers: 2 } }));
  t.is(run.command[0], 'gunicorn');
  t.deepEqual(run.ready, { log: /Booting worker with pid/, times: 2 });
  t.is(describeAppServer(lab({ gunicorn: { worker: 'gthread', threads: 4, workers: 2 } })), 'gunicorn -k gthread -w 2 --threads 4 --timeout 2');
});

test('uWSGI: master, HTTP socket on 8000, the uwsgi socket only for uwsgi_pass, harakiri and offload threads as set', (t) => {
  const direct = lab({ server: { kind: 'uwsgi', processes: 2, harakiriS: 3, offloadThreads: 1 }, nginx: null });
  const run = appServerRun(direct);
  t.is(run.command.join(' ').includes('--http-socket 0.0.0.0:8000'), true);
  t.false(run.command.includes('--uwsgi-socket'));
  t.deepEqual(run.command.slice(run.command.indexOf('--processes')), ['--processes', '2', '--harakiri', '3', '--offload-threads', '1']);
  t.is(run.ready!.times, 2);
  t.regex('spawned uWSGI worker 1 (pid: 11, cores: 1)', run.ready!.log);
  t.notRegex('spawned uWSGI master process (pid: 1)', run.ready!.log);
  t.is(describeAppServer(direct), 'uwsgi --processes 2 --harakiri 3 --offload-threads 1');
  const proxied = lab({ server: { kind: 'uwsgi', harakiriS: null }, nginx: { protocol: 'uwsgi' } });
  const proxiedCommand = appServerRun(proxied).command;
  t.deepEqual(proxiedCommand.slice(proxiedCommand.indexOf('--uwsgi-socket'), proxiedCommand.indexOf('--uwsgi-socket') + 2), ['--uwsgi-socket', '0.0.0.0:8001']);
  t.false(appServerRun(proxied).command.includes('--harakiri'));
  t.is(describeAppServer(proxied), 'uwsgi --processes 1 (no harakiri)');
});

test('Waitress: python3 -m waitress with its threads; ready when it answers (no line to wait for)', (t) => {
  const run = appServerRun(lab({ server: { kind: 'waitress', threads: 3 }, nginx: null }));
  t.deepEqual(run.command, ['python3', '-m', 'waitress', '--listen=0.0.0.0:8000', '--threads=3', 'app:app']);
  t.is(run.ready, null);
});

test("the schema: another server's lab leaves Gunicorn's settings out; uwsgi_pass only to uWSGI; an unknown kind named", (t) => {
  const problems = (input: Partial<LabInput>) =>
    validateLab({ hypothesis: 'A server kind under test here.', expect: { outcome: 'complete' }, ...input }).problems ?? [];
  t.deepEqual(problems({ server: { kind: 'waitress' }, gunicorn: { worker: 'gevent' } }), [
    "gunicorn: is Gunicorn's; this lab's server is waitress: set its settings under server",
  ]);
  t.deepEqual(problems({ nginx: { protocol: 'uwsgi' } }), ['nginx.protocol: uwsgi speaks to a uWSGI server only: set server: { kind: "uwsgi" }']);
  t.regex(problems({ server: { kind: 'granian' } as never }).join(), /server/);
  t.deepEqual(problems({ server: { kind: 'uwsgi', harakiriS: 0 } }).length, 1);
  t.deepEqual(problems({ server: { kind: 'uwsgi' }, nginx: { protocol: 'uwsgi' } }), []);
});

test('Uvicorn and Hypercorn alone: the ASGI wrapper of the same app on port 8000, ready when it answers', (t) => {
  const uvicorn = appServerRun(lab({ server: { kind: 'uvicorn' }, nginx: null }));
  t.deepEqual(uvicorn.command, ['python3', '-m', 'uvicorn', 'asgi:app', '--host', '0.0.0.0', '--port', '8000']);
  const hypercorn = appServerRun(lab({ server: { kind: 'hypercorn' }, nginx: null }));
  t.deepEqual(hypercorn.command, ['python3', '-m', 'hypercorn', '--bind', '0.0.0.0:8000', 'asgi:app']);
  t.is(hypercorn.ready, null);
  t.is(describeAppServer(lab({ server: { kind: 'hypercorn' }, nginx: null })), 'hypercorn (the Flask app as ASGI)');
});

test("mod_wsgi: Apache in the foreground with the image's config; the daemon's size and request-timeout in its environment", (t) => {
  const timed = lab({ server: { kind: 'mod_wsgi', processes: 2, threads: 3, requestTimeoutS: 4 }, nginx: null });
  const run = appServerRun(timed);
  t.deepEqual(run.command, ['apache2', '-f', '/app/mod-wsgi.conf', '-DFOREGROUND']);
  t.deepEqual(run.env, { WSGI_PROCESSES: '2', WSGI_THREADS: '3', WSGI_REQUEST_TIMEOUT: 'request-timeout=4' });
  t.is(run.ready, null);
  t.is(describeAppServer(timed), 'mod_wsgi daemon processes=2 threads=3 request-timeout=4');
  const untimed = lab({ server: { kind: 'mod_wsgi', requestTimeoutS: null }, nginx: null });
  t.is(appServerRun(untimed).env.WSGI_REQUEST_TIMEOUT, '', "no option at all: mod_wsgi's own default, no request-timeout");
  t.is(describeAppServer(untimed), 'mod_wsgi daemon processes=1 threads=1 (no request-timeout)');
  // The config the command names reads exactly these variables.
  const config = readFileSync(fromRoot('images', 'app', 'mod-wsgi.conf'), 'utf8');
  for (const name of Object.keys(run.env)) t.true(config.includes(`\${${name}}`), `${name} is not read by mod-wsgi.conf`);
});
