// Hypothesis (not the article's: pypi warehouse #20110, a sync worker with no buffering proxy in front stalled by one
// idle browser preconnect, then killed): a connection that sends nothing holds a sync worker reading its request.
import { defineLab } from '../src/lab/define-lab.ts';

export default defineLab({
  hypothesis:
    'With no proxy, one connection that sends nothing holds the only sync worker waiting for a request line: a real request sent half a second later waits until the worker is killed at its 2 s timeout and a new one answers.',
  hypothesisFrom: 'pypi warehouse #20110: a sync worker stalled by an idle browser preconnect, then killed',
  gunicorn: { worker: 'sync', timeoutS: 2 },
  nginx: null,
  client: { path: '/ping', body: 'other', rateBytesPerS: null, idleConnections: { count: 1, seconds: 5 } },
  expect: { workerTimeout: true, requestAnswer: 'held', clientStatus: 200 },
});
