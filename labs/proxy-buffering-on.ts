// Hypothesis (remedy 2): with proxy_buffering on, Nginx drains Gunicorn at once and feeds the slow client itself.
import { defineLab } from '../src/lab/define-lab.ts';

export default defineLab({
  hypothesis:
    'Remedy 2: with `proxy_buffering on`, Nginx takes the whole file from the sync worker at once; the download completes and Gunicorn is done long before the client.',
  gunicorn: { worker: 'sync', timeoutS: 2 },
  nginx: { proxyBuffering: true },
  expect: { workerTimeout: false, outcome: 'complete', checksumMatches: true, upstreamDoneFirst: true },
  claims: [{ quote: 'Turn proxy_buffering on: a simple setting fixes it.', says: { workerTimeout: false, outcome: 'complete' } }],
});
