// Hypothesis: the app can authorise a download and hand the sending to Nginx with X-Accel-Redirect.
import { defineLab } from '../src/lab/define-lab.ts';

export default defineLab({
  hypothesis:
    'With `X-Accel-Redirect` to an internal location, the app only authorises: its request takes milliseconds, Nginx sends the file, the slow download completes.',
  gunicorn: { worker: 'sync', timeoutS: 2 },
  nginx: { proxyBuffering: false },
  client: { path: '/accel/large.bin' },
  expect: { workerTimeout: false, outcome: 'complete', checksumMatches: true, gunicornRequestMaxMs: 500 },
  claims: [{ quote: 'Static files are best served by Nginx directly.', says: { workerTimeout: false, outcome: 'complete' } }],
});
