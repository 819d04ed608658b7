// Hypothesis: X-Accel-Buffering lets one response opt into buffering while buffering stays off for the rest.
import { defineLab } from '../src/lab/define-lab.ts';

export default defineLab({
  hypothesis:
    'With `proxy_buffering off` globally, a download whose response carries `X-Accel-Buffering: yes` is buffered by Nginx and completes: the sync worker is done long before the client.',
  gunicorn: { worker: 'sync', timeoutS: 2 },
  nginx: { proxyBuffering: false },
  client: { path: '/files/large.bin?accel_buffering=yes' },
  expect: { workerTimeout: false, outcome: 'complete', checksumMatches: true, upstreamDoneFirst: true },
  // Remedy 2, per response. The article's caveat on buffering and streaming is tested by streaming-through-buffering.
  claims: [{ quote: 'Turn proxy_buffering on: a simple setting fixes it.', says: { workerTimeout: false, outcome: 'complete' } }],
});
