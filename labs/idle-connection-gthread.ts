// Hypothesis: the gthread worker waits for a request in its poller, not in a thread, so an idle connection holds nothing.
import { defineLab } from '../src/lab/define-lab.ts';

export default defineLab({
  hypothesis:
    "With no proxy and `-k gthread --threads 4`, the idle connection waits in the worker's poller: the real request is answered at once, and no worker is killed (`--threads 4` fixed the preconnect stall in pypi warehouse #20110).",
  hypothesisFrom: 'pypi warehouse #20110: fixed with --threads 4',
  gunicorn: { worker: 'gthread', threads: 4, timeoutS: 2 },
  nginx: null,
  client: { path: '/ping', body: 'other', rateBytesPerS: null, idleConnections: { count: 1, seconds: 5 } },
  expect: { workerTimeout: false, requestAnswer: 'immediate', clientStatus: 200 },
});
