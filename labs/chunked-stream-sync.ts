// Hypothesis (remedy 3b, tested): chunked transfer changes the framing, not the blocking; the sync worker still dies.
import { defineLab } from '../src/lab/define-lab.ts';

export default defineLab({
  hypothesis:
    'Remedy 3b on its own: a generator body sent with chunked transfer encoding still blocks the sync worker in sendall, so it is killed mid-transfer.',
  gunicorn: { worker: 'sync', timeoutS: 2 },
  nginx: { proxyBuffering: false },
  client: { path: '/stream/large.bin' },
  expect: { workerTimeout: true, outcome: 'truncated', clientStatus: 200 },
  claims: [{ quote: 'Large generated files can be sent in chunks (chunked transfer).', says: { workerTimeout: false, outcome: 'complete' } }],
});
