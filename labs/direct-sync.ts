// Hypothesis: without Nginx the slow client drains a sync worker directly, and the arbiter kills it just the same.
import { defineLab } from '../src/lab/define-lab.ts';

export default defineLab({
  hypothesis: 'With no Nginx at all, a slow client reading straight from a Gunicorn sync worker gets the worker killed by WORKER TIMEOUT mid-transfer.',
  gunicorn: { worker: 'sync', timeoutS: 2 },
  nginx: null,
  expect: { workerTimeout: true, outcome: 'truncated', clientStatus: 200 },
  claims: [
    {
      quote: "If the client reads slowly (a poor network), the write can take longer than Gunicorn's timeout.",
      says: { workerTimeout: true, outcome: 'truncated' },
    },
  ],
});
