// Hypothesis: a Range request takes Werkzeug's range wrapper instead of sendfile, Gunicorn's sendall path, and dies the same way.
import { defineLab } from '../src/lab/define-lab.ts';

export default defineLab({
  hypothesis:
    'A `Range: bytes=0-` request (206, sent by Gunicorn with sendall, the path of gunicorn issue #3259) from a slow client through `proxy_buffering off` gets the sync worker killed.',
  gunicorn: { worker: 'sync', timeoutS: 2 },
  nginx: { proxyBuffering: false },
  client: { range: 'bytes=0-' },
  expect: { workerTimeout: true, outcome: 'truncated', clientStatus: 206 },
  claims: [{ quote: 'The worker is terminated while inside sock.sendall; the log shows a WORKER TIMEOUT error.', says: { workerTimeout: true } }],
});
