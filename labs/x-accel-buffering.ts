// Hypothesis: X-Accel-Buffering lets one response opt into buffering while buffering stays off for the rest.
import { defineLab } from '../src/lab/define-lab.ts';

export default defineLab({
  hypothesis: 'With `proxy_buffering off` globally, a download whose response carries `X-Accel-Buffering: yes` is buffered by Nginx and completes; streaming routes stay unbuffered.',
  gunicorn: { worker: 'sync', timeoutS: 2 },
  nginx: { proxyBuffering: false },
  client: { path: '/files/large.bin?accel_buffering=yes' },
  expect: { workerTimeout: false, outcome: 'complete', checksumMatches: true, upstreamDoneFirst: true },
  claims: [
    { quote: 'proxy_buffering on — con: not suitable where true streaming is needed.', says: { workerTimeout: false, upstreamDoneFirst: true } },
  ],
});
