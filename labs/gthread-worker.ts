// Hypothesis: the gthread worker heartbeats from its main loop, so one thread can send for minutes while others serve.
import { defineLab } from '../src/lab/define-lab.ts';

export default defineLab({
  hypothesis: 'With `-k gthread --threads 4`, the slow download completes with no WORKER TIMEOUT, and a second request sent during it is answered at once.',
  gunicorn: { worker: 'gthread', threads: 4, timeoutS: 2 },
  nginx: { proxyBuffering: false },
  client: { probes: [{ path: '/ping', afterMs: 1500 }] },
  expect: { workerTimeout: false, outcome: 'complete', checksumMatches: true, probes: 'immediate' },
  claims: [{ quote: 'The sync worker cannot cope with long blocking I/O.', says: { workerTimeout: false, outcome: 'complete' } }],
});
