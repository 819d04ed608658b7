// Hypothesis (control): the problem needs a slow client; at full speed the same stack is fine.
import { defineLab } from '../src/lab/define-lab.ts';

export default defineLab({
  hypothesis: 'Control: the problem stack (sync, `proxy_buffering off`, `--timeout 2`) with an unthrottled client completes, with no WORKER TIMEOUT.',
  gunicorn: { worker: 'sync', timeoutS: 2 },
  nginx: { proxyBuffering: false },
  client: { rateBytesPerS: null },
  expect: { workerTimeout: false, outcome: 'complete', checksumMatches: true, clientStatus: 200 },
  claims: [{ quote: 'The sync worker was designed for short, fast requests.', says: { workerTimeout: false, outcome: 'complete' } }],
});
