// Hypothesis: Nginx waits for a request's header itself (client_header_timeout), so an idle connection never reaches
// Gunicorn.
import { defineLab } from '../src/lab/define-lab.ts';

export default defineLab({
  hypothesis:
    'Behind Nginx, the same idle connection waits in Nginx for its request line and never reaches Gunicorn: the real request is answered at once, and no worker is killed.',
  hypothesisFrom: "pypi warehouse #20110, and Nginx's client_header_timeout",
  gunicorn: { worker: 'sync', timeoutS: 2 },
  nginx: {},
  client: { path: '/ping', body: 'other', rateBytesPerS: null, idleConnections: { count: 1, seconds: 5 } },
  expect: { workerTimeout: false, requestAnswer: 'immediate', clientStatus: 200 },
});
