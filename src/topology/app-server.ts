// The app server's command, environment and readiness for a lab: Gunicorn (gunicorn-command.ts), uWSGI, Waitress,
// mod_wsgi, Uvicorn or Hypercorn, all serving the same Flask app (images/app/app.py) on APP_PORT over HTTP. A new kind
// is a case here, its package in images/app/Dockerfile, and the reading of its log lines (observe/parse-*-log.ts).
import type { Lab } from '../lab/schema.ts';
import { APP_PORT, gunicornCommand, gunicornEnv } from './gunicorn-command.ts';
import type { Readiness } from './topology-spec.ts';

// uWSGI's own protocol, for Nginx's uwsgi_pass (nginx.protocol uwsgi); its HTTP socket stays on APP_PORT.
export const UWSGI_PORT = 8001;

export interface AppServerRun {
  command: string[];
  env: Record<string, string>;
  ready: Readiness;
}

function uwsgiCommand(server: Extract<Lab['server'], { kind: 'uwsgi' }>, uwsgiSocket: boolean): string[] {
  return [
    'uwsgi',
    '--plugin',
    'python3',
    '--master',
    '--die-on-term',
    '--need-app',
    '--http-socket',
    `0.0.0.0:${APP_PORT}`,
    ...(uwsgiSocket ? ['--uwsgi-socket', `0.0.0.0:${UWSGI_PORT}`] : []),
    '--chdir',
    '/app',
    '--wsgi-file',
    '/app/app.py',
    '--callable',
    'app',
    '--processes',
    String(server.processes),
    ...(server.harakiriS === null ? [] : ['--harakiri', String(server.harakiriS)]),
    ...(server.offloadThreads ? ['--offload-threads', String(server.offloadThreads)] : []),
  ];
}

export function appServerRun(lab: Lab): AppServerRun {
  const server = lab.server;
  switch (server.kind) {
    case 'gunicorn':
      return {
        command: gunicornCommand(lab.gunicorn),
        env: gunicornEnv(lab.gunicorn),
        ready: { log: /Booting worker with pid/, times: lab.gunicorn.workers },
      };
    case 'uwsgi':
      return {
        command: uwsgiCommand(server, lab.nginx?.protocol === 'uwsgi'),
        env: {},
        ready: { log: /spawned uWSGI worker \d+ \(pid: \d+/, times: server.processes },
      };
    case 'waitress':
      // python3 -m puts /app on the path; Waitress's own I/O loop sends what the app's threads buffered.
      return {
        command: ['python3', '-m', 'waitress', `--listen=0.0.0.0:${APP_PORT}`, `--threads=${server.threads}`, 'app:app'],
        env: {},
        ready: null,
      };
    case 'mod_wsgi':
      // images/app/mod-wsgi.conf: Apache in the foreground, the daemon group sized and timed from the environment.
      return {
        command: ['apache2', '-f', '/app/mod-wsgi.conf', '-DFOREGROUND'],
        env: {
          WSGI_PROCESSES: String(server.processes),
          WSGI_THREADS: String(server.threads),
          WSGI_REQUEST_TIMEOUT: server.requestTimeoutS === null ? '' : `request-timeout=${server.requestTimeoutS}`,
        },
        ready: null,
      };
    case 'uvicorn':
      return { command: ['python3', '-m', 'uvicorn', 'asgi:app', '--host', '0.0.0.0', '--port', String(APP_PORT)], env: {}, ready: null };
    case 'hypercorn':
      return { command: ['python3', '-m', 'hypercorn', '--bind', `0.0.0.0:${APP_PORT}`, 'asgi:app'], env: {}, ready: null };
  }
}

// The server in a lab's description: "gunicorn -k sync -w 1 --timeout 2", "uwsgi --processes 1 --harakiri 2".
export function describeAppServer(lab: Lab): string {
  const { server, gunicorn } = lab;
  switch (server.kind) {
    case 'gunicorn': {
      const threads = gunicorn.worker === 'gthread' ? ` --threads ${gunicorn.threads}` : '';
      const h2 = gunicorn.http2 ? ' --http2-cleartext prior-knowledge' : '';
      return `gunicorn -k ${gunicorn.worker} -w ${gunicorn.workers}${threads}${gunicorn.timeoutS === null ? ' (default timeout, 30 s)' : ` --timeout ${gunicorn.timeoutS}`}${h2}`;
    }
    case 'uwsgi':
      return `uwsgi --processes ${server.processes}${server.harakiriS === null ? ' (no harakiri)' : ` --harakiri ${server.harakiriS}`}${server.offloadThreads ? ` --offload-threads ${server.offloadThreads}` : ''}`;
    case 'waitress':
      return `waitress --threads ${server.threads}`;
    case 'mod_wsgi':
      return `mod_wsgi daemon processes=${server.processes} threads=${server.threads}${server.requestTimeoutS === null ? ' (no request-timeout)' : ` request-timeout=${server.requestTimeoutS}`}`;
    case 'uvicorn':
    case 'hypercorn':
      return `${server.kind} (the Flask app as ASGI)`;
  }
}
