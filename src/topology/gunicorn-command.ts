// The Gunicorn command line for a lab: worker class, counts, timeout, and logs the observer can parse.
import type { Lab } from '../lab/schema.ts';

export const APP_PORT = 8000;
// The set-up's own request, to know the worker has loaded the app; observation leaves it out of what Gunicorn served.
export const READINESS_PATH = '/ping?lab-readiness';
// Where a lab's Gunicorn sends statsd metrics: the client container's listener (client.py --statsd-port).
export const STATSD = { host: 'client', port: 8125 } as const;
export const GUNICORN_ACCESS_FORMAT = 'access %(s)s %(B)s %(D)s "%(r)s"';
// Server hooks in the lab app image: each worker logs "Worker ready (pid: N)" once booted (images/app/lab_hooks.py).
export const LAB_HOOKS = '/app/lab_hooks.py';

const WORKER_CLASSES: Record<Lab['gunicorn']['worker'], string> = {
  sync: 'sync',
  gthread: 'gthread',
  gevent: 'gevent',
  eventlet: 'eventlet',
  uvicorn: 'uvicorn.workers.UvicornWorker',
  asgi: 'gunicorn.workers.gasgi.ASGIWorker',
};

// The worker's own environment. eventlet resolves names with its green DNS module by default, whose import (dnspython,
// pkg_resources) grows the master's heap; each forked worker then greens the locks it finds with a gc pass per lock,
// so its boot took 0.60 s instead of 0.38 s on bookworm (0.39 / 0.26 s on trixie), a third of a 2 s timeout spent
// before the first heartbeat. The labs resolve no names through eventlet (Gunicorn binds 0.0.0.0): it is not needed.
export function gunicornEnv(gunicorn: Lab['gunicorn']): Record<string, string> {
  return gunicorn.worker === 'eventlet' ? { EVENTLET_NO_GREENDNS: 'yes' } : {};
}

export function gunicornCommand(gunicorn: Lab['gunicorn']): string[] {
  return [
    'gunicorn',
    '--config',
    LAB_HOOKS,
    '--bind',
    `0.0.0.0:${APP_PORT}`,
    '--workers',
    String(gunicorn.workers),
    '--worker-class',
    WORKER_CLASSES[gunicorn.worker],
    ...(gunicorn.worker === 'gthread' ? ['--threads', String(gunicorn.threads)] : []),
    ...(gunicorn.timeoutS === null ? [] : ['--timeout', String(gunicorn.timeoutS)]),
    '--log-level',
    'info',
    '--access-logfile',
    '-',
    '--access-logformat',
    GUNICORN_ACCESS_FORMAT,
    ...(gunicorn.statsd ? ['--statsd-host', `${STATSD.host}:${STATSD.port}`] : []),
    // Cleartext HTTP/2 beside HTTP/1.1; Gunicorn serves h2c only to peers it trusts (forwarded_allow_ips).
    ...(gunicorn.http2 ? ['--http-protocols', 'h2,h1', '--http2-cleartext', 'prior-knowledge', '--forwarded-allow-ips', '*'] : []),
    // uvicorn's worker and Gunicorn's own ASGI worker speak ASGI: the same Flask app, wrapped by asgiref.
    gunicorn.worker === 'uvicorn' || gunicorn.worker === 'asgi' ? 'asgi:app' : 'app:app',
  ];
}
