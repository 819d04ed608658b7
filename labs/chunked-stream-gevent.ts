// Hypothesis: the chunked stream completes once the worker is async: the worker class, not the framing, is the remedy.
import { defineLab } from '../src/lab/define-lab.ts';

export default defineLab({
  hypothesis: 'The same chunked generator body under `-k gevent` completes with no WORKER TIMEOUT.',
  gunicorn: { worker: 'gevent', timeoutS: 2 },
  nginx: { proxyBuffering: false },
  client: { path: '/stream/large.bin' },
  expect: { workerTimeout: false, outcome: 'complete', checksumMatches: true },
  claims: [{ quote: 'Large generated files can be sent in chunks (chunked transfer).', says: { workerTimeout: false, outcome: 'complete' } }],
});
