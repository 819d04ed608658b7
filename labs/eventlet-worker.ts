// Hypothesis: eventlet, the other greenlet worker, behaves like gevent for a slow download.
import { defineLab } from '../src/lab/define-lab.ts';

export default defineLab({
  hypothesis: 'With `-k eventlet`, the slow download through `proxy_buffering off` completes with no WORKER TIMEOUT.',
  gunicorn: { worker: 'eventlet', timeoutS: 2 },
  nginx: { proxyBuffering: false },
  expect: { workerTimeout: false, outcome: 'complete', checksumMatches: true },
  claims: [
    { quote: 'Use an async worker: natural fit for I/O-bound work, handles slow clients.', says: { workerTimeout: false, outcome: 'complete' } },
  ],
});
