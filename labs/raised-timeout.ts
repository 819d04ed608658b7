// Hypothesis: a timeout above the transfer time saves the download but not the worker: it is held for the whole transfer.
import { defineLab } from '../src/lab/define-lab.ts';

export default defineLab({
  hypothesis:
    'With `--timeout` above the transfer time the sync worker is not killed and the download completes, but a second request sent during it waits until the download is done.',
  gunicorn: { worker: 'sync', timeoutS: 30 },
  nginx: { proxyBuffering: false },
  client: { probes: [{ path: '/ping', afterMs: 1000 }] },
  expect: { workerTimeout: false, outcome: 'complete', checksumMatches: true, probes: 'held' },
  claims: [{ quote: 'Raise the timeout setting appropriately.', says: { workerTimeout: false, outcome: 'complete', probes: 'immediate' } }],
});
