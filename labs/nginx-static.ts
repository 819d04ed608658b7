// Hypothesis (remedy 3a): a static file served by Nginx itself never touches a Gunicorn worker.
import { defineLab } from '../src/lab/define-lab.ts';

export default defineLab({
  hypothesis: 'Remedy 3a: when Nginx serves the file itself (from the same volume), the slow download completes and Gunicorn sees no request at all.',
  gunicorn: { worker: 'sync', timeoutS: 2 },
  nginx: { proxyBuffering: false },
  client: { path: '/static/large.bin' },
  expect: { workerTimeout: false, outcome: 'complete', checksumMatches: true, gunicornAccessLines: 0 },
  claims: [{ quote: 'Static files are best served by Nginx directly.', says: { workerTimeout: false, outcome: 'complete', gunicornAccessLines: 0 } }],
});
