// Hypothesis (uWSGI's docs on harakiri): uWSGI's master kills a worker whose request runs longer than --harakiri
// seconds, as Gunicorn's arbiter kills a silent worker; a slow client keeps a worker sending, so it is killed mid-way.
import { defineLab } from '../src/lab/define-lab.ts';

export default defineLab({
  hypothesis:
    'With uWSGI `--harakiri 2` behind Nginx `uwsgi_pass` with `uwsgi_buffering off`, a slow download keeps the worker sending past 2 s: the master logs HARAKIRI and kills it, and the client keeps a truncated 200.',
  hypothesisFrom: "uWSGI's documentation of --harakiri (a request that runs too long gets its worker killed) and Nginx's of uwsgi_buffering",
  server: { kind: 'uwsgi', processes: 1, harakiriS: 2 },
  nginx: { protocol: 'uwsgi', proxyBuffering: false },
  expect: { workerTimeout: true, outcome: 'truncated', clientStatus: 200 },
});
