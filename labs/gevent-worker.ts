// Hypothesis (remedy 1): an async worker such as gevent keeps heartbeating while a slow client downloads.
import { defineLab } from '../src/lab/define-lab.ts';

export default defineLab({
  hypothesis: 'Remedy 1: with `-k gevent` the same slow download through `proxy_buffering off` completes, and no WORKER TIMEOUT is logged.',
  gunicorn: { worker: 'gevent', timeoutS: 2 },
  nginx: { proxyBuffering: false },
  expect: { workerTimeout: false, outcome: 'complete', clientStatus: 200, checksumMatches: true },
  claims: [
    { quote: 'Use an async worker such as gevent: natural fit for I/O-bound work, handles slow clients.', says: { workerTimeout: false, outcome: 'complete' } },
  ],
});
